from django.db import migrations, models

from maillage.core.text import fold


def fill(apps, schema_editor):
    """The folded search form of each project (`Project.searchable_text`), in batches."""
    Project = apps.get_model("projects", "Project")
    batch = []
    for project in Project.objects.only("pk", "code", "title", "summary").iterator(2000):
        project.search_name = fold(f"{project.code} {project.title} {project.summary}")[:255]
        batch.append(project)
        if len(batch) == 2000:
            Project.objects.bulk_update(batch, ["search_name"])
            batch = []
    Project.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_plan_imports")]

    operations = [
        migrations.AddField(
            model_name="project",
            name="search_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
