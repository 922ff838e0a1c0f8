"""Nothing a cooperation holds is wider than the cooperation (core.models.require_reachable):
what was saved wider before the rule (unreachable anyway) takes its cooperation's visibility."""

from django.db import migrations

ORDER = ["public", "partners", "restricted"]


def narrow(apps, schema_editor):
    for name in ("Document", "Proposal"):
        model = apps.get_model("cooperations", name)
        for cooperation_visibility in ORDER[1:]:
            wider = ORDER[: ORDER.index(cooperation_visibility)]
            model.objects.filter(
                cooperation__visibility=cooperation_visibility, visibility__in=wider
            ).update(visibility=cooperation_visibility)


class Migration(migrations.Migration):
    dependencies = [("cooperations", "0007_searchable")]

    operations = [migrations.RunPython(narrow, migrations.RunPython.noop)]
