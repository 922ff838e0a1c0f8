"""Meetings, bodies and registrations: the pages and the iCalendar files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.exceptions import Conflict
from maillage.core.spreadsheets import SpreadsheetFormat, spreadsheet_response
from maillage.core.views import add_service_errors, form_page
from maillage.governance import calendar, permissions, selectors, services
from maillage.governance.enums import DecisionKind, RegistrationStatus
from maillage.governance.forms import (
    MINUTES_NEXT,
    AgendaItemForm,
    AttendanceForm,
    BodyForm,
    DecisionForm,
    MandateForm,
    MeetingForm,
    MinutesForm,
    RegistrationForm,
)
from maillage.governance.models import Body, Meeting, Minutes, Registration

REGISTERED: dict[str, str | Promise] = {
    RegistrationStatus.CONFIRMED: gettext_lazy("Vous êtes inscrit·e."),
    RegistrationStatus.PENDING: gettext_lazy(
        "Un e-mail vous a été envoyé : ouvrez son lien pour confirmer votre inscription."
    ),
    RegistrationStatus.WAITING: gettext_lazy(
        "La réunion est complète : vous êtes sur la liste d’attente."
    ),
}


def meetings(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    return render(
        request,
        "governance/meetings.html",
        {
            "cooperation": cooperation,
            "upcoming": selectors.meeting_list(request.user, cooperation, upcoming=True),
            "past": selectors.meeting_list(request.user, cooperation, upcoming=False)[:50],
            "can_organise": permissions.can_organise(request.user, cooperation),
            "bodies": [
                (body, selectors.rule_met(body))
                for body in selectors.body_list(request.user, cooperation)
            ],
        },
    )


def meeting(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug)
    meeting = permissions.get_meeting_for_user(request.user, pk)
    if meeting.cooperation_id != cooperation.pk:
        raise Http404  # a meeting of another cooperation: not here
    counted = selectors.meeting_list(request.user, cooperation).get(pk=meeting.pk)
    user = request.user
    initial = {"name": user.get_full_name(), "email": user.email} if user.is_authenticated else {}
    form = RegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not permissions.can_register(user, meeting):
            raise PermissionDenied
        if form.is_valid():
            try:
                registration = services.registration_create(
                    meeting=meeting,
                    user=user if user.is_authenticated else None,
                    site_url=request.build_absolute_uri("/"),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except Conflict as conflict:
                form.add_error(None, str(conflict))
            else:
                messages.success(request, str(REGISTERED[registration.status]))
                return redirect(meeting)
    return render(
        request,
        "governance/meeting.html",
        {
            "cooperation": cooperation,
            "meeting": counted,
            "form": form
            if permissions.can_register(user, meeting) and meeting.registration_open
            else None,
            "can_organise": permissions.can_organise(user, cooperation),
            "registrations": meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
            if permissions.can_organise(user, cooperation)
            else None,
            **_meeting_records(user, cooperation, meeting),
        },
    )


def _meeting_records(user, cooperation, meeting) -> dict:
    """The minutes (when the user may read them), decisions and attendance of a meeting, and
    the organisers' forms."""
    organiser = permissions.can_organise(user, cooperation)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    readable = minutes is not None and (organiser or permissions.can_read_minutes(user, minutes))
    return {
        "minutes": minutes if readable else None,
        "decisions": selectors.meeting_decisions(meeting),
        "attendance": meeting.attendance.select_related("person", "organisation")
        if organiser
        else None,
        "quorum": services.quorum_reached(meeting),
        "decision_form": DecisionForm(cooperation=cooperation)
        if organiser and meeting.body
        else None,
        "minutes_form": MinutesForm(initial={"text": minutes.text if minutes else ""})
        if organiser
        else None,
        "attendance_form": AttendanceForm() if organiser else None,
        "agenda": selectors.meeting_agenda(meeting),
        "agenda_form": AgendaItemForm(cooperation=cooperation) if organiser else None,
    }


def registration(request, token: str):
    """The link of a registration's e-mail: confirm it, or cancel it."""
    registration = get_object_or_404(
        Registration.objects.select_related("meeting__cooperation"), token=token
    )
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            services.registration_cancel(
                registration=registration, site_url=request.build_absolute_uri("/")
            )
            messages.success(request, _("Votre inscription est annulée."))
        else:
            services.registration_confirm(registration=registration)
            messages.success(request, _("Votre inscription est confirmée."))
        return redirect("governance:registration", token=token)
    return render(request, "governance/registration.html", {"registration": registration})


def body(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug)
    body = selectors.body_list(request.user, cooperation).filter(pk=pk).first()
    if body is None:
        raise Http404
    return render(
        request,
        "governance/body.html",
        {
            "cooperation": cooperation,
            "body": body,
            "rule_met": selectors.rule_met(body),
            "members": body.members.select_related("person", "organisation")
            if request.user.is_authenticated
            else None,
            "meetings": selectors.meeting_list(request.user, cooperation).filter(body=body),
            "can_organise": permissions.can_organise(request.user, cooperation),
        },
    )


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def meeting_ics(request, pk: int):
    meeting = permissions.get_meeting_for_user(request.user, pk)
    return _ics(
        calendar.calendar_for(
            [meeting], name=meeting.title, site_url=request.build_absolute_uri("/")
        ),
        f"reunion-{meeting.pk}.ics",
    )


def cooperation_ics(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    return _ics(
        calendar.calendar_for(
            selectors.meeting_list(request.user, cooperation),
            name=str(cooperation),
            site_url=request.build_absolute_uri("/"),
        ),
        f"{cooperation.slug}.ics",
    )


def decisions(request, slug: str):
    """The decision register of a cooperation, searchable and filterable."""
    cooperation = get_cooperation_for_user(request.user, slug)
    query = request.GET
    year = query.get("annee", "")
    body = query.get("instance", "")
    project = query.get("projet", "")
    kind = query.get("type", "")
    register = selectors.decision_register(
        request.user,
        cooperation,
        body=int(body) if body.isdigit() else None,
        year=int(year) if year.isdigit() else None,
        kind=kind if kind in DecisionKind.values else "",
        project=int(project) if project.isdigit() else None,
        search=query.get("q", "").strip(),
    )
    page = Paginator(register, 50).get_page(query.get("page"))
    return render(
        request,
        "governance/decisions.html",
        {
            "cooperation": cooperation,
            "page_obj": page,
            "bodies": selectors.body_list(request.user, cooperation),
            "kinds": DecisionKind.choices,
            "filters": {
                "annee": year,
                "instance": body,
                "projet": project,
                "type": kind,
                "q": query.get("q", ""),
            },
        },
    )


@login_required
@require_POST
def meeting_record(request, slug: str, pk: int, what: str):
    """The organisers' forms of a meeting page: a decision, the minutes, attendance."""
    cooperation = get_cooperation_for_user(request.user, slug)
    meeting = permissions.get_meeting_for_user(request.user, pk)
    if meeting.cooperation_id != cooperation.pk:
        raise Http404
    if not permissions.can_organise(request.user, cooperation):
        raise PermissionDenied
    try:
        if what == "decision":
            form = DecisionForm(request.POST, cooperation=cooperation)
            if meeting.body is None:
                raise Conflict(_("Seule une réunion d’instance prend des décisions."))
            if form.is_valid():
                services.decision_record(
                    actor=request.user, body=meeting.body, meeting=meeting, **form.cleaned_data
                )
        elif what == "compte-rendu":
            form = MinutesForm(request.POST)
            if form.is_valid():
                services.minutes_save(
                    actor=request.user,
                    meeting=meeting,
                    text=form.cleaned_data["text"],
                    visibility=meeting.visibility,
                )
        elif what == "etape-compte-rendu":
            form = MinutesForm({"text": "-"})
            minutes = get_object_or_404(Minutes, meeting=meeting)
            later = selectors.next_meeting_of_body(meeting)
            services.minutes_advance(
                actor=request.user,
                minutes=minutes,
                status=MINUTES_NEXT[minutes.status],
                approved_at=later,
            )
        elif what == "ordre-du-jour":
            form = AgendaItemForm(request.POST, cooperation=cooperation)
            if form.is_valid():
                services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        elif what == "presence":
            form = AttendanceForm(request.POST)
            if form.is_valid():
                services.attendance_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(meeting)
    except (Conflict, KeyError) as problem:
        messages.error(
            request,
            str(problem) if isinstance(problem, Conflict) else _("Le compte rendu est publié."),
        )
        return redirect(meeting)
    if form.errors:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    else:
        messages.success(request, _("C’est enregistré."))
    return redirect(meeting)


# Organisers' screens -------------------------------------------------------------------------


@login_required
def body_form(request, slug: str, pk: int | None = None):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    body = get_object_or_404(Body, pk=pk, cooperation=cooperation) if pk else None
    form = BodyForm(request.POST or None, instance=Body.objects.get(pk=pk) if pk else None)

    def save(data):
        if body is None:
            return services.body_create(actor=request.user, cooperation=cooperation, **data)
        return services.body_update(actor=request.user, body=body, **data)

    return form_page(
        request,
        form,
        save,
        cooperation=cooperation,
        title=_("Modifier l’instance") if body else _("Nouvelle instance"),
        back=body.get_absolute_url() if body else reverse("governance:meetings", args=[slug]),
        success=_("L’instance est enregistrée."),
    )


@login_required
def mandate_add(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    body = get_object_or_404(Body, pk=pk, cooperation=cooperation)
    form = MandateForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.body_member_add(actor=request.user, body=body, **data) and body,
        cooperation=cooperation,
        title=_("Ajouter un membre à « %(body)s »") % {"body": body.name},
        back=body.get_absolute_url(),
        success=_("Le mandat est enregistré."),
    )


@login_required
def meeting_form(request, slug: str, pk: int | None = None):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    meeting = get_object_or_404(Meeting, pk=pk, cooperation=cooperation) if pk else None
    form = MeetingForm(
        request.POST or None,
        # A new meeting knows its cooperation before validation (its links are checked to it).
        instance=Meeting.objects.get(pk=pk) if pk else Meeting(cooperation=cooperation),
        cooperation=cooperation,
    )
    if request.method == "GET" and not pk and request.GET.get("instance", "").isdigit():
        form.initial["body"] = int(request.GET["instance"])

    def save(data):
        if meeting is None:
            return services.meeting_create(actor=request.user, cooperation=cooperation, **data)
        return services.meeting_update(actor=request.user, meeting=meeting, **data)

    return form_page(
        request,
        form,
        save,
        cooperation=cooperation,
        title=_("Modifier la réunion") if meeting else _("Nouvelle réunion"),
        back=meeting.get_absolute_url() if meeting else reverse("governance:meetings", args=[slug]),
        success=_("La réunion est enregistrée."),
    )


@login_required
@require_POST
def meeting_invite(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    meeting = get_object_or_404(Meeting, pk=pk, cooperation=cooperation)
    try:
        count = services.meeting_invite(
            actor=request.user, meeting=meeting, site_url=request.build_absolute_uri("/")
        )
    except Conflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(request, _("%(count)s invitations envoyées.") % {"count": count})
    return redirect(meeting)


@login_required
def registrations_export(request, slug: str, pk: int):
    """The sign-in sheet: the registrations of a meeting as csv or xlsx (organisers)."""
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    meeting = get_object_or_404(Meeting, pk=pk, cooperation=cooperation)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    rows = [
        [r.name, r.organisation, r.email, r.get_status_display(), r.created_at, ""]
        for r in meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
    ]
    header = [
        _("Nom"),
        _("Structure"),
        _("Adresse e-mail"),
        _("Statut"),
        _("Inscrit·e le"),
        _("Signature"),
    ]
    return spreadsheet_response(
        SpreadsheetFormat(fmt), f"emargement-{meeting.pk}.{fmt}", header, rows
    )


@login_required
def my_meetings_ics(request):
    """The user's own meetings (registered, or on the body as a member) as iCalendar."""
    return _ics(
        calendar.calendar_for(
            selectors.meetings_of_user(request.user),
            name=_("Mes réunions"),
            site_url=request.build_absolute_uri("/"),
        ),
        "mes-reunions.ics",
    )
