"""The portal's panels: on a cooperation's page its latest news (and for its coordinators the
way to write one); on an organisation's page the resources it wrote."""

from django.template.loader import render_to_string

from maillage.cooperations import permissions as cooperation_permissions
from maillage.core.panels import panel
from maillage.portal import selectors

COOPERATION_NEWS = 3
ORGANISATION_RESOURCES = 10


@panel("cooperations.cooperation")
def cooperation_news(request, cooperation) -> str:
    news = list(selectors.news_list(request.user, cooperation=cooperation)[:COOPERATION_NEWS])
    can_write = cooperation_permissions.can_edit(request.user, cooperation)
    if not news and not can_write:
        return ""
    return render_to_string(
        "portal/includes/cooperation_news.html",
        {"cooperation": cooperation, "news_items": news, "can_write": can_write},
        request,
    )


@panel("directory.organisation")
def organisation_resources(request, organisation) -> str:
    """The resources an organisation wrote (a resource centre's library on its own page)."""
    resources = list(
        selectors.resources_visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("cooperation")[:ORGANISATION_RESOURCES]
    )
    if not resources:
        return ""
    return render_to_string(
        "portal/includes/organisation_resources.html",
        {"organisation": organisation, "resources": resources},
        request,
    )
