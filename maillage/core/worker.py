"""The task worker's sign of life, and what happens to the tasks of a worker that died.

`manage.py db_worker` (core's own, on django-tasks-db's) beats every HEARTBEAT seconds into
`WorkerHeartbeat`. A worker not seen for DEAD_AFTER seconds is gone: its running tasks are
marked failed (`reap_lost_tasks`, which every live worker runs), with `task_finished` sent so
that the app that queued them records the failure on its own rows (a report says it failed,
instead of "en cours" forever); `worker_alive` answers `/api/v1/health` and the pages that
depend on a worker.
"""

import datetime as dt
import logging
import os
import socket
from typing import Any

from django.db import DatabaseError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.signals import task_finished

from maillage.core.enums import TaskStatus
from maillage.core.models import WorkerHeartbeat

HEARTBEAT = 10  # seconds between two beats of a worker
DEAD_AFTER = 90  # seconds without a beat after which a worker is taken for dead
logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running this task stopped (killed, machine restarted) before it finished."""


def beat(worker_id: str, started_at: dt.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "seen_at": timezone.now(),
            "started_at": started_at,
            "host": socket.gethostname(),
            "pid": os.getpid(),
        },
    )


def forget(worker_id: str) -> None:
    """A worker stopping cleanly says so: it is not taken for a dead one."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def live_workers(now: dt.datetime | None = None):
    since = (now or timezone.now()) - dt.timedelta(seconds=DEAD_AFTER)
    return WorkerHeartbeat.objects.filter(seen_at__gte=since)


def worker_alive() -> bool:
    """Whether some worker will run the tasks queued now. Backends that run tasks inline, or
    whose workers are not ours to watch (RQ has its own), count as alive."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if type(backend).__name__ != "DatabaseBackend":
        return True
    try:
        return live_workers().exists()
    except DatabaseError:
        return False


def reap_lost_tasks(now: dt.datetime | None = None) -> int:
    """Fail the running tasks whose worker is gone; returns how many."""
    from django_tasks_db.models import DBTaskResult

    alive = set(live_workers(now).values_list("worker_id", flat=True))
    lost = [
        result
        for result in DBTaskResult.objects.running()
        if not result.worker_ids or result.worker_ids[-1] not in alive
    ]
    for result in lost:
        result.set_failed(WorkerLost(_("Le processus de tâches s’est arrêté pendant cette tâche.")))
        try:
            sender = type(result.task.get_backend())
        except Exception:  # the task's code is gone: nobody to tell
            logger.exception("Lost task %s of an unknown function", result.pk)
            continue
        task_finished.send(sender=sender, task_result=result.task_result)
    if lost:
        logger.warning("%s task(s) of a stopped worker marked failed", len(lost))
    return len(lost)


def record_failures_of(task: Any, model: type[Model], id_kwarg: str) -> None:
    """When a run of `task` fails without saying so itself (its worker died and was reaped),
    mark the row it was working on (`model`, whose pk is the task's `id_kwarg` argument)
    failed, with the reason in its `error`, instead of "en cours" forever."""

    def receiver(sender, task_result, **kwargs) -> None:
        if task_result.task.func is not task.func or task_result.status != "FAILED":
            return
        errors = task_result.errors
        reason = errors[-1].traceback.strip().splitlines()[-1] if errors else ""
        model._default_manager.filter(
            pk=task_result.kwargs.get(id_kwarg),
            status__in=[TaskStatus.QUEUED, TaskStatus.RUNNING],
        ).update(status=TaskStatus.FAILED, error=reason)

    task_finished.connect(receiver, weak=False, dispatch_uid=f"{model._meta.label}.failures")
