import pytest

from maillage.core.enums import Visibility


@pytest.fixture
def public(cooperation):
    """The test cooperation, made public: what it publishes reaches visitors."""
    cooperation.visibility = Visibility.PUBLIC
    cooperation.save()
    return cooperation
