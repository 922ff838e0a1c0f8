"""What /api/v1/health reports: can we reach the database and the task backend?"""

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


@dataclass(frozen=True)
class ComponentState:
    ok: bool
    detail: str


def database_state() -> ComponentState:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return ComponentState(False, type(error).__name__)
    return ComponentState(True, connection.vendor)


def worker_state() -> ComponentState:
    """Whether a worker will run what is queued (core.worker's heartbeat)."""
    from maillage.core.worker import DEAD_AFTER, worker_alive

    if worker_alive():
        return ComponentState(True, "")
    return ComponentState(
        False,
        _("Aucun processus de tâches vu depuis %(seconds)s s : lancez manage.py db_worker.")
        % {"seconds": DEAD_AFTER},
    )


def task_backend_state() -> ComponentState:
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    name = type(backend).__name__
    try:
        if name == "RQBackend":
            import django_rq

            django_rq.get_connection("default").ping()
        elif name == "DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.exists()
    except Exception as error:
        return ComponentState(False, f"{name}: {type(error).__name__}")
    return ComponentState(True, name)
