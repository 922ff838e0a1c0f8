from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from maillage.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("maillage.portal.urls")),
    path("compte/", include("allauth.urls")),
    path("mon-espace/", include("maillage.accounts.urls")),
    path("cooperations/<slug:slug>/projets/", include("maillage.projects.urls")),
    path("", include("maillage.governance.urls")),
    path("", include("maillage.reports.urls")),
    path("cooperations/", include("maillage.cooperations.urls")),
    path("territoires/", include("maillage.territories.urls")),
    path("annuaire/", include("maillage.directory.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# Stored files are never served from MEDIA_URL, even under DEBUG: every one goes through a view
# that checks the permission of its record (documents, logos).
