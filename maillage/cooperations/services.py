"""The worked example of the service convention (docs/architecture.md §Services).

Each function is one business operation: keyword-only arguments, the actor first, validation
by `full_clean`, and the write inside `recorded_change` so the history knows who did it.
"""

from django.core.exceptions import PermissionDenied
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.cooperations import permissions
from maillage.cooperations.models import Cooperation
from maillage.core.exceptions import Conflict
from maillage.core.history import delete_recorded, recorded_change

EDITABLE_FIELDS = ("title", "short_name", "kind", "summary", "visibility")


def cooperation_create(
    *,
    actor: User | None,
    title: str,
    kind: str,
    short_name: str = "",
    slug: str = "",
    summary: str = "",
    visibility: str = Cooperation._meta.get_field("visibility").default,
) -> Cooperation:
    """Create a cooperation. `actor` None means the system (demo loader, commands)."""
    if actor is not None and not permissions.can_create(actor):
        raise PermissionDenied
    slug = slug or slugify(short_name or title)[:80]
    if Cooperation.objects.filter(slug=slug).exists():
        raise Conflict(
            _("Une coopération utilise déjà l’identifiant « %(slug)s ».") % {"slug": slug}
        )
    cooperation = Cooperation(
        title=title,
        short_name=short_name,
        slug=slug,
        kind=kind,
        summary=summary,
        visibility=visibility,
    )
    cooperation.full_clean()
    with recorded_change(actor=actor, comment=_("Création de la coopération")):
        cooperation.save()
    return cooperation


def cooperation_update(*, actor: User, cooperation: Cooperation, **changes: str) -> Cooperation:
    if not permissions.can_edit(actor, cooperation):
        raise PermissionDenied
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(cooperation, name) != value]
    if not changed:
        return cooperation
    for name in changed:
        setattr(cooperation, name, changes[name])
    cooperation.full_clean()
    with recorded_change(actor=actor, comment=_("Modification de la coopération")):
        cooperation.save(update_fields=[*changed, "updated_at"])
    return cooperation


def cooperation_delete(*, actor: User, cooperation: Cooperation) -> None:
    """Delete a cooperation; staff can bring it back from the history (core.history)."""
    if not actor.is_staff:
        raise PermissionDenied
    delete_recorded(
        actor=actor,
        comment=_("Suppression de la coopération"),
        obj=cooperation,
        cascaded=cooperation.memberships.all(),
    )
