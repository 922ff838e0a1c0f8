from django.conf import settings
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

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
