"""Nothing a cooperation holds is wider than the cooperation (core.models.require_reachable):
what was saved wider before the rule (unreachable anyway) takes its cooperation's visibility."""

from django.db import migrations

ORDER = ["public", "partners", "restricted"]


def narrow(apps, schema_editor):
    for name in ("Body", "Meeting"):
        model = apps.get_model("governance", name)
        for cooperation_visibility in ORDER[1:]:
            wider = ORDER[: ORDER.index(cooperation_visibility)]
            model.objects.filter(
                cooperation__visibility=cooperation_visibility, visibility__in=wider
            ).update(visibility=cooperation_visibility)
    Meeting = apps.get_model("governance", "Meeting")
    Meeting.objects.exclude(visibility="public").update(open_registration=False)


class Migration(migrations.Migration):
    dependencies = [("governance", "0008_waiting_list_by_default")]

    operations = [migrations.RunPython(narrow, migrations.RunPython.noop)]
