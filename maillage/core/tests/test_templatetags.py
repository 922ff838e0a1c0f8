from decimal import Decimal

import pytest

from maillage.core.templatetags.maillage_forms import select_options


def test_select_options_escape_and_mark_the_current_choice():
    written = select_options([(1, "Brest <métropole>"), (2, 'Morlaix "Communauté"')], 2)
    assert written == (
        '<option value="1">Brest &lt;métropole&gt;</option>'
        '<option value="2" selected>Morlaix &quot;Communauté&quot;</option>'
    )


def test_select_options_take_objects_and_text_values():
    node = type("Node", (), {"pk": 7, "__str__": lambda self: "4.1 Mobilités & co"})()
    assert select_options([node], None) == '<option value="7">4.1 Mobilités &amp; co</option>'
    assert select_options([("late", "En retard")], "late") == (
        '<option value="late" selected>En retard</option>'
    )
    assert select_options([], "x") == ""


def test_pagination_keeps_the_filters_and_disables_the_links_that_lead_nowhere(rf):
    from django.core.paginator import Paginator
    from django.template import Context, Template

    paginator = Paginator(range(1000), 10)
    template = Template("{% load pagination %}{% pagination page %}")

    def render(number: int) -> str:
        request = rf.get("/projets/", {"statut": "engaged", "page": number})
        return template.render(Context({"page": paginator.page(number), "request": request}))

    first = render(1)
    assert first.count('aria-disabled="true"') == 2  # first and previous
    assert 'href="?statut=engaged&amp;page=2"' in first  # next, and page 2
    assert 'href="?statut=engaged&amp;page=100"' in first  # last
    assert 'aria-current="page">1<' in first and "…" in first
    middle = render(50)
    assert 'aria-disabled="true"' not in middle
    assert 'href="?statut=engaged&amp;page=49"' in middle and middle.count("…") == 2
    assert render(100).count('aria-disabled="true"') == 2  # next and last


def test_the_first_of_a_month_is_an_ordinal_in_french():
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    first, eleventh = dt.date(2026, 12, 1), dt.date(2026, 12, 11)
    template = Template(
        '{{ first|long_date }} · {{ eleventh|long_date }} · {{ first|long_date:"j F" }}'
    )
    with translation.override("fr"):
        assert template.render(Context({"first": first, "eleventh": eleventh})) == (
            "1er décembre 2026 · 11 décembre 2026 · 1er décembre"
        )
    with translation.override("en"):
        assert template.render(Context({"first": first, "eleventh": eleventh})).startswith(
            "1 December 2026 · 11 December 2026"
        )
    assert Template("{{ none|long_date }}").render(Context({"none": None})) == ""


@pytest.mark.parametrize(
    ("language", "units", "cents"),
    [
        ("fr", "1\u00a0250\u00a0001", "1\u00a0250\u00a0000,60\u00a0€"),
        ("en", "1,250,001", "1,250,000.60\u00a0€"),
    ],
)
def test_amounts_are_written_in_the_language_of_the_page(language, units, cents):
    """The portfolio's amounts (to the unit) and the statements' (to the cent)."""
    from django.utils import translation

    from maillage.core.templatetags.amounts import cents as cents_filter
    from maillage.core.text import amount_formatter

    with translation.override(language):
        assert amount_formatter(0)(Decimal("1250000.60")) == units
        assert amount_formatter(0)(0) == "0"
        assert cents_filter(Decimal("1250000.6")) == cents
        assert cents_filter(None) == "—"


def test_amounts_follow_a_grouping_other_than_thousands(monkeypatch):
    from maillage.core import text

    formats = {"NUMBER_GROUPING": 4, "THOUSAND_SEPARATOR": " ", "DECIMAL_SEPARATOR": ","}
    monkeypatch.setattr(text, "get_format", formats.get)
    assert text.amount_formatter(0)(Decimal("1250000.60")) == "125 0001"
    assert text.amount_formatter(2)(Decimal("1250000.605")) == "125 0000,60"
