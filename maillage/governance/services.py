"""Writes on bodies, mandates, meetings and registrations (conventions of
cooperations/services.py)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.cooperations import services as cooperation_services
from maillage.cooperations.models import Cooperation, WorkingGroupMember
from maillage.cooperations.selectors import members_reading
from maillage.cooperations.services import require_same_cooperation
from maillage.core.enums import Visibility
from maillage.core.exceptions import Conflict
from maillage.core.history import DeletedItem, delete_recorded, recorded_change, restore_deleted
from maillage.core.models import require_within
from maillage.core.services import apply_changes
from maillage.core.tasks import send_email_later
from maillage.core.text import long_date
from maillage.directory.models import Organisation
from maillage.directory.permissions import can_manage_directory
from maillage.governance import permissions, selectors
from maillage.governance.calendar import calendar_for
from maillage.governance.enums import (
    AttendanceStatus,
    College,
    MeetingKind,
    MinutesStatus,
    RegistrationStatus,
    WhenFull,
)
from maillage.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    CalendarFeed,
    Decision,
    Meeting,
    Minutes,
    Registration,
    new_feed_token,
)
from maillage.notifications.enums import NotificationKind
from maillage.notifications.services import notify, notify_addresses
from maillage.projects import services as project_services

# Only a confirmed registration holds a seat: an address nobody confirmed (twenty invented
# ones could fill a session) takes none, and its link expires after PENDING_DAYS.
HOLDING = (RegistrationStatus.CONFIRMED,)
REMINDER_DAYS = 2  # a registrant is reminded two days before
PENDING_DAYS = 2
# What each update may change (the forms and the API offer these fields and no other).
BODY_FIELDS = (
    "name",
    "kind",
    "purpose",
    "composition",
    "meetings_per_year",
    "quorum",
    "visibility",
)
MANDATE_FIELDS = ("organisation", "position", "college", "voting", "start_date", "end_date")
MEETING_FIELDS = (
    "title",
    "kind",
    "body",
    "working_group",
    "start",
    "end",
    "place",
    "video_url",
    "description",
    "visibility",
    "capacity",
    "registration_deadline",
    "registration_condition",
    "registration_questions",
    "open_registration",
    "when_full",
)
DECISION_FIELDS = ("kind", "date", "text")


def project_links(project) -> list:
    """The decisions and agenda items naming a project: its deletion keeps them in its snapshot
    (projects.services.PROJECT_DELETION_CASCADES), so that a restore links them again."""
    return [
        *Decision.objects.filter(projects=project),
        *AgendaItem.objects.filter(projects=project),
    ]


def _require_organise_meeting(
    actor: User | None, meeting: Meeting, *, of_a_cooperation: bool = False
) -> None:
    """Who organises the meeting (`permissions.can_organise_meeting`); `of_a_cooperation`: what
    only a cooperation's meeting has (agenda, attendance, minutes, documents) — an
    organisation's event is refused (409)."""
    if of_a_cooperation:
        _cooperation_of(meeting)
    if actor is not None and not permissions.can_organise_meeting(actor, meeting):
        raise PermissionDenied


def _cooperation_of(meeting: Meeting) -> Cooperation:
    """The cooperation of a meeting that records things (agenda, attendance, minutes,
    documents): an organisation's event has none of these (409)."""
    if meeting.cooperation is None:
        raise Conflict(
            _(
                "L’événement d’une structure n’a ni ordre du jour, ni présences, ni compte "
                "rendu, ni documents : ceux-là sont les réunions des coopérations."
            )
        )
    return meeting.cooperation


def _require_organise(actor: User | None, cooperation: Cooperation) -> None:
    if actor is not None and not permissions.can_organise(actor, cooperation):
        raise PermissionDenied


def _checked_links(
    cooperation_id: int,
    projects: Iterable = (),
    proposals: Iterable = (),
    strategy_nodes: Iterable = (),
) -> dict[str, list]:
    """What a decision or an agenda item points to, each belonging to the cooperation."""
    links = {
        "projects": list(projects),
        "proposals": list(proposals),
        "strategy_nodes": list(strategy_nodes),
    }
    for field, objects in links.items():
        require_same_cooperation(cooperation_id, field, objects)
    return links


def body_create(
    *, actor: User | None, cooperation: Cooperation, name: str, kind: str, **fields: Any
) -> Body:
    _require_organise(actor, cooperation)
    body = Body(cooperation=cooperation, name=name, kind=kind, **fields)
    body.full_clean()
    with recorded_change(actor=actor, comment=_("Nouvelle instance : %(name)s") % {"name": name}):
        body.save()
    return body


def body_member_add(*, actor: User | None, body: Body, person, **fields: Any) -> BodyMember:
    _require_organise(actor, body.cooperation)
    member = BodyMember(body=body, person=person, **fields)
    member.full_clean()
    with recorded_change(
        actor=actor, comment=_("Mandat ajouté à « %(body)s »") % {"body": body.name}
    ):
        member.save()
    return member


def body_update(
    *, actor: User, body: Body, read_at: datetime | None = None, **changes: Any
) -> Body:
    _require_organise(actor, body.cooperation)
    apply_changes(
        actor=actor,
        obj=body,
        changes=changes,
        allowed=BODY_FIELDS,
        comment=_("Instance modifiée : %(name)s") % {"name": body.name},
        read_at=read_at,
    )
    return body


# What the people invited to a meeting are told of when it changes.
MEETING_PRACTICALITIES = ("start", "end", "place", "video_url")


def meeting_update(
    *, actor: User, meeting: Meeting, read_at: datetime | None = None, **changes: Any
) -> Meeting:
    """Edit a meeting; when its date, place or link change, the invited people who have an
    account are notified (a coming meeting only)."""
    _require_organise_meeting(actor, meeting)
    before = {field: getattr(meeting, field) for field in MEETING_PRACTICALITIES}
    with transaction.atomic():
        apply_changes(
            actor=actor,
            obj=meeting,
            changes=changes,
            allowed=MEETING_FIELDS,
            comment=_("Réunion modifiée : %(title)s") % {"title": meeting.title},
            read_at=read_at,
        )
        moved = any(getattr(meeting, field) != value for field, value in before.items())
        if moved and meeting.end >= timezone.now():
            notify(
                recipients=User.objects.filter(email__in=_invited_emails(meeting)),
                kind=NotificationKind.MEETING,
                title=_("Réunion modifiée : %(meeting)s") % {"meeting": meeting.title},
                text=_("Elle a lieu le %(date)s%(place)s.")
                % {
                    "date": long_date(meeting.start, "j F Y, H:i"),
                    "place": f" ({meeting.place})" if meeting.place else "",
                },
                url=meeting.get_absolute_url(),
                actor=actor,
            )
    return meeting


def _invited_emails(meeting: Meeting) -> list[str]:
    """The addresses of the people a meeting invites: its body's members in office, or its
    working group's members."""
    members: QuerySet[BodyMember] | QuerySet[WorkingGroupMember]
    if meeting.body is not None:
        today = meeting.start.date()
        members = meeting.body.members.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today),
            Q(end_date__isnull=True) | Q(end_date__gte=today),
        )
    elif meeting.working_group is not None:
        members = meeting.working_group.members.all()
    else:
        return []
    emails = members.exclude(person__email="").values_list("person__email", flat=True)
    return sorted({email.lower() for email in emails})


def meeting_invite(*, actor: User, meeting: Meeting, site_url: str = "") -> int:
    """Invite the body's members in office, or the working group's members (those with an
    e-mail), to a meeting: a notification for those with an account, an e-mail for the others
    (through the task queue). Returns how many."""
    _require_organise_meeting(actor, meeting)
    if meeting.body is None and meeting.working_group is None:
        raise Conflict(
            _("Seule une réunion d’instance ou de groupe de travail a des membres à inviter.")
        )
    return notify_addresses(
        emails=_invited_emails(meeting),
        kind=NotificationKind.MEETING,
        title=_("Invitation : %(meeting)s") % {"meeting": meeting.title},
        text=_("Vous êtes invité·e à « %(meeting)s », le %(date)s.")
        % {
            "meeting": meeting.title,
            "date": timezone.localtime(meeting.start).strftime("%d/%m/%Y %H:%M"),
        },
        url=meeting.get_absolute_url(),
        actor=actor,
        site_url=site_url,
    )


# What an organisation's public event has of a meeting: no body, no working group, public.
EVENT_FIELDS = (
    "title",
    "kind",
    "start",
    "end",
    "place",
    "video_url",
    "description",
    "capacity",
    "registration_deadline",
    "registration_condition",
    "registration_questions",
    "open_registration",
    "when_full",
)


def event_create(
    *, actor: User | None, organiser: Organisation, title: str, start, end, **fields: Any
) -> Meeting:
    """A public event of an organisation that is not a cooperation (a resource centre's
    session): organised by those who keep the directory; registrations like any meeting's."""
    if actor is not None and not can_manage_directory(actor):
        raise PermissionDenied
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Not an event's: {', '.join(sorted(unknown))}")
    fields.setdefault("kind", MeetingKind.EVENT)
    meeting = Meeting(
        organiser=organiser,
        title=title,
        start=start,
        end=end,
        visibility=Visibility.PUBLIC,
        **fields,
    )
    meeting.full_clean()
    comment = _("Nouvel événement de %(organiser)s : %(title)s") % {
        "organiser": organiser,
        "title": title,
    }
    with recorded_change(actor=actor, comment=comment):
        meeting.save()
    return meeting


def meeting_create(
    *, actor: User | None, cooperation: Cooperation, title: str, start, end, **fields: Any
) -> Meeting:
    _require_organise(actor, cooperation)
    meeting = Meeting(cooperation=cooperation, title=title, start=start, end=end, **fields)
    meeting.full_clean()
    with recorded_change(actor=actor, comment=_("Nouvelle réunion : %(title)s") % {"title": title}):
        meeting.save()
    return meeting


def _site(site_url: str) -> str:
    from django.conf import settings

    return (site_url or settings.SITE_URL).rstrip("/")


def registration_create(
    *,
    meeting: Meeting,
    name: str,
    email: str,
    organisation: str = "",
    user: User | None = None,
    condition_accepted: bool = False,
    answers: dict[str, str] | None = None,
    site_url: str = "",
) -> Registration:
    """Register someone. The meeting's row is locked while seats are counted, so that two
    people asking for the last seat at once cannot both get it. A member registering their own
    address is registered at once; any other address confirms by the link mailed to it, and
    takes a seat only then (`registration_confirm`). When the meeting is full: the waiting list,
    or a Conflict, as the organiser chose."""
    if user is not None and not permissions.can_register(user, meeting):
        raise PermissionDenied
    if user is None and not meeting.open_registration:
        raise PermissionDenied
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Adresse e-mail invalide.")}) from error
    if not name.strip():
        raise ValidationError({"name": _("Indiquez votre nom.")})
    if meeting.registration_condition and not condition_accepted:
        raise ValidationError({"condition_accepted": _("Confirmez la condition de participation.")})
    answered = _answered(meeting, answers or {})
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not locked.registration_open:
            raise Conflict(_("Les inscriptions à cette réunion sont closes."))
        registrations = Registration.objects.filter(meeting=locked)
        if registrations.filter(email=email).filter(_standing()).exists():
            raise Conflict(_("Cette adresse est déjà inscrite."))
        own_address = user is not None and email == user.email.strip().lower()
        if own_address:
            status = _seat_or_wait(locked)
        else:
            status = RegistrationStatus.PENDING
            if _full(locked) and locked.when_full != WhenFull.WAITING_LIST:
                raise Conflict(_("Cette réunion est complète."))
        registration = Registration.objects.create(
            meeting=locked,
            user=user,
            name=name.strip(),
            email=email,
            organisation=organisation.strip(),
            status=status,
            condition_accepted=condition_accepted,
            answers=answered,
        )
        _mail_registration(registration, site_url)
    return registration


def _answered(meeting: Meeting, answers: dict[str, str]) -> dict[str, str]:
    """The answers to the organiser's questions, each required; others are not kept."""
    answered = {
        question: str(answers.get(question, "")).strip()[:500] for question in meeting.questions
    }
    missing = [question for question, answer in answered.items() if not answer]
    if missing:
        raise ValidationError(
            {"answers": _("Répondez à : %(questions)s") % {"questions": " ; ".join(missing)}}
        )
    return answered


def _mail_registration(
    registration: Registration, site_url: str, *, promoted: bool = False
) -> None:
    """What a registrant is told at each step; a seat comes with the meeting's .ics."""
    meeting = registration.meeting
    link = _site(site_url) + reverse(
        "governance:registration", kwargs={"token": registration.token}
    )
    attachments = None
    if registration.status == RegistrationStatus.PENDING:
        body = _("Pour confirmer votre inscription à « %(meeting)s », ouvrez ce lien :\n%(link)s")
    elif registration.status == RegistrationStatus.WAITING:
        body = _(
            "La réunion « %(meeting)s » est complète : vous êtes sur la liste d’attente. Vous "
            "serez prévenu·e si une place se libère. Pour vous désinscrire :\n%(link)s"
        )
    elif promoted:
        body = _(
            "Une place s’est libérée : votre inscription à « %(meeting)s » est confirmée. Le "
            "rendez-vous est joint, à ajouter à votre agenda. Pour l’annuler :\n%(link)s"
        )
        attachments = [_ics_attachment(meeting, site_url)]
    else:
        body = _(
            "Votre inscription à « %(meeting)s » est confirmée : le rendez-vous est joint, à "
            "ajouter à votre agenda. Pour l’annuler :\n%(link)s"
        )
        attachments = [_ics_attachment(meeting, site_url)]
    send_email_later(
        subject=_("Inscription : %(meeting)s") % {"meeting": meeting.title},
        body=body % {"meeting": meeting.title, "link": link},
        to=[registration.email],
        attachments=attachments,
    )


def _ics_attachment(meeting: Meeting, site_url: str) -> list[str]:
    content = calendar_for([meeting], name=meeting.title, site_url=_site(site_url))
    return ["rendez-vous.ics", content.decode(), "text/calendar"]


def _standing() -> Q:
    """Registrations that count: not cancelled, and not an unconfirmed one whose link expired."""
    expired = Q(
        status=RegistrationStatus.PENDING,
        created_at__lt=timezone.now() - timedelta(days=PENDING_DAYS),
    )
    return ~Q(status=RegistrationStatus.CANCELLED) & ~expired


def _full(meeting: Meeting) -> bool:
    held = Registration.objects.filter(meeting=meeting, status__in=HOLDING).count()
    return meeting.capacity is not None and held >= meeting.capacity


def _seat_or_wait(locked: Meeting) -> str:
    """A seat if one is free, else the waiting list, or a Conflict (the meeting's row is locked
    by the caller)."""
    if not _full(locked):
        return RegistrationStatus.CONFIRMED
    if locked.when_full != WhenFull.WAITING_LIST:
        raise Conflict(_("Cette réunion est complète."))
    return RegistrationStatus.WAITING


def registration_confirm(*, registration: Registration, site_url: str = "") -> Registration:
    """The mailed link, opened: the address is real, the registration takes a seat if one is
    free (else the waiting list). An expired link confirms nothing."""
    if registration.status != RegistrationStatus.PENDING:
        return registration
    if registration.created_at < timezone.now() - timedelta(days=PENDING_DAYS):
        raise Conflict(_("Ce lien a expiré : inscrivez-vous à nouveau."))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration.status = _seat_or_wait(locked)
        registration.save(update_fields=["status", "updated_at"])
        _mail_registration(registration, site_url)  # the seat (with its .ics) or the wait
    return registration


def registration_cancel(*, registration: Registration, site_url: str = "") -> Registration | None:
    """Cancel a registration; the first on the waiting list takes the seat (and is told).
    Returns the promoted registration, if any."""
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        held_a_seat = registration.status in HOLDING
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        if not held_a_seat:
            return None
        promoted = (
            Registration.objects.filter(
                meeting_id=registration.meeting_id, status=RegistrationStatus.WAITING
            )
            .order_by("created_at", "pk")
            .first()
        )
        if promoted is not None:
            promoted.status = RegistrationStatus.CONFIRMED
            promoted.save(update_fields=["status", "updated_at"])
            _mail_registration(promoted, site_url, promoted=True)
        return promoted


def registrations_remind(*, site_url: str = "") -> int:
    """Remind each confirmed registrant of a meeting beginning within REMINDER_DAYS, once,
    with its .ics (the `remind_registrants` command, daily). Returns how many were told."""
    now = timezone.now()
    due = list(
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            reminded_at__isnull=True,
            meeting__start__gt=now,
            meeting__start__lte=now + timedelta(days=REMINDER_DAYS),
        ).select_related("meeting")
    )
    with transaction.atomic():
        for registration in due:
            meeting = registration.meeting
            link = _site(site_url) + reverse(
                "governance:registration", kwargs={"token": registration.token}
            )
            send_email_later(
                subject=_("Rappel : %(meeting)s") % {"meeting": meeting.title},
                body=_(
                    "« %(meeting)s » a lieu le %(date)s%(place)s. Vous y êtes inscrit·e ; si "
                    "vous ne pouvez plus venir, libérez votre place :\n%(link)s"
                )
                % {
                    "meeting": meeting.title,
                    "date": long_date(meeting.start, "j F Y, H:i"),
                    "place": f" ({meeting.place})" if meeting.place else "",
                    "link": link,
                },
                to=[registration.email],
                attachments=[_ics_attachment(meeting, site_url)],
            )
        Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
    return len(due)


# Decisions, minutes, attendance ---------------------------------------------------------------


def decision_record(
    *,
    actor: User | None,
    text: str,
    kind: str,
    date,
    body: Body | None = None,
    meeting: Meeting | None = None,
    projects: Iterable = (),
    proposals: Iterable = (),
    strategy_nodes: Iterable = (),
    project_status: str = "",
) -> Decision:
    """Record a body's decision, numbered in the body. Each project it names gets the decision
    in its journal and, with `project_status`, its new status — in the same transaction: a
    decision on a project of another cooperation changes nothing.

    A decision is a body's: taken at one of its meetings (`meeting`, the body is then the
    meeting's) or recorded without one (`body`); a meeting without a body decides nothing."""
    body = _deciding_body(body, meeting)
    _require_organise(actor, body.cooperation)
    links = _checked_links(body.cooperation_id, projects, proposals, strategy_nodes)
    require_same_cooperation(body.cooperation_id, "meeting", [meeting])
    with recorded_change(actor=actor, comment=_("Décision de « %(body)s »") % {"body": body.name}):
        Body.objects.select_for_update().filter(pk=body.pk).first()  # one number per decision
        last = body.decisions.aggregate(last=Max("number"))["last"] or 0
        decision = Decision(
            body=body, meeting=meeting, number=last + 1, date=date, kind=kind, text=text
        )
        decision.full_clean()
        decision.save()
        for field, objects in links.items():
            getattr(decision, field).set(objects)
        note = _("Décision n° %(number)s de « %(body)s » : %(text)s") % {
            "number": decision.number,
            "body": body.name,
            "text": text,
        }
        notify(
            recipients=members_reading(body.cooperation, body.visibility),
            kind=NotificationKind.DECISION,
            title=_("Décision n° %(number)s de « %(body)s »")
            % {"number": decision.number, "body": body.name},
            text=text[:500],
            url=reverse("governance:decisions", kwargs={"slug": body.cooperation.slug}),
            actor=actor,
        )
        for project in links["projects"]:
            project_services.journal_decision_add(actor=actor, project=project, text=note, on=date)
            if project_status:
                project_services.project_status_set(
                    actor=actor, project=project, status=project_status, comment=note, on=date
                )
    return decision


def _deciding_body(body: Body | None, meeting: Meeting | None) -> Body:
    if meeting is not None:
        if meeting.body is None:
            raise ValidationError(
                {"meeting": _("Seule une réunion d’instance prend des décisions.")}
            )
        if body is not None and body.pk != meeting.body_id:
            raise ValidationError(
                {"meeting": _("Cette réunion n’est pas une réunion de l’instance.")}
            )
        return meeting.body
    if body is None:
        raise ValidationError({"body": _("Indiquez l’instance qui décide.")})
    return body


def minutes_save(
    *, actor: User | None, meeting: Meeting, text: str, visibility: str | None = None
) -> Minutes:
    """Write or rewrite a meeting's minutes while they are a draft or circulated. They are as
    visible as the meeting unless narrowed: nobody could reach minutes wider than it."""
    _require_organise_meeting(actor, meeting, of_a_cooperation=True)
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
    if not minutes.editable:
        raise Conflict(_("Un compte rendu approuvé ne se modifie plus."))
    visibility = visibility or meeting.visibility
    require_within(
        visibility,
        meeting.visibility,
        _("Le compte rendu ne peut pas être plus visible que sa réunion."),
    )
    minutes.text, minutes.visibility = text, visibility
    minutes.full_clean()
    with recorded_change(
        actor=actor, comment=_("Compte rendu de « %(meeting)s »") % {"meeting": meeting.title}
    ):
        minutes.save()
    return minutes


def minutes_advance(
    *,
    actor: User | None,
    minutes: Minutes,
    status: str | None = None,
    approved_at: Meeting | None = None,
) -> Minutes:
    """Draft → circulated → approved (at a later meeting of the body: the next one unless
    `approved_at` names another) → published, one step at a time. `status`, when given, is
    the step the caller means to take: another one is refused, not taken instead."""
    _require_organise_meeting(actor, minutes.meeting)
    if minutes.next_status is None or status not in (None, minutes.next_status):
        raise Conflict(
            _("Le compte rendu est « %(status)s » : il ne peut pas passer à cette étape.")
            % {"status": minutes.get_status_display()}
        )
    status = minutes.next_status
    if status == MinutesStatus.APPROVED:
        meeting = minutes.meeting
        approved_at = approved_at or selectors.next_meeting_of_body(meeting)
        if (
            approved_at is None
            or approved_at.body_id != meeting.body_id
            or approved_at.start <= meeting.start
        ):
            raise ValidationError(
                {"approved_at": _("Il est approuvé lors d’une réunion ultérieure de l’instance.")}
            )
        minutes.approved_at = approved_at
    minutes.status = status
    with recorded_change(
        actor=actor,
        comment=_("Compte rendu : %(status)s") % {"status": MinutesStatus(status).label},
    ):
        minutes.save()
        if status == MinutesStatus.CIRCULATED:
            meeting = minutes.meeting
            notify(
                recipients=members_reading(_cooperation_of(meeting), minutes.visibility),
                kind=NotificationKind.MINUTES,
                title=_("Compte rendu diffusé : %(meeting)s") % {"meeting": meeting.title},
                text=_("Relisez-le avant son approbation.") if meeting.body_id else "",
                url=meeting.get_absolute_url(),
                actor=actor,
            )
    return minutes


def attendance_record(
    *,
    actor: User | None,
    meeting: Meeting,
    person,
    status: str,
    organisation=None,
    represented_by: str = "",
) -> Attendance:
    _require_organise_meeting(actor, meeting, of_a_cooperation=True)
    if status == AttendanceStatus.REPRESENTED and not represented_by.strip():
        raise ValidationError({"represented_by": _("Indiquez qui représente cette personne.")})
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "status": status,
            "organisation": organisation,
            "represented_by": represented_by.strip(),
        },
    )
    attendance.full_clean()
    return attendance


def quorum_reached(meeting: Meeting) -> bool | None:
    """Members present or represented against the body's quorum (None: no rule)."""
    if meeting.body is None or meeting.body.quorum is None:
        return None
    counted = meeting.attendance.filter(
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED]
    ).count()
    return counted >= meeting.body.quorum


@dataclass(frozen=True)
class DoubleQuorum:
    """A committee's double quorum (LEADER's programming committee): at least half of its
    voting members present or represented, and among them at least half from the private
    college."""

    voting_members: int
    present: int
    private_present: int

    @property
    def members_met(self) -> bool:
        return self.voting_members > 0 and 2 * self.present >= self.voting_members

    @property
    def private_met(self) -> bool:
        return self.present > 0 and 2 * self.private_present >= self.present

    @property
    def met(self) -> bool:
        return self.members_met and self.private_met


def double_quorum(meeting: Meeting) -> DoubleQuorum:
    """The double quorum of a body's meeting, from the voting mandates in force on its day and
    the meeting's attendance list (one query)."""
    day = timezone.localdate(meeting.start)
    if meeting.body_id is None:
        return DoubleQuorum(0, 0, 0)
    attending = Q(
        person__attendance__meeting=meeting,
        person__attendance__status__in=[AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED],
    )
    counts = BodyMember.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=day),
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        body_id=meeting.body_id,
        voting=True,
    ).aggregate(
        members=Count("person", distinct=True),
        present=Count("person", filter=attending, distinct=True),
        private=Count("person", filter=attending & Q(college=College.PRIVATE), distinct=True),
    )
    return DoubleQuorum(counts["members"], counts["present"], counts["private"])


def _agenda_item_write(
    actor: User | None, item: AgendaItem, title: str, description: str, links: dict
) -> AgendaItem:
    meeting = item.meeting
    _require_organise_meeting(actor, meeting, of_a_cooperation=True)
    checked = _checked_links(_cooperation_of(meeting).pk, **links)
    item.title, item.description = title, description
    item.full_clean()
    with recorded_change(
        actor=actor, comment=_("Ordre du jour de « %(meeting)s »") % {"meeting": meeting.title}
    ):
        item.save()
        for field, objects in checked.items():
            getattr(item, field).set(objects)
    return item


def agenda_item_add(
    *, actor: User | None, meeting: Meeting, title: str, description: str = "", **links: Iterable
) -> AgendaItem:
    """Add an item at the end of a meeting's agenda; what it points to (`projects`,
    `proposals`, `strategy_nodes`) must belong to the meeting's cooperation."""
    item = AgendaItem(meeting=meeting, position=meeting.agenda.count())
    return _agenda_item_write(actor, item, title, description, links)


def agenda_item_update(
    *, actor: User | None, item: AgendaItem, title: str, description: str = "", **links: Iterable
) -> AgendaItem:
    """Rewrite an agenda item and what it points to (within the meeting's cooperation)."""
    return _agenda_item_write(actor, item, title, description, links)


def _renumber_agenda(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items):
        item.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


def agenda_item_move(*, actor: User | None, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place up or down its meeting's agenda (the ends stay where they are)."""
    meeting = item.meeting
    _require_organise_meeting(actor, meeting)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Direction inconnue : « up » ou « down ».")})
    with transaction.atomic():
        items = list(AgendaItem.objects.select_for_update().filter(meeting=meeting))
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
        _renumber_agenda(items)
    item.refresh_from_db(fields=["position"])
    return item


def agenda_item_delete(*, actor: User | None, item: AgendaItem) -> None:
    meeting = item.meeting
    _require_organise_meeting(actor, meeting)
    # Not inside a recorded change: the snapshot's revision must close before the row goes.
    with transaction.atomic():
        delete_recorded(
            actor=actor,
            comment=_("Point retiré de l’ordre du jour : %(title)s") % {"title": item.title},
            obj=item,
        )
        _renumber_agenda(list(meeting.agenda.all()))


def decision_update(*, actor: User | None, decision: Decision, **changes: Any) -> Decision:
    """Correct a decision's text, kind or date. Its number and the projects it changed stay:
    their journals already hold it."""
    _require_organise(actor, decision.body.cooperation)
    apply_changes(
        actor=actor,
        obj=decision,
        changes=changes,
        allowed=DECISION_FIELDS,
        comment=_("Décision n° %(number)s corrigée") % {"number": decision.number},
    )
    return decision


def attendance_remove(*, actor: User | None, attendance: Attendance) -> None:
    _require_organise_meeting(actor, attendance.meeting)
    attendance.delete()


def body_member_update(*, actor: User | None, member: BodyMember, **changes: Any) -> BodyMember:
    _require_organise(actor, member.body.cooperation)
    apply_changes(
        actor=actor,
        obj=member,
        changes=changes,
        allowed=MANDATE_FIELDS,
        comment=_("Mandat modifié dans « %(body)s »") % {"body": member.body.name},
    )
    return member


def body_member_remove(*, actor: User | None, member: BodyMember) -> None:
    _require_organise(actor, member.body.cooperation)
    delete_recorded(
        actor=actor,
        comment=_("Mandat retiré de « %(body)s »") % {"body": member.body.name},
        obj=member,
    )


def meeting_delete(*, actor: User | None, meeting: Meeting, site_url: str = "") -> None:
    """Cancel a meeting: refused once it has decisions or minutes (they are the record);
    the people holding a seat or waiting, and those invited to a coming one, are told."""
    _require_organise_meeting(actor, meeting)
    if meeting.decisions.exists() or Minutes.objects.filter(meeting=meeting).exists():
        raise Conflict(
            _("Cette réunion a des décisions ou un compte rendu : elle ne se supprime plus.")
        )
    emails = sorted(
        set(
            meeting.registrations.filter(
                status__in=[*HOLDING, RegistrationStatus.WAITING, RegistrationStatus.PENDING]
            ).values_list("email", flat=True)
        )
    )
    when = timezone.localtime(meeting.start).strftime("%d/%m/%Y %H:%M")
    comment = _("Réunion supprimée : %(title)s") % {"title": meeting.title}
    if meeting.end >= timezone.now():
        emails += _invited_emails(meeting)
    holder = meeting.cooperation or meeting.organiser
    assert holder is not None  # noqa: S101 - Meeting's constraint
    holder_url = holder.get_absolute_url()
    with transaction.atomic():
        # Its snapshot (agenda included) is kept: the history can bring it back.
        delete_recorded(actor=actor, comment=comment, obj=meeting, cascaded=meeting.agenda.all())
        notify_addresses(
            emails=emails,
            kind=NotificationKind.MEETING,
            title=_("Annulation : %(meeting)s") % {"meeting": meeting.title},
            text=_("La réunion « %(meeting)s » du %(date)s est annulée.")
            % {"meeting": meeting.title, "date": when},
            url=holder_url,
            actor=actor,
            site_url=site_url,
        )


def calendar_feed_of(user: User) -> CalendarFeed:
    """The user's secret feed address, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(user: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = calendar_feed_of(user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "updated_at"])
    return feed


def meeting_document_add(*, actor: User | None, meeting: Meeting, **document: Any):
    """Store a document of the cooperation (type and size checked) and attach it to the
    meeting; deleting it is deleting the cooperation's document."""
    _require_organise_meeting(actor, meeting, of_a_cooperation=True)
    with transaction.atomic():
        stored = cooperation_services.document_add(
            actor=actor, cooperation=_cooperation_of(meeting), **document
        )
        meeting.documents.add(stored)
    return stored


def governance_restore(
    *, actor: User, cooperation: Cooperation, item: DeletedItem
) -> AgendaItem | BodyMember | Meeting:
    """Bring back a deleted meeting (with its agenda), agenda item or mandate as it was when
    deleted (organisers). A meeting's registrations do not come back: their holders were told
    it was cancelled."""
    _require_organise(actor, cooperation)
    try:
        restored = restore_deleted(
            actor=actor,
            version=item.version,
            comment=_("Restauré : %(kind)s « %(title)s »")
            % {"kind": item.kind, "title": item.title},
        )
    except IntegrityError as error:  # what it belonged to (a person, a body) is gone
        raise Conflict(
            _("Ce à quoi cet élément se rattachait n’existe plus : il ne peut pas revenir.")
        ) from error
    if isinstance(restored, AgendaItem):
        _renumber_agenda(list(restored.meeting.agenda.all()))
    return cast(AgendaItem | BodyMember | Meeting, restored)
