"""The Jinja2 environment of the templates that Django's engine renders too slowly: the hot
rows of the biggest lists (the portfolio's 100 rows). Jinja2 compiles templates to Python and
escapes every value (`autoescape`), so these rows are written as templates, not as HTML in
Python. The rest of the interface stays on Django's engine."""

from urllib.parse import quote

from django.utils.translation import gettext, ngettext
from jinja2 import Environment


def path_segment(value: str) -> str:
    """A value made safe as one segment of a URL path (a project code may hold a slash)."""
    return quote(value, safe="")


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on (Django's backend sets it too)
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["path_segment"] = path_segment
    return env
