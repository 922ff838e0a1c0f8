"""Forms of the accounts pages; allauth's are re-dressed with the design system's markup."""

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import DsfrForm


class LoginForm(DsfrForm, allauth_forms.LoginForm):
    pass


class SignupForm(DsfrForm, allauth_forms.SignupForm):
    pass


class ResetPasswordForm(DsfrForm, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(DsfrForm, allauth_forms.ResetPasswordKeyForm):
    pass


class ChangePasswordForm(DsfrForm, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(DsfrForm, allauth_forms.SetPasswordForm):
    pass


class AddEmailForm(DsfrForm, allauth_forms.AddEmailForm):
    pass


class ApiTokenForm(DsfrForm):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Pour le reconnaître plus tard, par exemple « tableur du comité de suivi »."),
    )
