from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from maillage.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("maillage.portal.urls")),
    path("compte/", include("allauth.urls")),
    path("mon-espace/", include("maillage.accounts.urls")),
    path("notifications/", include("maillage.notifications.urls")),
    path("forum/", include("maillage.forum.urls")),
    path("proconnect/", include("maillage.proconnect.urls")),
    path("cooperations/<slug:slug>/projets/", include("maillage.projects.urls")),
    path("", include("maillage.governance.urls")),
    path("", include("maillage.mutualisation.urls")),
    path("", include("maillage.funding.urls")),
    path("", include("maillage.observatory.urls")),
    path("", include("maillage.reports.urls")),
    path("cooperations/", include("maillage.cooperations.urls")),
    path("territoires/", include("maillage.territories.urls")),
    path("annuaire/", include("maillage.directory.urls")),
    path("api/v1/", api.urls),
    # Choosing the interface's language sets a cookie and nothing else: no CSRF token for it,
    # so that the switcher in every page's header hands visitors no cookie (their pages are
    # then the same for all and kept in the cache: core.middleware.VisitorPageCache).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
# Stored files are never served from MEDIA_URL, even under DEBUG: every one goes through a view
# that checks the permission of its record (documents, logos).
