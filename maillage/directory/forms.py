from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import DsfrForm
from maillage.directory.models import Organisation, Person, Position
from maillage.territories.services import territories_from_codes


class OrganisationForm(DsfrForm, forms.ModelForm):
    territory_code = forms.CharField(
        label=_("Territoire (code officiel)"),
        required=False,
        help_text=_(
            "Par exemple 242900314 pour Brest métropole, 59 pour le Nord, "
            "CH:26 pour le Jura suisse."
        ),
    )
    # A website typed without a scheme is taken as https (Django 6's default).
    website = forms.URLField(label=_("Site internet"), required=False, assume_scheme="https")
    confirm_duplicate = forms.BooleanField(
        label=_("Je confirme qu’il s’agit d’une autre structure"), required=False
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "siren", "siret", "address", "website", "logo"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.territory_id and not self.is_bound:
            territory = self.instance.territory
            self.initial["territory_code"] = (
                f"{territory.kind}:{territory.code}" if territory.code else ""
            )

    def clean_territory_code(self):
        code = self.cleaned_data["territory_code"].strip()
        if not code:
            return None
        try:
            [territory] = territories_from_codes(code)
        except ValidationError as error:
            raise ValidationError(error.message_dict["members"]) from error
        except ValueError as error:
            raise ValidationError(_("Un seul territoire.")) from error
        return territory


class PersonForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email", "phone", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class PositionForm(DsfrForm, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Structure"), queryset=Organisation.objects.order_by("search_name")
    )

    class Meta:
        model = Position
        fields = ["organisation", "title", "kind", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }
