"""The header's unread count was one COUNT on every page of a signed-in user (issue 20). With a
shared cache it is kept until the services make one of the user's notifications or mark them
read, once that commits."""

import pytest

from maillage.notifications import selectors, services
from maillage.notifications.enums import NotificationKind

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _tell(*users):
    return services.notify(recipients=users, kind=NotificationKind.FORUM, title="Une réponse")


def test_the_count_is_kept_until_a_notification_is_made_or_read(
    figures_cache, claire, etienne, django_assert_num_queries
):
    assert selectors.unread_count(claire) == 0
    with django_assert_num_queries(0):
        assert selectors.unread_count(claire) == 0
    first, _other = _tell(claire, etienne)
    assert selectors.unread_count(claire) == selectors.unread_count(etienne) == 1
    _tell(claire)
    assert selectors.unread_count(claire) == 2
    services.mark_read(user=claire, notification=first)
    assert selectors.unread_count(claire) == 1
    services.mark_all_read(user=claire)
    assert selectors.unread_count(claire) == 0 and selectors.unread_count(etienne) == 1


def test_the_header_and_the_api_show_the_count_of_now(figures_cache, client, claire):
    client.force_login(claire)
    assert "non lues" not in client.get("/mentions-legales/").content.decode()
    _tell(claire)
    assert (
        '1<span class="fr-sr-only"> non lues' in client.get("/mentions-legales/").content.decode()
    )
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 1}  # the same count
    client.post("/notifications/tout-lu/")
    assert "non lues" not in client.get("/mentions-legales/").content.decode()
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 0}
