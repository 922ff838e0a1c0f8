"""Reads of bodies and meetings, each list in a fixed number of queries."""

import calendar
import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field

from maillage.accounts.models import Membership
from maillage.accounts.selectors import role_in
from maillage.cooperations.models import Cooperation, Proposal, StrategyNode, WorkingGroupMember
from maillage.cooperations.selectors import contents_readable_q
from maillage.core.enums import Role, Visibility
from maillage.core.filters import ListFilters
from maillage.core.history import DeletedItem, deleted_versions
from maillage.core.permissions import is_staff
from maillage.directory.models import Organisation
from maillage.governance.enums import DecisionKind, RegistrationStatus
from maillage.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Meeting,
    Registration,
)
from maillage.projects.models import Project


def _readable(user, cooperation: Cooperation) -> Q:
    role = role_in(user, cooperation.pk)
    if is_staff(user) or role == "coordinator":
        return Q()
    if role is not None:
        return ~Q(visibility=Visibility.RESTRICTED)
    return Q(visibility=Visibility.PUBLIC)


def meeting_list(
    user, cooperation: Cooperation, *, upcoming: bool | None = None
) -> QuerySet[Meeting]:
    """Meetings with their registration counts; `upcoming` True: not ended yet, False: past.
    A meeting's body only when the user may read the body too (a public meeting of a restricted
    body does not name it)."""
    readable = _readable(user, cooperation)
    meetings = Meeting.objects.filter(cooperation=cooperation).filter(readable)
    return _counted(
        meetings.select_related("cooperation", "working_group").prefetch_related(
            Prefetch("body", queryset=Body.objects.filter(readable))
        ),
        upcoming,
    )


def organisation_events(organiser: Organisation, *, upcoming: bool | None = None):
    """An organisation's public events (not a cooperation's: `Meeting.organiser`), with their
    registration counts, as `meeting_list` gives a cooperation's."""
    events = Meeting.objects.filter(organiser=organiser, visibility=Visibility.PUBLIC)
    return _counted(events.select_related("organiser"), upcoming)


def counted_meeting(user, meeting: Meeting) -> Meeting | None:
    """The meeting with its registration counts, as its list shows it (None: not readable)."""
    if meeting.cooperation is not None:
        rows = meeting_list(user, meeting.cooperation)
    else:
        assert meeting.organiser is not None  # noqa: S101 - Meeting's constraint
        rows = organisation_events(meeting.organiser)
    return rows.filter(pk=meeting.pk).first()


def _counted(meetings: QuerySet[Meeting], upcoming: bool | None) -> QuerySet[Meeting]:
    now = timezone.now()
    if upcoming is True:
        meetings = meetings.filter(end__gte=now)
    elif upcoming is False:
        meetings = meetings.filter(end__lt=now)
    return meetings.annotate(
        registered_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
    ).order_by("start" if upcoming is not False else "-start")


def held_q(year: int, prefix: str = "") -> Q:
    """A meeting held in `year`: one of that year that has begun (a meeting to come is
    planned, not held). The one definition of the body pages, the dashboard, the overview,
    the yearly report and the API; `prefix` reaches meetings through a relation."""
    return Q(**{f"{prefix}start__year": year, f"{prefix}start__lte": timezone.now()})


def readable_anywhere(user) -> Q:
    """`_readable` for every cooperation at once: public meetings or bodies; the partners'
    for members of their cooperation; restricted ones for its coordinators (and the staff)."""
    return contents_readable_q(user)


def body_list(user, cooperation: Cooperation) -> QuerySet[Body]:
    """Bodies with this year's meetings held and the last and next meeting dates."""
    now = timezone.now()
    return (
        Body.objects.filter(cooperation=cooperation)
        .filter(_readable(user, cooperation))
        .select_related("cooperation")
        .annotate(
            meetings_this_year=Count(
                "meetings", filter=held_q(timezone.localdate().year, "meetings__")
            ),
            planned_this_year=Count(
                "meetings", filter=Q(meetings__start__year=timezone.localdate().year)
            ),
            last_meeting=Max("meetings__start", filter=Q(meetings__start__lte=now)),
            next_meeting=Min("meetings__start", filter=Q(meetings__start__gt=now)),
        )
    )


def rule_met(body) -> bool | None:
    """Whether the body met as often as its rule asks this year (None: no rule)."""
    if body.meetings_per_year is None:
        return None
    return body.meetings_this_year >= body.meetings_per_year


class DecisionFilters(ListFilters):
    """The filters of a cooperation's decision register (its page, export and API)."""

    body: int | None = None
    year: int | None = Field(default=None, ge=1900, le=2200)
    kind: DecisionKind | None = None
    project: int | None = None
    search: str = ""

    PAGE_PARAMS = {"instance": "body", "annee": "year", "type": "kind", "projet": "project"}
    PAGE_PARAMS |= {"q": "search"}


def decision_register(
    user,
    cooperation: Cooperation,
    filters: DecisionFilters | None = None,
    *,
    audience: str | None = None,
) -> QuerySet[Decision]:
    """The decisions of a cooperation's bodies the user may read, with what they link; the
    meeting a decision was taken at only when the user may read that meeting too (else
    `decision.meeting` is None: a restricted meeting's title stays out of the register, its
    exports and the yearly report). With `audience` (a visibility), what a document made for
    that audience may hold, whoever asks for it: the yearly report, read by the partners, is
    built by a coordinator."""
    filters = filters or DecisionFilters()
    readable = _readable(user, cooperation)
    if audience == Visibility.PARTNERS:
        readable &= ~Q(visibility=Visibility.RESTRICTED)
    elif audience == Visibility.PUBLIC:
        readable &= Q(visibility=Visibility.PUBLIC)
    body, year, kind = filters.body, filters.year, filters.kind
    project, search = filters.project, filters.search
    decisions = Decision.objects.filter(body__cooperation=cooperation).filter(
        body__in=Body.objects.filter(cooperation=cooperation).filter(readable)
    )
    if body:
        decisions = decisions.filter(body=body)
    if year:
        decisions = decisions.filter(date__year=year)
    if kind:
        decisions = decisions.filter(kind=kind)
    if project:
        decisions = decisions.filter(projects=project)
    if search:
        decisions = decisions.filter(text__icontains=search)
    readable_meetings = Meeting.objects.filter(readable)
    return decisions.select_related("body").prefetch_related(
        Prefetch("meeting", queryset=readable_meetings.select_related("cooperation")), *linked()
    )


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Every meeting a user may read (`permissions.can_view` for all at once): those of the
    cooperations the user may see, each with its own visibility; and the organisations'
    public events."""
    visible = Cooperation.objects.visible_to(user).values("pk")
    return Meeting.objects.filter(
        (Q(cooperation__in=visible) & readable_anywhere(user))
        | Q(cooperation__isnull=True, visibility=Visibility.PUBLIC)
    )


def meetings_of_user(user) -> QuerySet[Meeting]:
    """The meetings that are the user's, among those they may still read: they organise them
    (they coordinate the cooperation), are invited (they sit on the body, are in the working
    group or on the attendance list) or registered. "Mon espace", "Mon calendrier" and the
    calendar feeds list them."""
    registered = Registration.objects.filter(user=user).exclude(status=RegistrationStatus.CANCELLED)
    theirs = (
        Q(
            cooperation__in=Membership.objects.filter(user=user, role=Role.COORDINATOR).values(
                "cooperation"
            )
        )
        | Q(body__in=BodyMember.objects.filter(person__user=user).values("body"))
        | Q(working_group__in=WorkingGroupMember.objects.filter(person__user=user).values("group"))
        | Q(pk__in=Attendance.objects.filter(person__user=user).values("meeting"))
        | Q(pk__in=registered.values("meeting"))
    )
    return (
        meetings_visible_to(user)
        .filter(theirs)
        .select_related("cooperation", "organiser")
        .order_by("start")
    )


def bodies_at_risk(cooperation_ids) -> list[Body]:
    """Bodies whose meeting rule is not met this year and whose meetings planned before the
    year's end would not be enough: the coordinators get a reminder."""
    year = timezone.localdate().year
    bodies = (
        Body.objects.filter(cooperation__in=cooperation_ids, meetings_per_year__isnull=False)
        .select_related("cooperation")
        .annotate(planned_this_year=Count("meetings", filter=Q(meetings__start__year=year)))
    )
    return [body for body in bodies if body.planned_this_year < body.meetings_per_year]


def next_meeting_of_body(meeting: Meeting) -> Meeting | None:
    """The body's meeting after this one (where its minutes are approved)."""
    if meeting.body_id is None:
        return None
    return (
        Meeting.objects.filter(body=meeting.body_id, start__gt=meeting.start)
        .order_by("start")
        .first()
    )


def linked() -> tuple[Prefetch, ...]:
    """What a decision or an agenda item points to, with the cooperation their links need."""
    return (
        Prefetch("projects", queryset=Project.objects.select_related("cooperation")),
        Prefetch("proposals", queryset=Proposal.objects.select_related("cooperation")),
        Prefetch("strategy_nodes", queryset=StrategyNode.objects.select_related("cooperation")),
    )


def meeting_decisions(meeting: Meeting) -> QuerySet[Decision]:
    return meeting.decisions.prefetch_related(*linked())


def meeting_agenda(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.agenda.prefetch_related(*linked())


def month_from(value: str) -> dt.date:
    """The first day of the month a `YYYY-MM` parameter names; this month when it names none."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def shift_month(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_grid(meetings: QuerySet[Meeting], month: dt.date) -> list[list[dict]]:
    """The weeks (Monday first) of a month, each day with the meetings starting that day (in
    Europe/Paris): one query whatever the number of meetings."""
    start = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(shift_month(month, 1), dt.time.min))
    by_day: dict[dt.date, list[Meeting]] = defaultdict(list)
    for meeting in meetings.filter(start__gte=start, start__lt=end).order_by("start"):
        by_day[timezone.localtime(meeting.start).date()].append(meeting)
    return [
        [
            {"date": day, "in_month": day.month == month.month, "meetings": by_day.get(day, [])}
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]


def register_rows(decisions: QuerySet[Decision]) -> tuple[list[str], list[list]]:
    """The decision register as a spreadsheet's header and rows (the report's annex too)."""
    header = [
        _("Instance"),
        _("Numéro"),
        _("Date"),
        _("Type"),
        _("Décision"),
        _("Réunion"),
        _("Projets"),
    ]
    rows = [
        [
            decision.body.name,
            decision.number,
            decision.date,
            decision.get_kind_display(),
            decision.text,
            decision.meeting.title if decision.meeting else "",
            ", ".join(project.code for project in decision.projects.all()),
        ]
        for decision in decisions.order_by("body__name", "number")
    ]
    return header, rows


def active_registrations(meeting: Meeting) -> QuerySet[Registration]:
    """A meeting's registrations but the cancelled ones, in the order they came."""
    return meeting.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by(
        "created_at", "pk"
    )


def registration_of(user, meeting: Meeting) -> Registration | None:
    """A signed-in user's live registration to a meeting, with `rank` on the waiting list
    (1: next to get a seat) when waiting (two queries at most)."""
    if user is None or not user.is_authenticated:
        return None
    registration = active_registrations(meeting).filter(user=user).first()
    if registration is not None and registration.status == RegistrationStatus.WAITING:
        ahead = active_registrations(meeting).filter(
            status=RegistrationStatus.WAITING, created_at__lt=registration.created_at
        )
        registration.rank = ahead.count() + 1  # type: ignore[attr-defined]
    return registration


def sign_in_rows(meeting: Meeting) -> tuple[list[str], list[list]]:
    """The sign-in sheet of a meeting: a spreadsheet's header and rows, a blank to sign."""
    questions = meeting.questions
    header = [
        _("Nom"),
        _("Structure"),
        _("Adresse e-mail"),
        _("Statut"),
        _("Inscrit·e le"),
        *questions,
        _("Signature"),
    ]
    rows = [
        [
            r.name,
            r.organisation,
            r.email,
            r.get_status_display(),
            r.created_at,
            *(r.answers.get(question, "") for question in questions),
            "",
        ]
        for r in active_registrations(meeting)
    ]
    return header, rows


# Deleted objects, to restore ---------------------------------------------------------------


def deleted_governance(cooperation: Cooperation) -> list[DeletedItem]:
    """The cooperation's deleted meetings, agenda items of meetings that still exist, and
    mandates of its bodies, newest deletion first (five queries whatever their number). An
    agenda item deleted with its meeting comes back with the meeting, not alone."""
    meetings = set(Meeting.objects.filter(cooperation=cooperation).values_list("pk", flat=True))
    bodies = set(Body.objects.filter(cooperation=cooperation).values_list("pk", flat=True))
    found = [
        *(
            DeletedItem(_("Réunion"), version)
            for version in deleted_versions(Meeting)
            if version.field_dict.get("cooperation_id") == cooperation.pk
        ),
        *(
            DeletedItem(_("Point d’ordre du jour"), version)
            for version in deleted_versions(AgendaItem)
            if version.field_dict.get("meeting_id") in meetings
        ),
        *(
            DeletedItem(_("Mandat"), version)
            for version in deleted_versions(BodyMember)
            if version.field_dict.get("body_id") in bodies
        ),
    ]
    return sorted(found, key=lambda item: item.version.revision.date_created, reverse=True)


def deleted_governance_item(cooperation: Cooperation, version_id: int) -> DeletedItem | None:
    """One of `deleted_governance`, by its version's id (page and API)."""
    return next(
        (item for item in deleted_governance(cooperation) if item.version.pk == version_id), None
    )
