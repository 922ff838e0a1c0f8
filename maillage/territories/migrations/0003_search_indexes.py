from django.db import migrations

from maillage.core.migration_operations import substring_index


class Migration(migrations.Migration):
    dependencies = [("territories", "0002_outlines_move_to_the_observatory")]

    operations = [
        substring_index("territories_territory", "search_name", prefix_column="code"),
    ]
