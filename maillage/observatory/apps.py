from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "maillage.observatory"
    verbose_name = _("Observatoire")

    def ready(self) -> None:
        from maillage.core.backup import BULK_MODELS
        from maillage.observatory import panels  # noqa: F401 - registers its panels
        from maillage.observatory.models import Boundary, Flow, StatisticValue

        for model in (Boundary, Flow, StatisticValue):
            if model not in BULK_MODELS:
                BULK_MODELS.append(model)
