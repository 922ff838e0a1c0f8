"""Helpers shared by every app's tests: the permission matrix and the constant-queries check."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# Every role a request can come from, from the least to the most trusted.
ROLES = (
    "anonymous",
    "outsider",
    "observer",
    "funder",
    "project_contact",
    "body_member",
    "coordinator",
    "staff",
)


def assert_permission_matrix(
    cast: Mapping[str, Any],
    request: Callable[[Client], Any],
    expected: Mapping[str, int],
) -> None:
    """Run `request` as every role in `expected` and compare each status code.

    `cast` maps a role name to a user (None for anonymous). All mismatches are reported
    together, so one failing run shows the whole row of the matrix.
    """
    missing = set(ROLES) - set(expected)
    assert not missing, f"the matrix must say what every role gets; missing: {sorted(missing)}"
    mismatches = []
    for role in ROLES:
        client = Client()
        if cast[role] is not None:
            client.force_login(cast[role])
        status = request(client).status_code
        if status != expected[role]:
            mismatches.append(f"{role}: expected {expected[role]}, got {status}")
    assert not mismatches, "permission matrix mismatch:\n" + "\n".join(mismatches)


def count_queries(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def assert_constant_queries(action: Callable[[], Any], grow: Callable[[], Any]) -> int:
    """`action` runs the same number of queries before and after `grow` adds data."""
    before = count_queries(action)
    grow()
    after = count_queries(action)
    assert before == after, f"{before} queries before the data grew, {after} after (N+1?)"
    return after


def assert_text_matrix(
    cast: Mapping[str, Any], url: str, text: str, shown_to: set[str] | frozenset[str]
) -> None:
    """GET `url` as every role: `text` (a person's name, a title) appears for the roles in
    `shown_to` only. The page itself must answer 200 to every role (a 404 proves nothing)."""
    mismatches = []
    for role in ROLES:
        client = Client()
        if cast[role] is not None:
            client.force_login(cast[role])
        response = client.get(url)
        assert response.status_code == 200, f"{role}: {url} answered {response.status_code}"
        shown = text in response.content.decode()
        if shown != (role in shown_to):
            mismatches.append(f"{role}: {'shown' if shown else 'hidden'}")
    assert not mismatches, f"«{text}» on {url}:\n" + "\n".join(mismatches)
