from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import DsfrForm
from maillage.territories.enums import COMPOSED_KINDS, TerritoryKind
from maillage.territories.services import territories_from_codes


class AreaForm(DsfrForm):
    name = forms.CharField(label=_("Nom"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Nature"),
        choices=[(k.value, k.label) for k in TerritoryKind if k in COMPOSED_KINDS],
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Dites d’où vient la composition (délibération, étude…) et ce qu’elle laisse de côté."
        ),
    )
    members = forms.CharField(
        label=_("Territoires membres"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Un code officiel par ligne : code INSEE d’une commune, SIREN d’un EPCI, "
            "numéro de département, ou « CH:26 » pour le canton suisse du Jura. "
            "« nature:code » lève une ambiguïté."
        ),
    )

    def clean_members(self):
        try:
            return territories_from_codes(self.cleaned_data["members"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["members"]) from error
