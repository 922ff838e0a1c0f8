from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimeStampedModel


class AgentIdentity(TimeStampedModel):
    """The ProConnect identity of an account: the provider's stable subject (`sub`), which
    links the account at each sign-in even if the agent's address changes, and the
    organisation the agent signed in for (found by its SIRET in the directory)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_identity"
    )
    sub = models.CharField(_("identifiant ProConnect"), max_length=255, unique=True)
    uid = models.CharField(_("identifiant chez le fournisseur"), max_length=255, blank=True)
    idp_id = models.CharField(_("fournisseur d’identité"), max_length=255, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_in_at = models.DateTimeField(_("dernière connexion"))

    class Meta:
        verbose_name = _("identité ProConnect")
        verbose_name_plural = _("identités ProConnect")

    def __str__(self) -> str:
        return f"{self.user} — {self.siret}"
