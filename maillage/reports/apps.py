from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "maillage.reports"
    verbose_name = _("Suivi et rapports")

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from maillage.reports.services import report_task_finished

        task_finished.connect(report_task_finished, dispatch_uid="reports.report_task_finished")
