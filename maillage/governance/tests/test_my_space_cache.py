""" "Mon espace" asked each app's panel afresh on every view (issue 20: about 55 ms of the
page). With a shared cache each panel is kept per user and language until a write commits; the
meetings panel also until the first meeting it lists ends."""

import datetime as dt

import pytest
from django.utils import timezone

from maillage.governance.tests.factories import meeting_in
from maillage.projects import services as project_services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE = "/mon-espace/"


@pytest.fixture
def cached(figures_cache, cooperation):
    return cooperation


def test_the_panels_come_from_the_cache_until_a_write_commits(
    cached, client, claire, django_assert_max_num_queries
):
    meeting_in(cached, days=2, title="Comité de suivi")
    client.force_login(claire)
    assert "Comité de suivi" in client.get(PAGE).content.decode()
    with django_assert_max_num_queries(6):  # session, user, roles, memberships, identity, count
        assert "Comité de suivi" in client.get(PAGE).content.decode()
    meeting_in(cached, days=3, title="Conférence des maires")
    assert "Conférence des maires" in client.get(PAGE).content.decode()
    project = project_services.project_create(actor=None, cooperation=cached, title="Halle")
    project.contacts.add(claire)  # a write the panels' cache sees (the connection's)
    assert "Halle" in client.get(PAGE).content.decode()


def test_a_meeting_leaves_the_panel_when_it_ends(cached, client, claire, monkeypatch):
    meeting = meeting_in(cached, days=0, hours=2, title="Comité de suivi")
    client.force_login(claire)
    assert "Comité de suivi" in client.get(PAGE).content.decode()
    ended = meeting.end + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: ended)
    page = client.get(PAGE).content.decode()
    assert "Comité de suivi" not in page and "Aucune réunion à venir" in page


def test_each_user_and_language_has_their_own(cached, client, claire, etienne):
    meeting_in(cached, days=2, title="Comité de suivi")
    client.force_login(claire)
    assert "Comité de suivi" in client.get(PAGE).content.decode()
    assert "My next meetings" in client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(etienne)  # a body member, not invited: none of claire's meetings
    assert "Comité de suivi" not in client.get(PAGE).content.decode()
