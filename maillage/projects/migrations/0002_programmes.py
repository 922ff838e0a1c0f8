from django.db import migrations

# The funding programmes every French or cross-border cooperation meets; staff add others.
PROGRAMMES = [
    ("leader", "LEADER"),
    ("feder", "FEDER"),
    ("interreg", "Interreg"),
    ("cper", "CPER"),
    ("detr", "DETR"),
    ("dsil", "DSIL"),
    ("fppt", "FPPT"),
    ("autofinancement", "Autofinancement"),
    ("autre", "Autre"),
]


def add_programmes(apps, schema_editor):
    Programme = apps.get_model("projects", "Programme")
    for code, name in PROGRAMMES:
        Programme.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(add_programmes, migrations.RunPython.noop)]
