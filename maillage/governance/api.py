"""The governance API: bodies (with their meeting rule), meetings and registrations."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.api import ERROR_RESPONSES
from maillage.directory.models import Organisation, Person
from maillage.governance import permissions, selectors, services
from maillage.governance.models import Meeting, Minutes
from maillage.projects.models import Project

router = Router(tags=["gouvernance"])


class MeetingOut(Schema):
    id: int
    cooperation_id: int
    body_id: int | None
    title: str
    kind: str
    start: dt.datetime
    end: dt.datetime
    place: str
    video_url: str
    capacity: int | None
    registration_deadline: dt.datetime | None
    registration_condition: str
    open_registration: bool
    registered_count: int
    waiting_count: int

    # Local time with its offset (+01:00 / +02:00), as people in Europe/Paris read it.
    @staticmethod
    def resolve_start(meeting) -> dt.datetime:
        return timezone.localtime(meeting.start)

    @staticmethod
    def resolve_end(meeting) -> dt.datetime:
        return timezone.localtime(meeting.end)

    @staticmethod
    def resolve_registration_deadline(meeting) -> dt.datetime | None:
        deadline = meeting.registration_deadline
        return timezone.localtime(deadline) if deadline else None


class MeetingFilters(Schema):
    cooperation: int
    upcoming: bool | None = None


class RegistrationIn(Schema):
    name: str
    email: str
    organisation: str = ""
    condition_accepted: bool = False


class RegistrationOut(Schema):
    id: int
    name: str
    status: str


class BodyOut(Schema):
    id: int
    cooperation_id: int
    name: str
    kind: str
    meetings_per_year: int | None
    meetings_this_year: int
    rule_met: bool | None
    last_meeting: dt.datetime | None
    next_meeting: dt.datetime | None

    @staticmethod
    def resolve_rule_met(body) -> bool | None:
        return selectors.rule_met(body)


@router.get(
    "/meetings", auth=optional_user_auth, response={200: list[MeetingOut], **ERROR_RESPONSES}
)
@paginate
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]):
    cooperation = get_cooperation_for_user(request.user, str(filters.cooperation))
    return selectors.meeting_list(request.user, cooperation, upcoming=filters.upcoming)


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    counted = (
        selectors.meeting_list(request.user, meeting.cooperation).filter(pk=meeting.pk).first()
    )
    if counted is None:
        raise Http404
    return counted


@router.get(
    "/meetings/{meeting_id}", auth=optional_user_auth, response={200: MeetingOut, **ERROR_RESPONSES}
)
def meeting_detail(request: HttpRequest, meeting_id: int):
    return _meeting(request, meeting_id)


@router.post(
    "/meetings/{meeting_id}/registrations",
    auth=optional_user_auth,
    response={201: RegistrationOut, **ERROR_RESPONSES},
    summary="S’inscrire (201), ou 409 quand c’est complet ou clos",
)
def registration_create(request: HttpRequest, meeting_id: int, payload: RegistrationIn):
    meeting = _meeting(request, meeting_id)
    user = request.user if request.user.is_authenticated else None
    registration = services.registration_create(
        meeting=meeting, user=user, site_url=request.build_absolute_uri("/"), **payload.dict()
    )
    return Status(201, registration)


@router.get("/bodies", auth=optional_user_auth, response={200: list[BodyOut], **ERROR_RESPONSES})
@paginate
def body_list(request: HttpRequest, cooperation: int):
    return selectors.body_list(
        request.user, get_cooperation_for_user(request.user, str(cooperation))
    )


class DecisionOut(Schema):
    id: int
    body_id: int
    meeting_id: int | None
    number: int
    date: dt.date
    kind: str
    text: str
    project_ids: list[int]

    @staticmethod
    def resolve_project_ids(decision) -> list[int]:
        return [project.pk for project in decision.projects.all()]


class DecisionFilters(Schema):
    cooperation: int
    body: int | None = None
    year: int | None = None
    kind: str = ""
    project: int | None = None
    search: str = ""


@router.get(
    "/decisions", auth=optional_user_auth, response={200: list[DecisionOut], **ERROR_RESPONSES}
)
@paginate
def decision_list(request: HttpRequest, filters: Query[DecisionFilters]):
    values = filters.dict()
    cooperation = get_cooperation_for_user(request.user, str(values.pop("cooperation")))
    return selectors.decision_register(request.user, cooperation, **values)


class DecisionIn(Schema):
    body_id: int
    meeting_id: int | None = None
    date: dt.date
    kind: str
    text: str
    project_ids: list[int] = []
    project_status: str = ""


@router.post("/decisions", response={201: DecisionOut, **ERROR_RESPONSES})
def decision_create(request: HttpRequest, payload: DecisionIn):
    user = authenticated_user(request)
    body = permissions.get_body_for_user(user, payload.body_id)
    meeting = None
    if payload.meeting_id is not None:
        meeting = permissions.get_meeting_for_user(user, payload.meeting_id)
    projects = list(Project.objects.filter(pk__in=payload.project_ids))
    if len(projects) != len(set(payload.project_ids)):
        raise ValidationError({"project_ids": _("Identifiant de projet inconnu.")})
    decision = services.decision_record(
        actor=user,
        body=body,
        meeting=meeting,
        date=payload.date,
        kind=payload.kind,
        text=payload.text,
        projects=projects,
        project_status=payload.project_status,
    )
    return Status(201, decision)


# Organisers ----------------------------------------------------------------------------------


def _organised(request: HttpRequest, meeting_id: int) -> Meeting:
    user = authenticated_user(request)
    meeting = permissions.get_meeting_for_user(user, meeting_id)
    if not permissions.can_organise(user, meeting.cooperation):
        raise PermissionDenied
    return meeting


class RegistrationDetailOut(RegistrationOut):
    email: str
    organisation: str
    created_at: dt.datetime


@router.get(
    "/meetings/{meeting_id}/registrations",
    response={200: list[RegistrationDetailOut], **ERROR_RESPONSES},
    summary="Inscriptions (organisateurs)",
)
@paginate
def registration_list(request: HttpRequest, meeting_id: int):
    return _organised(request, meeting_id).registrations.all()


class AttendanceIn(Schema):
    person_id: int
    status: str
    organisation_id: int | None = None
    represented_by: str = ""


class AttendanceOut(Schema):
    id: int
    person_id: int
    organisation_id: int | None
    status: str
    represented_by: str


@router.get(
    "/meetings/{meeting_id}/attendance", response={200: list[AttendanceOut], **ERROR_RESPONSES}
)
def attendance_list(request: HttpRequest, meeting_id: int):
    return _organised(request, meeting_id).attendance.all()


@router.post("/meetings/{meeting_id}/attendance", response={201: AttendanceOut, **ERROR_RESPONSES})
def attendance_record(request: HttpRequest, meeting_id: int, payload: AttendanceIn):
    meeting = _organised(request, meeting_id)
    person = Person.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": _("Personne inconnue.")})
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    attendance = services.attendance_record(
        actor=authenticated_user(request),
        meeting=meeting,
        person=person,
        status=payload.status,
        organisation=organisation,
        represented_by=payload.represented_by,
    )
    return Status(201, attendance)


class MinutesIn(Schema):
    text: str
    visibility: str = "partners"


class MinutesOut(Schema):
    text: str
    status: str
    visibility: str
    approved_at_id: int | None


@router.get(
    "/meetings/{meeting_id}/minutes",
    auth=optional_user_auth,
    response={200: MinutesOut, **ERROR_RESPONSES},
)
def minutes_detail(request: HttpRequest, meeting_id: int):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not permissions.can_read_minutes(request.user, minutes):
        raise Http404
    return minutes


@router.put("/meetings/{meeting_id}/minutes", response={200: MinutesOut, **ERROR_RESPONSES})
def minutes_save(request: HttpRequest, meeting_id: int, payload: MinutesIn):
    meeting = _organised(request, meeting_id)
    return services.minutes_save(
        actor=authenticated_user(request), meeting=meeting, **payload.dict()
    )


class MinutesStepIn(Schema):
    status: str
    approved_at_id: int | None = None


@router.post("/meetings/{meeting_id}/minutes/status", response={200: MinutesOut, **ERROR_RESPONSES})
def minutes_step(request: HttpRequest, meeting_id: int, payload: MinutesStepIn):
    meeting = _organised(request, meeting_id)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404
    approved_at = None
    if payload.approved_at_id is not None:
        approved_at = Meeting.objects.filter(
            pk=payload.approved_at_id, cooperation=meeting.cooperation
        ).first()
    return services.minutes_advance(
        actor=authenticated_user(request),
        minutes=minutes,
        status=payload.status,
        approved_at=approved_at,
    )


class MandateOut(Schema):
    id: int
    person_id: int
    organisation_id: int | None
    position: str
    start_date: dt.date | None
    end_date: dt.date | None


@router.get("/bodies/{body_id}/members", response={200: list[MandateOut], **ERROR_RESPONSES})
def body_members(request: HttpRequest, body_id: int):
    """A body's mandates: members of the cooperation and staff (people are personal data)."""
    user = authenticated_user(request)
    body = permissions.get_body_for_user(user, body_id)
    if not cooperation_permissions.can_see_people(user, body.cooperation):
        raise PermissionDenied
    return body.members.all()
