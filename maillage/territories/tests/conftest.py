import pytest
from django.core.management import call_command

from maillage.territories.tests import files


@pytest.fixture
def write(tmp_path):
    """Write a test file and return its path."""

    def write_file(name: str, content: str | bytes, encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return str(path)

    return write_file


@pytest.fixture
def referential(db, write):
    """Regions, départements, communes, EPCI and populations of the small test files."""
    call_command("import_regions", write("v_region_2025.csv", files.REGIONS), verbosity=0)
    call_command("import_departements", write("v_departement_2025.csv", files.DEPARTEMENTS))
    call_command("import_communes", write("v_commune_2025.csv", files.COMMUNES))
    call_command(
        "import_epci", write("Intercommunalite_Metropole_au_01-01-2025.xlsx", files.epci_workbook())
    )
    call_command(
        "import_populations",
        write("populations.csv", files.POPULATIONS),
        "--code-column",
        "COM",
        "--population-column",
        "PMUN",
        "--year",
        "2022",
    )
