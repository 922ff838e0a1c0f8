"""The cooperations API: the cooperation and, under `/cooperations/{ref}/`, its parties,
milestones, members (coordinators only), strategy, themes, working groups and proposals.
`ref` is the cooperation's id or slug. Same services and permissions as the pages."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, ModelSchema, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from maillage.accounts.api import authenticated_user, optional_user_auth
from maillage.accounts.models import Membership
from maillage.cooperations import permissions, selectors, services
from maillage.cooperations.models import (
    Cooperation,
    Document,
    Invitation,
    Milestone,
    Party,
    Proposal,
    ProposalComment,
    StrategyNode,
    Theme,
    WorkingGroup,
)
from maillage.cooperations.permissions import get_cooperation_for_user, get_proposal_for_user
from maillage.core.api import ERROR_RESPONSES, object_by_id, objects_by_ids, reference_in
from maillage.core.history import history_for
from maillage.core.schemas import StaleCheck, model_typed, with_read_at
from maillage.directory.models import Organisation, Person
from maillage.territories.models import Territory

router = Router(tags=["coopérations"])


# Schemas -----------------------------------------------------------------------------------


# A cooperation's own columns in the API (the logo is uploaded on the page).
COOPERATION_COLUMNS = [name for name in services.EDITABLE_FIELDS if name != "logo"]


class CooperationTerritoryOut(Schema):
    id: int
    kind: str
    code: str
    name: str


@model_typed
class CooperationOut(ModelSchema):
    member_count: int = 0

    class Meta:
        model = Cooperation
        fields = ["id", "slug", "stage", "updated_at", *COOPERATION_COLUMNS]


class StageChangeOut(Schema):
    stage: str
    entered_on: dt.date | None


@model_typed
class PartyOut(ModelSchema):
    organisation_id: int
    organisation: str
    territory: CooperationTerritoryOut | None

    class Meta:
        model = Party
        fields = ["id", "role", "signatory_title", "note"]

    @staticmethod
    def resolve_organisation(party) -> str:
        return party.organisation.name


class CooperationDetailOut(CooperationOut):
    strategy_levels: list[str]
    territories: list[CooperationTerritoryOut]
    parties: list[PartyOut]
    stage_changes: list[StageChangeOut]


@model_typed
class CooperationIn(ModelSchema):
    slug: str = Field(default="", description="Vide : tiré de l’intitulé")
    territory_ids: list[int] = []

    class Meta:
        model = Cooperation
        fields = COOPERATION_COLUMNS


@model_typed
class CooperationPatch(ModelSchema, StaleCheck):
    territory_ids: list[int] | None = None

    class Meta:
        model = Cooperation
        fields = COOPERATION_COLUMNS
        fields_optional = "__all__"


class StageIn(Schema):
    stage: str
    entered_on: dt.date | None


@model_typed
class PartyIn(ModelSchema):
    class Meta:
        model = Party
        fields = ["organisation", *services.PARTY_FIELDS]


@model_typed
class PartyPatch(ModelSchema):
    class Meta:
        model = Party
        fields = services.PARTY_FIELDS
        fields_optional = "__all__"


@model_typed
class DocumentOut(ModelSchema):
    size: int
    url: str | None

    class Meta:
        model = Document
        fields = ["id", "title", "kind", "milestone", "visibility"]

    @staticmethod
    def resolve_url(document, context) -> str | None:
        if not document.file:
            return None
        return context["request"].build_absolute_uri(
            f"/cooperations/{document.cooperation.slug}/documents/{document.pk}/"
        )


@model_typed
class MilestoneOut(ModelSchema):
    documents: list[DocumentOut]

    class Meta:
        model = Milestone
        fields = ["id", *services.MILESTONE_FIELDS]

    @staticmethod
    def resolve_documents(milestone) -> list:
        return list(milestone.documents.all())


@model_typed
class MilestoneIn(ModelSchema):
    class Meta:
        model = Milestone
        fields = services.MILESTONE_FIELDS


@model_typed
class MilestonePatch(ModelSchema):
    class Meta:
        model = Milestone
        fields = services.MILESTONE_FIELDS
        fields_optional = "__all__"


@model_typed
class MemberOut(ModelSchema):
    email: str
    name: str

    class Meta:
        model = Membership
        fields = ["id", "user", "role"]

    @staticmethod
    def resolve_email(membership) -> str:
        return membership.user.email

    @staticmethod
    def resolve_name(membership) -> str:
        return membership.user.get_full_name()


class InvitationIn(Schema):
    email: str
    role: str


@model_typed
class InvitationOut(ModelSchema):
    created_at: dt.datetime = Field(description="Date du dernier envoi")
    expires_at: dt.datetime
    pending: bool = Field(description="Le lien est encore valable")

    class Meta:
        model = Invitation
        fields = ["id", "email", "role"]

    @staticmethod
    def resolve_pending(invitation) -> bool:
        return invitation.is_pending


class RoleIn(Schema):
    role: str


@model_typed
class ThemeOut(ModelSchema):
    class Meta:
        model = Theme
        fields = ["id", *services.THEME_FIELDS]


@model_typed
class ThemeIn(ModelSchema):
    class Meta:
        model = Theme
        fields = services.THEME_FIELDS


@model_typed
class NodeOut(ModelSchema):
    parent: int | None
    level: str
    depth: int
    theme_ids: list[int]

    class Meta:
        model = StrategyNode
        fields = ["id", "code", "manual_code", "title", "description", "position", "level_label"]


@model_typed
class NodeIn(ModelSchema):
    parent: int | None = None
    theme_ids: list[int] = []

    class Meta:
        model = StrategyNode
        fields = services.STRATEGY_NODE_FIELDS


@model_typed
class NodePatch(ModelSchema):
    theme_ids: list[int] | None = None

    class Meta:
        model = StrategyNode
        fields = services.STRATEGY_NODE_FIELDS
        fields_optional = "__all__"


class StrategyMoveIn(Schema):
    """Either an explicit place (`parent`, `position`, 0 is first) or one `direction` step:
    up, down, in (under the sibling above), out (after its parent) — the page's buttons."""

    parent: int | None = None
    position: int = 0
    direction: str = ""


class StrategyCopyIn(Schema):
    source: str


@model_typed
class WorkingGroupOut(ModelSchema):
    members_count: int
    proposals_count: int

    class Meta:
        model = WorkingGroup
        fields = ["id", *services.WORKING_GROUP_FIELDS]


class GroupMemberOut(Schema):
    id: int
    person_id: int
    person: str
    organisation_id: int | None
    organisation: str | None


class TerritoryCountOut(Schema):
    territory: str | None
    count: int


class WorkingGroupDetailOut(WorkingGroupOut):
    members: list[GroupMemberOut] | None
    representatives_by_territory: list[TerritoryCountOut]


@model_typed
class WorkingGroupIn(ModelSchema):
    class Meta:
        model = WorkingGroup
        fields = services.WORKING_GROUP_FIELDS


@model_typed
class WorkingGroupPatch(ModelSchema):
    class Meta:
        model = WorkingGroup
        fields = services.WORKING_GROUP_FIELDS
        fields_optional = "__all__"


class GroupMemberIn(Schema):
    person_id: int
    organisation_id: int | None = None


# A proposal's columns shown in the API (its author is a person, named to members on the page).
PROPOSAL_COLUMNS = [name for name in services.PROPOSAL_FIELDS if name != "author"]


@model_typed
class ProposalOut(ModelSchema):
    strategy_nodes: list[str]
    strategy_node_ids: list[int]
    merged_into: int | None
    comment_count: int = 0

    class Meta:
        model = Proposal
        fields = ["id", "number", "status", "decision_reason", "updated_at", *PROPOSAL_COLUMNS]

    @staticmethod
    def resolve_strategy_nodes(proposal) -> list[str]:
        return [node.code for node in proposal.strategy_nodes.all()]

    @staticmethod
    def resolve_strategy_node_ids(proposal) -> list[int]:
        return [node.pk for node in proposal.strategy_nodes.all()]

    @staticmethod
    def resolve_merged_into(proposal) -> int | None:
        return proposal.merged_into.number if proposal.merged_into else None


@model_typed
class ProposalIn(ModelSchema):
    strategy_node_ids: list[int] = []

    class Meta:
        model = Proposal
        fields = services.PROPOSAL_FIELDS


@model_typed
class ProposalPatch(ModelSchema, StaleCheck):
    strategy_node_ids: list[int] | None = None

    class Meta:
        model = Proposal
        fields = services.PROPOSAL_FIELDS
        fields_optional = "__all__"


class ProposalDecisionIn(Schema):
    status: str
    reason: str = ""
    merged_into: int | None = None


@model_typed
class CommentOut(ModelSchema):
    author: str

    class Meta:
        model = ProposalComment
        fields = ["id", "text", "created_at"]

    @staticmethod
    def resolve_author(comment) -> str:
        return str(comment.author) if comment.author else ""


class CommentIn(Schema):
    text: str


class FieldChangeOut(Schema):
    field: str
    label: str
    before: object | None
    after: object | None


class HistoryEntryOut(Schema):
    version_id: int
    date: dt.datetime
    actor: str
    comment: str
    changes: list[FieldChangeOut]


# Helpers -----------------------------------------------------------------------------------


def _editable(request: HttpRequest, ref: str) -> Cooperation:
    return get_cooperation_for_user(authenticated_user(request), ref, edit=True)


def _of(model: type[Model], cooperation: Cooperation, pk: int):
    obj = model._default_manager.filter(pk=pk, cooperation=cooperation).first()
    if obj is None:
        raise Http404
    return obj


def _detail(cooperation: Cooperation) -> dict:
    return {
        **{
            name: getattr(cooperation, name)
            for name in CooperationOut.model_fields
            if name != "member_count"
        },
        "member_count": cooperation.memberships.count(),
        "description": cooperation.description,
        "strategy_levels": cooperation.level_names(),
        "territories": list(cooperation.territories.order_by("name")),
        "parties": list(selectors.parties_of(cooperation)),
        "stage_changes": list(selectors.stage_changes_of(cooperation)),
    }


def _nodes(cooperation: Cooperation) -> list[dict]:
    return [
        {
            "id": item.node.pk,
            "code": item.node.code,
            "manual_code": item.node.manual_code,
            "title": item.node.title,
            "description": item.node.description,
            "parent": item.node.parent_id,
            "position": item.node.position,
            "level": item.level,
            "level_label": item.node.level_label,
            "depth": item.depth,
            "theme_ids": [theme.pk for theme in item.node.themes.all()],
        }
        for item in selectors.flatten(selectors.strategy_tree(cooperation))
    ]


# The cooperation ---------------------------------------------------------------------------


@router.get(
    "",
    auth=optional_user_auth,
    response={200: list[CooperationOut], **ERROR_RESPONSES},
    summary="Coopérations visibles",
)
@paginate
def cooperation_list(request: HttpRequest, filters: Query[selectors.CooperationFilters]):
    return selectors.cooperation_list(user=request.user, filters=filters)


@router.post(
    "", response={201: CooperationDetailOut, **ERROR_RESPONSES}, summary="Créer une coopération"
)
def cooperation_create(request: HttpRequest, payload: CooperationIn):
    data = payload.dict()
    territories = objects_by_ids(Territory, data.pop("territory_ids"), "territory_ids")
    cooperation = services.cooperation_create(
        actor=authenticated_user(request),
        territories=territories,
        stage_entered_on=timezone.localdate(),
        **data,
    )
    return Status(201, _detail(cooperation))


@router.get(
    "/{ref}", auth=optional_user_auth, response={200: CooperationDetailOut, **ERROR_RESPONSES}
)
def cooperation_detail(request: HttpRequest, ref: str):
    return _detail(get_cooperation_for_user(request.user, ref))


@router.patch("/{ref}", response={200: CooperationDetailOut, **ERROR_RESPONSES})
def cooperation_update(request: HttpRequest, ref: str, payload: CooperationPatch):
    cooperation = _editable(request, ref)
    data = with_read_at(payload.dict(exclude_unset=True))
    territory_ids = data.pop("territory_ids", None)
    services.cooperation_update(
        actor=authenticated_user(request),
        cooperation=cooperation,
        territories=objects_by_ids(Territory, territory_ids, "territory_ids"),
        **data,
    )
    return _detail(cooperation)


@router.post("/{ref}/stage", response={200: CooperationDetailOut, **ERROR_RESPONSES})
def cooperation_stage(request: HttpRequest, ref: str, payload: StageIn):
    cooperation = _editable(request, ref)
    services.cooperation_stage_set(
        actor=authenticated_user(request), cooperation=cooperation, **payload.dict()
    )
    return _detail(cooperation)


@router.get(
    "/{ref}/history",
    response={200: list[HistoryEntryOut], **ERROR_RESPONSES},
    summary="Historique des modifications",
)
@paginate
def cooperation_history(request: HttpRequest, ref: str):
    cooperation = get_cooperation_for_user(request.user, ref)
    if not permissions.can_view_history(request.user, cooperation):
        raise PermissionDenied
    return history_for(cooperation)


# Parties -----------------------------------------------------------------------------------


@router.get(
    "/{ref}/parties", auth=optional_user_auth, response={200: list[PartyOut], **ERROR_RESPONSES}
)
def party_list(request: HttpRequest, ref: str):
    return selectors.parties_of(get_cooperation_for_user(request.user, ref))


def _party_data(data: dict) -> dict:
    reference_in(data, "organisation", Organisation)
    reference_in(data, "territory", Territory)
    reference_in(data, "signatory", Person)
    return data


@router.post("/{ref}/parties", response={201: PartyOut, **ERROR_RESPONSES})
def party_add(request: HttpRequest, ref: str, payload: PartyIn):
    cooperation = _editable(request, ref)
    party = services.party_add(
        actor=authenticated_user(request), cooperation=cooperation, **_party_data(payload.dict())
    )
    return Status(201, party)


@router.patch("/{ref}/parties/{party_id}", response={200: PartyOut, **ERROR_RESPONSES})
def party_update(request: HttpRequest, ref: str, party_id: int, payload: PartyPatch):
    party = _of(Party, _editable(request, ref), party_id)
    return services.party_update(
        actor=authenticated_user(request),
        party=party,
        **_party_data(payload.dict(exclude_unset=True)),
    )


@router.delete("/{ref}/parties/{party_id}", response={204: None, **ERROR_RESPONSES})
def party_remove(request: HttpRequest, ref: str, party_id: int):
    services.party_remove(
        actor=authenticated_user(request), party=_of(Party, _editable(request, ref), party_id)
    )
    return Status(204, None)


# Milestones --------------------------------------------------------------------------------


@router.get(
    "/{ref}/milestones",
    auth=optional_user_auth,
    response={200: list[MilestoneOut], **ERROR_RESPONSES},
)
def milestone_list(request: HttpRequest, ref: str):
    cooperation = get_cooperation_for_user(request.user, ref)
    return selectors.milestones_of(cooperation, request.user)


@router.post("/{ref}/milestones", response={201: MilestoneOut, **ERROR_RESPONSES})
def milestone_create(request: HttpRequest, ref: str, payload: MilestoneIn):
    cooperation = _editable(request, ref)
    milestone = services.milestone_create(
        actor=authenticated_user(request), cooperation=cooperation, **payload.dict()
    )
    return Status(201, milestone)


@router.patch("/{ref}/milestones/{milestone_id}", response={200: MilestoneOut, **ERROR_RESPONSES})
def milestone_update(request: HttpRequest, ref: str, milestone_id: int, payload: MilestonePatch):
    milestone = _of(Milestone, _editable(request, ref), milestone_id)
    return services.milestone_update(
        actor=authenticated_user(request), milestone=milestone, **payload.dict(exclude_unset=True)
    )


@router.delete("/{ref}/milestones/{milestone_id}", response={204: None, **ERROR_RESPONSES})
def milestone_delete(request: HttpRequest, ref: str, milestone_id: int):
    milestone = _of(Milestone, _editable(request, ref), milestone_id)
    services.milestone_delete(actor=authenticated_user(request), milestone=milestone)
    return Status(204, None)


@router.get(
    "/{ref}/documents",
    auth=optional_user_auth,
    response={200: list[DocumentOut], **ERROR_RESPONSES},
)
def document_list(request: HttpRequest, ref: str):
    cooperation = get_cooperation_for_user(request.user, ref)
    return selectors.documents_of(cooperation, request.user).select_related("cooperation")


# A multipart file part that may be absent (a reference document is named without its file).
OPTIONAL_FILE = File(None)


class DocumentIn(Schema):
    title: str
    kind: str
    milestone_id: int | None = None
    visibility: str = "partners"


@router.post(
    "/{ref}/documents",
    response={201: DocumentOut, **ERROR_RESPONSES},
    summary="Joindre un document (multipart/form-data ; fichier facultatif pour une référence)",
)
def document_add(
    request: HttpRequest,
    ref: str,
    payload: Form[DocumentIn],
    file: UploadedFile | None = OPTIONAL_FILE,
):
    cooperation = _editable(request, ref)
    data = payload.dict()
    reference_in(data, "milestone", Milestone, cooperation=cooperation)
    document = services.document_add(
        actor=authenticated_user(request), cooperation=cooperation, file=file, **data
    )
    return Status(201, document)


@router.delete("/{ref}/documents/{document_id}", response={204: None, **ERROR_RESPONSES})
def document_delete(request: HttpRequest, ref: str, document_id: int):
    document = _of(Document, _editable(request, ref), document_id)
    services.document_delete(actor=authenticated_user(request), document=document)
    return Status(204, None)


# Members -----------------------------------------------------------------------------------


def _managed(request: HttpRequest, ref: str) -> Cooperation:
    cooperation = get_cooperation_for_user(authenticated_user(request), ref)
    if not permissions.can_manage_members(request.user, cooperation):
        raise PermissionDenied
    return cooperation


@router.get("/{ref}/members", response={200: list[MemberOut], **ERROR_RESPONSES})
@paginate
def member_list(request: HttpRequest, ref: str):
    return selectors.members_of(_managed(request, ref))


@router.post(
    "/{ref}/members",
    response={201: InvitationOut, **ERROR_RESPONSES},
    summary="Inviter une personne (un e-mail lui est envoyé)",
)
def member_invite(request: HttpRequest, ref: str, payload: InvitationIn):
    cooperation = _managed(request, ref)
    invitation = services.invitation_create(
        actor=authenticated_user(request),
        cooperation=cooperation,
        site_url=request.build_absolute_uri("/"),
        **payload.dict(),
    )
    return Status(201, invitation)


@router.get(
    "/{ref}/invitations",
    response={200: list[InvitationOut], **ERROR_RESPONSES},
    summary="Les invitations non acceptées (en attente ou expirées)",
)
@paginate
def invitation_list(request: HttpRequest, ref: str):
    return selectors.open_invitations(_managed(request, ref))


@router.post(
    "/{ref}/invitations/{invitation_id}/resend",
    response={200: InvitationOut, **ERROR_RESPONSES},
    summary="Renvoyer une invitation (nouveau lien valable 30 jours ; l’ancien ne sert plus)",
)
def invitation_resend(request: HttpRequest, ref: str, invitation_id: int):
    invitation = _of(Invitation, _managed(request, ref), invitation_id)
    return services.invitation_resend(
        actor=authenticated_user(request),
        invitation=invitation,
        site_url=request.build_absolute_uri("/"),
    )


@router.delete(
    "/{ref}/invitations/{invitation_id}",
    response={204: None, **ERROR_RESPONSES},
    summary="Retirer une invitation non acceptée (son lien ne sert plus)",
)
def invitation_withdraw(request: HttpRequest, ref: str, invitation_id: int):
    invitation = _of(Invitation, _managed(request, ref), invitation_id)
    services.invitation_withdraw(actor=authenticated_user(request), invitation=invitation)
    return Status(204, None)


@router.patch("/{ref}/members/{member_id}", response={200: MemberOut, **ERROR_RESPONSES})
def member_role(request: HttpRequest, ref: str, member_id: int, payload: RoleIn):
    membership = _of(Membership, _managed(request, ref), member_id)
    return services.member_role_set(
        actor=authenticated_user(request), membership=membership, role=payload.role
    )


@router.delete("/{ref}/members/{member_id}", response={204: None, **ERROR_RESPONSES})
def member_remove(request: HttpRequest, ref: str, member_id: int):
    membership = _of(Membership, _managed(request, ref), member_id)
    services.member_remove(actor=authenticated_user(request), membership=membership)
    return Status(204, None)


# Themes ------------------------------------------------------------------------------------


@router.get(
    "/{ref}/themes", auth=optional_user_auth, response={200: list[ThemeOut], **ERROR_RESPONSES}
)
def theme_list(request: HttpRequest, ref: str):
    return get_cooperation_for_user(request.user, ref).themes.all()


@router.post("/{ref}/themes", response={201: ThemeOut, **ERROR_RESPONSES})
def theme_create(request: HttpRequest, ref: str, payload: ThemeIn):
    cooperation = _editable(request, ref)
    return Status(
        201,
        services.theme_create(
            actor=authenticated_user(request), cooperation=cooperation, **payload.dict()
        ),
    )


@router.patch("/{ref}/themes/{theme_id}", response={200: ThemeOut, **ERROR_RESPONSES})
def theme_update(request: HttpRequest, ref: str, theme_id: int, payload: ThemeIn):
    theme = _of(Theme, _editable(request, ref), theme_id)
    return services.theme_update(actor=authenticated_user(request), theme=theme, **payload.dict())


@router.delete("/{ref}/themes/{theme_id}", response={204: None, **ERROR_RESPONSES})
def theme_delete(request: HttpRequest, ref: str, theme_id: int):
    services.theme_delete(
        actor=authenticated_user(request), theme=_of(Theme, _editable(request, ref), theme_id)
    )
    return Status(204, None)


# Strategy ----------------------------------------------------------------------------------


@router.get(
    "/{ref}/strategy",
    auth=optional_user_auth,
    response={200: list[NodeOut], **ERROR_RESPONSES},
    summary="La stratégie, dans l’ordre de lecture",
)
def strategy(request: HttpRequest, ref: str):
    return _nodes(get_cooperation_for_user(request.user, ref))


def _themes(cooperation: Cooperation, ids: list[int]) -> list[Theme]:
    return objects_by_ids(Theme, ids, "theme_ids", cooperation=cooperation) or []


def _node_out(node: StrategyNode) -> dict:
    return next(item for item in _nodes(node.cooperation) if item["id"] == node.pk)


@router.post(
    "/{ref}/strategy/copy",
    response={201: list[NodeOut], **ERROR_RESPONSES},
    summary="Reprendre la stratégie d’une autre coopération (stratégie vide seulement)",
)
def strategy_copy(request: HttpRequest, ref: str, payload: StrategyCopyIn):
    cooperation = _editable(request, ref)
    source = get_cooperation_for_user(request.user, payload.source)
    services.strategy_copy(actor=authenticated_user(request), source=source, target=cooperation)
    return Status(201, _nodes(cooperation))


@router.post("/{ref}/strategy", response={201: NodeOut, **ERROR_RESPONSES})
def strategy_node_create(request: HttpRequest, ref: str, payload: NodeIn):
    cooperation = _editable(request, ref)
    data = payload.dict()
    node = services.strategy_node_create(
        actor=authenticated_user(request),
        cooperation=cooperation,
        parent=object_by_id(StrategyNode, data.pop("parent"), "parent", cooperation=cooperation),
        themes=_themes(cooperation, data.pop("theme_ids")),
        **data,
    )
    return Status(201, _node_out(node))


@router.patch("/{ref}/strategy/{node_id}", response={200: NodeOut, **ERROR_RESPONSES})
def strategy_node_update(request: HttpRequest, ref: str, node_id: int, payload: NodePatch):
    cooperation = _editable(request, ref)
    node = _of(StrategyNode, cooperation, node_id)
    data = payload.dict(exclude_unset=True)
    theme_ids = data.pop("theme_ids", None)
    node = services.strategy_node_update(
        actor=authenticated_user(request),
        node=node,
        themes=None if theme_ids is None else _themes(cooperation, theme_ids),
        **data,
    )
    return _node_out(node)


@router.post(
    "/{ref}/strategy/{node_id}/move",
    response={200: list[NodeOut], **ERROR_RESPONSES},
    summary="Déplacer un élément (position 0 = premier) ; répond la stratégie renumérotée",
)
def strategy_node_move(request: HttpRequest, ref: str, node_id: int, payload: StrategyMoveIn):
    cooperation = _editable(request, ref)
    node = _of(StrategyNode, cooperation, node_id)
    if payload.direction:
        services.strategy_node_step(
            actor=authenticated_user(request), node=node, direction=payload.direction
        )
    else:
        parent = object_by_id(StrategyNode, payload.parent, "parent", cooperation=cooperation)
        services.strategy_node_move(
            actor=authenticated_user(request), node=node, parent=parent, position=payload.position
        )
    return _nodes(cooperation)


@router.delete("/{ref}/strategy/{node_id}", response={204: None, **ERROR_RESPONSES})
def strategy_node_delete(request: HttpRequest, ref: str, node_id: int):
    node = _of(StrategyNode, _editable(request, ref), node_id)
    services.strategy_node_delete(actor=authenticated_user(request), node=node)
    return Status(204, None)


# Working groups ----------------------------------------------------------------------------


@router.get(
    "/{ref}/working-groups",
    auth=optional_user_auth,
    response={200: list[WorkingGroupOut], **ERROR_RESPONSES},
)
@paginate
def working_group_list(request: HttpRequest, ref: str):
    return selectors.working_groups_of(get_cooperation_for_user(request.user, ref))


def _group_detail(request: HttpRequest, cooperation: Cooperation, group_id: int) -> dict:
    group = selectors.working_groups_of(cooperation).filter(pk=group_id).first()
    if group is None:
        raise Http404
    members = None
    if permissions.can_see_people(request.user, cooperation):
        members = [
            {
                "id": m.pk,
                "person_id": m.person_id,
                "person": str(m.person),
                "organisation_id": m.organisation_id,
                "organisation": str(m.organisation) if m.organisation else None,
            }
            for m in selectors.working_group_members(group)
        ]
    return {
        **{name: getattr(group, name) for name in WorkingGroupOut.model_fields},
        "members": members,
        "representatives_by_territory": selectors.representatives_by_territory([group]),
    }


@router.get(
    "/{ref}/working-groups/{group_id}",
    auth=optional_user_auth,
    response={200: WorkingGroupDetailOut, **ERROR_RESPONSES},
)
def working_group_detail(request: HttpRequest, ref: str, group_id: int):
    return _group_detail(request, get_cooperation_for_user(request.user, ref), group_id)


@router.post("/{ref}/working-groups", response={201: WorkingGroupDetailOut, **ERROR_RESPONSES})
def working_group_create(request: HttpRequest, ref: str, payload: WorkingGroupIn):
    cooperation = _editable(request, ref)
    data = payload.dict()
    reference_in(data, "theme", Theme, cooperation=cooperation)
    group = services.working_group_create(
        actor=authenticated_user(request), cooperation=cooperation, **data
    )
    return Status(201, _group_detail(request, cooperation, group.pk))


@router.patch(
    "/{ref}/working-groups/{group_id}", response={200: WorkingGroupDetailOut, **ERROR_RESPONSES}
)
def working_group_update(request: HttpRequest, ref: str, group_id: int, payload: WorkingGroupPatch):
    cooperation = _editable(request, ref)
    group = _of(WorkingGroup, cooperation, group_id)
    data = payload.dict(exclude_unset=True)
    reference_in(data, "theme", Theme, cooperation=cooperation)
    services.working_group_update(actor=authenticated_user(request), group=group, **data)
    return _group_detail(request, cooperation, group.pk)


@router.delete("/{ref}/working-groups/{group_id}", response={204: None, **ERROR_RESPONSES})
def working_group_delete(request: HttpRequest, ref: str, group_id: int):
    group = _of(WorkingGroup, _editable(request, ref), group_id)
    services.working_group_delete(actor=authenticated_user(request), group=group)
    return Status(204, None)


@router.post(
    "/{ref}/working-groups/{group_id}/members",
    response={201: WorkingGroupDetailOut, **ERROR_RESPONSES},
)
def working_group_member_add(request: HttpRequest, ref: str, group_id: int, payload: GroupMemberIn):
    cooperation = _editable(request, ref)
    group = _of(WorkingGroup, cooperation, group_id)
    data = payload.dict()
    reference_in(data, "person", Person)
    reference_in(data, "organisation", Organisation)
    services.working_group_member_add(actor=authenticated_user(request), group=group, **data)
    return Status(201, _group_detail(request, cooperation, group.pk))


@router.delete(
    "/{ref}/working-groups/{group_id}/members/{member_id}",
    response={204: None, **ERROR_RESPONSES},
)
def working_group_member_remove(request: HttpRequest, ref: str, group_id: int, member_id: int):
    group = _of(WorkingGroup, _editable(request, ref), group_id)
    member = group.members.filter(pk=member_id).first()
    if member is None:
        raise Http404
    services.working_group_member_remove(actor=authenticated_user(request), member=member)
    return Status(204, None)


# Proposals ---------------------------------------------------------------------------------


@router.get(
    "/{ref}/proposals",
    auth=optional_user_auth,
    response={200: list[ProposalOut], **ERROR_RESPONSES},
)
@paginate
def proposal_list(request: HttpRequest, ref: str, filters: Query[selectors.ProposalFilters]):
    cooperation = get_cooperation_for_user(request.user, ref)
    return selectors.proposal_list(user=request.user, cooperation=cooperation, filters=filters)


def _proposal_data(cooperation: Cooperation, data: dict) -> dict:
    reference_in(data, "working_group", WorkingGroup, cooperation=cooperation)
    reference_in(data, "author", Person)
    if "strategy_node_ids" in data:
        data["strategy_nodes"] = objects_by_ids(
            StrategyNode,
            data.pop("strategy_node_ids"),
            "strategy_node_ids",
            cooperation=cooperation,
        )
    return data


def _proposal_out(request: HttpRequest, proposal: Proposal) -> Proposal:
    return selectors.proposal_list(user=request.user, cooperation=proposal.cooperation).get(
        pk=proposal.pk
    )


@router.post("/{ref}/proposals", response={201: ProposalOut, **ERROR_RESPONSES})
def proposal_create(request: HttpRequest, ref: str, payload: ProposalIn):
    cooperation = get_cooperation_for_user(authenticated_user(request), ref)
    proposal = services.proposal_create(
        actor=authenticated_user(request),
        cooperation=cooperation,
        **_proposal_data(cooperation, payload.dict()),
    )
    return Status(201, _proposal_out(request, proposal))


@router.get(
    "/{ref}/proposals/{number}",
    auth=optional_user_auth,
    response={200: ProposalOut, **ERROR_RESPONSES},
)
def proposal_detail(request: HttpRequest, ref: str, number: int):
    cooperation = get_cooperation_for_user(request.user, ref)
    return _proposal_out(request, get_proposal_for_user(request.user, cooperation, number))


@router.patch("/{ref}/proposals/{number}", response={200: ProposalOut, **ERROR_RESPONSES})
def proposal_update(request: HttpRequest, ref: str, number: int, payload: ProposalPatch):
    cooperation = get_cooperation_for_user(authenticated_user(request), ref)
    proposal = get_proposal_for_user(request.user, cooperation, number)
    services.proposal_update(
        actor=authenticated_user(request),
        proposal=proposal,
        **_proposal_data(cooperation, with_read_at(payload.dict(exclude_unset=True))),
    )
    return _proposal_out(request, proposal)


@router.post("/{ref}/proposals/{number}/decision", response={200: ProposalOut, **ERROR_RESPONSES})
def proposal_decide(request: HttpRequest, ref: str, number: int, payload: ProposalDecisionIn):
    cooperation = _editable(request, ref)
    proposal = get_proposal_for_user(request.user, cooperation, number)
    merged_into = None
    if payload.merged_into is not None:
        merged_into = cooperation.proposals.filter(number=payload.merged_into).first()
        if merged_into is None:
            raise ValidationError({"merged_into": _("Aucune piste ne porte ce numéro.")})
    services.proposal_decide(
        actor=authenticated_user(request),
        proposal=proposal,
        status=payload.status,
        reason=payload.reason,
        merged_into=merged_into,
    )
    return _proposal_out(request, proposal)


@router.get(
    "/{ref}/proposals/{number}/comments", response={200: list[CommentOut], **ERROR_RESPONSES}
)
def proposal_comments(request: HttpRequest, ref: str, number: int):
    cooperation = get_cooperation_for_user(authenticated_user(request), ref)
    proposal = get_proposal_for_user(request.user, cooperation, number)
    if not permissions.can_comment(request.user, cooperation):
        raise PermissionDenied
    return proposal.comments.select_related("author")


@router.post("/{ref}/proposals/{number}/comments", response={201: CommentOut, **ERROR_RESPONSES})
def proposal_comment(request: HttpRequest, ref: str, number: int, payload: CommentIn):
    cooperation = get_cooperation_for_user(authenticated_user(request), ref)
    proposal = get_proposal_for_user(request.user, cooperation, number)
    return Status(
        201,
        services.proposal_comment(
            actor=authenticated_user(request), proposal=proposal, text=payload.text
        ),
    )
