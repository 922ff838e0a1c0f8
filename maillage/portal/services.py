"""Every write of the portal: news, from the draft to its publication."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.accounts.models import User
from maillage.cooperations.models import Cooperation, Document
from maillage.core.enums import Visibility
from maillage.core.exceptions import Conflict
from maillage.core.history import delete_recorded, recorded_change
from maillage.core.services import apply_changes
from maillage.portal import permissions
from maillage.portal.enums import NewsStatus
from maillage.portal.models import News, Resource
from maillage.territories.models import Territory

NEWS_FIELDS = ("title", "summary", "body", "image", "image_description")


def _require_write(actor: User | None, cooperation: Cooperation | None) -> None:
    if actor is not None and not permissions.can_write_news(actor, cooperation):
        raise PermissionDenied


def _checked_documents(cooperation: Cooperation | None, documents: Iterable[Document]) -> list:
    documents = list(documents)
    if documents and cooperation is None:
        raise ValidationError(
            {"documents": _("Seule l’actualité d’une coopération joint ses documents.")}
        )
    if any(document.cooperation_id != getattr(cooperation, "pk", None) for document in documents):
        raise ValidationError({"documents": _("Ce document appartient à une autre coopération.")})
    return documents


def news_create(
    *,
    actor: User | None,
    cooperation: Cooperation | None,
    title: str,
    summary: str,
    documents: Iterable[Document] = (),
    **fields: Any,
) -> News:
    """A draft, of a cooperation (its coordinators write it) or of the platform (the staff)."""
    _require_write(actor, cooperation)
    unknown = set(fields) - set(NEWS_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    attached = _checked_documents(cooperation, documents)
    news = News(cooperation=cooperation, title=title, summary=summary, created_by=actor, **fields)
    news.full_clean()
    comment = _("Nouvelle actualité : %(title)s") % {"title": title}
    with recorded_change(actor=actor, comment=comment):
        news.save()
        news.documents.set(attached)
    return news


def news_update(
    *, actor: User | None, news: News, documents: Iterable[Document] | None = None, **changes: Any
) -> News:
    _require_write(actor, news.cooperation)
    comment = _("Modification de l’actualité")
    with recorded_change(actor=actor, comment=comment):
        apply_changes(actor=actor, obj=news, changes=changes, allowed=NEWS_FIELDS, comment=comment)
        if documents is not None:
            news.documents.set(_checked_documents(news.cooperation, documents))
    return news


def news_publish(*, actor: User | None, news: News) -> News:
    """Published now: readable by whoever may read its cooperation, in the lists and feeds."""
    _require_write(actor, news.cooperation)
    if news.status == NewsStatus.PUBLISHED:
        raise Conflict(_("Cette actualité est déjà publiée."))
    news.status = NewsStatus.PUBLISHED
    news.published_at = timezone.now()
    with recorded_change(actor=actor, comment=_("Publication de l’actualité")):
        news.save(update_fields=["status", "published_at", "updated_at"])
    return news


def news_withdraw(*, actor: User | None, news: News) -> News:
    """Back to a draft: out of the lists and feeds until published again."""
    _require_write(actor, news.cooperation)
    if news.status != NewsStatus.PUBLISHED:
        raise Conflict(_("Cette actualité n’est pas publiée."))
    news.status = NewsStatus.DRAFT
    news.published_at = None
    with recorded_change(actor=actor, comment=_("Retrait de l’actualité")):
        news.save(update_fields=["status", "published_at", "updated_at"])
    return news


def news_delete(*, actor: User | None, news: News) -> None:
    _require_write(actor, news.cooperation)
    delete_recorded(
        actor=actor,
        comment=_("Suppression de l’actualité : %(title)s") % {"title": news.title},
        obj=news,
    )


def cooperation_portal_cascade(cooperation: Cooperation) -> list:
    """A cooperation's news and resources, deleted with it and brought back by its restore
    (`cooperations.services.DELETION_CASCADES`)."""
    return [
        *News.objects.filter(cooperation=cooperation),
        *Resource.objects.filter(cooperation=cooperation),
    ]


# The resource centre ---------------------------------------------------------------------------

RESOURCE_FIELDS = (
    "title",
    "kind",
    "description",
    "url",
    "file",
    "date",
    "organisation",
    "themes",
    "visibility",
)


def _require_write_resource(actor: User | None, cooperation: Cooperation | None) -> None:
    if actor is not None and not permissions.can_write_resource(actor, cooperation):
        raise PermissionDenied


def resource_create(
    *,
    actor: User | None,
    cooperation: Cooperation | None,
    territories: Iterable[Territory] = (),
    **fields: Any,
) -> Resource:
    """A document or a link of the resource centre, of a cooperation or of an organisation."""
    _require_write_resource(actor, cooperation)
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if cooperation is None:
        fields.setdefault("visibility", Visibility.PUBLIC)
    resource = Resource(cooperation=cooperation, created_by=actor, **fields)
    resource.full_clean()
    comment = _("Nouvelle ressource : %(title)s") % {"title": resource.title}
    with recorded_change(actor=actor, comment=comment):
        resource.save()
        resource.territories.set(territories)
    return resource


def resource_update(
    *,
    actor: User | None,
    resource: Resource,
    territories: Iterable[Territory] | None = None,
    **changes: Any,
) -> Resource:
    _require_write_resource(actor, resource.cooperation)
    comment = _("Modification de la ressource")
    with recorded_change(actor=actor, comment=comment):
        apply_changes(
            actor=actor, obj=resource, changes=changes, allowed=RESOURCE_FIELDS, comment=comment
        )
        if territories is not None:
            resource.territories.set(territories)
    return resource


def resource_delete(*, actor: User | None, resource: Resource) -> None:
    _require_write_resource(actor, resource.cooperation)
    delete_recorded(
        actor=actor,
        comment=_("Suppression de la ressource : %(title)s") % {"title": resource.title},
        obj=resource,
    )
