"""The news as an Atom feed: the platform's and every readable cooperation's, or one
cooperation's (`?cooperation=<slug>`). A feed reader has no session: visitors' news only."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from maillage.cooperations.models import Cooperation
from maillage.cooperations.permissions import can_view
from maillage.portal import selectors
from maillage.portal.models import News

FEED_ITEMS = 30


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs) -> Cooperation | None:
        slug = request.GET.get("cooperation")
        if not slug:
            return None
        cooperation = get_object_or_404(Cooperation, slug=slug)
        if not can_view(AnonymousUser(), cooperation):
            raise Http404
        return cooperation

    def title(self, obj: Cooperation | None) -> str:
        return _("Actualités de %(name)s") % {"name": obj.title if obj else "Maillage"}

    def link(self, obj: Cooperation | None) -> str:
        return reverse("portal:news_list") + (f"?cooperation={obj.slug}" if obj else "")

    def subtitle(self, obj: Cooperation | None) -> str:
        return _("Les actualités publiques des coopérations entre territoires.")

    def items(self, obj: Cooperation | None):
        return selectors.news_list(AnonymousUser(), cooperation=obj)[:FEED_ITEMS]

    def item_title(self, item: News) -> str:
        return item.title

    def item_description(self, item: News) -> str:
        return item.summary

    def item_pubdate(self, item: News):
        return item.published_at

    def item_updateddate(self, item: News):
        return item.updated_at
