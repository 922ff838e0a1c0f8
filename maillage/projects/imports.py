"""Action plans sent through the page: checked, then written, by the task worker.

A page request only stores the upload and queues the work (`plan_import_request`); the worker
runs the importer on it (`run_plan_import`), within the importer's row and time limits, and
records its report on the `PlanImport`, which the page shows (it refreshes while the work
goes on). The check is a dry run (on SQLite, on a private copy: core.imports); the
confirmation queues the same file again, to be written.
"""

import os
from typing import BinaryIO, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from maillage.accounts.models import User
from maillage.cooperations.models import Cooperation
from maillage.core.enums import TaskStatus
from maillage.core.spreadsheets import SpreadsheetError
from maillage.projects import permissions
from maillage.projects.models import PlanImport
from maillage.projects.spreadsheet import ActionPlanImporter


def plan_import_request(
    *,
    actor: User,
    cooperation: Cooperation,
    path: str,
    dry_run: bool = True,
    create_organisations: bool = False,
) -> PlanImport:
    """Queue the check (`dry_run`) or the writing of a stored upload of an action plan."""
    if not permissions.can_manage(actor, cooperation):
        raise PermissionDenied
    plan_import = PlanImport.objects.create(
        cooperation=cooperation,
        requested_by=actor,
        path=path,
        dry_run=dry_run,
        create_organisations=create_organisations,
    )
    transaction.on_commit(lambda: run_plan_import.enqueue(import_id=plan_import.pk))
    return plan_import


def plan_import_confirm(
    *, actor: User, checked: PlanImport, create_organisations: bool
) -> PlanImport:
    """Queue the writing of a file whose check found nothing wrong."""
    if checked.requested_by_id != actor.pk or not checked.dry_run or checked.problems:
        raise PermissionDenied
    if checked.status != TaskStatus.DONE or not default_storage.exists(checked.path):
        raise PermissionDenied
    if checked.new_organisations and not create_organisations:
        raise ValidationError(
            {
                "create_organisations": _(
                    "Le fichier nomme des structures inconnues de l’annuaire : cochez « Créer "
                    "ces structures » pour les créer, ou corrigez le fichier."
                )
            }
        )
    return plan_import_request(
        actor=actor,
        cooperation=checked.cooperation,
        path=checked.path,
        dry_run=False,
        create_organisations=create_organisations,
    )


def plan_import_run(plan_import: PlanImport) -> PlanImport:
    """Run the importer on the stored file and record its report (in the worker)."""
    PlanImport.objects.filter(pk=plan_import.pk).update(status=TaskStatus.RUNNING)
    importer = ActionPlanImporter(
        actor=plan_import.requested_by,
        cooperation=plan_import.cooperation,
        create_organisations=plan_import.create_organisations,
        dry_run=plan_import.dry_run,
    )
    try:
        with default_storage.open(plan_import.path, "rb") as stream:
            report = importer.run(cast(BinaryIO, stream), os.path.basename(plan_import.path))
    except SpreadsheetError as error:  # unreadable: said as the file's one problem
        plan_import.problems = [str(error)]
    else:
        plan_import.rows = report.rows
        plan_import.counts = report.counts
        plan_import.problems = [str(error) for error in report.errors]
        plan_import.new_organisations = list(importer.new_organisations)
    plan_import.status = TaskStatus.DONE
    plan_import.save(
        update_fields=["rows", "counts", "problems", "new_organisations", "status", "updated_at"]
    )
    if plan_import.written:
        default_storage.delete(plan_import.path)
    return plan_import


@task()
def run_plan_import(*, import_id: int) -> str:
    """The task worker's part (a failure is recorded on the import, whatever its cause)."""
    plan_import = PlanImport.objects.select_related("cooperation", "requested_by").get(pk=import_id)
    try:
        plan_import_run(plan_import)
    except Exception as error:
        PlanImport.objects.filter(pk=import_id).update(
            status=TaskStatus.FAILED, error=f"{type(error).__name__}: {error}"
        )
        raise
    return plan_import.status
