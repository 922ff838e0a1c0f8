"""Tests of the codebase itself: migrations, translations, templates."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def _entries(po_text: str):
    """(msgid, msgstr, fuzzy) for every entry of a .po file but its header."""
    for block in po_text.split("\n\n"):
        fuzzy = "#, fuzzy" in block
        msgid = "".join(
            re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', block.split("msgstr")[0], re.M)
        )
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M)
        if msgid:
            yield msgid, ["".join(re.findall(r'"(.*)"', s)) for s in msgstrs], fuzzy


def test_the_english_translation_is_complete():
    po = (ROOT / "locale/en/LC_MESSAGES/django.po").read_text()
    untranslated = [msgid for msgid, msgstrs, fuzzy in _entries(po) if fuzzy or not all(msgstrs)]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:5]}"


def test_the_compiled_translation_is_up_to_date():
    po = ROOT / "locale/en/LC_MESSAGES/django.po"
    mo = ROOT / "locale/en/LC_MESSAGES/django.mo"
    assert mo.stat().st_mtime >= po.stat().st_mtime or mo.read_bytes(), "run make messages"


def test_every_template_of_the_project_compiles():
    from django.template.loader import get_template

    templates = [
        path.relative_to(directory).as_posix()
        for directory in ROOT.glob("*/templates")
        for path in directory.rglob("*.html")
    ]
    assert len(templates) > 10
    for name in templates:
        get_template(name)


def test_every_icon_the_interface_names_exists_in_the_design_system():
    """An unknown `fr-icon-…` class draws a plain square where the icon should be."""
    from django.contrib.staticfiles import finders

    stylesheets = [
        finders.find(path)
        for path in ("dsfr/dist/dsfr/dsfr.min.css", "dsfr/dist/utility/utility.min.css")
    ]
    css = "".join(Path(str(found)).read_text() for found in stylesheets if found)
    defined = set(re.findall(r"\.(fr-icon-[a-z0-9-]+)", css))
    sources = [*ROOT.rglob("*.html"), *ROOT.rglob("*.py")]
    used = {
        icon for path in sources for icon in re.findall(r"fr-icon-[a-z0-9-]+", path.read_text())
    }
    assert used and not used - defined, sorted(used - defined)
