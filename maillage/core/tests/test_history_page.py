import pytest
from django.urls import reverse

from maillage.cooperations.services import cooperation_update

pytestmark = pytest.mark.django_db


def test_the_history_page_shows_who_changed_what(client, claire, cooperation):
    cooperation_update(actor=claire, cooperation=cooperation, summary="Nouveau résumé")
    client.force_login(claire)

    html = client.get(reverse("cooperations:history", args=[cooperation.slug])).content.decode()

    assert "Modification de la coopération" in html
    assert str(claire) in html
    assert "Nouveau résumé" in html


def test_the_history_api_answers_the_same(client, claire, cooperation):
    cooperation_update(actor=claire, cooperation=cooperation, summary="Nouveau résumé")
    client.force_login(claire)

    [latest, *_older] = client.get(f"/api/v1/cooperations/{cooperation.slug}/history").json()[
        "items"
    ]

    assert latest["actor"] == str(claire)
    assert any(
        c["field"] == "summary" and c["after"] == "Nouveau résumé" for c in latest["changes"]
    )


def test_the_history_page_shows_what_a_person_reads(client, claire, cooperation):
    """It showed stored values: "partners → public", "idea → ready", "Porteur 29", "False",
    and "500000 → 500000.00" as a change. Labels, names, oui/non; an equal amount is no change;
    the API keeps the stored values."""
    from decimal import Decimal

    from maillage.cooperations.tests.factories import OrganisationFactory
    from maillage.core.history import history_for
    from maillage.projects import services as project_services

    owner = OrganisationFactory.create(name="Pays COB")
    project = project_services.project_create(
        actor=claire, cooperation=cooperation, title="Halle", total_cost=Decimal("500000")
    )
    project_services.project_update(
        actor=claire,
        project=project,
        owner=owner,
        visibility="restricted",
        structuring=True,
        total_cost=Decimal("500000.00"),
    )
    [latest, _created] = history_for(project)
    shown = {change.field: (change.shown_before, change.shown_after) for change in latest.changes}
    assert shown["owner"] == (None, "Pays COB")
    assert shown["visibility"] == ("Partenaires de la coopération", "Restreint")
    assert shown["structuring"] == ("non", "oui")
    assert "total_cost" not in shown  # 500000 and 500000.00 are one amount
    stored = {change.field: change.after for change in latest.changes}
    assert stored["visibility"] == "restricted" and stored["owner"] == owner.pk
    client.force_login(claire)
    html = client.get(f"/cooperations/{cooperation.slug}/projets/{project.code}/historique/")
    assert "Pays COB" in html.content.decode() and "oui" in html.content.decode()
