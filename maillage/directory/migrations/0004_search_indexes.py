from django.db import migrations

from maillage.core.migration_operations import substring_index


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_organisation_siret")]

    operations = [
        substring_index("directory_organisation", "search_name"),
        substring_index("directory_person", "search_name"),
    ]
