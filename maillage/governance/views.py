"""Meetings, bodies and registrations: the pages and the iCalendar files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.exceptions import Conflict
from maillage.core.views import add_service_errors
from maillage.governance import calendar, permissions, selectors, services
from maillage.governance.enums import RegistrationStatus
from maillage.governance.forms import RegistrationForm
from maillage.governance.models import Registration

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
        raise PermissionDenied
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
        },
    )


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
        raise PermissionDenied
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
