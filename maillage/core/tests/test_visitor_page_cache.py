"""Half the load test's traffic was visitors asking the same pages (issue 20): what a visitor
without cookies is sent comes from the cache until the data changes. Never what carries a
cookie (a form's CSRF token), an error, or anything for a signed-in user."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillage.cooperations import services as cooperation_services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def cached(settings, cooperation):
    settings.VISITOR_PAGE_CACHE_SECONDS = 60
    cooperation_services.cooperation_update(
        actor=None, cooperation=cooperation, visibility="public", summary="Avant"
    )
    return cooperation


def _queries(client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_a_visitors_page_comes_from_the_cache_until_the_data_changes(client, cached):
    path = f"/cooperations/{cached.slug}/"
    first, page = _queries(client, path)
    assert first > 0 and "Avant" in page
    again, page_again = _queries(client, path)
    assert again == 0 and page_again == page
    assert "Content-Security-Policy" in client.get(path).headers  # outer headers still added
    cooperation_services.cooperation_update(actor=None, cooperation=cached, summary="Après")
    after, page = _queries(client, path)
    assert after > 0 and "Après" in page
    api_first, _ = _queries(client, f"/api/v1/cooperations/{cached.slug}")
    api_again, _ = _queries(client, f"/api/v1/cooperations/{cached.slug}")
    assert api_first > 0 and api_again == 0


def test_nothing_personal_is_kept(client, cached, claire):
    login_form = "/compte/login/"  # carries a CSRF token and its cookie
    for _visit in range(2):
        client.cookies.clear()
        # A visitor's own token each time: a page from the cache would set no cookie.
        assert "csrftoken" in client.get(login_form).cookies
    client.cookies.clear()
    client.force_login(claire)
    path = f"/cooperations/{cached.slug}/"
    assert _queries(client, path)[0] > 0 and _queries(client, path)[0] > 0


def test_it_is_the_innermost_middleware(settings):
    """The outer middleware (security headers, the content security policy) still apply to
    what the cache gives back."""
    assert settings.MIDDLEWARE[-1] == "maillage.core.middleware.VisitorPageCache"


def test_a_hidden_forum_post_leaves_the_visitors_page_at_once(cached, claire, etienne, client):
    """Moderation is a write like any other: the forum's tables move the data's generation."""
    from maillage.forum import services as forum_services

    space = forum_services.space_create(
        actor=claire, cooperation=cached, title="Table santé", visibility="public"
    )
    thread = forum_services.thread_create(
        actor=etienne, space=space, title="Accès aux soins", body="Un propos à retirer"
    )
    path = thread.get_absolute_url()
    assert "Un propos à retirer" in _queries(client, path)[1]
    assert _queries(client, path)[0] == 0  # from the cache
    forum_services.post_hide(actor=claire, post=thread.posts.get(), reason="Hors charte")
    assert "Un propos à retirer" not in _queries(client, path)[1]
