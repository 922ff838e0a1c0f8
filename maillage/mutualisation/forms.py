from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.cooperations.forms import DATE
from maillage.cooperations.models import Cooperation, Party
from maillage.core.forms import DsfrForm, StaleEditForm, offer_reachable_visibilities
from maillage.directory.models import Person
from maillage.directory.permissions import people_of_q
from maillage.mutualisation.enums import ENTERED_METHODS, KeyMethod
from maillage.mutualisation.models import (
    Advance,
    AllocationYear,
    Convention,
    ConventionParty,
    Cost,
    SharedItem,
)
from maillage.mutualisation.services import (
    ADVANCE_FIELDS,
    CONVENTION_FIELDS,
    COST_FIELDS,
    ITEM_FIELDS,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise as _StrPromise

AMOUNT = {"min": "0", "step": "0.01", "inputmode": "decimal"}


class ConventionForm(DsfrForm, StaleEditForm):
    def __init__(self, *args, cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        offer_reachable_visibilities(self, cooperation)

    class Meta:
        model = Convention
        fields = list(CONVENTION_FIELDS)
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "signed_on": DATE,
            "start_date": DATE,
            "end_date": DATE,
        }


class PartyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.organisation.name


class ConventionPartyForm(DsfrForm):
    party = PartyChoiceField(label=_("Structure"), queryset=Party.objects.none())
    finance_contact = forms.ModelChoiceField(
        label=_("Référent financier"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("Un membre de la coopération : il déclare les usages de sa structure."),
    )

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        taken = convention.parties.values("party")
        party_field = cast(forms.ModelChoiceField, self.fields["party"])
        party_field.queryset = (
            convention.cooperation.parties.exclude(pk__in=taken)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        contact_field = cast(forms.ModelChoiceField, self.fields["finance_contact"])
        contact_field.queryset = User.objects.filter(
            memberships__cooperation=convention.cooperation
        ).order_by("last_name", "first_name")


class FinanceContactForm(DsfrForm):
    finance_contact = forms.ModelChoiceField(
        label=_("Référent financier"), required=False, queryset=User.objects.none()
    )

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["finance_contact"])
        field.queryset = User.objects.filter(
            memberships__cooperation=convention.cooperation
        ).order_by("last_name", "first_name")


class AmendmentForm(DsfrForm):
    signed_on = forms.DateField(label=_("Signé le"), widget=DATE)
    changes = forms.CharField(label=_("Ce qu’il modifie"), widget=forms.Textarea(attrs={"rows": 3}))


def _party_choices(field: forms.Field, convention: Convention) -> None:
    field = cast(forms.ModelChoiceField, field)
    field.queryset = convention.parties.select_related("party__organisation").order_by(
        "party__organisation__name"
    )


class ItemForm(DsfrForm, forms.ModelForm):
    sharing_parties = forms.ModelMultipleChoiceField(
        label=_("Parties qui se le partagent"),
        required=False,
        queryset=ConventionParty.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune cochée : toutes les parties à la convention."),
    )

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        _party_choices(self.fields["provider"], convention)
        _party_choices(self.fields["sharing_parties"], convention)
        people = cast(forms.ModelChoiceField, self.fields["person"])
        # The people of the cooperation, and those holding a position in a party.
        organisations = convention.parties.values("party__organisation")
        cooperations = Cooperation.objects.filter(pk=convention.cooperation_id).values("pk")
        people.queryset = (
            Person.objects.filter(
                people_of_q(cooperations) | Q(positions__organisation__in=organisations),
                erased_at__isnull=True,
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        if self.instance.pk:
            self.initial["sharing_parties"] = list(self.instance.sharing_parties.all())

    class Meta:
        model = SharedItem
        fields = list(ITEM_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class YearForm(DsfrForm):
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)


class CostForm(DsfrForm, forms.ModelForm):
    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["item"])
        field.queryset = convention.items.order_by("name")

    class Meta:
        model = Cost
        fields = list(COST_FIELDS)
        widgets = {"amount": forms.NumberInput(attrs=AMOUNT)}


class AdvanceForm(DsfrForm, forms.ModelForm):
    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        _party_choices(self.fields["party"], convention)

    class Meta:
        model = Advance
        fields = list(ADVANCE_FIELDS)
        widgets = {"amount": forms.NumberInput(attrs=AMOUNT), "paid_on": DATE}


def _number(label: "str | _StrPromise", initial: Decimal | None = None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=4,
        initial=initial,
        widget=forms.NumberInput(attrs={"min": "0", "step": "any", "inputmode": "decimal"}),
    )


class KeyForm(DsfrForm):
    """An item's key for a year: a weight per method, and each sharing party's FTE, area or
    fixed share where those methods are used. The service checks the whole."""

    def __init__(self, *args, year: AllocationYear, item: SharedItem, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = list(parties)
        terms = {t.method: t.weight for t in year.key_terms.filter(item=item)}
        figures = {(f.method, f.party_id): f.value for f in year.key_figures.filter(item=item)}
        for method, label in KeyMethod.choices:
            self.fields[f"weight_{method}"] = _number(
                _("Poids de la clé « %(method)s » (%%)") % {"method": label}, terms.get(method)
            )
        for method in ENTERED_METHODS:
            for party in self.parties:
                self.fields[f"{method}_{party.pk}"] = _number(
                    f"{KeyMethod(method).label} — {party.party.organisation.name}",
                    figures.get((method, party.pk)),
                )

    def terms(self) -> dict[str, Decimal]:
        return {
            method: self.cleaned_data[f"weight_{method}"]
            for method in KeyMethod.values
            if self.cleaned_data.get(f"weight_{method}")
        }

    def figures(self) -> dict[str, dict[ConventionParty, Decimal]]:
        used = self.terms()
        return {
            method: {
                party: self.cleaned_data.get(f"{method}_{party.pk}") or Decimal(0)
                for party in self.parties
            }
            for method in ENTERED_METHODS
            if method in used
        }

    def weight_fields(self):
        return [self[f"weight_{method}"] for method in KeyMethod.values]

    def figure_rows(self):
        """Per party, its fields for the entered methods (a table row each)."""
        return [
            (party, [self[f"{method}_{party.pk}"] for method in ENTERED_METHODS])
            for party in self.parties
        ]


class UsesForm(DsfrForm):
    """The forecast and actual units of each item, for the parties the user answers for."""

    def __init__(self, *args, year: AllocationYear, parties, items, **kwargs):
        super().__init__(*args, **kwargs)
        declared = {
            (use.party_id, use.item_id): use
            for use in year.uses.filter(party__in=[p.pk for p in parties])
        }
        self.cells: list[tuple[ConventionParty, SharedItem]] = []
        for party in parties:
            for item in items:
                if item.sharing_ids and party.pk not in item.sharing_ids:
                    continue
                use = declared.get((party.pk, item.pk))
                self.fields[f"forecast_{party.pk}_{item.pk}"] = _number(
                    _("Prévu"), use.forecast if use else None
                )
                self.fields[f"actual_{party.pk}_{item.pk}"] = _number(
                    _("Réalisé"), use.actual if use else None
                )
                self.cells.append((party, item))

    def rows(self):
        return [
            (
                party,
                item,
                self[f"forecast_{party.pk}_{item.pk}"],
                self[f"actual_{party.pk}_{item.pk}"],
            )
            for party, item in self.cells
        ]

    def uses_by_party(self) -> dict[ConventionParty, dict[SharedItem, tuple]]:
        by_party: dict[ConventionParty, dict[SharedItem, tuple]] = {}
        for party, item in self.cells:
            by_party.setdefault(party, {})[item] = (
                self.cleaned_data.get(f"forecast_{party.pk}_{item.pk}"),
                self.cleaned_data.get(f"actual_{party.pk}_{item.pk}"),
            )
        return by_party


class ReopenForm(DsfrForm):
    reason = forms.CharField(
        label=_("Motif de la correction"),
        max_length=255,
        help_text=_("Il figurera sur les décomptes corrigés."),
    )
