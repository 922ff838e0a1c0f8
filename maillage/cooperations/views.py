"""The pages of a cooperation: its home, the editing screens of its coordinators, its
strategy (edited in place with htmx, and without JavaScript through plain forms), its
co-construction. Views parse, ask permissions, call one service or selector and render."""

from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import retarget

from maillage.accounts.api import accepts_api_token
from maillage.accounts.models import Membership
from maillage.accounts.selectors import role_in
from maillage.cooperations import forms, permissions, selectors, services
from maillage.cooperations.enums import ProposalStatus
from maillage.cooperations.models import (
    Cooperation,
    Invitation,
    Milestone,
    Party,
    StrategyNode,
    Theme,
    WorkingGroup,
    WorkingGroupMember,
)
from maillage.cooperations.permissions import (
    get_cooperation_for_user,
    get_document_for_user,
    get_proposal_for_user,
)
from maillage.core.exceptions import Conflict
from maillage.core.panels import render_panels
from maillage.core.views import (
    add_service_errors,
    confirm_page,
    file_download,
    form_page,
    history_page,
    image_response,
    list_filters,
)

PAGE_SIZE = 30
M = TypeVar("M", bound=Model)


def _child(model: type[M], cooperation: Cooperation, pk: int, **lookup) -> M:
    """An object of the cooperation, 404 when it belongs to another one."""
    return get_object_or_404(model, pk=pk, cooperation=cooperation, **lookup)


# The cooperation ---------------------------------------------------------------------------


def detail(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    user = request.user
    return render(
        request,
        "cooperations/detail.html",
        {
            "cooperation": cooperation,
            "role": role_in(user, cooperation.pk),
            "can_edit": permissions.can_edit(user, cooperation),
            "can_view_history": permissions.can_view_history(user, cooperation),
            "can_see_people": permissions.can_see_people(user, cooperation),
            "can_propose": permissions.can_propose(user, cooperation),
            "territories": cooperation.territories.order_by("name"),
            "stage_path": selectors.stage_changes_of(cooperation),
            "parties": selectors.parties_of(cooperation),
            "timeline": selectors.timeline(cooperation, user),
            "documents": selectors.documents_of(cooperation, user).filter(milestone=None),
            "tree": selectors.strategy_tree(cooperation, proposals_for=user),
            "working_groups": selectors.working_groups_of(cooperation),
            "themes": cooperation.themes.all(),
            "funnel": selectors.proposal_funnel(cooperation, user),
            "stage_form": forms.StageForm(initial={"stage": cooperation.stage}),
            "panels": render_panels("cooperations.cooperation", request, cooperation),
        },
    )


@login_required
def cooperation_create(request):
    if not permissions.can_create(request.user):
        raise PermissionDenied(
            _(
                "Lancer une coopération est ouvert à qui en coordonne déjà une, et aux "
                "personnes à qui l’équipe qui administre la plateforme en a donné le droit : "
                "demandez-le-lui."
            )
        )
    form = forms.CooperationForm(request.POST or None, request.FILES or None)

    def save(data):
        fields = form.changes()
        return services.cooperation_create(
            actor=request.user,
            territories=form.territories(),
            stage_entered_on=timezone.localdate(),
            **fields,
        )

    return form_page(
        request,
        form,
        save,
        cooperation=None,
        title=_("Nouvelle coopération"),
        back=reverse("portal:home"),
        success=_("La coopération est créée."),
    )


@login_required
def cooperation_update(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    form = forms.CooperationForm(request.POST or None, request.FILES or None, instance=cooperation)
    # The ModelForm has written its values on the instance: compare with a fresh copy.
    original = Cooperation.objects.get(pk=cooperation.pk)

    def save(data):
        return services.cooperation_update(
            actor=request.user,
            cooperation=original,
            territories=form.territories(),
            read_at=data["read_at"],
            **form.changes(),
        )

    return form_page(
        request,
        form,
        save,
        cooperation=cooperation,
        title=_("Modifier la coopération"),
        back=cooperation.get_absolute_url(),
        success=_("La coopération est enregistrée."),
    )


@login_required
@require_POST
def stage_set(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    form = forms.StageForm(request.POST)
    if form.is_valid():
        try:
            services.cooperation_stage_set(
                actor=request.user, cooperation=cooperation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    else:
        messages.success(request, _("L’étape est enregistrée."))
    return redirect(cooperation)


def history(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    return history_page(
        request, cooperation, allowed=permissions.can_view_history(request.user, cooperation)
    )


# Parties -----------------------------------------------------------------------------------


@login_required
def party_add(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    form = forms.PartyForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: (
            services.party_add(actor=request.user, cooperation=cooperation, **data) and cooperation
        ),
        cooperation=cooperation,
        title=_("Ajouter une partie prenante"),
        back=cooperation.get_absolute_url(),
        success=_("La partie prenante est ajoutée."),
    )


@login_required
def party_update(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    party = _child(Party, cooperation, pk)
    form = forms.PartyForm(request.POST or None, instance=Party.objects.get(pk=party.pk))
    form.fields["organisation"].disabled = True

    def save(data):
        data.pop("organisation")
        services.party_update(actor=request.user, party=party, **data)
        return cooperation

    return form_page(
        request,
        form,
        save,
        cooperation=cooperation,
        title=_("Modifier une partie prenante"),
        back=cooperation.get_absolute_url(),
        success=_("La partie prenante est enregistrée."),
    )


@login_required
def party_remove(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    party = _child(Party, cooperation, pk)
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Retirer %(name)s des parties prenantes ?") % {"name": party.organisation},
        explanation=_("La structure reste dans l’annuaire ; le retrait figure dans l’historique."),
        action=lambda: services.party_remove(actor=request.user, party=party),
        back=cooperation.get_absolute_url(),
        done=cooperation.get_absolute_url(),
        success=_("La partie prenante est retirée."),
    )


# Milestones and documents ------------------------------------------------------------------


@login_required
def milestone_create(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    form = forms.MilestoneForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: (
            services.milestone_create(actor=request.user, cooperation=cooperation, **data)
            and cooperation
        ),
        cooperation=cooperation,
        title=_("Ajouter une étape"),
        back=cooperation.get_absolute_url(),
        success=_("L’étape est ajoutée."),
    )


@login_required
def milestone_update(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    milestone = _child(Milestone, cooperation, pk)
    form = forms.MilestoneForm(request.POST or None, instance=Milestone.objects.get(pk=pk))
    return form_page(
        request,
        form,
        lambda data: (
            services.milestone_update(actor=request.user, milestone=milestone, **data)
            and cooperation
        ),
        cooperation=cooperation,
        title=_("Modifier l’étape"),
        back=cooperation.get_absolute_url(),
        success=_("L’étape est enregistrée."),
    )


@login_required
def milestone_delete(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    milestone = _child(Milestone, cooperation, pk)
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Supprimer l’étape « %(title)s » ?") % {"title": milestone.title},
        explanation=_("Ses documents restent dans la coopération, sans étape."),
        action=lambda: services.milestone_delete(actor=request.user, milestone=milestone),
        back=cooperation.get_absolute_url(),
        done=cooperation.get_absolute_url(),
        success=_("L’étape est supprimée."),
    )


@login_required
def document_add(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    form = forms.DocumentForm(request.POST or None, request.FILES or None, cooperation=cooperation)
    if request.method == "GET" and request.GET.get("etape", "").isdigit():
        form.initial["milestone"] = int(request.GET["etape"])
    return form_page(
        request,
        form,
        lambda data: (
            services.document_add(actor=request.user, cooperation=cooperation, **data)
            and cooperation
        ),
        cooperation=cooperation,
        title=_("Joindre un document"),
        back=cooperation.get_absolute_url(),
        success=_("Le document est enregistré."),
    )


def logo(request, slug: str):
    """The cooperation's logo, for whoever may see the cooperation (stored files are never
    served straight from the storage: each goes through the permission of its record)."""
    cooperation = get_cooperation_for_user(request.user, slug)
    return image_response(cooperation.logo)


@accepts_api_token
def document_download(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug)
    return file_download(get_document_for_user(request.user, cooperation, pk).file)


@login_required
def document_delete(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    document = get_document_for_user(request.user, cooperation, pk)
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Supprimer le document « %(title)s » ?") % {"title": document.title},
        explanation=_("Le fichier est conservé : l’historique permet de le rétablir."),
        action=lambda: services.document_delete(actor=request.user, document=document),
        back=cooperation.get_absolute_url(),
        done=cooperation.get_absolute_url(),
        success=_("Le document est supprimé."),
    )


# Members -----------------------------------------------------------------------------------


@login_required
def members(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    if not permissions.can_manage_members(request.user, cooperation):
        raise PermissionDenied
    form = forms.InvitationForm(request.POST or None)

    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user,
                cooperation=cooperation,
                site_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Une invitation est envoyée à %(email)s.") % {"email": invitation.email},
            )
            return redirect("cooperations:members", cooperation.slug)
    return render(
        request,
        "cooperations/members.html",
        {
            "cooperation": cooperation,
            "members": selectors.members_of(cooperation),
            "invitations": selectors.open_invitations(cooperation),
            "form": form,
            "role_form": forms.RoleForm(),
        },
    )


def _members_part(request, slug: str, model: type[M], pk: int) -> tuple[Cooperation, M]:
    """A membership or an invitation of the cooperation, for those who manage its members."""
    cooperation = get_cooperation_for_user(request.user, slug)
    if not permissions.can_manage_members(request.user, cooperation):
        raise PermissionDenied
    return cooperation, _child(model, cooperation, pk)


@login_required
@require_POST
def member_role(request, slug: str, pk: int):
    cooperation, membership = _members_part(request, slug, Membership, pk)
    form = forms.RoleForm(request.POST)
    if form.is_valid():
        try:
            services.member_role_set(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except Conflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, _("Le rôle est enregistré."))
    return redirect("cooperations:members", cooperation.slug)


@login_required
def member_remove(request, slug: str, pk: int):
    cooperation, membership = _members_part(request, slug, Membership, pk)
    back = reverse("cooperations:members", args=[cooperation.slug])
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Retirer %(user)s de la coopération ?") % {"user": membership.user},
        explanation=_("La personne perd l’accès aux contenus réservés aux partenaires."),
        action=lambda: services.member_remove(actor=request.user, membership=membership),
        back=back,
        done=back,
        success=_("Le membre est retiré."),
    )


@login_required
@require_POST
def invitation_resend(request, slug: str, pk: int):
    cooperation, invitation = _members_part(request, slug, Invitation, pk)
    try:
        services.invitation_resend(
            actor=request.user, invitation=invitation, site_url=request.build_absolute_uri("/")
        )
    except Conflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(
            request,
            _("L’invitation est renvoyée à %(email)s, avec un nouveau lien valable 30 jours.")
            % {"email": invitation.email},
        )
    return redirect("cooperations:members", cooperation.slug)


@login_required
def invitation_withdraw(request, slug: str, pk: int):
    cooperation, invitation = _members_part(request, slug, Invitation, pk)
    back = reverse("cooperations:members", args=[cooperation.slug])
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Retirer l’invitation de %(email)s ?") % {"email": invitation.email},
        explanation=_("Le lien envoyé ne fonctionnera plus."),
        action=lambda: services.invitation_withdraw(actor=request.user, invitation=invitation),
        back=back,
        done=back,
        success=_("L’invitation est retirée."),
    )


@login_required
def invitation_accept(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("cooperation"), token=token)
    if request.method == "POST":
        try:
            services.invitation_accept(user=request.user, invitation=invitation)
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect("portal:home")
        messages.success(
            request,
            _("Vous avez rejoint « %(cooperation)s ».") % {"cooperation": invitation.cooperation},
        )
        return redirect(invitation.cooperation)
    return render(
        request,
        "cooperations/invitation.html",
        {
            "invitation": invitation,
            "wrong_account": request.user.email.lower() != invitation.email.lower(),
        },
    )


# Themes ------------------------------------------------------------------------------------


def themes(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    can_edit = permissions.can_edit(request.user, cooperation)
    form = forms.ThemeForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        return form_page(
            request,
            form,
            lambda data: (
                services.theme_create(actor=request.user, cooperation=cooperation, **data)
                and reverse("cooperations:themes", args=[cooperation.slug])
            ),
            cooperation=cooperation,
            title=_("Thématiques"),
            back=cooperation.get_absolute_url(),
            success=_("La thématique est ajoutée."),
            template="cooperations/themes.html",
            context={"themes": selectors.themes_of(cooperation), "can_edit": can_edit},
        )
    return render(
        request,
        "cooperations/themes.html",
        {
            "cooperation": cooperation,
            "themes": selectors.themes_of(cooperation),
            "form": form,
            "can_edit": can_edit,
        },
    )


@login_required
def theme_update(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    theme = _child(Theme, cooperation, pk)
    form = forms.ThemeForm(request.POST or None, instance=Theme.objects.get(pk=pk))
    back = reverse("cooperations:themes", args=[cooperation.slug])
    return form_page(
        request,
        form,
        lambda data: services.theme_update(actor=request.user, theme=theme, **data) and back,
        cooperation=cooperation,
        title=_("Modifier la thématique"),
        back=back,
        success=_("La thématique est enregistrée."),
    )


@login_required
def theme_delete(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    theme = _child(Theme, cooperation, pk)
    back = reverse("cooperations:themes", args=[cooperation.slug])
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Supprimer la thématique « %(name)s » ?") % {"name": theme.name},
        explanation=_("Elle est retirée des éléments de stratégie et des groupes qui la portent."),
        action=lambda: services.theme_delete(actor=request.user, theme=theme),
        back=back,
        done=back,
        success=_("La thématique est supprimée."),
    )


# Strategy ----------------------------------------------------------------------------------


# The move buttons of each node: (direction, label, DSFR icon).
MOVES = [
    ("up", gettext_lazy("Monter"), "fr-icon-arrow-up-line"),
    ("down", gettext_lazy("Descendre"), "fr-icon-arrow-down-line"),
    ("in", gettext_lazy("Placer sous l’élément précédent"), "fr-icon-arrow-right-line"),
    ("out", gettext_lazy("Remonter d’un niveau"), "fr-icon-arrow-left-line"),
]


def _strategy_context(request, cooperation: Cooperation) -> dict:
    return {
        "moves": MOVES,
        "cooperation": cooperation,
        "tree": selectors.strategy_tree(cooperation, proposals_for=request.user),
        "can_edit": permissions.can_edit(request.user, cooperation),
    }


def _strategy_response(request, cooperation: Cooperation, success: str) -> HttpResponse:
    """After a change: the refreshed tree for htmx, the strategy page otherwise."""
    if request.htmx:
        context = {
            **_strategy_context(request, cooperation),
            "status_message": success,
            "add_form": forms.StrategyNodeForm(cooperation=cooperation),
            "oob_add_form": True,
        }
        response = render(request, "cooperations/includes/strategy_tree.html", context)
        return retarget(response, "#strategy-tree")
    messages.success(request, success)
    return redirect("cooperations:strategy", cooperation.slug)


def strategy(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    context = _strategy_context(request, cooperation)
    if context["can_edit"]:
        context["add_form"] = forms.StrategyNodeForm(cooperation=cooperation)
        if not cooperation.strategy_nodes.exists():
            sources = Cooperation.objects.visible_to(request.user).exclude(pk=cooperation.pk)
            context["copy_form"] = forms.StrategyCopyForm(sources=sources)
    return render(request, "cooperations/strategy.html", context)


@login_required
def strategy_node_create(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    form = forms.StrategyNodeForm(request.POST or None, cooperation=cooperation)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_node_create(
                actor=request.user, cooperation=cooperation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _strategy_response(request, cooperation, _("L’élément est ajouté."))
    return render(
        request,
        "cooperations/includes/node_form.html" if request.htmx else "core/form.html",
        {
            "form": form,
            "cooperation": cooperation,
            "title": _("Ajouter à la stratégie"),
            "back": reverse("cooperations:strategy", args=[cooperation.slug]),
        },
    )


@login_required
def strategy_node_update(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    node = _child(StrategyNode, cooperation, pk)
    form = forms.StrategyNodeForm(
        request.POST or None, instance=StrategyNode.objects.get(pk=pk), cooperation=cooperation
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.strategy_node_update(
                actor=request.user,
                node=node,
                title=data["title"],
                description=data["description"],
                code=data["code"],
                manual_code=data["manual_code"],
                level_label=data["level_label"],
                themes=data["themes"],
            )
            if data["parent"] != node.parent:
                services.strategy_node_move(
                    actor=request.user, node=node, parent=data["parent"], position=10**6
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _strategy_response(request, cooperation, _("L’élément est enregistré."))
    return render(
        request,
        "cooperations/includes/node_form.html" if request.htmx else "core/form.html",
        {
            "form": form,
            "node": node,
            "cooperation": cooperation,
            "title": _("Modifier « %(node)s »") % {"node": node},
            "back": reverse("cooperations:strategy", args=[cooperation.slug]),
        },
    )


@login_required
@require_POST
def strategy_node_move(request, slug: str, pk: int):
    """Move a node: `direction` up / down / in (under the sibling above) / out (after its
    parent), or an explicit `parent` and `position` (1 is first)."""
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    node = _child(StrategyNode, cooperation, pk)
    direction = request.POST.get("direction", "")
    try:
        if direction:
            services.strategy_node_step(actor=request.user, node=node, direction=direction)
        else:
            form = forms.MoveForm(request.POST, cooperation=cooperation)
            if not form.is_valid():
                messages.error(request, _("Choisissez un emplacement valide."))
                return redirect("cooperations:strategy", cooperation.slug)
            services.strategy_node_move(
                actor=request.user,
                node=node,
                parent=form.cleaned_data["parent"],
                position=form.cleaned_data["position"] - 1,
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cooperations:strategy", cooperation.slug)
    return _strategy_response(
        request, cooperation, _("« %(title)s » est déplacé.") % {"title": node.title}
    )


@login_required
def strategy_node_delete(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    node = _child(StrategyNode, cooperation, pk)
    back = reverse("cooperations:strategy", args=[cooperation.slug])
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Supprimer « %(node)s » et ce qu’il contient ?") % {"node": node},
        explanation=_(
            "Les éléments placés dessous sont supprimés aussi ; les pistes rattachées perdent ce "
            "rattachement. Les codes automatiques des éléments suivants sont recalculés."
        ),
        action=lambda: services.strategy_node_delete(actor=request.user, node=node),
        back=back,
        done=back,
        success=_("L’élément est supprimé."),
    )


@login_required
@require_POST
def strategy_copy(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    sources = Cooperation.objects.visible_to(request.user).exclude(pk=cooperation.pk)
    form = forms.StrategyCopyForm(request.POST, sources=sources)
    if form.is_valid():
        try:
            count = services.strategy_copy(
                actor=request.user, source=form.cleaned_data["source"], target=cooperation
            )
        except Conflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(
                request,
                ngettext("%(count)s élément repris.", "%(count)s éléments repris.", count)
                % {"count": count},
            )
    else:
        messages.error(request, _("Choisissez la coopération dont reprendre la stratégie."))
    return redirect("cooperations:strategy", cooperation.slug)


def strategy_node(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug)
    node = get_object_or_404(
        StrategyNode.objects.select_related("parent").prefetch_related("themes"),
        pk=pk,
        cooperation=cooperation,
    )
    depth, ancestor = 0, node.parent
    ancestors: list[StrategyNode] = []
    while ancestor is not None:
        ancestors.insert(0, ancestor)
        ancestor, depth = ancestor.parent, depth + 1
    return render(
        request,
        "cooperations/strategy_node.html",
        {
            "cooperation": cooperation,
            "node": node,
            "level": node.level_label or cooperation.level_name(depth),
            "ancestors": ancestors,
            "children": node.children.order_by("position"),
            "panels": render_panels("cooperations.strategy_node", request, node),
            "proposals": selectors.proposal_list(
                user=request.user,
                cooperation=cooperation,
                filters=selectors.ProposalFilters(strategy_node=node.pk),
            ),
            "can_edit": permissions.can_edit(request.user, cooperation),
        },
    )


# Working groups ----------------------------------------------------------------------------


def working_groups(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    groups = selectors.working_groups_of(cooperation)
    return render(
        request,
        "cooperations/working_groups.html",
        {
            "cooperation": cooperation,
            "groups": groups,
            "by_territory": selectors.representatives_by_territory(groups),
            "can_edit": permissions.can_edit(request.user, cooperation),
        },
    )


def working_group(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug)
    group = _child(WorkingGroup, cooperation, pk)
    can_see_people = permissions.can_see_people(request.user, cooperation)
    return render(
        request,
        "cooperations/working_group.html",
        {
            "cooperation": cooperation,
            "group": group,
            "members": selectors.working_group_members(group) if can_see_people else None,
            "member_count": group.members.count(),
            "by_territory": selectors.representatives_by_territory([group]),
            "proposals": selectors.proposal_list(
                user=request.user,
                cooperation=cooperation,
                filters=selectors.ProposalFilters(working_group=group.pk),
            ),
            "panels": render_panels("cooperations.working_group", request, group),
            "can_edit": permissions.can_edit(request.user, cooperation),
            "member_form": forms.WorkingGroupMemberForm(),
        },
    )


@login_required
def working_group_create(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    form = forms.WorkingGroupForm(request.POST or None, cooperation=cooperation)
    return form_page(
        request,
        form,
        lambda data: services.working_group_create(
            actor=request.user, cooperation=cooperation, **data
        ),
        cooperation=cooperation,
        title=_("Nouveau groupe de travail"),
        back=reverse("cooperations:working_groups", args=[cooperation.slug]),
        success=_("Le groupe est créé."),
    )


@login_required
def working_group_update(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    group = _child(WorkingGroup, cooperation, pk)
    form = forms.WorkingGroupForm(
        request.POST or None, instance=WorkingGroup.objects.get(pk=pk), cooperation=cooperation
    )
    return form_page(
        request,
        form,
        lambda data: services.working_group_update(actor=request.user, group=group, **data),
        cooperation=cooperation,
        title=_("Modifier le groupe"),
        back=group.get_absolute_url(),
        success=_("Le groupe est enregistré."),
    )


@login_required
def working_group_delete(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    group = _child(WorkingGroup, cooperation, pk)
    back = reverse("cooperations:working_groups", args=[cooperation.slug])
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Supprimer le groupe « %(name)s » ?") % {"name": group.name},
        explanation=_("Ses pistes restent, sans groupe ; la liste de ses membres est supprimée."),
        action=lambda: services.working_group_delete(actor=request.user, group=group),
        back=group.get_absolute_url(),
        done=back,
        success=_("Le groupe est supprimé."),
    )


@login_required
def working_group_member_add(request, slug: str, pk: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    group = _child(WorkingGroup, cooperation, pk)
    form = forms.WorkingGroupMemberForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: (
            services.working_group_member_add(actor=request.user, group=group, **data) and group
        ),
        cooperation=cooperation,
        title=_("Ajouter un membre au groupe « %(name)s »") % {"name": group.name},
        back=group.get_absolute_url(),
        success=_("Le membre est ajouté."),
    )


@login_required
def working_group_member_remove(request, slug: str, pk: int, member: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    group = _child(WorkingGroup, cooperation, pk)
    membership = get_object_or_404(WorkingGroupMember, pk=member, group=group)
    return confirm_page(
        request,
        cooperation=cooperation,
        title=_("Retirer %(person)s du groupe ?") % {"person": membership.person},
        explanation=_("La personne reste dans l’annuaire."),
        action=lambda: services.working_group_member_remove(actor=request.user, member=membership),
        back=group.get_absolute_url(),
        done=group.get_absolute_url(),
        success=_("Le membre est retiré du groupe."),
    )


# Proposals ---------------------------------------------------------------------------------


def proposals(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    filters = list_filters(request, selectors.ProposalFilters)
    page = Paginator(
        selectors.proposal_list(user=request.user, cooperation=cooperation, filters=filters),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperations/proposals.html",
        {
            "cooperation": cooperation,
            "page_obj": page,
            "filters": filters,
            "statuses": ProposalStatus.choices,
            "groups": cooperation.working_groups.all(),
            "can_propose": permissions.can_propose(request.user, cooperation),
        },
    )


@login_required
def proposal_create(request, slug: str):
    cooperation = get_cooperation_for_user(request.user, slug)
    if not permissions.can_propose(request.user, cooperation):
        raise PermissionDenied
    form = forms.ProposalForm(request.POST or None, cooperation=cooperation)

    def save(data):
        return services.proposal_create(actor=request.user, cooperation=cooperation, **data)

    return form_page(
        request,
        form,
        save,
        cooperation=cooperation,
        title=_("Proposer une piste de coopération"),
        back=reverse("cooperations:proposals", args=[cooperation.slug]),
        success=_("La piste est enregistrée."),
    )


def proposal_detail(request, slug: str, number: int):
    cooperation = get_cooperation_for_user(request.user, slug)
    proposal = get_proposal_for_user(request.user, cooperation, number)
    can_comment = permissions.can_comment(request.user, cooperation)
    comment_form = forms.CommentForm(request.POST or None) if can_comment else None
    if request.method == "POST":
        if comment_form is None:
            raise PermissionDenied
        return form_page(
            request,
            comment_form,
            lambda data: (
                services.proposal_comment(actor=request.user, proposal=proposal, text=data["text"])
                and proposal
            ),
            cooperation=cooperation,
            title=str(proposal),
            back=proposal.get_absolute_url(),
            success=_("Votre commentaire est publié."),
        )
    return render(
        request,
        "cooperations/proposal_detail.html",
        {
            "cooperation": cooperation,
            "proposal": proposal,
            "nodes": proposal.strategy_nodes.order_by("code"),
            "comments": proposal.comments.select_related("author") if can_comment else None,
            "comment_form": comment_form,
            "can_edit": permissions.can_edit_proposal(request.user, proposal),
            "can_see_people": permissions.can_see_people(request.user, cooperation),
            "can_decide": permissions.can_edit(request.user, cooperation),
            "decision_form": forms.DecisionForm(
                initial={"status": proposal.status, "reason": proposal.decision_reason},
                proposal=proposal,
            ),
        },
    )


@login_required
def proposal_update(request, slug: str, number: int):
    cooperation = get_cooperation_for_user(request.user, slug)
    proposal = get_proposal_for_user(request.user, cooperation, number)
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    form = forms.ProposalForm(
        request.POST or None,
        instance=type(proposal).objects.get(pk=proposal.pk),
        cooperation=cooperation,
    )
    return form_page(
        request,
        form,
        lambda data: services.proposal_update(actor=request.user, proposal=proposal, **data),
        cooperation=cooperation,
        title=_("Modifier la piste"),
        back=proposal.get_absolute_url(),
        success=_("La piste est enregistrée."),
    )


@login_required
def proposal_decide(request, slug: str, number: int):
    cooperation = get_cooperation_for_user(request.user, slug, edit=True)
    proposal = get_proposal_for_user(request.user, cooperation, number)
    form = forms.DecisionForm(request.POST or None, proposal=proposal)
    return form_page(
        request,
        form,
        lambda data: services.proposal_decide(actor=request.user, proposal=proposal, **data),
        cooperation=cooperation,
        title=_("Décision sur la piste %(number)s") % {"number": proposal.number},
        back=proposal.get_absolute_url(),
        success=_("La décision est enregistrée."),
    )
