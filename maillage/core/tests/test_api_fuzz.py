"""A property-based run of the whole API schema (schemathesis) against the app holding the
demo data, as an anonymous visitor and as a coordinator: no server error, and every answer
(status, content type, body) as the schema describes it. Bounded: a few examples per
operation (`FUZZ_EXAMPLES`, default 8). Run apart: `make test-api` (CI does)."""

import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
TOKENS: dict[str, str] = {}
# What the issue asks: no server error, answers as the schema describes them. Business rules
# legitimately refuse some schema-valid input (an empty name, an unknown id): 400, documented.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo data, once for the whole run, and a coordinator's API token."""
    from maillage.accounts.models import User
    from maillage.accounts.services import api_token_create

    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        coordinator = User.objects.get(email="coordination@maillage.test")
        _token, raw = api_token_create(actor=None, user=coordinator, name="fuzz")
        TOKENS["coordinator"] = raw


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="module", autouse=True)
def _keep_the_test_connection():
    """The WSGI app closes database connections at each request's start and end; the test's
    transaction needs its connection open (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_as_anonymous(case):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_as_a_coordinator(case):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKENS['coordinator']}"}, checks=CHECKS
    )
