import unicodedata

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
