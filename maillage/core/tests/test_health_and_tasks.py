import os

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus

from maillage.core.models import WorkerHeartbeat
from maillage.core.tasks import send_email, send_email_later

# serialized_rollback: the data the migrations load (the programmes) is there after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("MAILLAGE_REQUIRE_SERVICES"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379")


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_health_reports_the_database_the_task_backend_and_the_worker(client, settings):
    from django.utils import timezone

    from maillage.core.worker import beat

    settings.TASKS = DATABASE_TASKS
    beat("w1", timezone.now())
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["tasks"] == {"ok": True, "detail": "DatabaseBackend"}
    assert body["worker"]["ok"] is True


def test_health_answers_503_when_no_worker_beats(client, settings):
    import datetime as dt

    from django.utils import timezone

    from maillage.core.worker import DEAD_AFTER, beat

    settings.TASKS = DATABASE_TASKS
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert "db_worker" in response.json()["worker"]["detail"]
    long_ago = timezone.now() - dt.timedelta(seconds=DEAD_AFTER + 1)
    WorkerHeartbeat.objects.create(worker_id="w1", started_at=long_ago, seen_at=long_ago)
    assert client.get("/api/v1/health").status_code == 503
    beat("w1", long_ago)  # it beats again
    assert client.get("/api/v1/health").status_code == 200


def test_the_worker_survives_a_locked_database_and_runs_the_task_after(settings, monkeypatch):
    """On SQLite a long import holds the write lock: the library's worker died on the
    "database is locked" raised where it claims a task. Ours waits and tries again."""
    from contextlib import contextmanager

    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker as library

    from maillage.core.management.commands import db_worker

    settings.TASKS = DATABASE_TASKS
    result = send_email.enqueue(subject="Rapport", body="", to=["x@exemple.test"])
    original = library.exclusive_transaction
    locked_turns: list[int] = []

    @contextmanager
    def locked_twice(using=None):
        if len(locked_turns) < 2:
            locked_turns.append(1)
            raise OperationalError("database is locked")
        with original(using):
            yield

    monkeypatch.setattr(library, "exclusive_transaction", locked_twice)
    monkeypatch.setattr(db_worker.time, "sleep", lambda seconds: None)
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    result.refresh()
    assert len(locked_turns) == 2
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert [m.subject for m in mail.outbox] == ["Rapport"]
    assert not WorkerHeartbeat.objects.exists()  # a worker that stops cleanly says so


def test_the_tasks_of_a_dead_worker_are_failed_and_say_why(settings):
    from django_tasks_db.models import DBTaskResult

    from maillage.core.worker import beat, reap_lost_tasks

    settings.TASKS = DATABASE_TASKS
    lost = send_email.enqueue(subject="Perdu", body="", to=["x@exemple.test"])
    running = send_email.enqueue(subject="En cours", body="", to=["x@exemple.test"])
    DBTaskResult.objects.get(pk=lost.id).claim("dead-worker")
    DBTaskResult.objects.get(pk=running.id).claim("live-worker")
    from django.utils import timezone

    beat("live-worker", timezone.now())
    assert reap_lost_tasks() == 1
    lost.refresh()
    running.refresh()
    assert lost.status == TaskResultStatus.FAILED
    assert "WorkerLost" in lost.errors[0].exception_class_path
    assert running.status == TaskResultStatus.RUNNING


def test_health_answers_503_when_the_task_backend_is_down(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["tasks"]["ok"] is False


def test_the_database_backend_queues_mail_and_its_worker_sends_it(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    result = send_email.enqueue(
        subject="Comité de suivi", body="Ordre du jour", to=["elu@exemple.test"]
    )
    assert not mail.outbox

    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert [m.subject for m in mail.outbox] == ["Comité de suivi"]


def test_mail_queued_in_a_rolled_back_transaction_is_never_sent(settings):
    from django.db import transaction

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }

    def queue_then_fail():
        with transaction.atomic():
            send_email_later(subject="Jamais", body="", to=["x@exemple.test"])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        queue_then_fail()
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.exists()


def test_the_redis_backend_queues_mail_and_an_rq_worker_sends_it(settings):
    redis_or_skip()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default")
    queue.empty()
    result = send_email.enqueue(subject="Matinée de la CTJ", body="Santé", to=["ctj@exemple.test"])
    assert result.status == TaskResultStatus.READY

    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

    assert [m.subject for m in mail.outbox] == ["Matinée de la CTJ"]
    assert send_email.get_result(result.id).status == TaskResultStatus.SUCCESSFUL
