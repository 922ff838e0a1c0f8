from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


class RegistrationForm(DsfrBaseForm):
    name = forms.CharField(label=_("Nom et prénom"), max_length=200)
    email = forms.EmailField(label=_("Adresse e-mail"))
    organisation = forms.CharField(label=_("Structure"), max_length=200, required=False)
    condition_accepted = forms.BooleanField(
        label=_("Je remplis la condition de participation"), required=False
    )
