"""Writes on bodies, mandates, meetings and registrations (conventions of
cooperations/services.py)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.cooperations.models import Cooperation
from maillage.core.exceptions import Conflict
from maillage.core.history import recorded_change
from maillage.core.tasks import send_email_later
from maillage.governance import permissions
from maillage.governance.enums import RegistrationStatus, WhenFull
from maillage.governance.models import Body, BodyMember, Meeting, Registration

HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING)  # they take a seat


def _require_organise(actor: User | None, cooperation: Cooperation) -> None:
    if actor is not None and not permissions.can_organise(actor, cooperation):
        raise PermissionDenied


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
    site_url: str = "",
) -> Registration:
    """Register someone. The meeting's row is locked while seats are counted, so that two
    people asking for the last seat at once cannot both get it. A member is registered at
    once; a visitor confirms by the link mailed to them (their seat is held meanwhile). When the
    meeting is full: the waiting list, or a Conflict, as the organiser chose."""
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
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not locked.registration_open:
            raise Conflict(_("Les inscriptions à cette réunion sont closes."))
        registrations = Registration.objects.filter(meeting=locked)
        if registrations.filter(email=email).exclude(status=RegistrationStatus.CANCELLED).exists():
            raise Conflict(_("Cette adresse est déjà inscrite."))
        status = RegistrationStatus.CONFIRMED if user is not None else RegistrationStatus.PENDING
        if (
            locked.capacity is not None
            and registrations.filter(status__in=HOLDING).count() >= locked.capacity
        ):
            if locked.when_full != WhenFull.WAITING_LIST:
                raise Conflict(_("Cette réunion est complète."))
            status = RegistrationStatus.WAITING
        registration = Registration.objects.create(
            meeting=locked,
            user=user,
            name=name.strip(),
            email=email,
            organisation=organisation.strip(),
            status=status,
            condition_accepted=condition_accepted,
        )
        _mail_registration(registration, site_url)
    return registration


def _mail_registration(registration: Registration, site_url: str) -> None:
    meeting = registration.meeting
    link = _site(site_url) + reverse(
        "governance:registration", kwargs={"token": registration.token}
    )
    if registration.status == RegistrationStatus.PENDING:
        body = _("Pour confirmer votre inscription à « %(meeting)s », ouvrez ce lien :\n%(link)s")
    elif registration.status == RegistrationStatus.WAITING:
        body = _(
            "La réunion « %(meeting)s » est complète : vous êtes sur la liste d’attente. Vous "
            "serez prévenu·e si une place se libère. Pour vous désinscrire :\n%(link)s"
        )
    else:
        body = _("Votre inscription à « %(meeting)s » est enregistrée. Pour l’annuler :\n%(link)s")
    send_email_later(
        subject=_("Inscription : %(meeting)s") % {"meeting": meeting.title},
        body=body % {"meeting": meeting.title, "link": link},
        to=[registration.email],
    )


def registration_confirm(*, registration: Registration) -> Registration:
    if registration.status == RegistrationStatus.PENDING:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
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
            _mail_registration(promoted, site_url)
        return promoted
