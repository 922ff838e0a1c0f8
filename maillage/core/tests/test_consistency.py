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


def _po_catalog(po_text: str) -> dict:
    """The catalog msgfmt would compile from a .po file, in gettext's own shape: context and
    msgid joined by EOT, plural forms keyed (msgid, n); fuzzy and untranslated entries left
    out, as msgfmt leaves them."""

    def text(block: str, keyword: str) -> str | None:
        found = re.search(rf'^{re.escape(keyword)} ((?:".*"\n?)+)', block + "\n", re.M)
        return None if found is None else "".join(re.findall(r'"(.*)"', found.group(1)))

    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}

    def unescape(value: str) -> str:
        return re.sub(r"\\(.)", lambda match: escapes.get(match[1], match[0]), value)

    catalog: dict = {}
    for block in po_text.split("\n\n"):
        block = "\n".join(line for line in block.splitlines() if not line.startswith("#~"))
        msgid = text(block, "msgid")
        if not msgid or "#, fuzzy" in block:
            continue
        context = text(block, "msgctxt")
        key = unescape(msgid if context is None else f"{context}\x04{msgid}")
        if text(block, "msgid_plural") is None:
            if text(block, "msgstr"):
                catalog[key] = unescape(text(block, "msgstr") or "")
        else:
            for n, form in enumerate(
                re.findall(r"^msgstr\[\d+\] ((?:\".*\"\n?)+)", block + "\n", re.M)
            ):
                catalog[(key, n)] = unescape("".join(re.findall(r'"(.*)"', form)))
    return catalog


def test_the_compiled_translation_is_up_to_date():
    import gettext

    po = ROOT / "locale/en/LC_MESSAGES/django.po"
    with (ROOT / "locale/en/LC_MESSAGES/django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    compiled = {key: value for key, value in compiled.items() if key != ""}
    expected = _po_catalog(po.read_text())
    assert len(expected) > 100
    assert compiled == expected, "the .mo differs from the .po: run make messages"


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


# Templates that may look at the user themselves: the layout (sign-in links), the user's own
# profile, and lists offering "mine" to a signed-in visitor. None of them decides who may see what.
USER_TESTS_ALLOWED = {
    "core/templates/base.html",
    "core/templates/core/includes/header_tools.html",
    "accounts/templates/accounts/profile.html",
    "portal/templates/portal/home.html",
    "reports/templates/reports/overview.html",
}


def test_templates_take_permissions_from_the_context():
    """Who may see or do what is decided by the permission helpers and handed to the template
    as a flag (`can_see_people`, `can_edit`); a template that tests `user.is_authenticated`
    re-decides it, as the signatory's name once leaked to every signed-in user."""
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("*/templates/**/*.html")
        if re.search(r"\buser\.is_(authenticated|staff|superuser)\b", path.read_text())
        and path.relative_to(ROOT).as_posix() not in USER_TESTS_ALLOWED
    ]
    assert not offenders, offenders


# Fields a service governs by a rule of its own, with the one module allowed to write them.
GOVERNED_FIELDS = {
    # status + its dated, signed journal entry (projects.services.project_statuses_write)
    ("projects", "Project"): ({"status", "status_changed_on"}, "projects/services.py"),
    # the last coordinator stays (cooperations.services.member_role_set / member_remove)
    ("accounts", "Membership"): ({"role"}, "accounts/services.py"),
    # the stage and its dated StageChange (cooperations.services.cooperation_stage_set)
    ("cooperations", "Cooperation"): ({"stage"}, "cooperations/services.py"),
}
WRITES = {
    ("projects", "Project"): [
        r"\b(?:project|p)\.(?:status|status_changed_on)\b[^=\n]*=[^=]",
        r"Project\.objects[^\n]*\.update\([^)]*\bstatus",
    ],
    ("accounts", "Membership"): [r"\bmembership\.role\s*=[^=]", r"defaults=\{\"role\""],
    ("cooperations", "Cooperation"): [r"\bcooperation\.stage\s*=[^=]"],
}
# New rows of an import are built in bulk with their first status, which
# project_statuses_write then journals: a creation, not a second writer of a change.
KNOWN_BUILDERS = {"projects/spreadsheet.py"}


def test_a_governed_field_has_one_writer():
    """A second writer of a governed field (an importer, another app's service, a view) would
    skip its rule: the journal, the last coordinator, the dated stage."""
    sources = [
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    offenders = []
    for key, (fields, owner) in GOVERNED_FIELDS.items():
        assert fields
        for path in sources:
            name = path.relative_to(ROOT).as_posix()
            if name in (owner, *KNOWN_BUILDERS):
                continue
            text = path.read_text()
            offenders += [f"{name}: {key}" for rule in WRITES[key] if re.search(rule, text)]
    assert not offenders, offenders


@pytest.mark.django_db
def test_the_admin_leaves_governed_fields_to_the_services(rf, alix):
    from django.apps import apps
    from django.contrib import admin

    alix.is_superuser = True
    request = rf.get("/admin/")
    request.user = alix
    for (app, model_name), (fields, _owner) in GOVERNED_FIELDS.items():
        model = apps.get_model(app, model_name)
        model_admin = admin.site._registry[model]
        existing = model()
        existing.pk = 1
        editable = set(model_admin.get_fields(request, existing)) - set(
            model_admin.get_readonly_fields(request, existing)
        )
        assert not fields & editable, (model_name, fields & editable)


# The apps from the bottom up: an app imports only from the layers below its own. A higher app
# adds to a lower app's page through core.panels, and to its deletions through a hook.
LAYERS = [
    {"core"},
    {"accounts"},
    {"notifications"},
    {"territories"},
    {"directory"},
    {"proconnect"},
    {"cooperations"},
    {"projects"},
    {"governance"},
    {"reports", "portal", "forum"},
    {"mutualisation", "funding", "observatory"},
    {"demo"},
]


def _layer(app: str) -> int:
    return next(rank for rank, apps in enumerate(LAYERS) if app in apps)


def test_apps_import_only_downward():
    """Python imports, `apps.get_model` look-ups and template includes of another app's
    templates all count: each is a dependency."""
    apps = set().union(*LAYERS)
    assert apps == {path.name for path in ROOT.iterdir() if (path / "apps.py").exists()}
    upward = []
    for path in [*ROOT.rglob("*.py"), *ROOT.rglob("*.html")]:
        parts = path.relative_to(ROOT).parts
        if parts[0] not in apps or "tests" in parts or "migrations" in parts:
            continue
        text = path.read_text()
        used = set(re.findall(r"^\s*(?:from|import) maillage\.(\w+)", text, re.M))
        used |= set(re.findall(r"get_model\(\s*[\"'](\w+)[\"']", text))
        used |= set(re.findall(r"\{% (?:include|extends) \"(\w+)/", text)) & apps
        upward += [
            f"{path.relative_to(ROOT)} → {app}"
            for app in sorted(used & apps)
            if app != parts[0] and _layer(app) >= _layer(parts[0])
        ]
    assert not upward, upward


def test_no_template_runs_inline_code():
    """The Content-Security-Policy (core.middleware) runs scripts from our own files only: an
    inline handler (`onclick=`, htmx's `hx-on`) or an inline <script> would be blocked."""
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("*/templates/**/*.html")
        if re.search(
            r"\s(on[a-z]+|hx-on[:\w-]*)=|<script(?![^>]*\bsrc=)(?![^>]*application/json)",
            path.read_text(),
        )
    ]
    assert not offenders, offenders
