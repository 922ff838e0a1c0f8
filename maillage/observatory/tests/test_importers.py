"""The observatory's importers: boundaries, INSEE's flow files, the dictionary and the
statistics; every bad file refused whole with its line, nothing written."""

import json

import pytest
from django.core.management import CommandError, call_command

from maillage.observatory.models import Boundary, Flow, FlowDataset, StatisticValue, Variable
from maillage.observatory.services import outline_of
from maillage.observatory.tests import files
from maillage.territories.models import Territory

pytestmark = pytest.mark.django_db


def run(command, path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(command, path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def commune(code):
    return Territory.objects.get(kind="commune", code=code)


# Boundaries ------------------------------------------------------------------------------


def test_boundaries_import_reports_unknown_codes_and_communes_without_one(referential, write):
    unknown = {
        "type": "Feature",
        "properties": {"code": "75056", "nom": "Paris"},
        "geometry": files.square(2.3, 48.8),
    }
    path = write("c.geojson", files.boundaries(["29019", "29075"], extra=[unknown]))
    out, _err = run("import_boundaries", path)
    assert "Contours de codes inconnus (ignorés) : 75056" in out
    assert "Communes sans contour : 29235, 59122, 59545" in out
    outline = Boundary.objects.get(pk=commune("29019").pk)
    assert not outline.derived
    assert json.loads(outline.display)["type"] == "Polygon"
    assert 48.4 < outline.latitude < 48.5 and -4.5 < outline.longitude < -4.4


def test_a_feature_that_is_no_surface_refuses_the_whole_file(referential, write):
    line = {
        "type": "Feature",
        "properties": {"code": "29235"},
        "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
    }
    path = write("c.geojson", files.boundaries(["29019"], extra=[line]))
    with pytest.raises(CommandError, match="rien n’a été écrit"):
        run("import_boundaries", path)
    assert not Boundary.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "n’est pas un fichier GeoJSON lisible"),
        ('{"type": "Feature"}', "n’est pas une FeatureCollection GeoJSON"),
    ],
)
def test_a_file_that_is_no_feature_collection_is_refused(referential, write, content, message):
    with pytest.raises(CommandError, match=message):
        run("import_boundaries", write("c.geojson", content))
    assert not Boundary.objects.exists()


def test_dry_run_writes_no_boundary(referential, write):
    out, _err = run("import_boundaries", write("c.geojson", files.boundaries()), "--dry-run")
    assert "rien n’a été écrit" in out
    assert not Boundary.objects.exists()


def test_an_area_outline_is_the_union_of_its_communes_made_again_when_they_change(
    referential, write
):
    run("import_boundaries", write("c.geojson", files.boundaries()))
    brest = Territory.objects.get(kind="epci", code="242900314")
    first = outline_of(brest)
    assert first is not None and first.derived
    coordinates = json.loads(first.display)["coordinates"]
    assert len(coordinates) == 1  # three touching squares: one polygon, inner borders gone
    xs = [x for x, _y in coordinates[0]]
    assert min(xs) == pytest.approx(-4.5) and max(xs) == pytest.approx(-4.2)
    kept = outline_of(brest)
    assert kept is not None and kept.communes_key == first.communes_key  # while unchanged
    brest.memberships_as_container.filter(member__code="29235").delete()
    second = outline_of(brest)
    assert second is not None
    assert second.communes_key != first.communes_key
    assert max(x for x, _y in json.loads(second.display)["coordinates"][0]) == pytest.approx(-4.3)


def test_reimporting_boundaries_remakes_the_areas(referential, write):
    run("import_boundaries", write("c.geojson", files.boundaries()))
    brest = Territory.objects.get(kind="epci", code="242900314")
    outline_of(brest)
    run("import_boundaries", write("c.geojson", files.boundaries(["29019"])))
    assert not Boundary.objects.filter(derived=True).exists()
    remade = outline_of(brest)
    assert remade is not None and json.loads(remade.display)["type"] == "Polygon"


# Flows ------------------------------------------------------------------------------------


def test_flows_import_keeps_decimals_and_makes_a_destination_abroad(referential, write):
    path = write("base-flux-mobilite-domicile-lieu-travail-2022.csv", files.flows())
    _out, _err = run("import_flows", path)
    dataset = FlowDataset.objects.get()
    assert (dataset.kind, dataset.year, dataset.rows, dataset.demonstration) == (
        "home_work",
        2022,
        9,
        False,
    )
    assert Flow.objects.get(origin=commune("29075"), destination=commune("29019")).value == 300.125
    switzerland = Territory.objects.get(kind="country", code="99140")
    assert switzerland.name == "Suisse" and switzerland.country == "CH"
    assert Flow.objects.get(destination=switzerland).value == 2.75


def test_a_year_and_kind_of_flows_is_replaced_as_a_whole(referential, write):
    name = "base-flux-mobilite-domicile-lieu-travail-2022.csv"
    run("import_flows", write(name, files.flows()))
    run("import_flows", write(name, files.flows(files.FLOW_ROWS[:2])))
    assert Flow.objects.count() == 2
    other_year = files.FLOW_HEADER.replace("C22", "C21")
    run("import_flows", write(name, files.flows(files.FLOW_ROWS[:3], header=other_year)))
    assert sorted(FlowDataset.objects.values_list("year", "rows")) == [(2021, 3), (2022, 2)]


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("CODGEO;LIBGEO;DCETU;L_DCETU;NBFLUX_C22_SCOL02P\n", "home_study"),
        ("CODGEO;LIBGEO;DCRAN;L_DCRAN;NBFLUX_C22_POP01P\n", "migration"),
    ],
)
def test_the_kind_of_flows_comes_from_the_header(referential, write, header, kind):
    run("import_flows", write("flux.csv", files.flows(header=header)))
    assert FlowDataset.objects.get().kind == kind


def test_the_xlsx_edition_is_read_below_its_title_rows(referential, write):
    run("import_flows", write("flux.xlsx", files.flows_workbook(year="21")))
    dataset = FlowDataset.objects.get()
    assert (dataset.year, dataset.rows) == (2021, 9)


def test_kind_and_year_can_be_given(referential, write):
    run("import_flows", write("flux.csv", files.flows()), "--year", "2020", "--kind", "home_study")
    dataset = FlowDataset.objects.get()
    assert (dataset.kind, dataset.year, dataset.rows) == ("home_study", 2020, 9)


def test_bad_flow_rows_are_reported_with_their_line_and_nothing_is_written(referential, write):
    content = files.flows(
        [
            *files.FLOW_ROWS[:3],
            ("29019", "Brest", "12345", "Nulle part", "-3"),
            ("2901", "X", "29019", "Brest", "1"),
        ]
    )
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="rien n’a été écrit"):
        call_command("import_flows", write("flux.csv", content), stdout=StringIO(), stderr=err)
    assert (
        "ligne 5, colonne « DCLT » : « 12345 » n’est pas le code d’une commune connue"
        in err.getvalue()
    )
    assert (
        "ligne 5, colonne « NBFLUX_C22_ACTOCC15P » : « -3 » n’est pas un flux positif"
        in err.getvalue()
    )
    assert (
        "ligne 6, colonne « CODGEO » : « 2901 » n’est pas le code d’une commune connue"
        in err.getvalue()
    )
    assert not Flow.objects.exists() and not FlowDataset.objects.exists()


def test_a_file_that_is_no_flow_file_is_refused(referential, write):
    with pytest.raises(CommandError, match="n’est pas un fichier de flux de l’INSEE"):
        run("import_flows", write("flux.csv", "COM;PMUN\n29019;139926\n"))
    assert not FlowDataset.objects.exists()


def test_a_missing_column_is_named(referential, write):
    header = "CODGEO;LIBGEO;L_DCLT;NBFLUX_C22_ACTOCC15P\n"
    with pytest.raises(CommandError, match="colonne obligatoire absente : DCLT"):
        run("import_flows", write("flux.csv", header + "29019;Brest;Guipavas;3\n"))
    assert not FlowDataset.objects.exists()


# Dictionary and statistics ---------------------------------------------------------------


def test_statistics_are_read_for_the_declared_variables_and_france_totals_kept(referential, write):
    run("import_variables", write("v.csv", files.DICTIONARY))
    out, _err = run("import_statistics", write("s.csv", files.STATISTICS))
    assert "Colonnes ignorées (hors dictionnaire) : LIBGEO, OTHER" in out
    assert Variable.objects.get(code="P21_POP").france_total == 198500
    assert Variable.objects.get(code="DENSITE").france_total is None  # a ratio is computed
    # "s" (secret) is no value
    assert not StatisticValue.objects.filter(
        variable__code="P21_CHOM1564", territory=commune("29235")
    ).exists()


def test_a_ratio_naming_an_unknown_variable_refuses_the_dictionary(referential, write):
    content = "code;libelle;agregation;numerateur;denominateur\nX;X;ratio;P21_POP;NOPE\n"
    with pytest.raises(CommandError, match="rien n’a été écrit"):
        run("import_variables", write("v.csv", content))
    assert not Variable.objects.exists()


def test_a_bad_number_refuses_the_statistics(referential, write):
    run("import_variables", write("v.csv", files.DICTIONARY))
    bad = files.STATISTICS.replace("140000", "beaucoup")
    with pytest.raises(CommandError, match="rien n’a été écrit"):
        run("import_statistics", write("s.csv", bad))
    assert not StatisticValue.objects.exists()
