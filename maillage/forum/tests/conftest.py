import pytest

from maillage.core.enums import Visibility
from maillage.forum import services


@pytest.fixture
def public(cooperation):
    cooperation.visibility = Visibility.PUBLIC
    cooperation.save()
    return cooperation


@pytest.fixture
def space(public, claire):
    """A public space of the (public) test cooperation."""
    return services.space_create(
        actor=claire, cooperation=public, title="Table santé", visibility=Visibility.PUBLIC
    )


@pytest.fixture
def members_space(public, claire):
    """A space of the same cooperation for its members only."""
    return services.space_create(
        actor=claire, cooperation=public, title="Entre partenaires", visibility=Visibility.PARTNERS
    )


@pytest.fixture
def thread(space, etienne):
    return services.thread_create(
        actor=etienne, space=space, title="Accès aux soins", body="Qui connaît un centre ?"
    )
