"""Every error of the API has the same shape: {"detail": …, "errors": [{"field", "message"}]}."""

import pytest

from maillage.cooperations.tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db


def post(client, payload):
    return client.post("/api/v1/cooperations", payload, content_type="application/json")


def test_400_names_each_bad_field(client, alix):
    client.force_login(alix)
    response = post(client, {"kind": "other"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Données invalides."
    assert [e["field"] for e in body["errors"]] == ["title"]


def test_400_from_a_service_rule_names_the_field(client, alix):
    client.force_login(alix)
    response = post(client, {"title": "X", "kind": "pas-une-nature"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "kind"


def test_401_when_no_one_is_logged_in(client):
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentification requise.", "errors": []}


def test_403_when_the_role_is_not_enough(client, paula):
    client.force_login(paula)
    response = post(client, {"title": "X", "kind": "other"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Vous n’avez pas le droit de faire cela."


def test_404_for_what_does_not_exist_or_cannot_be_seen(client, cooperation):
    assert client.get("/api/v1/cooperations/nulle-part").json() == {
        "detail": "Introuvable.",
        "errors": [],
    }
    assert client.get(f"/api/v1/cooperations/{cooperation.slug}").status_code == 404


def test_409_when_the_state_conflicts(client, alix, cooperation):
    client.force_login(alix)
    response = post(client, {"title": "X", "kind": "other", "slug": cooperation.slug})
    assert response.status_code == 409
    assert "brest-cob" in response.json()["detail"]


def test_lists_are_paginated_with_items_and_count(client):
    CooperationFactory.create_batch(7, visibility="public")
    body = client.get("/api/v1/cooperations?limit=3&offset=2").json()
    assert body["count"] == 7
    assert len(body["items"]) == 3
    assert {"id", "slug", "title", "kind"} <= set(body["items"][0])


def test_list_queries_stay_fixed_as_data_grows(client, claire):
    from maillage.core.testing import assert_constant_queries

    client.force_login(claire)
    assert_constant_queries(
        lambda: client.get("/api/v1/cooperations"),
        lambda: CooperationFactory.create_batch(10, visibility="public"),
    )


def test_the_schema_and_the_docs_are_served_without_any_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Maillage API"
    assert "/api/v1/cooperations" in schema["paths"]
    assert "/api/v1/health" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/api/v1/cooperations", {"search": "a\x00b"}),
        ("get", "/", {"q": "a\x00b"}),
        ("get", "/territoires/", {"q": "\x00"}),
    ],
)
def test_text_no_database_can_store_is_a_400(client, method, path, data):
    response = getattr(client, method)(path, data)
    assert response.status_code == 400


def test_a_json_body_with_a_nul_or_a_lone_surrogate_is_a_400(client, claire, cooperation):
    client.force_login(claire)
    for text in ('"a\\u0000b"', '"\\ud800"'):
        body = '{"title": ' + text + ', "kind": "reciprocity_contract"}'
        response = client.post("/api/v1/cooperations", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Caractère non autorisé")


def test_pages_forbid_scripts_from_elsewhere_and_inline(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_MEGABYTES = 1
    response = client.post(
        "/api/v1/cooperations", "x", content_type="application/json", CONTENT_LENGTH=str(2 << 20)
    )
    assert response.status_code == 413
    page = client.post("/compte/login/", {}, CONTENT_LENGTH=str(2 << 20))
    assert page.status_code == 413
