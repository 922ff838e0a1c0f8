from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.cooperations.forms import DATE
from maillage.cooperations.models import Cooperation, StrategyNode
from maillage.core.forms import DsfrForm, offer_reachable_visibilities
from maillage.directory.enums import OrganisationKind
from maillage.funding.enums import Outcome, QuestionKind
from maillage.funding.models import (
    Application,
    ApplicationPartner,
    BudgetLine,
    Call,
    Envelope,
    Fund,
    Measure,
    OtherFunding,
    Payment,
    Question,
)
from maillage.funding.selectors import territory_choices
from maillage.funding.services import (
    APPLICATION_FIELDS,
    BUDGET_FIELDS,
    CALL_FIELDS,
    ENVELOPE_FIELDS,
    FUND_FIELDS,
    FUND_LINKS,
    MEASURE_FIELDS,
    OTHER_FUNDING_FIELDS,
    PARTNER_FIELDS,
    PAYMENT_FIELDS,
    QUESTION_FIELDS,
    Votes,
)
from maillage.governance.models import Meeting
from maillage.projects.models import Project
from maillage.territories.enums import TerritoryKind
from maillage.territories.models import Territory

AMOUNT = {"min": "0", "step": "0.01", "inputmode": "decimal"}
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FundForm(DsfrForm, forms.ModelForm):
    eligible_applicant_kinds = forms.MultipleChoiceField(
        label=_("Natures de porteurs éligibles"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune cochée : toutes."),
    )

    def __init__(self, *args, cooperation: Cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        offer_reachable_visibilities(self, cooperation)
        self.fields["committee"].queryset = cooperation.bodies.all()  # type: ignore[attr-defined]
        self.fields["strategy_nodes"].queryset = StrategyNode.objects.filter(  # type: ignore[attr-defined]
            cooperation=cooperation
        )
        self.fields["eligible_territories"].queryset = Territory.objects.exclude(  # type: ignore[attr-defined]
            kind=TerritoryKind.COMMUNE
        ).order_by("name")

    class Meta:
        model = Fund
        fields = [*FUND_FIELDS, *FUND_LINKS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "max_aid": forms.NumberInput(attrs=AMOUNT),
            "min_aid": forms.NumberInput(attrs=AMOUNT),
            "max_budget": forms.NumberInput(attrs=AMOUNT),
            "eligible_territories": forms.SelectMultiple(attrs={"size": 8}),
            "strategy_nodes": forms.CheckboxSelectMultiple,
        }


class EnvelopeForm(DsfrForm, forms.ModelForm):
    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.fund = fund  # the model's checks read its period

    class Meta:
        model = Envelope
        fields = list(ENVELOPE_FIELDS)
        widgets = {"amount": forms.NumberInput(attrs=AMOUNT), "rate_on": DATE}


class MeasureForm(DsfrForm, forms.ModelForm):
    criteria = forms.CharField(
        label=_("Grille de sélection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Un critère par ligne : son intitulé, un point-virgule, ses points maximum."),
    )

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy_nodes"].queryset = StrategyNode.objects.filter(  # type: ignore[attr-defined]
            cooperation=fund.cooperation
        )

    def clean_criteria(self) -> list[tuple[str, Decimal]]:
        criteria = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            label, _sep, points = line.rpartition(";")
            try:
                value = Decimal(points.strip().replace(",", "."))
            except ArithmeticError:
                value = Decimal(-1)
            if not label.strip() or not value.is_finite() or value <= 0:
                raise forms.ValidationError(
                    _("Ligne %(line)s : « intitulé ; points » attendu.") % {"line": number}
                )
            criteria.append((label.strip(), value))
        return criteria

    class Meta:
        model = Measure
        fields = [*MEASURE_FIELDS, "strategy_nodes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "strategy_nodes": forms.CheckboxSelectMultiple,
        }


class CallForm(DsfrForm, forms.ModelForm):
    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = fund.measures.all()  # type: ignore[attr-defined]

    class Meta:
        model = Call
        fields = [*CALL_FIELDS, "measures"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "opens_at": MOMENT,
            "closes_at": MOMENT,
            "measures": forms.CheckboxSelectMultiple,
        }


class ApplicationForm(DsfrForm, forms.ModelForm):
    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.call = call  # the model's checks read it (a fiche-action of its fund)
        self.fields["measure"].queryset = call.fund.measures.all()  # type: ignore[attr-defined]
        self.fields["territories"].queryset = territory_choices(call.fund)  # type: ignore[attr-defined]
        self.fields["territories"].help_text = _(
            "Les communes, intercommunalités ou territoires que le projet concerne."
        )
        self.fields["requested_amount"].help_text = _("En %(currency)s.") % {
            "currency": call.fund.currency
        }
        if not call.fund.measures.exists():
            del self.fields["measure"]

    class Meta:
        model = Application
        fields = [*APPLICATION_FIELDS, "territories"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "expected_results": forms.Textarea(attrs={"rows": 4}),
            "start_date": DATE,
            "end_date": DATE,
            "requested_amount": forms.NumberInput(attrs=AMOUNT),
            "territories": forms.SelectMultiple(attrs={"size": 8}),
        }


class PartnerForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = ApplicationPartner
        fields = list(PARTNER_FIELDS)


class BudgetLineForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = list(BUDGET_FIELDS)
        widgets = {"amount": forms.NumberInput(attrs=AMOUNT)}


class OtherFundingForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = OtherFunding
        fields = list(OTHER_FUNDING_FIELDS)
        widgets = {"amount": forms.NumberInput(attrs=AMOUNT)}


class ReasonForm(DsfrForm):
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 4}))


class InviteForm(DsfrForm):
    reason = forms.CharField(
        label=_("Message au porteur"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que le dossier complet doit préciser (facultatif)."),
    )


class ScreeningForm(DsfrForm):
    eligible = forms.TypedChoiceField(
        label=_("Recevabilité"),
        choices=[("1", _("Recevable")), ("0", _("Irrecevable"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un dossier irrecevable."),
    )


class ReviewerForm(DsfrForm):
    reviewer = forms.ModelChoiceField(label=_("Instructeur"), queryset=User.objects.none())

    def __init__(self, *args, cooperation: Cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            memberships__cooperation=cooperation
        ).order_by("email")


class ReviewForm(DsfrForm):
    conflict = forms.BooleanField(
        label=_("Je déclare un conflit d’intérêts (je ne note pas ce dossier)"), required=False
    )
    conflict_note = forms.CharField(label=_("Nature du conflit"), required=False)
    comment = forms.CharField(
        label=_("Avis"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.label} (/{criterion.max_points.normalize():f})",
                min_value=0,
                max_value=criterion.max_points,
                required=False,
                decimal_places=2,
            )

    def scores(self) -> dict[int, Decimal]:
        return {
            criterion.pk: self.cleaned_data[f"criterion_{criterion.pk}"]
            for criterion in self.criteria
            if self.cleaned_data.get(f"criterion_{criterion.pk}") is not None
        }


class DecisionForm(DsfrForm):
    outcome = forms.ChoiceField(label=_("Avis du comité"), choices=Outcome.choices)
    granted_amount = forms.DecimalField(
        label=_("Aide accordée"),
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=2,
        widget=forms.NumberInput(attrs=AMOUNT),
        help_text=_("Pour un avis favorable ; elle peut différer de la demande."),
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    meeting = forms.ModelChoiceField(
        label=_("Réunion du comité"), queryset=Meeting.objects.none(), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Projet existant du portefeuille"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_("Vide : l’aide accordée crée le projet dans le portefeuille."),
    )
    on = forms.DateField(label=_("Date de la décision"), required=False, widget=DATE)
    votes_for = forms.IntegerField(label=_("Voix pour"), required=False, min_value=0)
    votes_against = forms.IntegerField(label=_("Voix contre"), required=False, min_value=0)
    abstentions = forms.IntegerField(label=_("Abstentions"), required=False, min_value=0)

    def clean(self):
        data = super().clean() or {}
        counts = [data.pop(name, None) for name in ("votes_for", "votes_against", "abstentions")]
        data["votes"] = (
            None
            if all(count is None for count in counts)
            else Votes(*(count or 0 for count in counts))
        )
        return data

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(
            cooperation=fund.cooperation
        ).order_by("code")
        meetings = Meeting.objects.filter(body=fund.committee) if fund.committee_id else None
        if meetings is None:
            del self.fields["meeting"]
        else:
            self.fields["meeting"].queryset = meetings.order_by("-start")


class ConventionForm(DsfrForm):
    signed_on = forms.DateField(label=_("Convention signée le"), widget=DATE)


class PaymentRequestForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = Payment
        fields = [*PAYMENT_FIELDS, "statement"]
        widgets = {
            "requested_amount": forms.NumberInput(attrs=AMOUNT),
            "expenses_total": forms.NumberInput(attrs=AMOUNT),
            "expenses_from": DATE,
            "expenses_to": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class PaymentForm(DsfrForm):
    checked_amount = forms.DecimalField(
        label=_("Montant retenu"), min_value=Decimal("0.01"), decimal_places=2
    )
    paid_amount = forms.DecimalField(
        label=_("Montant versé"), min_value=Decimal("0.01"), decimal_places=2
    )
    paid_on = forms.DateField(label=_("Versé le"), widget=DATE)


class QuestionForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = Question
        fields = list(QUESTION_FIELDS)
        widgets = {"choices": forms.Textarea(attrs={"rows": 4})}


class AnswersForm(DsfrForm):
    """A field per question of the call, in its kind; the answers given fill it in."""

    def __init__(self, *args, questions, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        given = {answer.question_id: answer for answer in answers}
        for question in self.questions:
            name = f"question_{question.pk}"
            answer = given.get(question.pk)
            common = {"label": question.label, "help_text": question.help_text}
            if question.kind == QuestionKind.NUMBER:
                field: forms.Field = forms.DecimalField(required=False, **common)
                self.initial[name] = answer.number if answer else None
            elif question.kind == QuestionKind.CHOICE:
                options = [("", "—"), *[(option, option) for option in question.options()]]
                field = forms.ChoiceField(choices=options, required=False, **common)
                self.initial[name] = answer.text if answer else ""
            elif question.kind == QuestionKind.FILE:
                shown = answer.shown if answer else ""
                if shown:
                    common["help_text"] = _(
                        "Déjà joint : %(name)s. Un nouveau fichier le remplace."
                    ) % {"name": shown}
                field = forms.FileField(required=False, **common)
            else:
                field = forms.CharField(
                    required=False, widget=forms.Textarea(attrs={"rows": 3}), **common
                )
                self.initial[name] = answer.text if answer else ""
            self.fields[name] = field

    def answers(self) -> dict:
        """Question → value; a file left empty keeps the one already joined."""
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"question_{question.pk}")
            if question.kind == QuestionKind.FILE and not value:
                continue
            values[question] = value
        return values
