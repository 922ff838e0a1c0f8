from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.cooperations.forms import DATE, organisations
from maillage.cooperations.models import Cooperation
from maillage.cooperations.selectors import readable_proposals
from maillage.core.forms import DsfrForm, StaleEditForm, choices, offer_reachable_visibilities
from maillage.core.validators import MaxFileSize
from maillage.projects.enums import ProjectStatus
from maillage.projects.models import (
    FinancingLine,
    Indicator,
    IndicatorValue,
    Project,
    ProjectDocument,
    ProjectStep,
)
from maillage.projects.services import FINANCING_FIELDS, INDICATOR_FIELDS, STEP_FIELDS
from maillage.territories.services import territories_from_codes


class ProjectForm(DsfrForm, StaleEditForm):
    territory_codes = forms.CharField(
        label=_("Territoires (codes officiels)"),
        required=False,
        help_text=_("Séparés par des virgules : 29019 pour Brest, 59 pour le Nord…"),
    )

    def __init__(self, *args, cooperation: Cooperation, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices(self, "owner").queryset = organisations()
        choices(self, "partners").queryset = organisations()
        choices(self, "contacts").queryset = User.objects.filter(
            memberships__cooperation=cooperation
        ).order_by("last_name", "email")
        choices(self, "strategy_nodes").queryset = cooperation.strategy_nodes.order_by("code")
        choices(self, "themes").queryset = cooperation.themes.all()
        offer_reachable_visibilities(self, cooperation)
        # Only the proposals the editor may read (a project contact must not see the titles
        # of the coordinators' restricted ones).
        choices(self, "proposal").queryset = readable_proposals(user, cooperation)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Vide : le numéro suivant du portefeuille.")
        if self.instance.pk:
            self.fields["code"].disabled = True
            if not self.is_bound:
                self.initial["territory_codes"] = ", ".join(
                    f"{t.kind}:{t.code}" for t in self.instance.territories.all() if t.code
                )

    class Meta:
        model = Project
        fields = [
            "code",
            "title",
            "summary",
            "description",
            "owner",
            "partners",
            "contacts",
            "strategy_nodes",
            "themes",
            "proposal",
            "structuring",
            "tags",
            "visibility",
            "blocked",
            "to_discuss",
            "start_date",
            "end_date",
            "total_cost",
            "currency",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "partners": forms.SelectMultiple(attrs={"size": 6}),
            "contacts": forms.SelectMultiple(attrs={"size": 4}),
            "strategy_nodes": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "start_date": DATE,
            "end_date": DATE,
        }

    def clean_territory_codes(self):
        from django.core.exceptions import ValidationError

        try:
            return territories_from_codes(self.cleaned_data["territory_codes"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["members"]) from error

    def data_for_service(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "code"}
        data["territories"] = self.cleaned_data["territory_codes"]
        if self.instance.pk:
            data["read_at"] = self.cleaned_data["read_at"]
        return data


class StatusForm(DsfrForm):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=ProjectStatus.choices)
    on = forms.DateField(label=_("Depuis le"), widget=DATE, required=False)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkStatusForm(StatusForm):
    projects = forms.ModelMultipleChoiceField(
        label=_("Projets"), queryset=Project.objects.none(), widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, cooperation: Cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        choices(self, "projects").queryset = Project.objects.filter(cooperation=cooperation)


class NoteForm(DsfrForm):
    text = forms.CharField(label=_("Note d’avancement"), widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("Date"), widget=DATE, required=False)


class StepForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = ProjectStep
        fields = list(STEP_FIELDS)
        widgets = {"planned_date": DATE, "actual_date": DATE}


class FinancingForm(DsfrForm, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices(self, "funder").queryset = organisations()

    class Meta:
        model = FinancingLine
        fields = list(FINANCING_FIELDS)
        widgets = {"requested_on": DATE, "granted_on": DATE, "paid_on": DATE}


class IndicatorForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = list(INDICATOR_FIELDS)
        widgets = {"target_date": DATE}


class IndicatorValueForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["date", "value", "source"]
        widgets = {"date": DATE}


class ImportForm(DsfrForm):
    file = forms.FileField(
        label=_("Plan d’actions (xlsx, ods ou csv)"),
        validators=[
            FileExtensionValidator(["xlsx", "ods", "csv"]),
            MaxFileSize(10),
        ],
        help_text=_("10 Mo au plus. Colonnes : voir le modèle à télécharger."),
    )


class DocumentForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = ProjectDocument
        fields = ["title", "file"]
