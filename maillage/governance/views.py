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
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from ninja.errors import Throttled

from maillage.accounts.api import accepts_api_token
from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.forms import AttachedDocumentForm
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.cooperations.selectors import documents_of
from maillage.core.enums import Visibility
from maillage.core.exceptions import Conflict
from maillage.core.panels import render_panels
from maillage.core.spreadsheets import SpreadsheetFormat, spreadsheet_response
from maillage.core.throttle import check_anonymous_write, throttled_message
from maillage.core.views import add_service_errors, confirm_page, form_page, list_filters
from maillage.directory.models import Organisation
from maillage.directory.permissions import can_manage_directory
from maillage.governance import calendar, permissions, selectors, services
from maillage.governance.enums import DecisionKind, RegistrationStatus
from maillage.governance.forms import (
    AgendaItemForm,
    AttendanceForm,
    BodyForm,
    DecisionEditForm,
    DecisionForm,
    EventForm,
    MandateForm,
    MeetingForm,
    MinutesForm,
    RegistrationForm,
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
)

REGISTERED: dict[str, str | Promise] = {
    RegistrationStatus.CONFIRMED: gettext_lazy("Vous êtes inscrit·e."),
    RegistrationStatus.PENDING: gettext_lazy(
        "Un e-mail vous a été envoyé : ouvrez son lien dans les deux jours pour confirmer "
        "votre inscription ; la place est attribuée à la confirmation."
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
            "page_obj": Paginator(
                selectors.meeting_list(request.user, cooperation, upcoming=False), 30
            ).get_page(request.GET.get("page")),
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
    form, mine, done, status = _registration(request, meeting)
    if done is not None:
        return done
    return render(
        request,
        "governance/meeting.html",
        {
            "cooperation": cooperation,
            "meeting": counted,
            "form": form,
            "my_registration": mine,
            "can_organise": permissions.can_organise(user, cooperation),
            "registrations": selectors.active_registrations(meeting)
            if permissions.can_organise(user, cooperation)
            else None,
            **_meeting_records(user, cooperation, meeting),
            "panels": render_panels("governance.meeting", request, meeting),
        },
        status=status,
    )


def _registration(request, meeting: Meeting):
    """A meeting's or an event's registration on its page: the form to show (None when the
    reader may not, or no longer, register), the reader's registration, the answer to a POST
    that registered (None otherwise) and the page's status."""
    user = request.user
    initial = {"name": user.get_full_name(), "email": user.email} if user.is_authenticated else {}
    form = RegistrationForm(
        request.POST or None,
        initial=initial,
        condition=meeting.registration_condition,
        questions=meeting.questions,
    )
    mine = selectors.registration_of(user, meeting)
    status = 200
    if request.method == "POST":
        if not permissions.can_register(user, meeting):
            raise PermissionDenied
        if form.is_valid():
            try:
                check_anonymous_write(request)
                registration = services.registration_create(
                    meeting=meeting,
                    user=user if user.is_authenticated else None,
                    site_url=request.build_absolute_uri("/"),
                    **form.registration_data(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except Conflict as conflict:
                form.add_error(None, str(conflict))
            except Throttled as throttled:
                form.add_error(None, throttled_message(throttled))
                status = 429
            else:
                messages.success(request, str(REGISTERED[registration.status]))
                return form, mine, redirect(meeting), status
    open_to_them = permissions.can_register(user, meeting) and meeting.registration_open
    return (form if mine is None and open_to_them else None), mine, None, status


# An organisation's public events -----------------------------------------------------------------


def event(request, pk: int):
    """The page of an organisation's public event: what, when, where, registration; the
    registrations for its organisers."""
    meeting = permissions.get_meeting_for_user(request.user, pk)
    if meeting.cooperation is not None:
        return redirect(meeting)
    counted = selectors.counted_meeting(request.user, meeting)
    form, mine, done, status = _registration(request, meeting)
    if done is not None:
        return done
    organises = permissions.can_organise_meeting(request.user, meeting)
    return render(
        request,
        "governance/event.html",
        {
            "meeting": counted,
            "organiser": meeting.organiser,
            "form": form,
            "my_registration": mine,
            "can_organise": organises,
            "registrations": selectors.active_registrations(meeting) if organises else None,
        },
        status=status,
    )


def _organised_event(request, pk: int) -> Meeting:
    meeting = permissions.get_meeting_for_user(request.user, pk)
    if meeting.cooperation is not None:
        raise Http404  # a cooperation's meeting: its own pages
    if not permissions.can_organise_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


@login_required
def event_form(request, pk: int | None = None):
    """A new event of the organisation `?structure=`, or an event's changes."""
    meeting = _organised_event(request, pk) if pk else None
    organiser = meeting.organiser if meeting else None
    if meeting is None:
        organiser = get_object_or_404(Organisation, pk=request.GET.get("structure") or 0)
        if not can_manage_directory(request.user):
            raise PermissionDenied
    assert organiser is not None  # noqa: S101 - Meeting's constraint
    # A new event knows its organiser before validation (Meeting.clean reads it).
    form = EventForm(
        request.POST or None,
        instance=meeting or Meeting(organiser=organiser, visibility=Visibility.PUBLIC),
    )

    def save(data):
        read_at = data.pop("read_at", None)
        if meeting is None:
            return services.event_create(actor=request.user, organiser=organiser, **data)
        return services.meeting_update(actor=request.user, meeting=meeting, read_at=read_at, **data)

    return form_page(
        request,
        form,
        lambda data: save(data).get_absolute_url(),
        cooperation=None,
        title=_("Modifier l’événement")
        if meeting
        else _("Nouvel événement de %(name)s") % {"name": organiser.name},
        back=meeting.get_absolute_url() if meeting else organiser.get_absolute_url(),
        success=_("L’événement est enregistré."),
    )


@login_required
def event_delete(request, pk: int):
    meeting = _organised_event(request, pk)
    assert meeting.organiser is not None  # noqa: S101 - Meeting's constraint
    return confirm_page(
        request,
        cooperation=None,
        title=_("Supprimer l’événement « %(title)s » ?") % {"title": meeting.title},
        explanation=_(
            "Les personnes inscrites ou en liste d’attente reçoivent un e-mail d’annulation."
        ),
        action=lambda: services.meeting_delete(
            actor=request.user, meeting=meeting, site_url=request.build_absolute_uri("/")
        ),
        back=meeting.get_absolute_url(),
        done=meeting.organiser.get_absolute_url(),
        success=_("L’événement est supprimé."),
    )


@login_required
def event_registrations_export(request, pk: int):
    """The sign-in sheet of an event (its organisers)."""
    return _sign_in_sheet(request, _organised_event(request, pk))


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
        if organiser and meeting.body and meeting.held
        else None,
        "minutes_form": MinutesForm(initial={"text": minutes.text if minutes else ""})
        if organiser
        else None,
        "attendance_form": AttendanceForm(cooperation=cooperation) if organiser else None,
        "agenda": selectors.meeting_agenda(meeting),
        "documents": documents_of(cooperation, user).filter(meetings=meeting),
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
            try:
                services.registration_confirm(
                    registration=registration, site_url=request.build_absolute_uri("/")
                )
            except Conflict as conflict:
                messages.error(request, str(conflict))
            else:
                messages.success(request, str(REGISTERED[registration.status]))
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
            if cooperation_permissions.can_see_people(request.user, cooperation)
            else None,
            "meetings": selectors.meeting_list(request.user, cooperation).filter(body=body),
            "can_organise": permissions.can_organise(request.user, cooperation),
        },
    )


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@accepts_api_token
def meeting_ics(request, pk: int):
    meeting = permissions.get_meeting_for_user(request.user, pk)
    return _ics(
        calendar.calendar_for(
            [meeting], name=meeting.title, site_url=request.build_absolute_uri("/")
        ),
        f"reunion-{meeting.pk}.ics",
    )


@accepts_api_token
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


def _register(request, cooperation):
    """The decisions of the register's filters (query string), and those filters."""
    filters = list_filters(request, selectors.DecisionFilters)
    return selectors.decision_register(request.user, cooperation, filters), filters


def decisions(request, slug: str):
    """The decision register of a cooperation, searchable and filterable."""
    cooperation = get_cooperation_for_user(request.user, slug)
    register, filters = _register(request, cooperation)
    page = Paginator(register, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/decisions.html",
        {
            "cooperation": cooperation,
            "page_obj": page,
            "bodies": selectors.body_list(request.user, cooperation),
            "kinds": DecisionKind.choices,
            "filters": filters,
            "export_query": filters.page_querystring(),
        },
    )


def decisions_export(request, slug: str):
    """The register (its current filters) as xlsx or csv."""
    cooperation = get_cooperation_for_user(request.user, slug)
    register, _filters = _register(request, cooperation)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    header, rows = selectors.register_rows(register)
    return spreadsheet_response(
        SpreadsheetFormat(fmt), f"registre-decisions-{cooperation.slug}", header, rows
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
            if form.is_valid():
                services.decision_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        elif what == "compte-rendu":
            form = MinutesForm(request.POST)
            if form.is_valid():
                services.minutes_save(
                    actor=request.user, meeting=meeting, text=form.cleaned_data["text"]
                )
        elif what == "etape-compte-rendu":
            form = MinutesForm({"text": "-"})
            minutes = get_object_or_404(Minutes, meeting=meeting)
            services.minutes_advance(actor=request.user, minutes=minutes)
        elif what == "ordre-du-jour":
            form = AgendaItemForm(request.POST, cooperation=cooperation)
            if form.is_valid():
                services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        elif what == "presence":
            form = AttendanceForm(request.POST, cooperation=cooperation)
            if form.is_valid():
                services.attendance_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(meeting)
    except Conflict as problem:
        messages.error(request, str(problem))
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
    form = BodyForm(
        request.POST or None,
        instance=Body.objects.get(pk=pk) if pk else None,
        cooperation=cooperation,
    )

    def save(data):
        read_at = data.pop("read_at", None)
        if body is None:
            return services.body_create(actor=request.user, cooperation=cooperation, **data)
        return services.body_update(actor=request.user, body=body, read_at=read_at, **data)

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
    if request.method == "GET" and not pk:
        # "New meeting" from a body's or a working group's page.
        for field, param in (("body", "instance"), ("working_group", "groupe")):
            if request.GET.get(param, "").isdigit():
                form.initial[field] = int(request.GET[param])

    def save(data):
        read_at = data.pop("read_at", None)
        if meeting is None:
            return services.meeting_create(actor=request.user, cooperation=cooperation, **data)
        return services.meeting_update(actor=request.user, meeting=meeting, read_at=read_at, **data)

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
        messages.success(
            request,
            ngettext("%(count)s invitation envoyée.", "%(count)s invitations envoyées.", count)
            % {"count": count},
        )
    return redirect(meeting)


@login_required
def registrations_export(request, slug: str, pk: int):
    """The sign-in sheet: the registrations of a meeting as csv or xlsx (organisers)."""
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    return _sign_in_sheet(request, get_object_or_404(Meeting, pk=pk, cooperation=cooperation))


def _sign_in_sheet(request, meeting: Meeting) -> HttpResponse:
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    header, rows = selectors.sign_in_rows(meeting)
    return spreadsheet_response(SpreadsheetFormat(fmt), f"emargement-{meeting.pk}", header, rows)


@accepts_api_token
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


def _organised_object(request, slug: str, queryset, pk: int, via: str):
    """The cooperation (for its organisers only) and one of its governance objects, found
    through the `via` lookup ("cooperation", "meeting__cooperation"…): 404 elsewhere."""
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    return cooperation, get_object_or_404(queryset, pk=pk, **{via: cooperation})


@login_required
def agenda_item_update(request, slug: str, pk: int):
    cooperation, item = _organised_object(
        request, slug, AgendaItem.objects.select_related("meeting"), pk, "meeting__cooperation"
    )
    initial = {
        "title": item.title,
        "description": item.description,
        "projects": item.projects.all(),
        "proposals": item.proposals.all(),
        "strategy_nodes": item.strategy_nodes.all(),
    }
    form = AgendaItemForm(request.POST or None, initial=initial, cooperation=cooperation)
    return form_page(
        request,
        form,
        lambda data: (
            services.agenda_item_update(actor=request.user, item=item, **data) and item.meeting
        ),
        cooperation=cooperation,
        title=_("Modifier le point « %(title)s »") % {"title": item.title},
        back=item.meeting.get_absolute_url(),
        success=_("L’ordre du jour est enregistré."),
    )


@login_required
def agenda_item_delete(request, slug: str, pk: int):
    cooperation, item = _organised_object(
        request, slug, AgendaItem.objects.select_related("meeting"), pk, "meeting__cooperation"
    )
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Retirer le point « %(title)s » ?") % {"title": item.title},
        explanation=_("Le point est retiré de l’ordre du jour ; les suivants remontent."),
        action=lambda: services.agenda_item_delete(actor=request.user, item=item),
        back=item.meeting.get_absolute_url(),
        done=item.meeting.get_absolute_url(),
        success=_("Le point est retiré."),
    )


@login_required
@require_POST
def agenda_item_move(request, slug: str, pk: int):
    _cooperation, item = _organised_object(
        request, slug, AgendaItem.objects.select_related("meeting"), pk, "meeting__cooperation"
    )
    direction = "up" if request.POST.get("direction") == "up" else "down"
    services.agenda_item_move(actor=request.user, item=item, direction=direction)
    return redirect(f"{item.meeting.get_absolute_url()}#ordre-du-jour")


@login_required
def decision_update(request, slug: str, pk: int):
    cooperation, decision = _organised_object(
        request, slug, Decision.objects.select_related("body"), pk, "body__cooperation"
    )
    form = DecisionEditForm(request.POST or None, instance=Decision.objects.get(pk=pk))
    back = reverse("governance:decisions", args=[slug])
    return form_page(
        request,
        form,
        lambda data: (
            services.decision_update(actor=request.user, decision=decision, **data) and back
        ),
        cooperation=cooperation,
        title=_("Corriger la décision n° %(number)s de « %(body)s »")
        % {"number": decision.number, "body": decision.body.name},
        back=back,
        success=_("La décision est corrigée."),
    )


@login_required
def attendance_delete(request, slug: str, pk: int):
    cooperation, line = _organised_object(
        request,
        slug,
        Attendance.objects.select_related("meeting", "person"),
        pk,
        "meeting__cooperation",
    )
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Retirer la présence de %(person)s ?") % {"person": line.person},
        explanation=_("La ligne est retirée de la liste des présences de la réunion."),
        action=lambda: services.attendance_remove(actor=request.user, attendance=line),
        back=line.meeting.get_absolute_url(),
        done=line.meeting.get_absolute_url(),
        success=_("La présence est retirée."),
    )


@login_required
def mandate_update(request, slug: str, pk: int):
    cooperation, member = _organised_object(
        request, slug, BodyMember.objects.select_related("body"), pk, "body__cooperation"
    )
    form = MandateForm(request.POST or None, instance=BodyMember.objects.get(pk=pk))
    return form_page(
        request,
        form,
        lambda data: (
            services.body_member_update(actor=request.user, member=member, **data) and member.body
        ),
        cooperation=cooperation,
        title=_("Modifier le mandat de %(person)s") % {"person": member.person},
        back=member.body.get_absolute_url(),
        success=_("Le mandat est enregistré."),
    )


@login_required
def mandate_delete(request, slug: str, pk: int):
    cooperation, member = _organised_object(
        request, slug, BodyMember.objects.select_related("body", "person"), pk, "body__cooperation"
    )
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Retirer le mandat de %(person)s ?") % {"person": member.person},
        explanation=_(
            "Un mandat terminé se garde en lui donnant une date de fin ; le retirer l’efface "
            "de la composition de l’instance."
        ),
        action=lambda: services.body_member_remove(actor=request.user, member=member),
        back=member.body.get_absolute_url(),
        done=member.body.get_absolute_url(),
        success=_("Le mandat est retiré."),
    )


@login_required
def meeting_delete(request, slug: str, pk: int):
    cooperation, meeting = _organised_object(request, slug, Meeting, pk, "cooperation")
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Supprimer la réunion « %(title)s » ?") % {"title": meeting.title},
        explanation=_(
            "Les personnes inscrites ou en liste d’attente reçoivent un e-mail d’annulation."
        ),
        action=lambda: services.meeting_delete(
            actor=request.user, meeting=meeting, site_url=request.build_absolute_uri("/")
        ),
        back=meeting.get_absolute_url(),
        done=reverse("governance:meetings", args=[slug]),
        success=_("La réunion est supprimée."),
    )


# Month calendars and the secret feed ----------------------------------------------------------


def _month_page(request, meetings, *, cooperation, title: str):
    month = selectors.month_from(request.GET.get("mois", ""))
    return render(
        request,
        "governance/calendar.html",
        {
            "cooperation": cooperation,
            "title": title,
            "month": month,
            "weeks": selectors.month_grid(meetings, month),
            "previous": selectors.shift_month(month, -1),
            "next": selectors.shift_month(month, 1),
        },
    )


def meetings_calendar(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    return _month_page(
        request,
        selectors.meeting_list(request.user, cooperation),
        cooperation=cooperation,
        title=_("Calendrier — %(cooperation)s") % {"cooperation": cooperation},
    )


@login_required
def my_calendar(request):
    return _month_page(
        request,
        selectors.meetings_of_user(request.user),
        cooperation=None,
        title=_("Mon calendrier"),
    )


def feed_ics(request, token: str):
    """The user's meetings at their secret address, for calendar applications."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    return _ics(
        calendar.calendar_for(
            selectors.meetings_of_user(feed.user),
            name=_("Mes réunions"),
            site_url=request.build_absolute_uri("/"),
        ),
        "mes-reunions.ics",
    )


@login_required
def calendar_feed(request):
    """Show the secret feed address; on POST, replace it (the old one stops working)."""
    if request.method == "POST":
        services.calendar_feed_reset(request.user)
        messages.success(request, _("Nouvelle adresse créée : l’ancienne ne fonctionne plus."))
        return redirect("governance:feed")
    feed = services.calendar_feed_of(request.user)
    return render(
        request,
        "governance/feed.html",
        {"feed_url": request.build_absolute_uri(feed.get_absolute_url())},
    )


@login_required
def meeting_document_add(request, slug: str, pk: int):
    cooperation, meeting = _organised_object(request, slug, Meeting, pk, "cooperation")
    form = AttachedDocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"visibility": meeting.visibility},
        cooperation=cooperation,
    )
    return form_page(
        request,
        form,
        lambda data: (
            services.meeting_document_add(actor=request.user, meeting=meeting, **data) and meeting
        ),
        cooperation=cooperation,
        title=_("Joindre un document à « %(meeting)s »") % {"meeting": meeting.title},
        back=meeting.get_absolute_url(),
        success=_("Le document est joint à la réunion."),
    )


@login_required
def deleted(request, slug: str):
    """The cooperation's deleted meetings, agenda items and mandates, each restorable
    (organisers)."""
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    return render(
        request,
        "governance/deleted.html",
        {"cooperation": cooperation, "items": selectors.deleted_governance(cooperation)},
    )


@login_required
def restore(request, slug: str, version_id: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    item = selectors.deleted_governance_item(cooperation, version_id)
    if item is None:
        raise Http404
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Restaurer « %(title)s » ?") % {"title": item.title},
        explanation=_(
            "Il revient tel qu’il était supprimé (une réunion, avec son ordre du jour). Les "
            "inscriptions à une réunion annulée ne reviennent pas : leurs titulaires ont été "
            "prévenus de l’annulation."
        ),
        action=lambda: services.governance_restore(
            actor=request.user, cooperation=cooperation, item=item
        ),
        back=reverse("governance:deleted", args=[slug]),
        done=reverse("governance:meetings", args=[slug]),
        success=_("C’est restauré."),
    )
