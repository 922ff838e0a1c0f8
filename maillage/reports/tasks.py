"""The task worker's part: producing a requested report."""

from django_tasks import task

from maillage.reports import services
from maillage.reports.models import Report


@task()
def generate_report(*, report_id: int) -> str:
    report = Report.objects.select_related("cooperation", "requested_by").get(pk=report_id)
    try:
        services.report_generate(report)
    except Exception as error:
        services.report_failed(report, error)
        raise
    return report.status
