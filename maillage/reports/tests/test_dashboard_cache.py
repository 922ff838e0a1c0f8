"""The dashboard was recomputed on every request (issue 20: 21 queries, most of a user's
server time). Its figures come from the cache while nothing they read has changed: any write
to the domain's tables — through a service, the admin or a bulk update — makes them stale when
it commits; a meeting's start makes them stale when it comes; readers who see different
things never share them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from maillage.core import figures
from maillage.governance import services as governance_services
from maillage.projects import services as project_services
from maillage.projects.models import Project
from maillage.projects.selectors import reader_scope
from maillage.reports import selectors

# Real commits: the figures go stale when a write commits (a test's rolled-back transaction
# never does).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def cached(figures_cache, cooperation):
    cooperation.visibility = "public"
    cooperation.save()
    return cooperation


def test_the_figures_come_from_the_cache_until_a_write_commits(
    cached, claire, django_assert_max_num_queries
):
    project_services.project_create(
        actor=None, cooperation=cached, title="Halle", total_cost=Decimal("1000")
    )
    first = selectors.dashboard(claire, cached)
    assert first.projects.total == 1
    with django_assert_max_num_queries(1):  # the reader's role; the figures are cached
        assert selectors.dashboard(claire, cached).projects.total == 1
    project_services.project_create(actor=None, cooperation=cached, title="Gare")
    assert selectors.dashboard(claire, cached).projects.total == 2
    # A bulk update passes no model's save(): the connection sees it all the same.
    Project.objects.filter(cooperation=cached).update(structuring=True)
    assert selectors.dashboard(claire, cached).projects.structuring == 2


def test_readers_who_see_different_things_do_not_share_figures(cached, claire, paula):
    project_services.project_create(
        actor=None, cooperation=cached, title="Public", visibility="public"
    )
    project_services.project_create(
        actor=None, cooperation=cached, title="Interne", visibility="restricted"
    )
    assert selectors.dashboard(claire, cached).projects.total == 2
    assert selectors.dashboard(AnonymousUser(), cached).projects.total == 1
    assert selectors.dashboard(paula, cached).projects.total == 1
    assert reader_scope(paula, cached) == f"user-{paula.pk}"


def test_a_meeting_that_begins_makes_the_figures_stale(cached, claire, monkeypatch):
    start = timezone.now() + dt.timedelta(hours=1)
    governance_services.meeting_create(
        actor=None,
        cooperation=cached,
        title="Comité",
        start=start,
        end=start + dt.timedelta(hours=1),
    )
    board = selectors.dashboard(claire, cached)
    assert board.governance.meetings_held == 0 and board.governance.next_meeting == start
    later = start + dt.timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert selectors.dashboard(claire, cached).governance.meetings_held == 1


def test_the_writes_that_change_figures_are_recognised():
    watched = figures._is_watched_write
    assert watched('INSERT INTO "projects_project" ("title") VALUES (%s)')
    assert watched('UPDATE "governance_meeting" SET "title" = %s WHERE "id" = %s')
    assert watched('DELETE FROM "cooperations_theme" WHERE "id" IN (%s)')
    assert watched('INSERT INTO "accounts_membership" ("role") VALUES (%s)')
    assert not watched('SELECT * FROM "projects_project"')
    assert watched('UPDATE "forum_post" SET "hidden_at" = %s WHERE "id" = %s')
    assert watched('INSERT INTO "portal_news" ("title") VALUES (%s)')
    assert watched('UPDATE "funding_application" SET "status" = %s')
    assert not watched('UPDATE "projects_planimport" SET "progress" = %s')
    assert not watched('INSERT INTO "forum_readmark" ("user_id") VALUES (%s)')
    assert not watched('INSERT INTO "notifications_notification" ("user_id") VALUES (%s)')
    assert not watched('INSERT INTO "django_session" ("session_key") VALUES (%s)')
    assert not watched('UPDATE "core_workerheartbeat" SET "seen_at" = %s')


def test_the_portfolios_filter_options_are_cached_until_the_data_changes(
    cached, django_assert_num_queries
):
    from maillage.cooperations import services as cooperation_services
    from maillage.projects.selectors import filter_choices

    cooperation_services.theme_create(actor=None, cooperation=cached, name="Mobilités")
    assert [theme.name for theme in filter_choices(cached)["themes"]] == ["Mobilités"]
    with django_assert_num_queries(0):
        filter_choices(cached)
    cooperation_services.theme_create(actor=None, cooperation=cached, name="Santé")
    assert len(filter_choices(cached)["themes"]) == 2


def test_the_page_keeps_its_charts_rendered_beside_the_figures(cached, client, claire, monkeypatch):
    from maillage.reports import views

    drawn = []
    draw = views.dashboard_charts

    def counted(board):
        drawn.append(board)
        return draw(board)

    monkeypatch.setattr(views, "dashboard_charts", counted)
    project_services.project_create(actor=None, cooperation=cached, title="Halle")
    client.force_login(claire)
    path = f"/cooperations/{cached.slug}/tableau-de-bord/"
    first, second = client.get(path).content, client.get(path).content
    assert first == second and b"Halle" not in first and len(drawn) == 1
    project_services.project_create(actor=None, cooperation=cached, title="Gare")
    assert b"2</strong>" in client.get(path).content and len(drawn) == 2
