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
