"""ProConnect's panel in "Mon espace": the identity the account signs in with."""

from django.template.loader import render_to_string

from maillage.core.panels import panel
from maillage.proconnect.models import AgentIdentity


@panel("accounts.profile")
def agent_identity(request, user) -> str:
    identity = AgentIdentity.objects.select_related("organisation").filter(user=user).first()
    if identity is None:
        return ""
    return render_to_string("proconnect/identity.html", {"identity": identity}, request)
