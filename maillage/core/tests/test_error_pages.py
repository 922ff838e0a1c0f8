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


def test_a_refusal_is_one_line_in_the_log_not_a_traceback(client, caplog):
    """Every 403 wrote a full traceback; a 500 keeps its own."""
    with caplog.at_level("WARNING", logger="django.request"):
        client.get("/interdit/")
    [refusal] = [r for r in caplog.records if r.name == "django.request"]
    assert "Forbidden" in refusal.getMessage() and refusal.exc_info is None
    assert "Traceback" not in caplog.text
    caplog.clear()
    with caplog.at_level("ERROR", logger="django.request"):
        Client(raise_request_exception=False).get("/panne/")
    assert "RuntimeError: boom" in caplog.text
