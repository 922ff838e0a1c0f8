import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from django.utils import numberformat, timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import get_language

# Punctuation that separates words in place names: "Relecq-Kerhuon", "Côtes-d'Armor".
_SEPARATORS = str.maketrans(dict.fromkeys("-'’_.,;/()\t", " "))


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: for matching, never for display.

    fold("Le Relecq-Kerhuon") == "le relecq kerhuon"; fold("Coût  total") == "cout total".
    """
    text = text.lower()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(text.translate(_SEPARATORS).split())


def long_date(value: dt.date | None, format: str = "j F Y") -> str:
    """A date as a person reads it, in the active language: "1er décembre 2026" in French
    (the first of the month is an ordinal there), "1 December 2026" in English. `format` is
    Django's date format; a datetime is shown in local time."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if value.day == 1 and (get_language() or "").startswith("fr"):
        format = format.replace("j", r"\1\e\r", 1)
    return date_format(value, format)


def natural_key(text: str) -> list:
    """Sort key that reads numbers as numbers and folds case and accents: "Représentant 2"
    before "Représentant 10", "Élodie" beside "Eloi"."""
    return [int(part) if part.isdigit() else fold(part) for part in re.split(r"(\d+)", text)]


def amount_formatter(decimal_places: int = 0) -> Callable[[Decimal | int], str]:
    """A function writing amounts in the active language's format, read once (Django's
    `number_format` reads it again for every value): 12 345,67 in French, 12,345.67 in
    English. For the long tables (a portfolio's page, a year's allocation)."""
    grouping, separator = get_format("NUMBER_GROUPING"), get_format("THOUSAND_SEPARATOR")
    decimal = get_format("DECIMAL_SEPARATOR")
    if grouping == 3:  # French and English: Python's own grouping, the fastest
        swap = str.maketrans({",": separator, ".": decimal})
        return lambda value: f"{value:,.{decimal_places}f}".translate(swap)

    def grouped(value: Decimal | int) -> str:
        rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimal_places))
        return numberformat.format(rounded, decimal, decimal_places, grouping, separator, True)

    return grouped
