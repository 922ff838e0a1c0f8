import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’_.,;/()]+")


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: for matching, never for display.

    fold("Le Relecq-Kerhuon") == "le relecq kerhuon"; fold("Coût  total") == "cout total".
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", bare).strip()
