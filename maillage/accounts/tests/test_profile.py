import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.tests.factories import MembershipFactory
from maillage.cooperations.tests.factories import CooperationFactory
from maillage.core.testing import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_the_profile_lists_cooperations_and_roles(client, claire, cooperation):
    client.force_login(claire)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Brest ↔ COB" in html
    assert "Coordination" in html


def test_the_profile_says_when_there_is_no_cooperation(client, nadia):
    client.force_login(nadia)
    assert (
        "Vous n’êtes membre d’aucune coopération"
        in client.get(reverse("accounts:profile")).content.decode()
    )


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_profile_queries_stay_fixed_as_memberships_grow(client, claire):
    client.force_login(claire)
    assert_constant_queries(
        lambda: client.get(reverse("accounts:profile")),
        lambda: [
            MembershipFactory(user=claire, cooperation=CooperationFactory()) for _ in range(5)
        ],
    )


def test_the_me_endpoint_lists_roles(client, claire):
    client.force_login(claire)
    body = client.get("/api/v1/accounts/me").json()
    assert body["memberships"] == [
        {
            "cooperation_id": claire.memberships.get().cooperation_id,
            "cooperation_slug": "brest-cob",
            "cooperation_title": "Brest ↔ COB",
            "role": "coordinator",
            "role_label": "Coordination",
        }
    ]


def test_createsuperuser_without_input_takes_the_email_from_the_environment(monkeypatch):
    monkeypatch.setitem(os.environ, "DJANGO_SUPERUSER_EMAIL", "root@exemple.test")
    monkeypatch.setitem(os.environ, "DJANGO_SUPERUSER_PASSWORD", "un-mot-de-passe-solide")
    call_command("createsuperuser", "--noinput", verbosity=0)
    user = User.objects.get(email="root@exemple.test")
    assert user.is_superuser and user.is_staff
    assert user.check_password("un-mot-de-passe-solide")
