import pytest

from maillage.core.enums import Visibility
from maillage.funding.tests.factories import draft, open_call, small_projects_fund


@pytest.fixture
def fund(cooperation):
    """A public fund of a public cooperation: anybody with an account may apply."""
    cooperation.visibility = Visibility.PUBLIC
    cooperation.save()
    return small_projects_fund(cooperation, visibility=Visibility.PUBLIC)


@pytest.fixture
def call(fund):
    return open_call(fund)


@pytest.fixture
def application(call, nadia):
    """Nadia's draft, which meets every rule (Nadia has no role in the cooperation)."""
    return draft(call, nadia)
