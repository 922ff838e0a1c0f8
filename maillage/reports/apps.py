from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "maillage.reports"
    verbose_name = _("Suivi et rapports")

    def ready(self) -> None:
        from maillage.core.worker import record_failures_of
        from maillage.reports.models import Report
        from maillage.reports.services import generate_report

        record_failures_of(generate_report, Report, "report_id")
