import pytest
from django.urls import reverse

from maillage.accounts.tests.factories import MembershipFactory
from maillage.cooperations.tests.factories import CooperationFactory
from maillage.core.testing import assert_constant_queries

pytestmark = pytest.mark.django_db


def titles(response):
    return [c.title for c in response.context["page_obj"]]


def test_an_empty_platform_says_so(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert "Aucune coopération n’est publiée pour l’instant." in html


def test_visitors_see_public_cooperations_and_members_also_theirs(
    client, cooperation, oscar, nadia
):
    CooperationFactory(title="Arc jurassien", visibility="public")
    assert titles(client.get(reverse("portal:home"))) == ["Arc jurassien"]
    client.force_login(nadia)
    assert titles(client.get(reverse("portal:home"))) == ["Arc jurassien"]
    client.force_login(oscar)
    assert titles(client.get(reverse("portal:home"))) == ["Arc jurassien", "Brest ↔ COB"]


def test_filter_by_kind_and_search(client):
    CooperationFactory(title="Arc jurassien", kind="cross_border_strategy", visibility="public")
    CooperationFactory(title="Cambrésis", kind="territorial_contract", visibility="public")
    assert titles(client.get(reverse("portal:home"), {"nature": "territorial_contract"})) == [
        "Cambrésis"
    ]
    assert titles(client.get(reverse("portal:home"), {"q": "jura"})) == ["Arc jurassien"]
    html = client.get(reverse("portal:home"), {"q": "zzz"}).content.decode()
    assert "Aucune coopération ne correspond à ces critères." in html


def test_an_unknown_kind_is_ignored_rather_than_an_error(client):
    CooperationFactory(visibility="public")
    assert client.get(reverse("portal:home"), {"nature": "n-importe-quoi"}).status_code == 200


def test_the_list_is_paginated(client):
    CooperationFactory.create_batch(25, visibility="public")
    page_two = client.get(reverse("portal:home"), {"page": 2})
    assert len(page_two.context["page_obj"]) == 5
    assert page_two.context["page_obj"].paginator.count == 25


def test_home_queries_stay_fixed_as_cooperations_grow(client, claire):
    client.force_login(claire)

    def grow():
        for cooperation in CooperationFactory.create_batch(8, visibility="partners"):
            MembershipFactory(user=claire, cooperation=cooperation)

    assert_constant_queries(lambda: client.get(reverse("portal:home")), grow)


@pytest.mark.parametrize("name", ["portal:legal", "portal:privacy", "portal:accessibility"])
def test_legal_pages_are_public(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_the_interface_switches_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Legal notice" in html
    assert "No cooperation has been published yet." in html
