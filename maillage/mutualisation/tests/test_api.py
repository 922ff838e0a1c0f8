"""The API as each role: reading, editing, declaring, closing; bad input and nothing written."""

from decimal import Decimal

import pytest
from django.test import Client

from maillage.core.testing import assert_permission_matrix
from maillage.mutualisation import services
from maillage.mutualisation.models import Convention, DeclaredUse, KeyTerm
from maillage.mutualisation.tests.factories import convention_between

pytestmark = pytest.mark.django_db
API = "/api/v1/conventions"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_convention_is_read_as_the_cooperation_is_and_edited_by_its_coordinators(ads, cast):
    convention = ads[0]
    url = f"{API}/{convention.pk}"
    readers = {"anonymous": 404, "outsider": 404, "staff": 200}
    members = {"observer": 200, "funder": 200, "project_contact": 200, "body_member": 200}
    assert_permission_matrix(cast, lambda c: c.get(url), {**readers, **members, "coordinator": 200})
    editors = {"anonymous": 401, "outsider": 404, "coordinator": 200, "staff": 200}
    assert_permission_matrix(
        cast,
        lambda c: c.patch(url, {"purpose": "Partager"}, content_type="application/json"),
        {**editors, **dict.fromkeys(members, 403)},
    )


def test_a_finance_contact_declares_and_reads_only_its_own(ads, claire, nadia):
    convention, year, item, (_agglo, a, b) = ads
    services.convention_party_update(actor=claire, member=a, finance_contact=nadia)
    url = f"{API}/{convention.pk}/years/2024"
    nadia_client = _client(nadia)
    assert nadia_client.get(f"{API}/{convention.pk}").status_code == 200  # not a member, a party
    declared = nadia_client.put(
        f"{url}/uses",
        {"party_id": a.pk, "uses": [{"item_id": item.pk, "forecast": "8", "actual": "10"}]},
        content_type="application/json",
    )
    assert declared.status_code == 200, declared.json()
    assert declared.json() == [
        {"item_id": item.pk, "party_id": a.pk, "forecast": "8.00", "actual": "10.00"}
    ]
    refused = nadia_client.put(
        f"{url}/uses",
        {"party_id": b.pk, "uses": [{"item_id": item.pk, "actual": "10"}]},
        content_type="application/json",
    )
    assert refused.status_code == 403
    services.uses_declare(
        actor=claire, year=year, party=b, uses={item: services.DeclaredUnits(actual=Decimal(30))}
    )
    assert [u["party_id"] for u in nadia_client.get(f"{url}/uses").json()["items"]] == [a.pk]
    assert [u["party_id"] for u in _client(claire).get(f"{url}/uses").json()["items"]] == [
        a.pk,
        b.pk,
    ]
    statements = nadia_client.get(f"{url}/statements").json()["items"]
    assert [(s["organisation"], s["version"], s["due"]) for s in statements] == [
        ("Commune A", None, "4000.01")
    ]
    assert nadia_client.post(f"{url}/close").status_code == 403


def test_closing_through_the_api_issues_the_statements_the_page_shows(ads, claire):
    convention, _year, item, (_agglo, a, b) = ads
    client = _client(claire)
    url = f"{API}/{convention.pk}/years/2024"
    refused = client.post(f"{url}/close")
    assert refused.status_code == 409
    assert "usage non déclaré par Commune A, Commune B" in refused.json()["detail"]
    for party, units in ((a, "10"), (b, "30")):
        client.put(
            f"{url}/uses",
            {"party_id": party.pk, "uses": [{"item_id": item.pk, "actual": units}]},
            content_type="application/json",
        )
    closed = client.post(f"{url}/close").json()
    assert [(s["organisation"], s["version"], s["due"]) for s in closed] == [
        ("Agglo", 1, "0.00"),
        ("Commune A", 1, "4000.01"),
        ("Commune B", 1, "4000.00"),
    ]
    assert sum(Decimal(s["share"]) for s in closed) == Decimal("8000.01")
    assert client.get(f"{url}/statements").json()["items"] == closed
    page = client.get(convention.years.get().get_absolute_url())
    assert "4\xa0000,01" in page.content.decode()
    late = client.put(
        f"{url}/uses",
        {"party_id": a.pk, "uses": [{"item_id": item.pk, "actual": "1"}]},
        content_type="application/json",
    )
    assert late.status_code == 409
    reopened = client.post(f"{url}/reopen", {"reason": ""}, content_type="application/json")
    assert reopened.status_code == 400
    assert reopened.json()["errors"][0]["field"] == "reason"


def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(ads, claire):
    convention, year, item, (_agglo, a, _b) = ads
    client = _client(claire)
    url = f"{API}/{convention.pk}/years/2024"
    before = list(KeyTerm.objects.values_list("pk", flat=True))
    cases = [
        (f"{url}/items/{item.pk}/key", {"terms": {"use": 60, "population": 30}}, "terms"),
        (
            f"{url}/items/{item.pk}/key",
            {"terms": {"fixed": 100}, "figures": {"fixed": {"999999": 100}}},
            "figures",
        ),
        (f"{url}/items/{item.pk}/key", {"terms": {"votes": 100}}, "votes"),
        (f"{url}/uses", {"party_id": a.pk, "uses": [{"item_id": item.pk, "actual": "-3"}]}, "uses"),
        (
            f"{url}/uses",
            {"party_id": a.pk, "uses": [{"item_id": 999999, "actual": "3"}]},
            "item_id",
        ),
    ]
    for path, body, field in cases:
        put = client.put(path, body, content_type="application/json")
        assert put.status_code == 400, (body, put.json())
        assert field in str(put.json()["errors"]), (body, put.json())
    costs = [
        ({"item_id": item.pk, "component": "staff", "source": "budget", "amount": "-5"}, "amount"),
        ({"item_id": 999999, "component": "staff", "source": "budget", "amount": "5"}, "item_id"),
        ({"item_id": item.pk, "component": "gold", "source": "budget", "amount": "5"}, "component"),
    ]
    for body, field in costs:
        posted = client.post(f"{url}/costs", body, content_type="application/json")
        assert posted.status_code == 400 and field in str(posted.json()["errors"]), posted.json()
    assert list(KeyTerm.objects.values_list("pk", flat=True)) == before
    assert not DeclaredUse.objects.exists() and year.costs.count() == 2
    assert (
        client.post(
            f"{API}/{convention.pk}/years", {"year": 2024}, content_type="application/json"
        ).status_code
        == 400
    )


def test_a_coordinator_builds_a_convention_through_the_api(cooperation, claire):
    client = _client(claire)
    _unused, (member,) = convention_between(cooperation, {"Pays": 50000})
    created = client.post(
        API,
        {"cooperation_id": cooperation.pk, "title": "Assistance et moyens", "kind": "assistance"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    convention_id = created.json()["id"]
    party = client.post(
        f"{API}/{convention_id}/parties",
        {"party_id": member.party_id},
        content_type="application/json",
    )
    assert party.status_code == 201, party.json()
    item = client.post(
        f"{API}/{convention_id}/items",
        {
            "name": "Véhicule",
            "kind": "equipment",
            "unit": "kilometres",
            "provider_id": party.json()["id"],
        },
        content_type="application/json",
    )
    assert item.status_code == 201, item.json()
    year = client.post(
        f"{API}/{convention_id}/years", {"year": 2025}, content_type="application/json"
    )
    assert year.json()["problems"] == ["« Véhicule » n’a pas de clé de répartition."]
    detail = client.get(f"{API}/{convention_id}").json()
    assert (detail["party_count"], detail["item_count"], detail["latest_year"]) == (1, 1, 2025)
    assert client.get(f"{API}?cooperation={cooperation.pk}").json()["count"] == 2
    assert client.delete(f"{API}/{convention_id}").status_code == 204
    assert not Convention.objects.filter(pk=convention_id).exists()


def test_documents_are_attached_to_a_convention_and_read_with_their_visibility(ads, claire, oscar):
    from django.core.files.uploadedfile import SimpleUploadedFile

    convention = ads[0]
    client = _client(claire)
    signed = client.post(
        f"{API}/{convention.pk}/documents",
        {
            "title": "Convention signée",
            "visibility": "restricted",
            "file": SimpleUploadedFile("convention.pdf", b"%PDF-1.4 signed", "application/pdf"),
        },
    )
    assert signed.status_code == 201, signed.json()
    client.post(
        f"{API}/{convention.pk}/documents",
        {
            "title": "Fiche d’impact",
            "kind": "study",
            "file": SimpleUploadedFile("fiche.pdf", b"%PDF-1.4 impact", "application/pdf"),
        },
    )
    titles = [d["title"] for d in client.get(f"{API}/{convention.pk}").json()["documents"]]
    assert sorted(titles) == ["Convention signée", "Fiche d’impact"]
    seen = [d["title"] for d in _client(oscar).get(f"{API}/{convention.pk}").json()["documents"]]
    assert seen == ["Fiche d’impact"]  # the restricted one is the coordinators'
    refused = _client(oscar).post(
        f"{API}/{convention.pk}/documents",
        {"title": "X", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert refused.status_code == 403


def test_every_write_is_refused_to_those_who_may_not_edit(ads, cast):
    """A member who is no coordinator (403), an outsider or a visitor (who cannot see the
    convention: 404, or 401 unauthenticated) writes nothing through any endpoint."""
    convention, year, item, (agglo, a, _b) = ads
    base = f"{API}/{convention.pk}"
    writes = [
        ("post", f"{base}/parties", {"party_id": a.party_id}),
        ("post", f"{base}/amendments", {"signed_on": "2024-01-01", "changes": "x"}),
        ("post", f"{base}/items", {"name": "X", "kind": "service", "provider_id": agglo.pk}),
        ("delete", f"{base}/items/{item.pk}", None),
        ("post", f"{base}/years", {"year": 2025}),
        (
            "post",
            f"{base}/years/2024/costs",
            {"item_id": item.pk, "component": "staff", "source": "budget", "amount": "1"},
        ),
        (
            "post",
            f"{base}/years/2024/advances",
            {"party_id": a.pk, "amount": "1", "paid_on": "2024-01-01"},
        ),
        ("put", f"{base}/years/2024/items/{item.pk}/key", {"terms": {"use": 100}}),
        ("post", f"{base}/years/2024/close", None),
        ("delete", base, None),
    ]
    expected = {"anonymous": 401, "outsider": 404, "coordinator": None, "staff": None}
    expected |= dict.fromkeys(("observer", "funder", "project_contact", "body_member"), 403)
    for method, url, body in writes:
        for role, status in expected.items():
            if status is None:
                continue
            client = Client() if cast[role] is None else _client(cast[role])
            response = getattr(client, method)(url, body, content_type="application/json")
            assert response.status_code == status, (role, method, url, response.status_code)
    assert year.costs.count() == 2 and not year.advances.exists()
    assert convention.items.count() == 1 and convention.years.count() == 1
