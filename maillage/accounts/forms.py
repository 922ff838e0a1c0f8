"""Forms of the accounts pages; allauth's are re-dressed with the design system's markup."""

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


class LoginForm(DsfrBaseForm, allauth_forms.LoginForm):
    pass


class SignupForm(DsfrBaseForm, allauth_forms.SignupForm):
    pass


class ResetPasswordForm(DsfrBaseForm, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(DsfrBaseForm, allauth_forms.ResetPasswordKeyForm):
    pass


class ChangePasswordForm(DsfrBaseForm, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(DsfrBaseForm, allauth_forms.SetPasswordForm):
    pass


class AddEmailForm(DsfrBaseForm, allauth_forms.AddEmailForm):
    pass


class ApiTokenForm(DsfrBaseForm):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Pour le reconnaître plus tard, par exemple « tableur du comité de suivi »."),
    )
