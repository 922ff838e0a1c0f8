import datetime as dt
import re
import unicodedata

from django.utils import timezone
from django.utils.formats import date_format
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
