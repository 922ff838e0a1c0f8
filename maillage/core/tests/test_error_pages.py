import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from maillage import urls as project_urls


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [*project_urls.urlpatterns, path("interdit/", forbidden), path("panne/", broken)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_404_looks_like_the_site(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html and 'class="fr-header"' in html and "Mentions légales" in html


def test_403_looks_like_the_site(client):
    response = client.get("/interdit/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


@override_settings(DEBUG=False)
def test_500_looks_like_the_site():
    client = Client(raise_request_exception=False)
    response = client.get("/panne/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur inattendue" in html and 'class="fr-footer"' in html
