"""Asking for a yearly report, and producing it (in the task worker)."""

import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from maillage.accounts.models import User
from maillage.cooperations import permissions as cooperation_permissions
from maillage.cooperations.enums import DocumentKind
from maillage.cooperations.models import Cooperation, Document
from maillage.core.enums import TaskStatus, Visibility
from maillage.core.spreadsheets import SpreadsheetFormat, export_bytes
from maillage.governance.selectors import DecisionFilters, decision_register, register_rows
from maillage.projects.spreadsheet import export_rows
from maillage.reports import render, selectors
from maillage.reports.charts import dashboard_charts
from maillage.reports.models import Report, ReportFormat
from maillage.reports.yearly import report_projects, yearly_content

FIRST_YEAR = 1990


def report_request(
    *,
    actor: User,
    cooperation: Cooperation,
    year: int,
    format: str,
    introduction: str = "",
    conclusion: str = "",
) -> Report:
    """Ask for a cooperation's yearly report (coordinators); it is produced in the background
    once the request is saved."""
    if not cooperation_permissions.can_edit(actor, cooperation):
        raise PermissionDenied
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(
            {
                "year": _("Choisissez une année entre %(first)s et l’année en cours.")
                % {"first": FIRST_YEAR}
            }
        )
    if format not in ReportFormat.values:
        raise ValidationError({"format": _("Format inconnu : pdf ou odt.")})
    report = Report.objects.create(
        cooperation=cooperation,
        year=year,
        format=format,
        introduction=introduction,
        conclusion=conclusion,
        requested_by=actor,
    )
    transaction.on_commit(lambda: generate_report.enqueue(report_id=report.pk))
    return report


def _advance(report: Report, progress: int, step: str) -> None:
    report.progress, report.step = progress, step
    Report.objects.filter(pk=report.pk).update(progress=progress, step=step, status=report.status)


def _store(report: Report, title: str, name: str, content: bytes) -> Document:
    document = Document(
        cooperation=report.cooperation,
        kind=DocumentKind.REPORT,
        title=title,
        visibility=Visibility.PARTNERS,
        uploaded_by=report.requested_by,
        size=len(content),
    )
    document.file.save(name, ContentFile(content), save=False)
    document.full_clean()
    document.save()
    return document


def report_generate(report: Report) -> Report:
    """Produce the report's file and its annexes, store them as documents of the
    cooperation, and record each step's progress (read by the page and the API)."""
    started = time.perf_counter()
    cooperation, year = report.cooperation, report.year
    report.status = TaskStatus.RUNNING
    _advance(report, 5, _("Calcul des chiffres"))
    projects = report_projects(cooperation)
    requester = report.requested_by
    board = selectors.dashboard(requester, cooperation, projects=projects)
    _advance(report, 30, _("Rédaction du contenu"))
    title, blocks = yearly_content(report, dashboard_charts(board), board)
    _advance(report, 50, _("Annexes"))
    header, rows = export_rows(projects)
    portfolio = export_bytes(SpreadsheetFormat.XLSX, header, rows)
    # The report is the partners' (it is stored for them): built for them, not for its author.
    header, rows = register_rows(
        decision_register(
            requester, cooperation, DecisionFilters(year=year), audience=Visibility.PARTNERS
        )
    )
    register = export_bytes(SpreadsheetFormat.XLSX, header, rows)
    annexes = {
        f"portefeuille-{cooperation.slug}-{year}.xlsx": portfolio,
        f"decisions-{cooperation.slug}-{year}.xlsx": register,
    }
    _advance(report, 70, _("Mise en page"))
    if report.format == ReportFormat.PDF:
        content = render.render_pdf(title, blocks, annexes)
    else:
        content = render.render_odt(title, blocks)
    _advance(report, 90, _("Enregistrement"))
    with transaction.atomic():
        report.document = _store(
            report, title, f"rapport-{cooperation.slug}-{year}.{report.format}", content
        )
        report.annexes.set(
            [
                _store(
                    report,
                    _("Annexe au rapport %(year)s : %(name)s") % {"year": year, "name": name},
                    name,
                    data,
                )
                for name, data in annexes.items()
            ]
        )
        report.status, report.progress, report.step = TaskStatus.DONE, 100, ""
        report.seconds = round(time.perf_counter() - started, 2)
        report.save()
    return report


def report_failed(report: Report, error: Exception) -> None:
    Report.objects.filter(pk=report.pk).update(
        status=TaskStatus.FAILED, error=f"{type(error).__name__}: {error}"
    )


@task()
def generate_report(*, report_id: int) -> str:
    """The task worker's part: producing a requested report (its failure is recorded on it)."""
    report = Report.objects.select_related("cooperation", "requested_by").get(pk=report_id)
    try:
        report_generate(report)
    except Exception as error:
        report_failed(report, error)
        raise
    return report.status
