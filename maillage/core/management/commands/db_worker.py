"""django-tasks-db's worker, made to last: it beats (core.worker), fails the tasks of workers
that died, and survives the database being away for a while.

The embedded SQLite database is locked for writing while a long import runs: the library's
worker then raised "database is locked" outside its own guard and its thread died while the
process stayed up, so that every report requested afterwards waited forever. Here a database
error ends nothing: the worker waits (1 s, 2 s, 4 s… up to a minute) and starts again.
"""

import contextlib
import logging
import threading
import time

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from maillage.core import worker as heartbeat

logger = logging.getLogger("django_tasks_db")
MAX_BACK_OFF = 60


class Worker(db_worker.Worker):
    def __init__(self, **kwargs):
        self._running = True
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.last_beat = 0.0

    # The library's loop reads `self.running` once per turn: the turn's beat happens there,
    # so that a worker stuck anywhere in its loop stops beating and is seen as gone.
    @property
    def running(self) -> bool:
        if self._running and time.monotonic() - self.last_beat >= heartbeat.HEARTBEAT:
            self.tick()
        return self._running

    @running.setter
    def running(self, value: bool) -> None:
        self._running = value

    def tick(self) -> None:
        try:
            heartbeat.beat(self.worker_id, self.started_at)
            heartbeat.reap_lost_tasks()
        except DatabaseError as error:  # busy: the next turn tries again
            logger.warning("Heartbeat skipped: %s", error)
        else:
            self.last_beat = time.monotonic()

    def run(self) -> None:
        back_off = 1.0
        while self._running:
            try:
                super().run()
                break  # --batch or --max-tasks: done
            except DatabaseError as error:
                logger.warning("Database unavailable (%s): trying again in %.0f s", error, back_off)
                close_old_connections()
                time.sleep(back_off)
                back_off = min(back_off * 2, MAX_BACK_OFF)
        self.stop_beating()

    def run_task(self, db_task_result) -> None:
        """A long task (a yearly report) must not look like a dead worker: a thread beats
        while it runs."""
        done = threading.Event()

        def beat_while_running() -> None:
            try:
                while not done.wait(heartbeat.HEARTBEAT):
                    try:
                        heartbeat.beat(self.worker_id, self.started_at)
                    except DatabaseError as error:
                        logger.warning("Heartbeat skipped: %s", error)
            finally:
                connection.close()  # the thread's own connection

        beating = threading.Thread(target=beat_while_running, daemon=True)
        beating.start()
        try:
            super().run_task(db_task_result)
        finally:
            done.set()
            beating.join()

    def stop_beating(self) -> None:
        # If the database is away, the worker is taken for dead after DEAD_AFTER: no harm, its
        # tasks are finished.
        with contextlib.suppress(DatabaseError):
            heartbeat.forget(self.worker_id)


class Command(db_worker.Command):
    help = db_worker.Command.help + " (with a heartbeat, and retries when the database is busy)"

    def handle(self, *args, **options) -> None:
        # The library builds its Worker by name inside handle(): use ours.
        original = db_worker.Worker
        db_worker.Worker = Worker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
