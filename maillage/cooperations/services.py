"""Every write on a cooperation and what hangs from it (the worked example of the service
convention, docs/architecture.md §Services).

Each function is one business operation: keyword-only arguments, the actor first (None means
the system: demo loader, commands), validation by `full_clean`, and the write inside
`recorded_change` so the history knows who did it.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model, ProtectedError, Q, RestrictedError
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.accounts.models import Membership, User
from maillage.accounts.services import membership_remove, membership_set
from maillage.cooperations import permissions, selectors
from maillage.cooperations.enums import ProposalStatus, Stage
from maillage.cooperations.models import (
    Cooperation,
    Document,
    Invitation,
    Milestone,
    Party,
    Proposal,
    ProposalComment,
    StageChange,
    StrategyNode,
    Theme,
    WorkingGroup,
    WorkingGroupMember,
)
from maillage.core.enums import Role, Visibility
from maillage.core.exceptions import Conflict
from maillage.core.history import delete_recorded, recorded_change
from maillage.core.permissions import is_staff
from maillage.core.services import apply_changes
from maillage.directory.models import Organisation, Person
from maillage.notifications.enums import NotificationKind
from maillage.notifications.services import notify, notify_addresses
from maillage.territories.models import Territory

EDITABLE_FIELDS = (
    "title",
    "short_name",
    "kind",
    "summary",
    "description",
    "start_date",
    "end_date",
    "duration_years",
    "strategy_levels",
    "logo",
    "visibility",
)
PARTY_FIELDS = ("role", "territory", "signatory", "signatory_title", "note")
MILESTONE_FIELDS = ("kind", "title", "date", "description", "assembly", "changes")
WORKING_GROUP_FIELDS = ("name", "kind", "theme", "description")
PROPOSAL_FIELDS = ("title", "text", "working_group", "author", "visibility")
THEME_FIELDS = ("name", "description")
STRATEGY_NODE_FIELDS = ("title", "code", "manual_code", "level_label", "description")
# What the apps above take away with a cooperation (the portfolio, the bodies…), each
# registered by its app (AppConfig.ready) so that its snapshot is kept for a restore.
DELETION_CASCADES: list[Callable[[Cooperation], Iterable[Model]]] = []


# Shared steps ------------------------------------------------------------------------------


def _require_edit(actor: User | None, cooperation: Cooperation) -> None:
    if actor is not None and not permissions.can_edit(actor, cooperation):
        raise PermissionDenied


def require_same_cooperation(
    cooperation_id: int, field: str, objects: Iterable[Model | None]
) -> None:
    """What is linked to something of a cooperation must belong to that cooperation (None, and
    objects of no cooperation — organisations, territories, people — pass). The one check the
    cooperations, projects and governance services share."""
    for obj in objects:
        if obj is not None and getattr(obj, "cooperation_id", cooperation_id) != cooperation_id:
            raise ValidationError({field: _("Cet élément appartient à une autre coopération.")})


def _require_same_cooperation(cooperation: Cooperation, **related: Model | None) -> None:
    for field, obj in related.items():
        require_same_cooperation(cooperation.pk, field, [obj])


def _save(actor: User | None, obj: Model, comment: str) -> None:
    obj.full_clean()
    with recorded_change(actor=actor, comment=comment):
        obj.save()


# The cooperation ---------------------------------------------------------------------------


def cooperation_create(
    *,
    actor: User | None,
    title: str,
    kind: str,
    short_name: str = "",
    slug: str = "",
    territories: Iterable[Territory] = (),
    stage: str = Stage.DIAGNOSIS,
    stage_entered_on: date | None = None,
    **fields: Any,
) -> Cooperation:
    """Create a cooperation; `fields` are among EDITABLE_FIELDS. `stage_entered_on` None
    records the stage without a date (a past cooperation whose sources give none). Whoever
    starts it (staff aside) becomes its coordinator."""
    if actor is not None and not permissions.can_create(actor):
        raise PermissionDenied
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    slug = slug or slugify(short_name or title)[:80]
    if slug.isdigit():  # numbers address cooperations by id in the API
        slug = f"cooperation-{slug}"
    if Cooperation.objects.filter(slug=slug).exists():
        raise Conflict(
            _("Une coopération utilise déjà l’identifiant « %(slug)s ».") % {"slug": slug}
        )
    cooperation = Cooperation(
        title=title, short_name=short_name, slug=slug, kind=kind, stage=stage, **fields
    )
    cooperation.full_clean()
    with recorded_change(actor=actor, comment=_("Création de la coopération")):
        cooperation.save()
        cooperation.territories.set(territories)
        StageChange.objects.create(
            cooperation=cooperation,
            stage=stage,
            entered_on=stage_entered_on,
            recorded_by=actor,
        )
        if actor is not None and not is_staff(actor):  # who starts it coordinates it
            Membership.objects.create(user=actor, cooperation=cooperation, role=Role.COORDINATOR)
    return cooperation


def cooperation_update(
    *,
    actor: User | None,
    cooperation: Cooperation,
    territories: Iterable[Territory] | None = None,
    read_at: datetime | None = None,
    **changes: Any,
) -> Cooperation:
    """Change a cooperation's description and territories; `read_at`, when given, refuses an
    edit made on a copy read before someone else's change (Conflict)."""
    _require_edit(actor, cooperation)
    comment = _("Modification de la coopération")
    with recorded_change(actor=actor, comment=comment):
        apply_changes(
            actor=actor,
            obj=cooperation,
            changes=changes,
            allowed=EDITABLE_FIELDS,
            comment=comment,
            read_at=read_at,
        )
        if territories is not None:
            cooperation.territories.set(territories)
        narrow_contents(cooperation)
    return cooperation


def narrow_contents(cooperation: Cooperation) -> int:
    """Bring what the cooperation holds back within its visibility once it is narrowed (a
    public meeting of a cooperation now partners-only becomes partners-only: it was
    unreachable to the public anyway, `core.models.require_reachable`). Every model with a
    `cooperation` and a `visibility` is covered, whichever app it belongs to. Returns how many
    objects changed."""
    wider = [
        visibility
        for visibility in Visibility.values
        if Visibility.narrowest(visibility, cooperation.visibility) != visibility
    ]
    if not wider:
        return 0
    narrowed = 0
    for relation in cooperation._meta.related_objects:
        model = cast(type[Model], relation.related_model)
        names = {field.name for field in model._meta.concrete_fields}
        if relation.one_to_many and relation.field.name == "cooperation" and "visibility" in names:
            update: dict[str, Any] = {"visibility": cooperation.visibility}
            if "updated_at" in names:
                update["updated_at"] = timezone.now()
            rows = model._default_manager.filter(cooperation=cooperation, visibility__in=wider)
            narrowed += rows.update(**update)
    return narrowed


def cooperation_stage_set(
    *, actor: User | None, cooperation: Cooperation, stage: str, entered_on: date | None
) -> StageChange:
    """Move a cooperation to a stage from a date; the dated entries make its path."""
    _require_edit(actor, cooperation)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Étape inconnue : %(stage)s.") % {"stage": stage}})
    latest = (
        cooperation.stage_changes.exclude(entered_on=None)
        .order_by("-entered_on")
        .values_list("entered_on", flat=True)
        .first()
    )
    if latest is not None and entered_on is not None and entered_on < latest:
        raise ValidationError(
            {
                "entered_on": _(
                    "L’étape en cours a débuté le %(date)s : choisissez une date "
                    "égale ou postérieure."
                )
                % {"date": latest.strftime("%d/%m/%Y")}
            }
        )
    with recorded_change(
        actor=actor,
        comment=_("Étape : %(stage)s") % {"stage": Stage(stage).label},
    ):
        cooperation.stage = stage
        cooperation.save(update_fields=["stage", "updated_at"])
        return StageChange.objects.create(
            cooperation=cooperation, stage=stage, entered_on=entered_on, recorded_by=actor
        )


def cooperation_delete(*, actor: User, cooperation: Cooperation) -> None:
    """Delete a cooperation; staff can bring it back from the history (core.history)."""
    if not actor.is_staff:
        raise PermissionDenied
    delete_recorded(
        actor=actor,
        comment=_("Suppression de la coopération"),
        obj=cooperation,
        cascaded=[
            *cooperation.memberships.all(),
            *cooperation.parties.all(),
            *cooperation.milestones.all(),
            *cooperation.documents.all(),
            *cooperation.themes.all(),
            *cooperation.strategy_nodes.all(),
            *cooperation.working_groups.all(),
            *WorkingGroupMember.objects.filter(group__cooperation=cooperation),
            *cooperation.proposals.all(),
            *(obj for cascade in DELETION_CASCADES for obj in cascade(cooperation)),
        ],
    )


# Parties -----------------------------------------------------------------------------------


def party_add(
    *,
    actor: User | None,
    cooperation: Cooperation,
    organisation: Organisation,
    role: str,
    **fields: Any,
) -> Party:
    _require_edit(actor, cooperation)
    if cooperation.parties.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("%(name)s est déjà partie prenante.") % {"name": organisation}}
        )
    party = Party(cooperation=cooperation, organisation=organisation, role=role, **fields)
    if party.territory is None:
        party.territory = organisation.territory
    _save(actor, party, _("Ajout d’une partie prenante : %(name)s") % {"name": organisation})
    return party


def party_update(*, actor: User, party: Party, **changes: Any) -> Party:
    _require_edit(actor, party.cooperation)
    apply_changes(
        actor=actor,
        obj=party,
        changes=changes,
        allowed=PARTY_FIELDS,
        comment=_("Modification d’une partie prenante : %(name)s") % {"name": party.organisation},
    )
    return party


def party_remove(*, actor: User, party: Party) -> None:
    """Refused while something of the apps above names the party (a convention it signed)."""
    _require_edit(actor, party.cooperation)
    try:
        delete_recorded(
            actor=actor,
            comment=_("Retrait d’une partie prenante : %(name)s") % {"name": party.organisation},
            obj=party,
        )
    except (ProtectedError, RestrictedError) as error:
        raise Conflict(
            _(
                "%(name)s est partie à une convention de la coopération : retirez-la d’abord "
                "de la convention."
            )
            % {"name": party.organisation}
        ) from error


# Milestones and documents ------------------------------------------------------------------


def milestone_create(
    *, actor: User | None, cooperation: Cooperation, kind: str, title: str, **fields: Any
) -> Milestone:
    _require_edit(actor, cooperation)
    milestone = Milestone(cooperation=cooperation, kind=kind, title=title, **fields)
    _save(actor, milestone, _("Ajout d’une étape : %(title)s") % {"title": title})
    return milestone


def milestone_update(*, actor: User, milestone: Milestone, **changes: Any) -> Milestone:
    _require_edit(actor, milestone.cooperation)
    apply_changes(
        actor=actor,
        obj=milestone,
        changes=changes,
        allowed=MILESTONE_FIELDS,
        comment=_("Modification d’une étape : %(title)s") % {"title": milestone.title},
    )
    return milestone


def milestone_delete(*, actor: User, milestone: Milestone) -> None:
    _require_edit(actor, milestone.cooperation)
    delete_recorded(
        actor=actor,
        comment=_("Suppression d’une étape : %(title)s") % {"title": milestone.title},
        obj=milestone,
    )


def document_add(
    *,
    actor: User | None,
    cooperation: Cooperation,
    kind: str,
    title: str,
    file=None,
    milestone: Milestone | None = None,
    visibility: str = Document._meta.get_field("visibility").default,
) -> Document:
    """Store a document through Django's storage API (type and size checked by the model)."""
    _require_edit(actor, cooperation)
    _require_same_cooperation(cooperation, milestone=milestone)
    document = Document(
        cooperation=cooperation,
        kind=kind,
        title=title,
        file=file or "",
        milestone=milestone,
        visibility=visibility,
        size=file.size if file else 0,
        uploaded_by=actor,
    )
    _save(actor, document, _("Ajout d’un document : %(title)s") % {"title": title})
    return document


def document_delete(*, actor: User, document: Document) -> None:
    """Delete the record; the stored file stays so that the history can restore it."""
    _require_edit(actor, document.cooperation)
    delete_recorded(
        actor=actor,
        comment=_("Suppression d’un document : %(title)s") % {"title": document.title},
        obj=document,
    )


# Members -----------------------------------------------------------------------------------


def invitation_create(
    *, actor: User, cooperation: Cooperation, email: str, role: str, site_url: str = ""
) -> Invitation:
    """Invite someone by e-mail; the message leaves through the task queue on commit.
    `site_url` is the address the link starts with (the request's, or settings.SITE_URL)."""
    if not permissions.can_manage_members(actor, cooperation):
        raise PermissionDenied
    email = email.strip().lower()
    if Membership.objects.filter(cooperation=cooperation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("Cette personne est déjà membre de la coopération.")})
    invitation = Invitation(cooperation=cooperation, email=email, role=role, invited_by=actor)
    invitation.full_clean(exclude=["token"])
    with recorded_change(actor=actor, comment=_("Invitation d’un membre")):
        invitation.save()
        _mail_invitation(invitation, actor=actor, site_url=site_url)
    return invitation


def _mail_invitation(invitation: Invitation, *, actor: User, site_url: str) -> None:
    notify_addresses(
        emails=[invitation.email],
        kind=NotificationKind.INVITATION,
        title=_("Invitation à rejoindre « %(cooperation)s » sur Maillage")
        % {"cooperation": invitation.cooperation},
        text=_(
            "%(actor)s vous invite à rejoindre la coopération « %(cooperation)s » sur "
            "Maillage, avec le rôle « %(role)s ».\n\nPour accepter, ouvrez ce lien dans les "
            "30 jours et connectez-vous (ou créez votre compte avec cette adresse) :"
        )
        % {
            "actor": actor.get_full_name() or actor.email,
            "cooperation": invitation.cooperation.title,
            "role": Role(invitation.role).label,
        },
        url=reverse("cooperations:invitation", kwargs={"token": invitation.token}),
        actor=actor,
        site_url=site_url,
    )


def _open_invitation(actor: User, invitation: Invitation) -> None:
    """Only the members' managers touch an invitation, and only before it is accepted."""
    if not permissions.can_manage_members(actor, invitation.cooperation):
        raise PermissionDenied
    if invitation.accepted_at is not None:
        raise Conflict(_("Cette invitation a déjà été acceptée."))


def invitation_resend(*, actor: User, invitation: Invitation, site_url: str = "") -> Invitation:
    """Send an invitation again (lost, or expired): a new link, valid 30 days from now; the
    old link stops working. Its date becomes today's, the date it was last sent."""
    _open_invitation(actor, invitation)
    with recorded_change(actor=actor, comment=_("Invitation renvoyée")):
        invitation.token = ""  # `save` draws a new one
        invitation.created_at = timezone.now()
        invitation.invited_by = actor
        invitation.save(update_fields=["token", "created_at", "invited_by", "updated_at"])
        _mail_invitation(invitation, actor=actor, site_url=site_url)
    return invitation


def invitation_withdraw(*, actor: User, invitation: Invitation) -> None:
    """Withdraw an invitation not yet accepted (a wrong address or role): its link stops
    working at once."""
    _open_invitation(actor, invitation)
    with recorded_change(actor=actor, comment=_("Invitation retirée")):
        invitation.delete()


def invitation_accept(*, user: User, invitation: Invitation) -> Membership:
    """The invited person joins with the role of the invitation. The invitation is bound to
    its address: another account cannot use a forwarded link."""
    if not invitation.is_pending:
        raise Conflict(_("Cette invitation a expiré ou a déjà servi."))
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied
    with recorded_change(actor=user, comment=_("Invitation acceptée")):
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
        return membership_set(
            actor=user,
            cooperation=invitation.cooperation,
            user=user,
            role=Role(invitation.role),
        )


def _keep_a_coordinator(membership: Membership, new_role: str | None) -> None:
    if membership.role != Role.COORDINATOR or new_role == Role.COORDINATOR:
        return
    others = Membership.objects.filter(
        cooperation_id=membership.cooperation_id, role=Role.COORDINATOR
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise Conflict(
            _("La coopération doit garder au moins une coordinatrice ou un coordinateur.")
        )


def member_role_set(*, actor: User, membership: Membership, role: str) -> Membership:
    if not permissions.can_manage_members(actor, membership.cooperation):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": _("Rôle inconnu : %(role)s.") % {"role": role}})
    _keep_a_coordinator(membership, role)
    return membership_set(
        actor=actor, cooperation=membership.cooperation, user=membership.user, role=Role(role)
    )


def member_remove(*, actor: User, membership: Membership) -> None:
    if not permissions.can_manage_members(actor, membership.cooperation):
        raise PermissionDenied
    _keep_a_coordinator(membership, None)
    membership_remove(actor=actor, membership=membership)


# Themes ------------------------------------------------------------------------------------


def theme_create(
    *, actor: User | None, cooperation: Cooperation, name: str, description: str = ""
) -> Theme:
    _require_edit(actor, cooperation)
    theme = Theme(cooperation=cooperation, name=name, description=description)
    _save(actor, theme, _("Ajout d’une thématique : %(name)s") % {"name": name})
    return theme


def theme_update(*, actor: User, theme: Theme, **changes: Any) -> Theme:
    _require_edit(actor, theme.cooperation)
    apply_changes(
        actor=actor,
        obj=theme,
        changes=changes,
        allowed=THEME_FIELDS,
        comment=_("Modification d’une thématique : %(name)s") % {"name": theme.name},
    )
    return theme


def theme_delete(*, actor: User, theme: Theme) -> None:
    _require_edit(actor, theme.cooperation)
    delete_recorded(
        actor=actor,
        comment=_("Suppression d’une thématique : %(name)s") % {"name": theme.name},
        obj=theme,
    )


# Strategy ----------------------------------------------------------------------------------


def strategy_renumber(cooperation: Cooperation) -> list[StrategyNode]:
    """Give every node its rank among its siblings and, unless typed, the code that follows
    from it ("4.1.2": the second child of the first child of the fourth root). One read, one
    bulk write; a clash between codes is a ValidationError (the caller's transaction undoes)."""
    nodes = list(StrategyNode.objects.filter(cooperation=cooperation).order_by("position", "pk"))
    children: dict[int | None, list[StrategyNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    changed: list[StrategyNode] = []

    def number(parent: StrategyNode | None) -> None:
        for rank, node in enumerate(children[parent.pk if parent else None]):
            code = node.code
            if not node.manual_code:
                if parent is None:
                    code = str(rank + 1)
                else:
                    code = f"{parent.code}.{rank + 1}" if parent.code else ""
            if (node.position, node.code) != (rank, code):
                node.position, node.code = rank, code
                changed.append(node)
            number(node)

    number(None)
    seen: dict[str, StrategyNode] = {}
    for node in nodes:
        if node.code and node.code in seen:
            raise ValidationError(
                {"code": _("Le code « %(code)s » est déjà utilisé.") % {"code": node.code}}
            )
        seen[node.code] = node
    StrategyNode.objects.bulk_update(changed, ["position", "code"])
    return nodes


def _check_parent(node: StrategyNode | None, parent: StrategyNode | None, cooperation) -> None:
    _require_same_cooperation(cooperation, parent=parent)
    ancestor = parent
    while ancestor is not None and node is not None:
        if ancestor.pk == node.pk:
            raise ValidationError({"parent": _("Un élément ne peut pas être placé sous lui-même.")})
        ancestor = ancestor.parent


def strategy_node_create(
    *,
    actor: User | None,
    cooperation: Cooperation,
    title: str,
    parent: StrategyNode | None = None,
    code: str = "",
    manual_code: bool = False,
    description: str = "",
    level_label: str = "",
    themes: Iterable[Theme] = (),
) -> StrategyNode:
    """Add a node at the end of its parent's children. A typed code (or `manual_code` with an
    empty one, for an action the source leaves unnumbered) is kept as typed."""
    _require_edit(actor, cooperation)
    _check_parent(None, parent, cooperation)
    themes = list(themes)
    for theme in themes:
        _require_same_cooperation(cooperation, themes=theme)
    last = StrategyNode.objects.filter(cooperation=cooperation, parent=parent).aggregate(
        last=Max("position")
    )["last"]
    node = StrategyNode(
        cooperation=cooperation,
        parent=parent,
        position=0 if last is None else last + 1,
        code=code.strip(),
        manual_code=manual_code or bool(code.strip()),
        title=title,
        description=description,
        level_label=level_label,
    )
    node.full_clean()
    with recorded_change(
        actor=actor, comment=_("Ajout à la stratégie : %(title)s") % {"title": title}
    ):
        node.save()
        node.themes.set(themes)
        strategy_renumber(cooperation)
    node.refresh_from_db()
    return node


def strategy_node_update(
    *,
    actor: User,
    node: StrategyNode,
    themes: Iterable[Theme] | None = None,
    **changes: Any,
) -> StrategyNode:
    """Change a node's `STRATEGY_NODE_FIELDS` (those given). A code given without
    `manual_code` is typed when it is not empty; an empty one returns the node to the
    automatic code (the code that follows its position)."""
    _require_edit(actor, node.cooperation)
    if "code" in changes:
        changes["code"] = (changes["code"] or "").strip()
        if changes.get("manual_code") is None:
            changes["manual_code"] = bool(changes["code"])
    elif changes.get("manual_code") is None:
        changes.pop("manual_code", None)
    comment = _("Modification de la stratégie : %(title)s") % {
        "title": changes.get("title") or node.title
    }
    with recorded_change(actor=actor, comment=comment):
        apply_changes(
            actor=actor,
            obj=node,
            changes=changes,
            allowed=STRATEGY_NODE_FIELDS,
            comment=comment,
        )
        if themes is not None:
            themes = list(themes)
            for theme in themes:
                _require_same_cooperation(node.cooperation, themes=theme)
            node.themes.set(themes)
        strategy_renumber(node.cooperation)
    node.refresh_from_db()
    return node


def strategy_node_move(
    *, actor: User, node: StrategyNode, parent: StrategyNode | None, position: int
) -> StrategyNode:
    """Put a node (with its subtree) under `parent` at rank `position` (0 is first; ranks
    beyond the end mean last). Automatic codes of everything that moved follow."""
    _require_edit(actor, node.cooperation)
    _check_parent(node, parent, node.cooperation)
    siblings = list(
        StrategyNode.objects.filter(cooperation=node.cooperation_id, parent=parent)
        .exclude(pk=node.pk)
        .order_by("position", "pk")
    )
    position = max(0, min(position, len(siblings)))
    siblings.insert(position, node)
    with recorded_change(
        actor=actor, comment=_("Déplacement dans la stratégie : %(title)s") % {"title": node.title}
    ):
        node.parent = parent
        node.save(update_fields=["parent", "updated_at"])
        for rank, sibling in enumerate(siblings):
            sibling.position = rank
        StrategyNode.objects.bulk_update(siblings, ["position"])
        strategy_renumber(node.cooperation)
    node.refresh_from_db()
    return node


MOVE_DIRECTIONS = ("up", "down", "in", "out")


def strategy_node_step(*, actor: User, node: StrategyNode, direction: str) -> StrategyNode:
    """One step of the tree's move buttons: `up` / `down` among its siblings, `in` under the
    sibling above (last of its children), `out` after its parent. A step that cannot be taken
    (first node up, root node out…) leaves the tree as it is."""
    if direction not in MOVE_DIRECTIONS:
        raise ValidationError(
            {"direction": _("Direction inconnue : %(direction)s.") % {"direction": direction}}
        )
    siblings = list(
        StrategyNode.objects.filter(
            cooperation=node.cooperation_id, parent=node.parent_id
        ).order_by("position", "pk")
    )
    rank = [sibling.pk for sibling in siblings].index(node.pk)
    parent, position = node.parent, rank
    if direction == "up":
        position = max(rank - 1, 0)
    elif direction == "down":
        position = rank + 1
    elif direction == "in" and rank > 0:
        parent, position = siblings[rank - 1], len(siblings)  # beyond the end: last
    elif direction == "out" and node.parent is not None:
        parent, position = node.parent.parent, node.parent.position + 1
    return strategy_node_move(actor=actor, node=node, parent=parent, position=position)


def strategy_node_delete(*, actor: User, node: StrategyNode) -> None:
    """Delete a node and its subtree; the following siblings move up and are renumbered."""
    cooperation = node.cooperation
    _require_edit(actor, cooperation)
    descendants = []
    frontier = [node]
    while frontier:
        frontier = list(StrategyNode.objects.filter(parent__in=frontier))
        descendants.extend(frontier)
    with transaction.atomic():
        delete_recorded(
            actor=actor,
            comment=_("Suppression dans la stratégie : %(title)s") % {"title": node.title},
            obj=node,
            cascaded=descendants,
        )
        strategy_renumber(cooperation)


def strategy_copy(*, actor: User | None, source: Cooperation, target: Cooperation) -> int:
    """Start a cooperation's strategy from another one's: its level names, its nodes with
    their codes, and the themes they carry (matched by name, created when missing). Only into
    an empty strategy. Returns the number of nodes copied."""
    _require_edit(actor, target)
    if actor is not None and not permissions.can_view(actor, source):
        raise PermissionDenied
    if source.pk == target.pk:
        raise ValidationError({"source": _("Choisissez une autre coopération.")})
    if target.strategy_nodes.exists():
        raise Conflict(_("La stratégie de cette coopération n’est pas vide."))
    nodes = list(
        StrategyNode.objects.filter(cooperation=source)
        .prefetch_related("themes")
        .order_by("position", "pk")
    )
    with recorded_change(
        actor=actor,
        comment=_("Stratégie reprise de « %(source)s »") % {"source": source},
    ):
        target.strategy_levels = source.strategy_levels
        target.save(update_fields=["strategy_levels", "updated_at"])
        themes = {theme.name: theme for theme in target.themes.all()}
        copies: dict[int, StrategyNode] = {}
        pending = nodes
        while pending:  # parents before their children
            later = []
            for node in pending:
                if node.parent_id is not None and node.parent_id not in copies:
                    later.append(node)
                    continue
                copy = StrategyNode.objects.create(
                    cooperation=target,
                    parent=copies.get(node.parent_id) if node.parent_id else None,
                    position=node.position,
                    code=node.code,
                    manual_code=node.manual_code,
                    title=node.title,
                    description=node.description,
                    level_label=node.level_label,
                )
                for theme in node.themes.all():
                    if theme.name not in themes:
                        themes[theme.name] = Theme.objects.create(
                            cooperation=target, name=theme.name, description=theme.description
                        )
                    copy.themes.add(themes[theme.name])
                copies[node.pk] = copy
            pending = later
    return len(copies)


# Working groups ----------------------------------------------------------------------------


def working_group_create(
    *, actor: User | None, cooperation: Cooperation, name: str, **fields: Any
) -> WorkingGroup:
    _require_edit(actor, cooperation)
    _require_same_cooperation(cooperation, theme=fields.get("theme"))
    group = WorkingGroup(cooperation=cooperation, name=name, **fields)
    _save(actor, group, _("Ajout d’un groupe de travail : %(name)s") % {"name": name})
    return group


def working_group_update(*, actor: User, group: WorkingGroup, **changes: Any) -> WorkingGroup:
    _require_edit(actor, group.cooperation)
    _require_same_cooperation(group.cooperation, theme=changes.get("theme"))
    apply_changes(
        actor=actor,
        obj=group,
        changes=changes,
        allowed=WORKING_GROUP_FIELDS,
        comment=_("Modification d’un groupe de travail : %(name)s") % {"name": group.name},
    )
    return group


def working_group_delete(*, actor: User, group: WorkingGroup) -> None:
    _require_edit(actor, group.cooperation)
    delete_recorded(
        actor=actor,
        comment=_("Suppression d’un groupe de travail : %(name)s") % {"name": group.name},
        obj=group,
        cascaded=group.members.all(),
    )


def working_group_member_add(
    *,
    actor: User | None,
    group: WorkingGroup,
    person: Person,
    organisation: Organisation | None = None,
) -> WorkingGroupMember:
    _require_edit(actor, group.cooperation)
    if group.members.filter(person=person).exists():
        raise ValidationError({"person": _("Cette personne fait déjà partie du groupe.")})
    member = WorkingGroupMember(group=group, person=person, organisation=organisation)
    # The comment stays free of names: people may ask to be erased (directory.services).
    _save(actor, member, _("Ajout d’un membre au groupe « %(group)s »") % {"group": group.name})
    return member


def working_group_member_remove(*, actor: User, member: WorkingGroupMember) -> None:
    _require_edit(actor, member.group.cooperation)
    delete_recorded(
        actor=actor,
        comment=_("Retrait d’un membre du groupe « %(group)s »") % {"group": member.group.name},
        obj=member,
    )


# Proposals ---------------------------------------------------------------------------------


def _check_nodes(cooperation: Cooperation, nodes: list[StrategyNode]) -> None:
    for node in nodes:
        _require_same_cooperation(cooperation, strategy_nodes=node)


def proposal_create(
    *,
    actor: User | None,
    cooperation: Cooperation,
    title: str,
    strategy_nodes: Iterable[StrategyNode] = (),
    status: str = ProposalStatus.SUBMITTED,
    **fields: Any,
) -> Proposal:
    """A member puts forward a proposal; it gets the next number of the cooperation. `status`
    other than submitted is for the system (demo, imports of past co-constructions)."""
    if actor is not None and not permissions.can_propose(actor, cooperation):
        raise PermissionDenied
    if actor is not None and status != ProposalStatus.SUBMITTED:
        raise ValueError("A proposal is created as submitted; its status is then decided.")
    nodes = list(strategy_nodes)
    _check_nodes(cooperation, nodes)
    _require_same_cooperation(cooperation, working_group=fields.get("working_group"))
    with recorded_change(
        actor=actor, comment=_("Nouvelle piste de coopération : %(title)s") % {"title": title}
    ):
        # Numbering under a lock of the cooperation row keeps two proposals from one number.
        Cooperation.objects.select_for_update().filter(pk=cooperation.pk).first()
        last = cooperation.proposals.aggregate(last=Max("number"))["last"] or 0
        proposal = Proposal(
            cooperation=cooperation,
            number=last + 1,
            title=title,
            status=status,
            created_by=actor,
            **fields,
        )
        proposal.full_clean()
        proposal.save()
        proposal.strategy_nodes.set(nodes)
        if actor is not None:
            notify(
                recipients=selectors.members_reading(cooperation, Visibility.RESTRICTED),
                kind=NotificationKind.PROPOSAL,
                title=_("Nouvelle piste dans « %(cooperation)s » : %(title)s")
                % {"cooperation": cooperation.title, "title": title},
                url=proposal.get_absolute_url(),
                actor=actor,
            )
    return proposal


def proposal_update(
    *,
    actor: User,
    proposal: Proposal,
    strategy_nodes: Iterable[StrategyNode] | None = None,
    read_at: datetime | None = None,
    **changes: Any,
) -> Proposal:
    if not permissions.can_edit_proposal(actor, proposal):
        raise PermissionDenied
    cooperation = proposal.cooperation
    _require_same_cooperation(cooperation, working_group=changes.get("working_group"))
    comment = _("Modification d’une piste : %(title)s") % {"title": proposal.title}
    with recorded_change(actor=actor, comment=comment):
        apply_changes(
            actor=actor,
            obj=proposal,
            changes=changes,
            allowed=PROPOSAL_FIELDS,
            comment=comment,
            read_at=read_at,
        )
        if strategy_nodes is not None:
            nodes = list(strategy_nodes)
            _check_nodes(cooperation, nodes)
            proposal.strategy_nodes.set(nodes)
    return proposal


def proposal_decide(
    *,
    actor: User | None,
    proposal: Proposal,
    status: str,
    reason: str = "",
    merged_into: Proposal | None = None,
) -> Proposal:
    """The coordinators' decision on a proposal: retained, merged into another (which must
    not itself be merged), declined (with a reason), or back under study."""
    _require_edit(actor, proposal.cooperation)
    if status not in ProposalStatus.values:
        raise ValidationError({"status": _("Statut inconnu : %(status)s.") % {"status": status}})
    _require_same_cooperation(proposal.cooperation, merged_into=merged_into)
    if merged_into is not None and merged_into.status == ProposalStatus.MERGED:
        raise ValidationError(
            {"merged_into": _("Cette piste est elle-même fusionnée ; choisissez celle qui reste.")}
        )
    proposal.status = status
    proposal.decision_reason = reason
    proposal.merged_into = merged_into
    _save(
        actor,
        proposal,
        _("Piste %(number)s : %(status)s")
        % {"number": proposal.number, "status": ProposalStatus(status).label},
    )
    return proposal


def proposal_comment(*, actor: User, proposal: Proposal, text: str) -> ProposalComment:
    if not permissions.can_comment(actor, proposal.cooperation):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Le commentaire est vide.")})
    comment = ProposalComment(proposal=proposal, author=actor, text=text.strip())
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        _notify_comment(comment)
    return comment


def _notify_comment(comment: ProposalComment) -> None:
    """The proposal's author, those who commented on it and the coordinators are told — among
    them, those who may still read it."""
    proposal = comment.proposal
    readers = selectors.members_reading(proposal.cooperation, proposal.visibility)
    author = User.objects.filter(pk__in=[proposal.created_by_id])  # named: reads it anyway
    concerned = Q(pk__in=proposal.comments.values("author")) | Q(
        pk__in=selectors.members_reading(proposal.cooperation, Visibility.RESTRICTED)
    )
    recipients = readers.filter(concerned) | author
    notify(
        recipients=recipients.distinct(),
        kind=NotificationKind.PROPOSAL,
        title=_("Commentaire sur la piste %(number)s : %(title)s")
        % {"number": proposal.number, "title": proposal.title},
        text=comment.text[:500],
        url=proposal.get_absolute_url(),
        actor=comment.author,
    )
