"""What surrounds every page's content cost more to render than most pages' own content
(issue 20): the design system's assets, the header's brand, the menu and the footer are kept
rendered in each process, per language (and the menu per page and signed-in state); and every
DSFR form of a process shares one renderer, instead of a new template engine per form."""

import pytest

from maillage.core.forms import DSFR_RENDERER
from maillage.projects.forms import BulkStatusForm, NoteForm

pytestmark = pytest.mark.django_db


def _current(page: str) -> list[str]:
    """The menu entries marked as the current page."""
    return [part.split("<", 1)[0] for part in page.split('aria-current="page">')[1:]]


def test_the_menu_marks_the_page_it_is_on(client):
    home = client.get("/").content.decode()
    territories = client.get("/territoires/").content.decode()
    assert _current(home) == ["Coopérations"]
    assert _current(territories) == ["Territoires"]
    assert _current(client.get("/").content.decode()) == _current(home)


def test_the_chrome_follows_the_language_and_the_signed_in_state(client, claire):
    french = client.get("/mentions-legales/").content.decode()
    english = client.get("/mentions-legales/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pied de page" in french and "Mentions légales" in french
    assert "Footer" in english and "Pied de page" not in english
    assert "Mon espace" not in french
    client.force_login(claire)
    signed_in = client.get("/mentions-legales/").content.decode()
    assert "Mon espace" in signed_in and "Claire" in signed_in


def test_the_dsfr_forms_share_one_renderer(cooperation):
    first, second = BulkStatusForm(cooperation=cooperation), NoteForm()
    assert first.renderer is second.renderer is DSFR_RENDERER
    field = first["comment"].as_field_group()
    assert "fr-input" in field and "fr-input-group" in field  # the design system's markup
