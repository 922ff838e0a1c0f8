"""Every signed-in page asked the user's roles and its cooperation from the database (issue 20:
two of a coordinator's five queries on most pages). With a shared cache both are kept until
the data changes; a transaction that has just changed them reads afresh."""

import pytest
from django.db import transaction

from maillage.accounts import services
from maillage.accounts.models import User
from maillage.accounts.selectors import roles_by_cooperation
from maillage.cooperations import services as cooperation_services
from maillage.cooperations.permissions import cooperation_by_ref
from maillage.core.enums import Role

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def cached(figures_cache, cooperation):
    return cooperation


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # another request's user: no roles kept on it


def test_roles_come_from_the_cache_until_the_memberships_change(
    cached, claire, nadia, django_assert_num_queries
):
    assert roles_by_cooperation(_fresh(nadia)) == {}
    reader = _fresh(nadia)
    with django_assert_num_queries(0):
        assert roles_by_cooperation(reader) == {}
    services.membership_set(actor=claire, cooperation=cached, user=nadia, role=Role.OBSERVER)
    assert roles_by_cooperation(_fresh(nadia)) == {cached.pk: Role.OBSERVER}


def test_a_transaction_reads_its_own_changes_of_roles(cached, claire, nadia):
    assert roles_by_cooperation(_fresh(nadia)) == {}  # cached
    with transaction.atomic():
        services.membership_set(actor=claire, cooperation=cached, user=nadia, role=Role.FUNDER)
        assert roles_by_cooperation(_fresh(nadia)) == {cached.pk: Role.FUNDER}
    assert roles_by_cooperation(_fresh(nadia)) == {cached.pk: Role.FUNDER}


def test_a_cooperation_is_found_by_its_address_from_the_cache(cached, django_assert_num_queries):
    assert cooperation_by_ref(cached.slug) == cooperation_by_ref(str(cached.pk)) == cached
    with django_assert_num_queries(0):
        found = cooperation_by_ref(cached.slug)
        assert found is not None and found.title == "Brest ↔ COB"
        assert cooperation_by_ref("no such/thing") is None
    cooperation_services.cooperation_update(actor=None, cooperation=cached, title="Brest et COB")
    changed = cooperation_by_ref(cached.slug)
    assert changed is not None and changed.title == "Brest et COB"
    assert cooperation_by_ref("inconnue") is None
