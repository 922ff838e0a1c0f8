"""The governance API: bodies (with their meeting rule), meetings and registrations."""

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.accounts.api import optional_user_auth
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.core.api import ERROR_RESPONSES
from maillage.governance import permissions, selectors, services
from maillage.governance.models import Meeting

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
