"""Who reaches "Mon espace", its tokens and the account API: every signed-in person, their own
things only; a visitor is sent to the login page (pages) or answered 401 (API)."""

import pytest

from maillage.accounts.services import api_token_create
from maillage.core.testing import ROLES, assert_permission_matrix

pytestmark = pytest.mark.django_db

SIGNED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": 302}


@pytest.mark.parametrize("path", ["/mon-espace/", "/mon-espace/jetons/"])
def test_my_space_pages(cast, path):
    assert_permission_matrix(cast, lambda client: client.get(path), SIGNED_IN)


@pytest.mark.parametrize("path", ["/api/v1/accounts/me", "/api/v1/accounts/tokens"])
def test_the_account_api(cast, path):
    assert_permission_matrix(cast, lambda client: client.get(path), {**SIGNED_IN, "anonymous": 401})


def test_a_token_is_revoked_by_its_owner_only(cast, claire):
    token, _raw = api_token_create(actor=None, user=claire, name="outil")
    expected = {**dict.fromkeys(ROLES, 404), "anonymous": 401, "coordinator": 200}

    def revoke(client):
        return client.post(f"/api/v1/accounts/tokens/{token.pk}/revoke")

    assert_permission_matrix(cast, revoke, expected)
    expected_page = {**dict.fromkeys(ROLES, 404), "anonymous": 302, "coordinator": 200}
    assert_permission_matrix(
        cast, lambda client: client.get(f"/mon-espace/jetons/{token.pk}/revoquer/"), expected_page
    )
