from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.cooperations.forms import DATE
from maillage.cooperations.models import Cooperation, Proposal, StrategyNode
from maillage.core.enums import Visibility
from maillage.core.forms import DsfrForm, StaleEditForm, choices, offer_reachable_visibilities
from maillage.core.text import natural_key
from maillage.directory.models import Person
from maillage.directory.permissions import people_of_q
from maillage.governance.enums import AttendanceStatus, DecisionKind
from maillage.governance.models import Body, BodyMember, Decision, Meeting
from maillage.governance.services import (
    BODY_FIELDS,
    DECISION_FIELDS,
    EVENT_FIELDS,
    MANDATE_FIELDS,
    MEETING_FIELDS,
)
from maillage.projects.enums import ProjectStatus
from maillage.projects.models import Project


class RegistrationForm(DsfrForm):
    name = forms.CharField(label=_("Nom et prénom"), max_length=200)
    email = forms.EmailField(label=_("Adresse e-mail"))
    organisation = forms.CharField(label=_("Structure"), max_length=200, required=False)
    condition_accepted = forms.BooleanField(
        label=_("Je remplis la condition de participation"), required=False
    )

    def __init__(
        self, *args, condition: str = "", questions: list[str] | tuple = (), **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        if condition:
            self.fields["condition_accepted"].help_text = condition
        else:  # no condition: nothing to tick
            del self.fields["condition_accepted"]
        self.questions = list(questions)
        for number, question in enumerate(self.questions):
            self.fields[f"answer_{number}"] = forms.CharField(label=question, max_length=500)

    def registration_data(self) -> dict:
        """What `services.registration_create` takes: the answers keyed by their question."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("answer_")}
        data["answers"] = {
            question: self.cleaned_data[f"answer_{number}"]
            for number, question in enumerate(self.questions)
        }
        return data


class DecisionForm(DsfrForm):
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


class MinutesForm(DsfrForm):
    text = forms.CharField(label=_("Compte rendu"), widget=forms.Textarea(attrs={"rows": 8}))


class AttendanceForm(DsfrForm):
    person = forms.ModelChoiceField(
        label=_("Personne"),
        queryset=Person.objects.filter(erased_at__isnull=True),
        widget=forms.Select(attrs={"data-filterable": _("Filtrer les personnes")}),
    )
    status = forms.ChoiceField(label=_("Présence"), choices=AttendanceStatus.choices)
    represented_by = forms.CharField(label=_("Représenté·e par"), required=False)

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        field = choices(self, "person")
        directory = Person.objects.filter(erased_at__isnull=True)
        theirs = set(
            directory.filter(
                people_of_q(Cooperation.objects.filter(pk=cooperation.pk).values("pk"))
            ).values_list("pk", flat=True)
        )
        people = sorted(directory, key=lambda person: natural_key(str(person)))
        field.choices = [
            ("", "---------"),
            (
                _("Personnes de la coopération"),
                [(person.pk, str(person)) for person in people if person.pk in theirs],
            ),
            (
                _("Autres personnes de l’annuaire"),
                [(person.pk, str(person)) for person in people if person.pk not in theirs],
            ),
        ]


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BodyForm(DsfrForm, StaleEditForm):
    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        offer_reachable_visibilities(self, cooperation)

    class Meta:
        model = Body
        fields = list(BODY_FIELDS)
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "composition": forms.Textarea(attrs={"rows": 3}),
        }


class MandateForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = ["person", *MANDATE_FIELDS]
        widgets = {"start_date": DATE, "end_date": DATE}


class MeetingForm(DsfrForm, StaleEditForm):
    video_url = forms.URLField(
        label=_("Lien de visioconférence"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = cooperation.bodies.all()  # type: ignore[attr-defined]
        self.fields["working_group"].queryset = cooperation.working_groups.all()  # type: ignore[attr-defined]
        offer_reachable_visibilities(self, cooperation)
        if cooperation.visibility != Visibility.PUBLIC:
            self.fields["open_registration"].disabled = True
            self.initial["open_registration"] = False
            self.fields["open_registration"].help_text = self["open_registration"].help_text = _(
                "Seule une réunion publique, dans une coopération publique, s’ouvre aux "
                "inscriptions du public."
            )
        for name in ("start", "end", "registration_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M"]  # type: ignore[attr-defined]

    class Meta:
        model = Meeting
        fields = list(MEETING_FIELDS)
        widgets = {
            "start": DATETIME,
            "end": DATETIME,
            "registration_deadline": DATETIME,
            "place": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "registration_condition": forms.Textarea(attrs={"rows": 2}),
            "registration_questions": forms.Textarea(attrs={"rows": 3}),
        }


class EventForm(DsfrForm, StaleEditForm):
    """An organisation's public event: a meeting without body, group or visibility to choose."""

    video_url = forms.URLField(
        label=_("Lien de visioconférence"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end", "registration_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M"]  # type: ignore[attr-defined]

    class Meta:
        model = Meeting
        fields = list(EVENT_FIELDS)
        widgets = MeetingForm.Meta.widgets


class AgendaItemForm(DsfrForm):
    title = forms.CharField(label=_("Point"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projets"),
        required=False,
        queryset=Project.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("Pistes"),
        required=False,
        queryset=Proposal.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    strategy_nodes = forms.ModelMultipleChoiceField(
        label=_("Éléments de stratégie"),
        required=False,
        queryset=StrategyNode.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what belongs to the meeting's cooperation can be picked.
        choices(self, "projects").queryset = cooperation.projects.order_by("code")
        choices(self, "proposals").queryset = cooperation.proposals.all()
        choices(self, "strategy_nodes").queryset = cooperation.strategy_nodes.order_by("code")


class DecisionEditForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = Decision
        fields = list(DECISION_FIELDS)
        widgets = {"date": DATE, "text": forms.Textarea(attrs={"rows": 4})}
