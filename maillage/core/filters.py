"""A list's filters, defined once for its page and its API.

Each list declares one `ListFilters` schema whose field names are the API's query parameters;
`PAGE_PARAMS` maps the page's French parameters onto them (and `PAGE_VALUES` the page's French
values, "bloque" → "blocked"). The API validates the query string with the schema itself (an
unknown value is a 400 naming the field); the page reads it with `from_page`, which keeps the
valid filters, drops the others and says which (a list silently showing everything, or
nothing, for a mistyped filter is how page and API used to drift). Links that lead to a list
(dashboards, exports) are written with `page_query`, so the French names live here only.
"""

from typing import Any, ClassVar, Self
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ValidationError, model_validator


class ListFilters(Schema):
    PAGE_PARAMS: ClassVar[dict[str, str]] = {}  # page parameter → field
    PAGE_VALUES: ClassVar[dict[str, dict[str, str]]] = {}  # field → {page value: value}

    @model_validator(mode="before")
    @classmethod
    def _blank_is_no_filter(cls, data: Any) -> Any:
        """`?kind=` (an emptied select) filters nothing, on the page and in the API."""
        if isinstance(data, dict):
            return {name: value for name, value in data.items() if value not in ("", None)}
        return data

    @classmethod
    def from_page(cls, query) -> tuple[Self, list[str]]:
        """The filters of a page's query string and, for each value that is not one, a
        sentence for the person who typed it (the filter is then left out)."""
        data = {}
        for param, field in cls.PAGE_PARAMS.items():
            value = query.get(param, "").strip()
            if value:
                data[field] = cls.PAGE_VALUES.get(field, {}).get(value, value)
        try:
            return cls.model_validate(data), []
        except ValidationError as error:
            refused = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
            params = {field: param for param, field in cls.PAGE_PARAMS.items()}
            problems = [
                _("Le filtre « %(name)s » n’accepte pas la valeur « %(value)s » : il est ignoré.")
                % {"name": params.get(field, field), "value": query.get(params.get(field, ""))}
                for field in sorted(refused)
            ]
            kept = {field: value for field, value in data.items() if field not in refused}
            return cls.model_validate(kept), problems

    @classmethod
    def page_query(cls, **values: Any) -> dict[str, str]:
        """The page's query parameters for these filter values (fields → French names)."""
        params = {field: param for param, field in cls.PAGE_PARAMS.items()}
        query = {}
        for field, value in values.items():
            page_values = {v: page for page, v in cls.PAGE_VALUES.get(field, {}).items()}
            text = str(value).lower() if isinstance(value, bool) else str(value)
            query[params[field]] = page_values.get(text, text)
        return query

    def set_values(self) -> dict[str, Any]:
        """The filters that are set, by field name."""
        return {
            name: getattr(self, name)
            for name, field in type(self).model_fields.items()
            if getattr(self, name) != field.default
        }

    def page_querystring(self) -> str:
        """These filters as the page's query string (an export link keeping the list's filters)."""
        page_fields = set(self.PAGE_PARAMS.values())
        values = {name: value for name, value in self.set_values().items() if name in page_fields}
        return urlencode(self.page_query(**values))

    def active(self) -> bool:
        """Whether any filter is set (the page's "no result for these filters")."""
        return bool(self.set_values())
