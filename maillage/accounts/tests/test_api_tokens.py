import pytest
from django.core.management import call_command
from django.urls import reverse

from maillage.accounts.models import ApiToken, hash_token
from maillage.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_is_stored_hashed_and_shown_once(client, claire):
    client.force_login(claire)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Tableur du comité"})

    raw = response.context["new_token"]
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(raw)
    assert raw not in {token.key_hash, token.key_prefix}
    assert raw.startswith(token.key_prefix)
    assert raw in response.content.decode()
    assert raw not in client.get(reverse("accounts:api_tokens")).content.decode()


def test_a_token_acts_as_its_user_and_no_more(client, cooperation, oscar, nadia):
    _token, oscar_raw = api_token_create(actor=oscar, user=oscar, name="script")
    _token, nadia_raw = api_token_create(actor=nadia, user=nadia, name="script")
    url = f"/api/v1/cooperations/{cooperation.slug}"  # partners-only

    assert client.get(url, **bearer(oscar_raw)).status_code == 200
    assert client.get(url, **bearer(nadia_raw)).status_code == 404
    assert client.get("/api/v1/accounts/me", **bearer(oscar_raw)).json()["email"] == oscar.email


def test_a_token_cannot_do_what_its_user_cannot(client, paula):
    _token, raw = api_token_create(actor=paula, user=paula, name="script")
    response = client.post(
        "/api/v1/cooperations",
        {"title": "X", "kind": "other"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 403


def test_a_revoked_token_is_refused(client, claire):
    token, raw = api_token_create(actor=claire, user=claire, name="script")
    api_token_revoke(actor=claire, token=token)

    response = client.get("/api/v1/accounts/me", **bearer(raw))

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentification requise.", "errors": []}


def test_a_bad_token_is_refused_even_with_a_session(client, claire):
    client.force_login(claire)
    assert client.get("/api/v1/accounts/me", **bearer("mlg_nope")).status_code == 401


def test_tokens_of_an_inactive_user_are_refused(client, claire):
    _token, raw = api_token_create(actor=claire, user=claire, name="script")
    claire.is_active = False
    claire.save()
    assert client.get("/api/v1/accounts/me", **bearer(raw)).status_code == 401


def test_the_api_creates_lists_and_revokes_tokens(client, claire):
    _token, raw = api_token_create(actor=claire, user=claire, name="premier")

    created = client.post(
        "/api/v1/accounts/tokens",
        {"name": "second"},
        content_type="application/json",
        **bearer(raw),
    )
    assert created.status_code == 201
    assert created.json()["token"].startswith("mlg_")

    listing = client.get("/api/v1/accounts/tokens", **bearer(raw)).json()
    assert listing["count"] == 2
    assert {t["name"] for t in listing["items"]} == {"premier", "second"}
    assert all("token" not in t for t in listing["items"])

    revoked = client.post(f"/api/v1/accounts/tokens/{created.json()['id']}/revoke", **bearer(raw))
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None


def test_nobody_revokes_someone_elses_token(client, claire, nadia):
    token, _raw = api_token_create(actor=claire, user=claire, name="script")
    _token, nadia_raw = api_token_create(actor=nadia, user=nadia, name="script")

    assert (
        client.post(f"/api/v1/accounts/tokens/{token.pk}/revoke", **bearer(nadia_raw)).status_code
        == 404
    )
    client.force_login(nadia)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_from_the_page_asks_for_confirmation(client, claire):
    token, _raw = api_token_create(actor=claire, user=claire, name="script")
    client.force_login(claire)
    url = reverse("accounts:api_token_revoke", args=[token.pk])

    assert "Révoquer le jeton" in client.get(url).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_needs_a_name(client, claire):
    client.force_login(claire)
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "  "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"
    assert not ApiToken.objects.exists()


def test_session_writes_need_the_csrf_token(claire):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(claire)
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_the_command_prints_a_working_token(client, claire, capsys):
    call_command("create_api_token", claire.email, "--name", "import nocturne")

    raw = capsys.readouterr().out.strip()
    assert client.get("/api/v1/accounts/me", **bearer(raw)).json()["email"] == claire.email
    assert ApiToken.objects.get().name == "import nocturne"


def test_the_command_names_an_unknown_user(claire):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=r"inconnu@exemple\.test"):
        call_command("create_api_token", "inconnu@exemple.test")
