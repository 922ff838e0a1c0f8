"""Every read of cooperations beyond a `.get()`, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Field

from maillage.accounts.models import Membership, User
from maillage.cooperations import permissions
from maillage.cooperations.enums import CooperationKind, ProposalStatus, Stage
from maillage.cooperations.models import (
    Cooperation,
    Document,
    Invitation,
    Milestone,
    Party,
    Proposal,
    StageChange,
    StrategyNode,
    Theme,
    WorkingGroup,
    WorkingGroupMember,
)
from maillage.core.enums import Role, Visibility
from maillage.core.filters import ListFilters
from maillage.core.permissions import is_staff
from maillage.core.text import fold
from maillage.directory.models import Organisation
from maillage.territories.models import Territory


class CooperationFilters(ListFilters):
    """The filters of the cooperations list (home page, `GET /cooperations`, the overview)."""

    kind: CooperationKind | None = None
    stage: Stage | None = None
    territory: int | None = Field(
        default=None, description="Couvrant ce territoire, dedans ou autour"
    )
    party: int | None = Field(default=None, description="Où cette structure est partie prenante")
    search: str = ""

    PAGE_PARAMS = {
        "nature": "kind",
        "etape": "stage",
        "territoire": "territory",
        "partie": "party",
        "q": "search",
    }


def cooperation_list(*, user, filters: CooperationFilters) -> QuerySet[Cooperation]:
    """The cooperations a user may see, with their member count, in two queries at most.
    A territory finds the cooperations covering it, a territory inside it or one around it
    (an unknown territory, none)."""
    cooperations = Cooperation.objects.visible_to(user).annotate(
        member_count=Count("memberships", distinct=True)
    )
    kind, stage, party, search = filters.kind, filters.stage, filters.party, filters.search
    if kind:
        cooperations = cooperations.filter(kind=kind)
    if stage:
        cooperations = cooperations.filter(stage=stage)
    if filters.territory is not None:
        territory = Territory.objects.filter(pk=filters.territory).first()
        if territory is None:
            return cooperations.none()
        related = (
            Territory.objects.under(territory)
            | Territory.objects.above(territory)
            | Territory.objects.filter(pk=territory.pk)
        )
        cooperations = cooperations.filter(
            pk__in=Cooperation.territories.through.objects.filter(
                territory__in=related.values("pk")
            ).values("cooperation")
        )
    if party is not None:
        cooperations = cooperations.filter(
            pk__in=Party.objects.filter(organisation=party).values("cooperation")
        )
    if search:  # case and accents folded, as every search box
        cooperations = cooperations.filter(search_name__contains=fold(search))
    return cooperations.order_by("title")


def filter_choices() -> tuple[QuerySet[Territory], QuerySet[Organisation]]:
    """The territories and organisations that some cooperation names, for the list filters."""
    territories = Territory.objects.filter(cooperations__isnull=False).distinct().order_by("name")
    organisations = (
        Organisation.objects.filter(parties__isnull=False).distinct().order_by("search_name")
    )
    return territories, organisations


def parties_of(cooperation: Cooperation) -> QuerySet[Party]:
    return cooperation.parties.select_related("organisation", "territory", "signatory").order_by(
        "role", "organisation__search_name"
    )


def milestones_of(cooperation: Cooperation, user) -> QuerySet[Milestone]:
    """The milestones in date order (undated first), with the documents the user may read."""
    return cooperation.milestones.prefetch_related(
        Prefetch("documents", queryset=documents_of(cooperation, user))
    )


def documents_of(cooperation: Cooperation, user) -> QuerySet[Document]:
    documents = Document.objects.filter(cooperation=cooperation).select_related("milestone")
    if permissions.can_edit(user, cooperation):
        return documents
    if permissions.is_member(user, cooperation):
        return documents.exclude(visibility=Visibility.RESTRICTED)
    return documents.filter(visibility=Visibility.PUBLIC)


@dataclass(frozen=True)
class TimelineEntry:
    date: date | None
    kind: str
    title: str
    milestone: Milestone | None = None


def timeline(cooperation: Cooperation, user) -> list[TimelineEntry]:
    """Milestones and stage changes in one chronology (undated milestones first)."""
    entries = [
        TimelineEntry(m.date, m.get_kind_display(), m.title, m)
        for m in milestones_of(cooperation, user)
    ]
    # Stage changes without a date have no place in a chronology: the stage path shows them.
    entries += [
        TimelineEntry(change.entered_on, _("Changement d’étape"), change.get_stage_display())
        for change in StageChange.objects.filter(cooperation=cooperation).exclude(entered_on=None)
    ]
    return sorted(entries, key=lambda entry: (entry.date is not None, entry.date or date.min))


def stage_changes_of(cooperation: Cooperation) -> QuerySet[StageChange]:
    return StageChange.objects.filter(cooperation=cooperation)


@dataclass
class TreeNode:
    node: StrategyNode
    depth: int
    level: str
    children: list["TreeNode"] = field(default_factory=list)


def strategy_tree(cooperation: Cooperation, *, proposals_for=None) -> list[TreeNode]:
    """The strategy as a tree of TreeNode, roots first, in two queries; each node carries its
    themes and, when `proposals_for` (a user) is given, the number of proposals they may see."""
    nodes = StrategyNode.objects.filter(cooperation=cooperation).prefetch_related("themes")
    if proposals_for is not None:
        visible = proposal_list(user=proposals_for, cooperation=cooperation).values("pk")
        nodes = nodes.annotate(
            proposal_count=Count("proposals", filter=Q(proposals__in=visible), distinct=True)
        )
    nodes = nodes.order_by("position", "pk")
    by_parent: dict[int | None, list[StrategyNode]] = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)

    def build(parent_id: int | None, depth: int) -> list[TreeNode]:
        return [
            TreeNode(
                node,
                depth,
                node.level_label or cooperation.level_name(depth),
                build(node.pk, depth + 1),
            )
            for node in by_parent.get(parent_id, [])
        ]

    return build(None, 0)


def flatten(tree: list[TreeNode]) -> list[TreeNode]:
    """The tree in reading order (a node, then its children)."""
    flat: list[TreeNode] = []
    for item in tree:
        flat.append(item)
        flat.extend(flatten(item.children))
    return flat


def strategy_nodes(cooperation: Cooperation) -> QuerySet[StrategyNode]:
    return cooperation.strategy_nodes.select_related("parent").prefetch_related("themes")


def themes_of(cooperation: Cooperation) -> QuerySet[Theme]:
    return cooperation.themes.annotate(
        node_count=Count("strategy_nodes", distinct=True),
        group_count=Count("working_groups", distinct=True),
    )


def working_groups_of(cooperation: Cooperation) -> QuerySet[WorkingGroup]:
    return cooperation.working_groups.select_related("theme").annotate(
        members_count=Count("members", distinct=True),
        proposals_count=Count("proposals", distinct=True),
    )


def working_group_members(group: WorkingGroup) -> QuerySet[WorkingGroupMember]:
    return group.members.select_related("person", "organisation__territory")


def representatives_by_territory(groups) -> list[dict]:
    """How many representatives each territory sends, through the organisation they
    represent: [{"territory": name or None, "count": n}], largest first."""
    rows = (
        WorkingGroupMember.objects.filter(group__in=groups)
        .values("organisation__territory__name")
        .annotate(count=Count("person", distinct=True))
        .order_by("-count", "organisation__territory__name")
    )
    return [
        {"territory": row["organisation__territory__name"], "count": row["count"]} for row in rows
    ]


class ProposalFilters(ListFilters):
    """The filters of a cooperation's proposals (its page and `GET …/proposals`)."""

    status: ProposalStatus | None = None
    working_group: int | None = None
    strategy_node: int | None = None
    search: str = ""

    PAGE_PARAMS = {"statut": "status", "groupe": "working_group", "q": "search"}


def contents_readable_q(user, named: Q | None = None) -> Q:
    """The rule of `core.permissions.can_read` for every cooperation at once, on a model with
    a cooperation and a visibility: public objects; the partners' for members of their
    cooperation; restricted ones for its coordinators (and the staff); `named`: the objects
    that name the user (their author…). The cooperation's own visibility is the caller's."""
    if is_staff(user):
        return Q()
    if user is None or not user.is_authenticated:
        return Q(visibility=Visibility.PUBLIC)
    memberships = Membership.objects.filter(user=user)
    readable = (
        Q(visibility=Visibility.PUBLIC)
        | Q(visibility=Visibility.PARTNERS, cooperation__in=memberships.values("cooperation"))
        | Q(cooperation__in=memberships.filter(role=Role.COORDINATOR).values("cooperation"))
    )
    return readable | named if named is not None else readable


def members_reading(cooperation: Cooperation, visibility: str) -> QuerySet[User]:
    """The members of a cooperation who may read an object of this visibility in it (the rule
    of `core.permissions.can_read` for its members): whom to tell of it."""
    members = Membership.objects.filter(cooperation=cooperation)
    if visibility == Visibility.RESTRICTED:
        members = members.filter(role=Role.COORDINATOR)
    return User.objects.filter(is_active=True, pk__in=members.values("user"))


def documents_visible_to(user) -> QuerySet[Document]:
    """Every document a user may read, across cooperations (the rule of
    `permissions.can_view_document`, with the cooperation's own visibility)."""
    cooperations = Cooperation.objects.visible_to(user).values("pk")
    return Document.objects.filter(cooperation__in=cooperations).filter(contents_readable_q(user))


def readable_proposals(user, cooperation: Cooperation) -> QuerySet[Proposal]:
    """The proposals of a cooperation the user may read: public ones; the partners' for
    members; their own; all of them for its coordinators."""
    proposals = cooperation.proposals.all()
    if permissions.can_edit(user, cooperation):
        return proposals
    readable = Q(visibility=Visibility.PUBLIC)
    if permissions.is_member(user, cooperation):
        readable |= Q(visibility=Visibility.PARTNERS)
    if user.is_authenticated:
        readable |= Q(created_by=user)
    return proposals.filter(readable)


def proposal_list(
    *, user, cooperation: Cooperation, filters: ProposalFilters | None = None
) -> QuerySet[Proposal]:
    """The proposals of a cooperation the user may read, with what their rows show."""
    filters = filters or ProposalFilters()
    status, search = filters.status, filters.search
    proposals = readable_proposals(user, cooperation)
    if status:
        proposals = proposals.filter(status=status)
    if filters.working_group is not None:
        proposals = proposals.filter(working_group=filters.working_group)
    if filters.strategy_node is not None:
        proposals = proposals.filter(strategy_nodes=filters.strategy_node)
    if search:
        proposals = proposals.filter(Q(title__icontains=search) | Q(text__icontains=search))
    return (
        proposals.select_related("working_group", "author", "merged_into")
        .prefetch_related(
            Prefetch("strategy_nodes", queryset=StrategyNode.objects.order_by("code"))
        )
        .annotate(comment_count=Count("comments", distinct=True))
        .order_by("number")
    )


def proposal_funnel(cooperation: Cooperation, user) -> dict[str, int]:
    """How many proposals the user may read are at each status (one query): the cooperation's
    page and the dashboards count with it."""
    counts = dict(
        readable_proposals(user, cooperation)
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {status: counts.get(status, 0) for status in ProposalStatus.values}


def members_of(cooperation: Cooperation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(cooperation=cooperation)
        .select_related("user")
        .order_by("role", "user__last_name", "user__email")
    )


def open_invitations(cooperation: Cooperation) -> QuerySet[Invitation]:
    """The invitations not accepted yet, pending or expired (they can be sent again or
    withdrawn), the latest first."""
    return cooperation.invitations.filter(accepted_at__isnull=True).order_by("-created_at", "-pk")
