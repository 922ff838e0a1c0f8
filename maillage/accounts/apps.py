from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "maillage.accounts"
    label = "accounts"
    verbose_name = _("Comptes et rôles")

    def ready(self) -> None:
        from allauth.account.signals import password_changed, password_reset, password_set

        for signal in (password_changed, password_reset, password_set):
            signal.connect(_revoke_tokens, dispatch_uid=f"accounts.revoke_tokens.{id(signal)}")


def _revoke_tokens(sender, request, user, **kwargs) -> None:
    from maillage.accounts.services import api_tokens_revoke_all

    api_tokens_revoke_all(user=user)
