from django.db import migrations, models

from maillage.core.text import fold


def fill(apps, schema_editor):
    """The folded search form of each cooperation's names (`Cooperation.searchable_text`)."""
    Cooperation = apps.get_model("cooperations", "Cooperation")
    cooperations = list(Cooperation.objects.only("pk", "title", "short_name"))
    for cooperation in cooperations:
        cooperation.search_name = fold(f"{cooperation.title} {cooperation.short_name}")[:255]
    Cooperation.objects.bulk_update(cooperations, ["search_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("cooperations", "0006_duration_bounded")]

    operations = [
        migrations.AddField(
            model_name="cooperation",
            name="search_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
