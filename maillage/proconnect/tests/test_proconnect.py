"""Signing in with ProConnect against a fake provider on the loopback: the code flow with
state and nonce, the signed userinfo, the account found (its subject, its verified address) or
made, the organisation found by SIRET — and every way it must fail."""

from urllib.parse import parse_qs, urlparse

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from maillage.accounts.models import User
from maillage.accounts.tests.factories import UserFactory
from maillage.cooperations.tests.factories import OrganisationFactory
from maillage.proconnect.models import AgentIdentity
from maillage.proconnect.tests.fake_provider import FakeProConnect, new_key

AGENT = {
    "sub": "sub-agent-1",
    "email": "agnes.agent@ville-brest.fr",
    "given_name": "Agnès",
    "usual_name": "Agent",
    "uid": "42",
    "siret": "21290019700017",
    "idp_id": "fia1",
}


@pytest.fixture
def provider(settings):
    fake = FakeProConnect().start()
    fake.claims = dict(AGENT)
    settings.PROCONNECT_ENABLED = True
    settings.PROCONNECT_ISSUER = fake.issuer
    settings.OIDC_RP_CLIENT_ID = fake.client_id
    settings.OIDC_RP_CLIENT_SECRET = fake.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{fake.issuer}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{fake.issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{fake.issuer}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{fake.issuer}/jwks"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{fake.issuer}/session/end"
    yield fake
    fake.stop()


def sign_in(client: Client, fake: FakeProConnect, *, state: str | None = None, nonce=None):
    """Start at Maillage, let the fake provider "authorise", come back with its code."""
    start = client.get("/proconnect/connexion/?next=/forum/")
    assert start.status_code == 302
    sent = parse_qs(urlparse(start["Location"]).query)
    fake.nonce = nonce if nonce is not None else sent["nonce"][0]
    return client.get(
        "/proconnect/retour/", {"code": fake.code, "state": state or sent["state"][0]}
    )


@pytest.mark.django_db
def test_the_request_asks_proconnects_scopes_with_state_and_nonce(provider):
    start = Client().get("/proconnect/connexion/")
    location = urlparse(start["Location"])
    sent = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.issuer}/authorize"
    assert sent["scope"] == ["openid given_name usual_name email uid siret idp_id"]
    assert sent["response_type"] == ["code"] and sent["client_id"] == ["maillage"]
    assert len(sent["state"][0]) >= 32 and len(sent["nonce"][0]) >= 32


@pytest.mark.django_db
def test_a_new_agent_gets_an_account_linked_to_the_organisation_of_its_siret(provider):
    brest = OrganisationFactory.create(name="Ville de Brest", siren="212900197")
    client = Client()
    response = sign_in(client, provider)
    assert response.status_code == 302 and response["Location"] == "/forum/"
    user = User.objects.get(email="agnes.agent@ville-brest.fr")
    assert (user.first_name, user.last_name) == ("Agnès", "Agent")
    assert EmailAddress.objects.get(user=user).verified
    identity = AgentIdentity.objects.get(user=user)
    assert (identity.sub, identity.siret, identity.organisation) == (
        "sub-agent-1",
        "21290019700017",
        brest,
    )
    assert int(client.session["_auth_user_id"]) == user.pk
    # "Mon espace" says so; userinfo was fetched, as a JWT, with the access token.
    assert "Ville de Brest" in client.get("/mon-espace/").content.decode()
    assert "GET /api/v2/userinfo" in provider.requests


@pytest.mark.django_db
def test_signing_out_ends_the_proconnect_session_too(provider):
    client = Client()
    sign_in(client, provider)
    id_token = client.session["oidc_id_token"]
    response = client.post("/compte/logout/")
    location = urlparse(response["Location"])
    sent = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{provider.issuer}/session/end"
    )
    assert sent["id_token_hint"] == [id_token]
    assert sent["post_logout_redirect_uri"] == ["http://testserver/"] and sent["state"]
    assert "_auth_user_id" not in client.session
    # An account signed in with its password signs out here only.
    password_user = UserFactory.create()
    client.force_login(password_user)
    assert client.post("/compte/logout/")["Location"] == "/"


@pytest.mark.django_db
def test_an_existing_verified_account_is_linked_then_found_by_its_subject(provider):
    existing = UserFactory.create(email="agnes.agent@ville-brest.fr", first_name="A")
    assert sign_in(Client(), provider).status_code == 302
    assert User.objects.count() == 1
    assert AgentIdentity.objects.get().user == existing
    # The agent's address changes at the provider: the subject still leads to the account.
    provider.claims["email"] = "agnes.agent@brest.bzh"
    assert sign_in(Client(), provider)["Location"] == "/forum/"
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_an_unverified_account_is_not_handed_over(provider):
    squatter = UserFactory.create(email="agnes.agent@ville-brest.fr")
    EmailAddress.objects.filter(user=squatter).update(verified=False)
    client = Client()
    response = sign_in(client, provider)
    assert response["Location"] == "/compte/login/"
    assert "_auth_user_id" not in client.session
    assert not AgentIdentity.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "sans qu’elle ait été confirmée" in page


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["state", "nonce", "key", "issuer", "audience", "code"])
def test_a_forged_or_replayed_answer_signs_no_one_in(provider, tamper):
    client = Client()
    state = nonce = None
    if tamper == "state":
        state = "un-etat-inconnu"
    elif tamper == "nonce":
        nonce = "un-autre-nonce"
    elif tamper == "key":
        provider.signing_key = new_key()
    elif tamper == "issuer":
        provider.overrides = {"iss": "https://ailleurs.example/api/v2"}
    elif tamper == "audience":
        provider.overrides = {"aud": "un-autre-client"}
    elif tamper == "code":
        provider.code = "un-code-rejoue"
    if tamper == "code":
        start = client.get("/proconnect/connexion/")
        sent = parse_qs(urlparse(start["Location"]).query)
        provider.nonce = sent["nonce"][0]
        response = client.get(
            "/proconnect/retour/", {"code": "un-autre-code", "state": sent["state"][0]}
        )
    else:
        response = sign_in(client, provider, state=state, nonce=nonce)
    assert response.status_code == 302 and response["Location"] == "/compte/login/"
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


@pytest.mark.django_db
def test_proconnect_is_off_by_default(client):
    assert client.get("/proconnect/connexion/").status_code == 404
    assert client.get("/proconnect/retour/?code=x&state=y").status_code == 404
    assert "ProConnect" not in client.get("/compte/login/").content.decode()


@pytest.mark.django_db
def test_the_sign_in_page_offers_it_when_it_is_on(provider, client):
    page = client.get("/compte/login/?next=/forum/").content.decode()
    assert "S’identifier avec ProConnect" in page
    assert "/proconnect/connexion/?next=/forum/" in page


@pytest.mark.django_db
def test_an_unknown_siret_leaves_the_organisation_empty(provider):
    provider.claims["siret"] = "00000000000000"
    sign_in(Client(), provider)
    identity = AgentIdentity.objects.get()
    assert identity.organisation is None and identity.siret == "00000000000000"


def test_turning_it_on_without_its_settings_is_refused():
    from maillage.core.tests.test_settings import manage

    result = manage("check", PROCONNECT_ENABLED="1", PROCONNECT_DOMAIN="")
    assert result.returncode != 0
    assert "PROCONNECT_ENABLED needs PROCONNECT_DOMAIN" in result.stderr
