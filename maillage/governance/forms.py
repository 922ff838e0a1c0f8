from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from maillage.cooperations.forms import DATE
from maillage.directory.models import Person
from maillage.governance.enums import AttendanceStatus, DecisionKind, MinutesStatus
from maillage.projects.enums import ProjectStatus
from maillage.projects.models import Project


class RegistrationForm(DsfrBaseForm):
    name = forms.CharField(label=_("Nom et prénom"), max_length=200)
    email = forms.EmailField(label=_("Adresse e-mail"))
    organisation = forms.CharField(label=_("Structure"), max_length=200, required=False)
    condition_accepted = forms.BooleanField(
        label=_("Je remplis la condition de participation"), required=False
    )


class DecisionForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Type"), choices=DecisionKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(
        label=_("Texte de la décision"), widget=forms.Textarea(attrs={"rows": 3})
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projets concernés"),
        required=False,
        queryset=Project.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    project_status = forms.ChoiceField(
        label=_("Nouveau statut des projets concernés"),
        required=False,
        choices=[("", _("(inchangé)")), *ProjectStatus.choices],
    )

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["projects"]
        field.queryset = Project.objects.filter(cooperation=cooperation).order_by("code")


class MinutesForm(DsfrBaseForm):
    text = forms.CharField(label=_("Compte rendu"), widget=forms.Textarea(attrs={"rows": 8}))


class AttendanceForm(DsfrBaseForm):
    person = forms.ModelChoiceField(
        label=_("Personne"),
        queryset=Person.objects.filter(erased_at__isnull=True).order_by("last_name"),
    )
    status = forms.ChoiceField(label=_("Présence"), choices=AttendanceStatus.choices)
    represented_by = forms.CharField(label=_("Représenté·e par"), required=False)


MINUTES_NEXT: dict[str, str] = {
    MinutesStatus.DRAFT: MinutesStatus.CIRCULATED,
    MinutesStatus.CIRCULATED: MinutesStatus.APPROVED,
    MinutesStatus.APPROVED: MinutesStatus.PUBLISHED,
}
