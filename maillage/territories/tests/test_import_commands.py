import pytest
from django.core.management import CommandError, call_command

from maillage.territories.models import Territory, TerritoryMembership
from maillage.territories.tests import files

pytestmark = pytest.mark.django_db


def run(command, path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(command, path, *args, stdout=out, stderr=err)
    return out.getvalue()


def get(kind, code):
    return Territory.objects.get(kind=kind, code=code)


def test_the_referential_holds_what_the_files_say(referential):
    brest = get("commune", "29019")
    assert brest.population == 139926
    assert brest.population_year == 2022
    finistere = get("departement", "29")
    assert set(Territory.objects.communes_under(finistere).values_list("code", flat=True)) == {
        "29019",
        "29075",
        "29235",
    }
    assert get("region", "53").containers.count() == 0
    assert list(Territory.objects.above(brest).order_by("kind").values_list("name", flat=True)) == [
        "Finistère",
        "Brest Métropole",
        "Bretagne",
    ]
    # An associated commune lies inside its commune, even in another département.
    assert get("associated_commune", "02285").containers.get() == get("commune", "59545")
    assert get("epci", "242900314").epci_nature == "ME"


def test_a_second_import_changes_nothing(referential, write):
    out = run("import_communes", write("v_commune_2025.csv", files.COMMUNES))
    assert "added: 0, changed: 0, gone: 0, memberships: 6, unchanged: 6" in out
    assert TerritoryMembership.objects.filter(source="cog_communes").count() == 6


def test_the_diff_reports_added_changed_and_gone(referential, write):
    changed = (
        files.COMMUNES.replace("Guipavas,Guipavas", "Guipavas,Gwipavaz").replace(
            "COM,59122,32,59,59D,,0,CAMBRAI,Cambrai,Cambrai,,\n", ""
        )
        + "COM,29212,53,29,29D,,0,PLOUGASTEL DAOULAS,Plougastel-Daoulas,Plougastel-Daoulas,,\n"
    )
    out = run("import_communes", write("v_commune_2026.csv", changed))
    assert "added: 1, changed: 1, gone: 1" in out
    assert get("commune", "29075").name == "Gwipavaz"
    cambrai = get("commune", "59122")
    assert cambrai.valid_until is not None  # kept, so that what points at it stays readable
    assert cambrai not in Territory.objects.current()


def test_a_dry_run_reports_and_writes_nothing(db, write):
    call_command("import_regions", write("r.csv", files.REGIONS))
    call_command("import_departements", write("d.csv", files.DEPARTEMENTS))
    out = run("import_communes", write("v_commune_2025.csv", files.COMMUNES), "--dry-run")
    assert "added: 6" in out
    assert "Essai à blanc : rien n’a été écrit." in out
    assert not Territory.objects.filter(kind="commune").exists()


def test_latin1_and_semicolons_are_read(db, write):
    call_command("import_regions", write("r.csv", files.REGIONS.replace(",", ";"), "latin-1"))
    call_command(
        "import_departements", write("d.csv", files.DEPARTEMENTS.replace(",", ";"), "latin-1")
    )
    assert get("departement", "29").name == "Finistère"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            files.COMMUNES.replace("TYPECOM,", "TYPE_COMMUNE,"),
            "v_commune_2025.csv, ligne 1 : colonne obligatoire absente : TYPECOM",
        ),
        (
            files.COMMUNES.replace("COMA,02285", "XYZ,02285"),
            "v_commune_2025.csv, ligne 6, colonne « TYPECOM » : TYPECOM « XYZ » inconnu",
        ),
        (
            files.COMMUNES + "COM,29019,53,29,29D,,0,BREST,Brest,Brest,,\n",
            "v_commune_2025.csv, ligne 8 : code « 29019 » en double",
        ),
        (
            files.COMMUNES.replace("59D,,0,CAMBRAI", "59D,,9,CAMBRAI"),
            "ligne 5, colonne « TNCC » : type d’article « 9 » inconnu",
        ),
        (
            files.COMMUNES.replace(",59545\n", ",59999\n"),
            "ligne 6, colonne « COMPARENT » : commune « 59999 » inconnue",
        ),
        (
            files.COMMUNES.replace("COM,59122,32,59,", "COM,59122,32,62,"),
            "ligne 5, colonne « DEP » : département « 62 » inconnu",
        ),
        (
            files.COMMUNES.replace("COM,29075,", "COM,2907,"),
            "ligne 3, colonne « COM » : code « 2907 » invalide",
        ),
        ("", "v_commune_2025.csv est vide"),
    ],
    ids=[
        "renamed column",
        "unknown TYPECOM",
        "duplicate code",
        "bad article",
        "unknown parent",
        "unknown département",
        "bad code",
        "empty",
    ],
)
def test_bad_communes_files_are_refused_whole_with_the_place_named(
    db, write, capsys, content, expected
):
    call_command("import_regions", write("r.csv", files.REGIONS))
    call_command("import_departements", write("d.csv", files.DEPARTEMENTS))
    before = Territory.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("import_communes", write("v_commune_2025.csv", content))
    assert expected in str(error.value) + capsys.readouterr().err
    assert Territory.objects.count() == before
    assert not TerritoryMembership.objects.filter(source="cog_communes").exists()


def test_a_file_of_another_format_is_refused(referential, write):
    with pytest.raises(CommandError, match="colonne"):
        call_command("import_communes", write("v_commune_2025.xlsx", files.epci_workbook()))
    with pytest.raises(CommandError, match="n’est pas un classeur xlsx lisible"):
        call_command("import_epci", write("Intercommunalite.xlsx", files.COMMUNES))


def test_an_unknown_commune_in_the_composition_rolls_back_both_sheets(referential, write, capsys):
    workbook = files.epci_workbook(
        epci_rows=[
            ("242900314", "Brest Métropole", "ME", 1),
            ("200067197", "Monts d'Arrée Communauté", "CC", 1),
        ],
        composition_rows=[
            ("29019", "Brest", "242900314", "", "29", "53"),
            ("29999", "Nulle part", "200067197", "", "29", "53"),
        ],
    )
    with pytest.raises(CommandError):
        call_command(
            "import_epci", write("Intercommunalite_Metropole_au_01-01-2026.xlsx", workbook)
        )
    assert "ligne 8, colonne « CODGEO » : commune « 29999 » inconnue" in capsys.readouterr().err
    assert not Territory.objects.filter(code="200067197").exists()
    assert TerritoryMembership.objects.filter(source="cog_epci").count() == 4


def test_epci_rules(referential, write, capsys):
    workbook = files.epci_workbook(
        epci_rows=[("242900315", "Mauvaise clé", "ME", 1), ("200068500", "Cambrai", "XX", 1)],
        composition_rows=[],
    )
    with pytest.raises(CommandError):
        call_command("import_epci", write("epci.xlsx", workbook))
    err = capsys.readouterr().err
    assert "ligne 7, colonne « EPCI » : SIREN « 242900315 » invalide" in err
    assert "ligne 8, colonne « NATURE_EPCI » : nature « XX » inconnue" in err


def test_a_commune_belongs_to_one_epci(referential, write, capsys):
    workbook = files.epci_workbook(
        composition_rows=[
            ("29019", "Brest", "242900314", "", "29", "53"),
            ("29019", "Brest", "200068500", "", "29", "53"),
        ]
    )
    with pytest.raises(CommandError):
        call_command("import_epci", write("epci.xlsx", workbook))
    assert "commune « 29019 » déjà rattachée à un EPCI" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("COM;PMUN\n29019;abc\n", "ligne 2, colonne « PMUN » : population « abc » invalide"),
        ("COM;PMUN\n99999;12\n", "ligne 2, colonne « COM » : commune « 99999 » inconnue"),
        ("COM;PMUN\n29019;12\n29019;13\n", "ligne 3, colonne « COM » : code « 29019 » en double"),
        ("CODE;PMUN\n29019;12\n", "colonne obligatoire absente : COM"),
    ],
)
def test_bad_population_files_are_refused_whole(referential, write, capsys, content, expected):
    with pytest.raises(CommandError) as error:
        call_command(
            "import_populations",
            write("pop.csv", content, "latin-1"),
            "--code-column",
            "COM",
            "--population-column",
            "PMUN",
            "--year",
            "2023",
        )
    assert expected in str(error.value) + capsys.readouterr().err
    assert get("commune", "29019").population == 139926


def test_populations_columns_are_named_by_options(referential, write):
    call_command(
        "import_populations",
        write("pop.csv", "codgeo,p21_pop\n29019,140000\n"),
        "--code-column",
        "CODGEO",
        "--population-column",
        "P21_POP",
        "--year",
        "2021",
    )
    brest = get("commune", "29019")
    assert (brest.population, brest.population_year) == (140000, 2021)


def test_an_import_on_sqlite_says_it_holds_the_database(db, write, capsys):
    from django.db import connection

    from maillage.territories.tests import files

    call_command("import_regions", write("v_region_2025.csv", files.REGIONS))
    said = "l’import tient la base en écriture" in capsys.readouterr().err
    assert said == (connection.vendor == "sqlite")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dry_run_writes_on_a_private_copy_not_on_the_database(write, capsys):
    """A dry run on SQLite used to write then roll back, holding the write lock all along:
    logins and edits failed meanwhile. It now writes on a copy of the database in memory: the
    database's own connection writes nothing (on PostgreSQL the rollback is harmless)."""
    from django.db import connection

    from maillage.territories.importers import RegionsImporter

    seen = []
    write_batch = RegionsImporter.write_batch

    def spy(self, batch):
        seen.append(connection.connection)
        return write_batch(self, batch)

    connection.ensure_connection()
    real = connection.connection
    changes_before = real.total_changes if connection.vendor == "sqlite" else 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RegionsImporter, "write_batch", spy)
        call_command("import_regions", "--dry-run", write("v_region_2025.csv", files.REGIONS))
    assert seen and not Territory.objects.filter(kind="region").exists()
    if connection.vendor == "sqlite":
        assert seen[0] is not real and connection.connection is real
        assert real.total_changes == changes_before  # not one row written, then rolled back
        assert "tient la base" not in capsys.readouterr().err


def test_an_epci_shows_the_population_of_its_communes_in_the_search(client, referential):
    """An EPCI's population read "None" in the territory search: it is its communes' sum, on
    the page and in the API, as on its own page."""
    epci = Territory.objects.filter(kind="epci").order_by("pk")[0]
    expected = epci.aggregate_population()
    assert expected
    page = client.get("/territoires/", {"q": epci.name})
    [row] = [t for t in page.context["page_obj"].object_list if t.pk == epci.pk]
    assert row.total_population == expected
    items = client.get("/api/v1/territories", {"search": epci.name}).json()["items"]
    assert next(item for item in items if item["id"] == epci.pk)["population"] == expected
