from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.enums import ProposalStatus, Stage
from maillage.cooperations.models import (
    Cooperation,
    Document,
    Milestone,
    Party,
    Proposal,
    StrategyNode,
    Theme,
    WorkingGroup,
)
from maillage.cooperations.services import (
    MILESTONE_FIELDS,
    WORKING_GROUP_FIELDS,
)
from maillage.core.enums import Role
from maillage.core.forms import DsfrForm, StaleEditForm, offer_reachable_visibilities
from maillage.directory.models import Organisation, Person
from maillage.territories.enums import COMPOSED_KINDS
from maillage.territories.models import Territory
from maillage.territories.services import territories_from_codes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def organisations():
    return Organisation.objects.order_by("search_name")


class CooperationForm(DsfrForm, StaleEditForm):
    """The cooperation's description; its territories come as official codes or as composed
    areas (a Pays, a SCoT area, a cooperation area…) chosen from a list."""

    territory_codes = forms.CharField(
        label=_("Territoires (codes officiels)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Séparés par des virgules : 242900314 pour Brest métropole, 59 pour le Nord…"),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Territoires composés"),
        required=False,
        queryset=Territory.objects.filter(kind__in=COMPOSED_KINDS).order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Cooperation
        fields = [
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
        ]
        help_texts = {
            "visibility": _(
                "Ce que la coopération contient ne peut pas être plus largement visible "
                "qu’elle : la restreindre restreint aussi ses réunions, documents et projets "
                "publics."
            )
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "start_date": DATE,
            "end_date": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            territories = list(self.instance.territories.all())
            self.initial["areas"] = [t for t in territories if t.is_composed]
            self.initial["territory_codes"] = ", ".join(
                f"{t.kind}:{t.code}" for t in territories if not t.is_composed and t.code
            )

    def clean_territory_codes(self):
        try:
            return territories_from_codes(self.cleaned_data["territory_codes"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["members"]) from error

    def territories(self) -> list[Territory]:
        return [*self.cleaned_data["territory_codes"], *self.cleaned_data["areas"]]

    def changes(self) -> dict:
        changes = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if changes["logo"] is False:  # the "clear" box of the file input
            changes["logo"] = ""
        return changes


class StageForm(DsfrForm):
    stage = forms.ChoiceField(label=_("Nouvelle étape"), choices=Stage.choices)
    entered_on = forms.DateField(label=_("Depuis le"), widget=DATE)


class PartyForm(DsfrForm, forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Structure"), queryset=organisations())
    signatory = forms.ModelChoiceField(
        label=_("Signataire"),
        required=False,
        queryset=Person.objects.filter(erased_at__isnull=True).order_by("last_name"),
    )

    class Meta:
        model = Party
        # Not the territory it stands for: the organisation's, unless the API says another (a
        # select of every territory would weigh tens of thousands of options).
        fields = ["organisation", "role", "signatory", "signatory_title", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class MilestoneForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = list(MILESTONE_FIELDS)
        widgets = {
            "date": DATE,
            "changes": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class DocumentForm(DsfrForm, forms.ModelForm):
    def __init__(self, *args, cooperation: Cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = cooperation.milestones.all()  # type: ignore[attr-defined]
        offer_reachable_visibilities(self, cooperation)

    class Meta:
        model = Document
        fields = ["title", "kind", "file", "milestone", "visibility"]


class AttachedDocumentForm(DsfrForm, forms.ModelForm):
    """A document attached to something of the cooperation (a meeting's agenda, a convention's
    signed copy): stored as the cooperation's, with a file."""

    class Meta:
        model = Document
        fields = ["title", "kind", "file", "visibility"]

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True
        offer_reachable_visibilities(self, cooperation)


class InvitationForm(DsfrForm):
    email = forms.EmailField(label=_("Adresse e-mail"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, initial=Role.OBSERVER)


class RoleForm(DsfrForm):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class ThemeForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class StrategyNodeForm(DsfrForm, forms.ModelForm):
    """A node: leave the code empty for the automatic one; tick `manual_code` with an empty
    code for an action the source leaves unnumbered."""

    def __init__(self, *args, cooperation: Cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = cooperation.strategy_nodes.order_by("code")
        if self.instance.pk:
            nodes = nodes.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = nodes  # type: ignore[attr-defined]
        self.fields["themes"].queryset = cooperation.themes.all()  # type: ignore[attr-defined]
        self.fields["code"].help_text = _("Vide : le code suit la position (« 4.1.2 »).")

    class Meta:
        model = StrategyNode
        fields = ["parent", "title", "code", "manual_code", "level_label", "description", "themes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "themes": forms.CheckboxSelectMultiple,
        }


class MoveForm(DsfrForm):
    """Where to put a node: under a parent (none: at the root), at a rank (1 is first)."""

    parent = forms.ModelChoiceField(
        label=_("Sous"), required=False, queryset=StrategyNode.objects.none()
    )
    position = forms.IntegerField(label=_("Rang"), min_value=1, initial=1)

    def __init__(self, *args, cooperation: Cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = cooperation.strategy_nodes.order_by("code")
        self.fields["parent"].empty_label = _("(premier niveau)")


class StrategyCopyForm(DsfrForm):
    source = forms.ModelChoiceField(
        label=_("Reprendre la stratégie de"), queryset=Cooperation.objects.none()
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources


class WorkingGroupForm(DsfrForm, forms.ModelForm):
    def __init__(self, *args, cooperation: Cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = cooperation.themes.all()  # type: ignore[attr-defined]

    class Meta:
        model = WorkingGroup
        fields = list(WORKING_GROUP_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class WorkingGroupMemberForm(DsfrForm):
    person = forms.ModelChoiceField(
        label=_("Personne"),
        queryset=Person.objects.filter(erased_at__isnull=True).order_by("last_name"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Structure représentée"), required=False, queryset=organisations()
    )


class ProposalForm(DsfrForm, StaleEditForm):
    def __init__(self, *args, cooperation: Cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = cooperation.working_groups.all()  # type: ignore[attr-defined]
        offer_reachable_visibilities(self, cooperation)
        self.fields["strategy_nodes"].queryset = cooperation.strategy_nodes.order_by("code")  # type: ignore[attr-defined]
        self.fields["author"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            erased_at__isnull=True
        ).order_by("last_name")

    class Meta:
        model = Proposal
        fields = ["title", "text", "working_group", "author", "strategy_nodes", "visibility"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "strategy_nodes": forms.CheckboxSelectMultiple,
        }


class DecisionForm(DsfrForm):
    status = forms.ChoiceField(label=_("Décision"), choices=ProposalStatus.choices)
    merged_into = forms.ModelChoiceField(
        label=_("Fusionnée dans"), required=False, queryset=Proposal.objects.none()
    )
    reason = forms.CharField(
        label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = proposal.cooperation.proposals.exclude(pk=proposal.pk)


class CommentForm(DsfrForm):
    text = forms.CharField(label=_("Votre commentaire"), widget=forms.Textarea(attrs={"rows": 3}))
