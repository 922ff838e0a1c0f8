"""The governance API: bodies (with their meeting rule), meetings and registrations."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, ModelSchema, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.api import DocumentOut
from maillage.cooperations.enums import DocumentKind
from maillage.cooperations.models import Cooperation, Proposal, StrategyNode, WorkingGroup
from maillage.cooperations.permissions import get_cooperation_for_user
from maillage.cooperations.selectors import documents_of
from maillage.core.api import (
    ERROR_RESPONSES,
    THROTTLED_RESPONSES,
    object_by_id,
    objects_by_ids,
    reference_in,
)
from maillage.core.enums import Visibility
from maillage.core.schemas import StaleCheck, model_typed, with_read_at
from maillage.core.throttle import check_anonymous_write
from maillage.directory.models import Organisation, Person
from maillage.governance import permissions, selectors, services
from maillage.governance.enums import (
    MinutesStatus,
)
from maillage.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Decision,
    Meeting,
    Minutes,
    Registration,
)
from maillage.projects.models import Project

router = Router(tags=["gouvernance"])


@model_typed
class MeetingOut(ModelSchema):
    registered_count: int
    waiting_count: int
    ics_url: str = Field(description="La réunion en iCalendar (le même jeton y donne accès)")

    class Meta:
        model = Meeting
        fields = ["id", "cooperation", "organiser", "updated_at", *services.MEETING_FIELDS]

    @staticmethod
    def resolve_ics_url(meeting, context) -> str:
        return context["request"].build_absolute_uri(
            reverse("governance:meeting_ics", args=[meeting.pk])
        )

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
    answers: dict[str, str] = Field(
        default_factory=dict,
        description="Les réponses aux questions de l’organisateur (`registration_questions`, "
        "une par ligne), par question",
    )


@model_typed
class RegistrationOut(ModelSchema):
    class Meta:
        model = Registration
        fields = ["id", "name", "status"]


@model_typed
class BodyOut(ModelSchema):
    meetings_this_year: int
    rule_met: bool | None
    last_meeting: dt.datetime | None
    next_meeting: dt.datetime | None

    class Meta:
        model = Body
        fields = ["id", "cooperation", "updated_at", *services.BODY_FIELDS]

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
    counted = selectors.counted_meeting(request.user, meeting)
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
    response={201: RegistrationOut, **THROTTLED_RESPONSES},
    summary="S’inscrire (201), 409 quand c’est complet ou clos, 429 au-delà de la limite des "
    "visiteurs",
)
def registration_create(request: HttpRequest, meeting_id: int, payload: RegistrationIn):
    meeting = _meeting(request, meeting_id)
    check_anonymous_write(request)
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


@model_typed
class DecisionOut(ModelSchema):
    project_ids: list[int]

    class Meta:
        model = Decision
        fields = ["id", "body", "meeting", "number", *services.DECISION_FIELDS]

    @staticmethod
    def resolve_project_ids(decision) -> list[int]:
        return [project.pk for project in decision.projects.all()]


class DecisionListQuery(selectors.DecisionFilters):
    cooperation: str = Field(description="Identifiant ou slug de la coopération")


@router.get(
    "/decisions", auth=optional_user_auth, response={200: list[DecisionOut], **ERROR_RESPONSES}
)
@paginate
def decision_list(request: HttpRequest, filters: Query[DecisionListQuery]):
    cooperation = get_cooperation_for_user(request.user, filters.cooperation)
    return selectors.decision_register(request.user, cooperation, filters)


@model_typed
class DecisionIn(ModelSchema):
    body_id: int
    meeting_id: int | None = None
    project_ids: list[int] = []
    project_status: str = ""

    class Meta:
        model = Decision
        fields = services.DECISION_FIELDS


@router.post("/decisions", response={201: DecisionOut, **ERROR_RESPONSES})
def decision_create(request: HttpRequest, payload: DecisionIn):
    user = authenticated_user(request)
    data = payload.dict()
    body = permissions.get_body_for_user(user, data.pop("body_id"))
    meeting_id = data.pop("meeting_id")
    meeting = None if meeting_id is None else permissions.get_meeting_for_user(user, meeting_id)
    projects = objects_by_ids(Project, data.pop("project_ids"), "project_ids") or []
    decision = services.decision_record(
        actor=user, body=body, meeting=meeting, projects=projects, **data
    )
    return Status(201, decision)


# Organisers ----------------------------------------------------------------------------------


def _organised(request: HttpRequest, meeting_id: int) -> Meeting:
    user = authenticated_user(request)
    meeting = permissions.get_meeting_for_user(user, meeting_id)
    if not permissions.can_organise_meeting(user, meeting):
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


@model_typed
class AttendanceOut(ModelSchema):
    class Meta:
        model = Attendance
        fields = ["id", "person", "organisation", "status", "represented_by"]


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
    visibility: Visibility | None = Field(
        None, description="Celle de la réunion si absente ; jamais plus large qu’elle"
    )


@model_typed
class MinutesOut(ModelSchema):
    class Meta:
        model = Minutes
        fields = ["text", "status", "visibility", "approved_at"]


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
    status: MinutesStatus | None = Field(
        None, description="L’étape visée (vérifiée) ; absente : l’étape suivante"
    )
    approved_at_id: int | None = Field(
        None, description="Réunion ultérieure de l’instance ; absente : la suivante"
    )


@router.post("/meetings/{meeting_id}/minutes/status", response={200: MinutesOut, **ERROR_RESPONSES})
def minutes_step(request: HttpRequest, meeting_id: int, payload: MinutesStepIn):
    meeting = _organised(request, meeting_id)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404
    approved_at = object_by_id(
        Meeting, payload.approved_at_id, "approved_at_id", cooperation=meeting.cooperation
    )
    return services.minutes_advance(
        actor=authenticated_user(request),
        minutes=minutes,
        status=payload.status,
        approved_at=approved_at,
    )


@model_typed
class MandateOut(ModelSchema):
    class Meta:
        model = BodyMember
        fields = ["id", "person", *services.MANDATE_FIELDS]


@router.get("/bodies/{body_id}/members", response={200: list[MandateOut], **ERROR_RESPONSES})
def body_members(request: HttpRequest, body_id: int):
    """A body's mandates: members of the cooperation and staff (people are personal data)."""
    user = authenticated_user(request)
    body = permissions.get_body_for_user(user, body_id)
    if not cooperation_permissions.can_see_people(user, body.cooperation):
        raise PermissionDenied
    return body.members.all()


# Organisers' writes: bodies, mandates, meetings, agenda, corrections --------------------------


def _organised_body(request: HttpRequest, body_id: int) -> Body:
    user = authenticated_user(request)
    body = permissions.get_body_for_user(user, body_id)
    if not permissions.can_organise(user, body.cooperation):
        raise PermissionDenied
    return body


def _body_out(request: HttpRequest, body: Body) -> Body:
    """A body with its meeting figures (the list's annotations)."""
    return selectors.body_list(request.user, body.cooperation).get(pk=body.pk)


@router.get(
    "/bodies/{body_id}", auth=optional_user_auth, response={200: BodyOut, **ERROR_RESPONSES}
)
def body_detail(request: HttpRequest, body_id: int):
    return _body_out(request, permissions.get_body_for_user(request.user, body_id))


@model_typed
class BodyIn(ModelSchema):
    cooperation: int

    class Meta:
        model = Body
        fields = services.BODY_FIELDS


@model_typed
class BodyPatch(ModelSchema, StaleCheck):
    class Meta:
        model = Body
        fields = services.BODY_FIELDS
        fields_optional = "__all__"


@router.post("/bodies", response={201: BodyOut, **ERROR_RESPONSES})
def body_create(request: HttpRequest, payload: BodyIn):
    data = payload.dict()
    cooperation = get_cooperation_for_user(request.user, str(data.pop("cooperation")))
    body = services.body_create(actor=authenticated_user(request), cooperation=cooperation, **data)
    return Status(201, _body_out(request, body))


@router.patch("/bodies/{body_id}", response={200: BodyOut, **ERROR_RESPONSES})
def body_update(request: HttpRequest, body_id: int, payload: BodyPatch):
    body = _organised_body(request, body_id)
    services.body_update(
        actor=authenticated_user(request),
        body=body,
        **with_read_at(payload.dict(exclude_unset=True)),
    )
    return _body_out(request, body)


@model_typed
class MandateIn(ModelSchema):
    class Meta:
        model = BodyMember
        fields = ["person", *services.MANDATE_FIELDS]


@model_typed
class MandatePatch(ModelSchema):
    class Meta:
        model = BodyMember
        fields = services.MANDATE_FIELDS
        fields_optional = "__all__"


def _mandate_data(data: dict) -> dict:
    reference_in(data, "person", Person)
    reference_in(data, "organisation", Organisation)
    return data


@router.post("/bodies/{body_id}/members", response={201: MandateOut, **ERROR_RESPONSES})
def mandate_create(request: HttpRequest, body_id: int, payload: MandateIn):
    body = _organised_body(request, body_id)
    mandate = services.body_member_add(
        actor=authenticated_user(request), body=body, **_mandate_data(payload.dict())
    )
    return Status(201, mandate)


def _organised_mandate(request: HttpRequest, body_id: int, mandate_id: int) -> BodyMember:
    body = _organised_body(request, body_id)
    return get_object_or_404(BodyMember.objects.select_related("body"), pk=mandate_id, body=body)


@router.patch(
    "/bodies/{body_id}/members/{mandate_id}", response={200: MandateOut, **ERROR_RESPONSES}
)
def mandate_update(request: HttpRequest, body_id: int, mandate_id: int, payload: MandatePatch):
    return services.body_member_update(
        actor=authenticated_user(request),
        member=_organised_mandate(request, body_id, mandate_id),
        **_mandate_data(payload.dict(exclude_unset=True)),
    )


@router.delete("/bodies/{body_id}/members/{mandate_id}", response={204: None, **ERROR_RESPONSES})
def mandate_delete(request: HttpRequest, body_id: int, mandate_id: int):
    services.body_member_remove(
        actor=authenticated_user(request),
        member=_organised_mandate(request, body_id, mandate_id),
    )
    return Status(204, None)


@model_typed
class MeetingPatch(ModelSchema, StaleCheck):
    class Meta:
        model = Meeting
        fields = services.MEETING_FIELDS
        fields_optional = "__all__"


@model_typed
class MeetingIn(ModelSchema):
    cooperation: int

    class Meta:
        model = Meeting
        fields = services.MEETING_FIELDS


def _meeting_data(cooperation: Cooperation | None, data: dict) -> dict:
    for name in ("start", "end", "registration_deadline"):
        # A time sent without its offset is read in Europe/Paris, as on the page.
        if data.get(name) is not None and timezone.is_naive(data[name]):
            data[name] = timezone.make_aware(data[name])
    reference_in(data, "body", Body, cooperation=cooperation)
    reference_in(data, "working_group", WorkingGroup, cooperation=cooperation)
    return data


@router.post("/meetings", response={201: MeetingOut, **ERROR_RESPONSES})
def meeting_create(request: HttpRequest, payload: MeetingIn):
    data = payload.dict()
    cooperation = get_cooperation_for_user(request.user, str(data.pop("cooperation")))
    meeting = services.meeting_create(
        actor=authenticated_user(request),
        cooperation=cooperation,
        **_meeting_data(cooperation, data),
    )
    return Status(201, _meeting(request, meeting.pk))


@model_typed
class EventIn(ModelSchema):
    class Meta:
        model = Meeting
        fields = services.EVENT_FIELDS


class EventFilters(Schema):
    upcoming: bool | None = Field(None, description="À venir (true) ou passés (false)")


@router.get(
    "/organisations/{organisation_id}/events",
    auth=optional_user_auth,
    response={200: list[MeetingOut], **ERROR_RESPONSES},
    summary="Événements publics d’une structure",
)
@paginate
def organisation_events(request: HttpRequest, organisation_id: int, filters: Query[EventFilters]):
    """Ceux qu’une structure organise hors de toute coopération (un centre de ressources)."""
    organiser = get_object_or_404(Organisation, pk=organisation_id)
    return selectors.organisation_events(organiser, upcoming=filters.upcoming)


@router.post(
    "/organisations/{organisation_id}/events",
    response={201: MeetingOut, **ERROR_RESPONSES},
    summary="Annoncer l’événement public d’une structure",
)
def event_create(request: HttpRequest, organisation_id: int, payload: EventIn):
    """Public, sans instance ni groupe ; les inscriptions comme pour toute réunion
    (`/meetings/{id}/registrations`). Par les personnes qui tiennent l’annuaire."""
    organiser = get_object_or_404(Organisation, pk=organisation_id)
    meeting = services.event_create(
        actor=authenticated_user(request),
        organiser=organiser,
        **_meeting_data(None, payload.dict()),
    )
    return Status(201, _meeting(request, meeting.pk))


@router.patch("/meetings/{meeting_id}", response={200: MeetingOut, **ERROR_RESPONSES})
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingPatch):
    meeting = _organised(request, meeting_id)
    services.meeting_update(
        actor=authenticated_user(request),
        meeting=meeting,
        **_meeting_data(meeting.cooperation, with_read_at(payload.dict(exclude_unset=True))),
    )
    return _meeting(request, meeting_id)


@router.delete("/meetings/{meeting_id}", response={204: None, **ERROR_RESPONSES})
def meeting_delete(request: HttpRequest, meeting_id: int):
    services.meeting_delete(
        actor=authenticated_user(request),
        meeting=_organised(request, meeting_id),
        site_url=request.build_absolute_uri("/"),
    )
    return Status(204, None)


class InvitedOut(Schema):
    invited: int


@router.post(
    "/meetings/{meeting_id}/invitations",
    response={200: InvitedOut, **ERROR_RESPONSES},
    summary="Inviter les membres de l’instance ou du groupe (e-mails)",
)
def meeting_invite(request: HttpRequest, meeting_id: int):
    count = services.meeting_invite(
        actor=authenticated_user(request),
        meeting=_organised(request, meeting_id),
        site_url=request.build_absolute_uri("/"),
    )
    return {"invited": count}


@router.delete(
    "/meetings/{meeting_id}/registrations/{registration_id}",
    response={204: None, **ERROR_RESPONSES},
    summary="Annuler une inscription (organisateurs) : la liste d’attente avance",
)
def registration_cancel(request: HttpRequest, meeting_id: int, registration_id: int):
    meeting = _organised(request, meeting_id)
    registration = get_object_or_404(Registration, pk=registration_id, meeting=meeting)
    services.registration_cancel(
        registration=registration, site_url=request.build_absolute_uri("/")
    )
    return Status(204, None)


@router.delete(
    "/meetings/{meeting_id}/attendance/{attendance_id}", response={204: None, **ERROR_RESPONSES}
)
def attendance_delete(request: HttpRequest, meeting_id: int, attendance_id: int):
    meeting = _organised(request, meeting_id)
    services.attendance_remove(
        actor=authenticated_user(request),
        attendance=get_object_or_404(Attendance, pk=attendance_id, meeting=meeting),
    )
    return Status(204, None)


@model_typed
class AgendaItemOut(ModelSchema):
    project_ids: list[int]
    proposal_ids: list[int]
    strategy_node_ids: list[int]

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "description"]

    @staticmethod
    def resolve_project_ids(item) -> list[int]:
        return [project.pk for project in item.projects.all()]

    @staticmethod
    def resolve_proposal_ids(item) -> list[int]:
        return [proposal.pk for proposal in item.proposals.all()]

    @staticmethod
    def resolve_strategy_node_ids(item) -> list[int]:
        return [node.pk for node in item.strategy_nodes.all()]


class AgendaItemIn(Schema):
    title: str
    description: str = ""
    project_ids: list[int] = []
    proposal_ids: list[int] = []
    strategy_node_ids: list[int] = []


def _agenda_data(cooperation: Cooperation | None, data: dict) -> dict:
    """The ids of the payload as objects of the meeting's cooperation (others: 400)."""
    links = {
        "project_ids": ("projects", Project),
        "proposal_ids": ("proposals", Proposal),
        "strategy_node_ids": ("strategy_nodes", StrategyNode),
    }
    for key, (name, model) in links.items():
        data[name] = objects_by_ids(model, data.pop(key), key, cooperation=cooperation)
    return data


@router.get(
    "/meetings/{meeting_id}/agenda",
    auth=optional_user_auth,
    response={200: list[AgendaItemOut], **ERROR_RESPONSES},
)
def agenda_list(request: HttpRequest, meeting_id: int):
    return selectors.meeting_agenda(permissions.get_meeting_for_user(request.user, meeting_id))


@router.post("/meetings/{meeting_id}/agenda", response={201: AgendaItemOut, **ERROR_RESPONSES})
def agenda_item_create(request: HttpRequest, meeting_id: int, payload: AgendaItemIn):
    meeting = _organised(request, meeting_id)
    item = services.agenda_item_add(
        actor=authenticated_user(request),
        meeting=meeting,
        **_agenda_data(meeting.cooperation, payload.dict()),
    )
    return Status(201, item)


def _organised_item(request: HttpRequest, meeting_id: int, item_id: int) -> AgendaItem:
    meeting = _organised(request, meeting_id)
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting__cooperation"), pk=item_id, meeting=meeting
    )


@router.put(
    "/meetings/{meeting_id}/agenda/{item_id}", response={200: AgendaItemOut, **ERROR_RESPONSES}
)
def agenda_item_update(request: HttpRequest, meeting_id: int, item_id: int, payload: AgendaItemIn):
    item = _organised_item(request, meeting_id, item_id)
    return services.agenda_item_update(
        actor=authenticated_user(request),
        item=item,
        **_agenda_data(item.meeting.cooperation, payload.dict()),
    )


class AgendaMoveIn(Schema):
    direction: Literal["up", "down"]


@router.post(
    "/meetings/{meeting_id}/agenda/{item_id}/move",
    response={200: list[AgendaItemOut], **ERROR_RESPONSES},
    summary="Monter ou descendre un point ; répond l’ordre du jour",
)
def agenda_item_move(request: HttpRequest, meeting_id: int, item_id: int, payload: AgendaMoveIn):
    item = _organised_item(request, meeting_id, item_id)
    services.agenda_item_move(
        actor=authenticated_user(request), item=item, direction=payload.direction
    )
    return selectors.meeting_agenda(item.meeting)


@router.delete("/meetings/{meeting_id}/agenda/{item_id}", response={204: None, **ERROR_RESPONSES})
def agenda_item_delete(request: HttpRequest, meeting_id: int, item_id: int):
    services.agenda_item_delete(
        actor=authenticated_user(request), item=_organised_item(request, meeting_id, item_id)
    )
    return Status(204, None)


@model_typed
class DecisionPatch(ModelSchema):
    class Meta:
        model = Decision
        fields = services.DECISION_FIELDS
        fields_optional = "__all__"


@router.get(
    "/decisions/{decision_id}",
    auth=optional_user_auth,
    response={200: DecisionOut, **ERROR_RESPONSES},
)
def decision_detail(request: HttpRequest, decision_id: int):
    decision = get_object_or_404(Decision, pk=decision_id)
    body = permissions.get_body_for_user(request.user, decision.body_id)
    return selectors.decision_register(request.user, body.cooperation).get(pk=decision.pk)


@router.patch(
    "/decisions/{decision_id}",
    response={200: DecisionOut, **ERROR_RESPONSES},
    summary="Corriger une décision (texte, type, date ; son numéro et ses projets restent)",
)
def decision_update(request: HttpRequest, decision_id: int, payload: DecisionPatch):
    decision = get_object_or_404(
        Decision.objects.select_related("body__cooperation"), pk=decision_id
    )
    _organised_body(request, decision.body_id)
    return services.decision_update(
        actor=authenticated_user(request), decision=decision, **payload.dict(exclude_unset=True)
    )


@router.get(
    "/meetings/{meeting_id}/documents",
    auth=optional_user_auth,
    response={200: list[DocumentOut], **ERROR_RESPONSES},
)
def meeting_documents(request: HttpRequest, meeting_id: int):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    if meeting.cooperation is None:
        return []  # an organisation's event has no documents
    return (
        documents_of(meeting.cooperation, request.user)
        .filter(meetings=meeting)
        .select_related("cooperation")
    )


class MeetingDocumentIn(Schema):
    title: str
    kind: DocumentKind = DocumentKind.OTHER
    visibility: Visibility = Visibility.PARTNERS


@router.post(
    "/meetings/{meeting_id}/documents",
    response={201: DocumentOut, **ERROR_RESPONSES},
    summary="Joindre un document à la réunion (multipart) ; il se supprime comme tout document "
    "de la coopération",
)
def meeting_document_add(
    request: HttpRequest,
    meeting_id: int,
    payload: Form[MeetingDocumentIn],
    file: File[UploadedFile],
):
    meeting = _organised(request, meeting_id)
    document = services.meeting_document_add(
        actor=authenticated_user(request), meeting=meeting, file=file, **payload.dict()
    )
    return Status(201, document)


# Deleted meetings, agenda items and mandates -----------------------------------------------


class DeletedGovernanceOut(Schema):
    version_id: int
    kind: str
    title: str
    deleted_at: dt.datetime
    deleted_by: str

    @staticmethod
    def resolve_version_id(item) -> int:
        return item.version.pk

    @staticmethod
    def resolve_deleted_at(item) -> dt.datetime:
        return item.version.revision.date_created

    @staticmethod
    def resolve_deleted_by(item) -> str:
        return str(item.version.revision.user or "")


class RestoredOut(Schema):
    kind: str
    id: int


@router.get(
    "/cooperations/{ref}/deleted-governance",
    response={200: list[DeletedGovernanceOut], **ERROR_RESPONSES},
    summary="Réunions, points d’ordre du jour et mandats supprimés (coordination)",
)
@paginate
def deleted_governance_list(request: HttpRequest, ref: str):
    cooperation = get_cooperation_for_user(authenticated_user(request), ref, edit=True)
    return selectors.deleted_governance(cooperation)


@router.post(
    "/cooperations/{ref}/deleted-governance/{version_id}/restore",
    response={200: RestoredOut, **ERROR_RESPONSES},
    summary="Restaurer une réunion (avec son ordre du jour), un point ou un mandat supprimé",
)
def deleted_governance_restore(request: HttpRequest, ref: str, version_id: int):
    user = authenticated_user(request)
    cooperation = get_cooperation_for_user(user, ref, edit=True)
    item = selectors.deleted_governance_item(cooperation, version_id)
    if item is None:
        raise Http404
    restored = services.governance_restore(actor=user, cooperation=cooperation, item=item)
    return {"kind": type(restored)._meta.model_name, "id": restored.pk}
