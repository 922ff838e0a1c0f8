import os

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus

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


def test_health_reports_the_database_and_the_task_backend(client, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["tasks"] == {"ok": True, "detail": "DatabaseBackend"}


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
