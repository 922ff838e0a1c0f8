from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "maillage.reports"
    verbose_name = _("Suivi et rapports")
