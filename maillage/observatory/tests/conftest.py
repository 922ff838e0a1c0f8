import pytest
from django.core.management import call_command

from maillage.observatory.tests import files


@pytest.fixture
def observatory(referential, write):
    """The test referential with its communes' outlines, flows, dictionary and statistics."""
    call_command("import_boundaries", write("communes.geojson", files.boundaries()), verbosity=0)
    call_command(
        "import_flows",
        write("base-flux-mobilite-domicile-lieu-travail-2022.csv", files.flows()),
        "--demonstration",
        verbosity=0,
    )
    call_command("import_variables", write("variables.csv", files.DICTIONARY), verbosity=0)
    call_command("import_statistics", write("base-communale.csv", files.STATISTICS), verbosity=0)
