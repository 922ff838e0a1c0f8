"""Panels a higher app adds to a lower app's page.

Apps import only downward: the territories app knows nothing of projects, yet a territory's
page lists the projects on it. The projects app registers a panel for the slot
"territories.territory"; the territory's view renders whatever panels its slot holds. Each app
registers its panels in its `panels.py`, imported by its AppConfig.ready(); a panel is a
function (request, the page's object) → HTML ("" when it has nothing to say), rendered from
the app's own templates with its own selectors and permissions.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Panel = Callable[[HttpRequest, Any], str]
_slots: dict[str, list[Panel]] = defaultdict(list)


def panel(slot: str) -> Callable[[Panel], Panel]:
    """Register the decorated function as a panel of `slot` ("<app>.<page>")."""

    def register(function: Panel) -> Panel:
        if function not in _slots[slot]:
            _slots[slot].append(function)
        return function

    return register


def render_panels(slot: str, request: HttpRequest, obj: Any) -> SafeString:
    """The HTML of every panel registered for `slot`, in the order the apps are installed."""
    # Each panel returns HTML rendered by Django's templates, which escaped it.
    return mark_safe("".join(function(request, obj) for function in _slots[slot]))  # noqa: S308
