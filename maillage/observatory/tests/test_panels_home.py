"""The home page's map: the territories of the public cooperations, named in a list beside
it; a private cooperation's never."""

import pytest
from django.test import Client

from maillage.cooperations import services as cooperation_services
from maillage.cooperations.tests.factories import CooperationFactory, OrganisationFactory
from maillage.core.testing import assert_constant_queries
from maillage.territories.models import Territory

pytestmark = pytest.mark.django_db


def with_party(cooperation, name: str, code: str, role: str = "signatory") -> Territory:
    territory = Territory.objects.create(name=name, kind="commune", code=code)
    cooperation_services.party_add(
        actor=None,
        cooperation=cooperation,
        organisation=OrganisationFactory.create(name=f"Mairie de {name}"),
        role=role,
        territory=territory,
    )
    return territory


def test_the_home_page_maps_the_public_cooperations_territories():
    public = CooperationFactory.create(title="Brest ↔ COB", visibility="public")
    private = CooperationFactory.create(title="Secrète", visibility="partners")
    brest = with_party(public, "Brest", "29019")
    with_party(public, "Quimper", "29232", role="funder")  # funds it, does not make it
    with_party(private, "Morlaix", "29151")
    page = Client().get("/").content.decode()
    start = page.index('id="home-map-title"')
    section = page[start : page.index("</section>", start)]
    assert f"id={brest.pk}" in section and "Brest</a>" in section
    assert "Quimper" not in section and "Morlaix" not in section and "Secrète" not in section


def test_the_map_costs_the_same_whatever_the_number_of_cooperations():
    client = Client()
    with_party(CooperationFactory.create(visibility="public"), "Brest", "29019")

    def grow():
        for number in range(5):
            with_party(
                CooperationFactory.create(visibility="public"), f"Commune {number}", f"2910{number}"
            )

    assert_constant_queries(lambda: client.get("/"), grow)
