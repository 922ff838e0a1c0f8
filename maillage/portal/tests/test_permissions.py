"""The portal's pages are everybody's."""

import pytest

from maillage.core.testing import ROLES, assert_permission_matrix

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/", "/mentions-legales/", "/donnees-personnelles/", "/accessibilite/"]
)
def test_the_portal_pages_answer_everybody(cast, path):
    assert_permission_matrix(cast, lambda client: client.get(path), dict.fromkeys(ROLES, 200))
