"""The portfolio's counts and rows read the whole portfolio on every page (issue 20: about
25 ms of a coordinator's page at 10 000 projects). With a shared cache they are kept per reader
scope, filters and day until a write commits, and the page keeps its rendered rows beside
them; readers who see different projects never share them."""

import pytest
from django.contrib.auth.models import AnonymousUser

from maillage.projects import selectors
from maillage.projects import services as project_services
from maillage.projects.models import Project
from maillage.projects.selectors import PortfolioFilters, PortfolioRows

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def cached(figures_cache, cooperation):
    cooperation.visibility = "public"
    cooperation.save()
    project_services.project_create(
        actor=None, cooperation=cooperation, title="Halle", visibility="public"
    )
    project_services.project_create(
        actor=None, cooperation=cooperation, title="Gare interne", visibility="restricted"
    )
    return cooperation


def _titles(user, cooperation, **filters) -> list[str]:
    rows = PortfolioRows(user, cooperation, PortfolioFilters(**{"sort": "titre", **filters}))
    return [row["title"] for row in rows[0:25]]


def test_counts_and_rows_come_from_the_cache_until_a_write_commits(
    cached, claire, django_assert_max_num_queries
):
    everything = PortfolioFilters(sort="titre")
    assert selectors.portfolio_counts(claire, cached, everything).total == 2
    assert _titles(claire, cached) == ["Gare interne", "Halle"]
    with django_assert_max_num_queries(2):  # the role and the rates; no scan of the portfolio
        assert selectors.portfolio_counts(claire, cached, everything).total == 2
        assert _titles(claire, cached) == ["Gare interne", "Halle"]
    project_services.project_create(actor=None, cooperation=cached, title="Abattoir")
    assert selectors.portfolio_counts(claire, cached, everything).total == 3
    assert _titles(claire, cached)[0] == "Abattoir"
    Project.objects.filter(cooperation=cached).update(structuring=True)  # a bulk write too
    assert selectors.portfolio_counts(claire, cached, everything).structuring == 3


def test_readers_of_different_scopes_and_filters_do_not_share(cached, claire, paula):
    assert _titles(claire, cached) == ["Gare interne", "Halle"]
    assert _titles(AnonymousUser(), cached) == ["Halle"]
    assert _titles(paula, cached) == ["Halle"]
    assert selectors.portfolio_counts(AnonymousUser(), cached, PortfolioFilters()).total == 1
    assert _titles(claire, cached, search="gare") == ["Gare interne"]
    assert (
        _titles(claire, cached, sort="-cout") != []
        and _titles(claire, cached, status="completed") == []
    )


def test_the_page_keeps_its_rendered_rows_for_those_who_manage_and_those_who_read(
    cached, client, claire, monkeypatch
):
    from maillage.projects.templatetags import portfolio as tags

    rendered = []
    render = tags.render_to_string

    def counted(*args, **kwargs):
        rendered.append(args[0])
        return render(*args, **kwargs)

    monkeypatch.setattr(tags, "render_to_string", counted)
    path = f"/cooperations/{cached.slug}/projets/?tri=titre"
    client.force_login(claire)
    first = client.get(path).content.decode()
    again = client.get(path).content.decode()
    assert len(rendered) == 1 and 'name="projects"' in again and "Gare interne" in again
    assert first.count('name="projects"') == again.count('name="projects"') == 2
    client.logout()
    visitor = client.get(path).content.decode()
    assert len(rendered) == 2  # not the coordinator's rows: another scope
    assert "Gare interne" not in visitor and 'name="projects"' not in visitor
    project_services.project_create(actor=None, cooperation=cached, title="Abattoir")
    client.force_login(claire)
    assert "Abattoir" in client.get(path).content.decode() and len(rendered) == 3


def test_the_filters_form_shows_what_was_asked_and_the_options_of_now(cached, client, claire):
    from maillage.cooperations import services as cooperation_services

    path = f"/cooperations/{cached.slug}/projets/"
    client.force_login(claire)
    assert 'value="gare"' in client.get(path, {"q": "gare"}).content.decode()
    assert 'value="halle"' in client.get(path, {"q": "halle"}).content.decode()
    assert 'value="gare"' in client.get(path, {"q": "gare"}).content.decode()
    cooperation_services.theme_create(actor=None, cooperation=cached, name="Mobilités")
    assert "Mobilités" in client.get(path, {"q": "gare"}).content.decode()
