"""The worker process: it loads every domain's tasks and connects the worker's signals.

Only workers (and the scheduler) load this module. The app, its configuration, the beat
table and the task names are in :mod:`hotgigs.background`; each task lives in its domain's
``tasks.py`` as a thin wrapper that takes ids and runs the domain's flow or service.
"""

from __future__ import annotations

import logging
import os
import threading
from types import ModuleType
from typing import Any

from celery import bootsteps, signals

from hotgigs.auth import tasks as auth_tasks
from hotgigs.background import REQUEST_ID_TASK_HEADER, celery_app
from hotgigs.candidates import tasks as candidates_tasks
from hotgigs.config import get_settings
from hotgigs.db import dispose_engine, session_scope
from hotgigs.drive import tasks as drive_tasks
from hotgigs.health import service as health_service
from hotgigs.health import tasks as health_tasks
from hotgigs.logs import configure_logging, request_id
from hotgigs.matching import tasks as matching_tasks
from hotgigs.notifications import tasks as notifications_tasks
from hotgigs.resumes import tasks as resumes_tasks

__all__ = ["TASK_MODULES", "celery_app"]

log = logging.getLogger(__name__)

# Every domain's tasks: importing them registers them with the app under their names. A new
# domain `tasks.py` is imported above and listed here (tests/test_worker.py checks both).
TASK_MODULES: tuple[ModuleType, ...] = (
    auth_tasks,
    candidates_tasks,
    drive_tasks,
    health_tasks,
    matching_tasks,
    notifications_tasks,
    resumes_tasks,
)


class SweepStrandedOnConnect(bootsteps.StartStopStep):
    """Each time the worker (re)connects to the queue, look for resumes whose task was lost."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, parent: Any) -> None:
        """Queue the sweep; a queue that answers took the connection, so it can take this."""
        try:
            resumes_tasks.requeue_stranded.delay()
        except Exception:  # the broker went away again: the scheduled sweep remains
            log.warning("could not queue the stranded-resume sweep", exc_info=True)


celery_app.steps["consumer"].add(SweepStrandedOnConnect)


class _Heartbeat:
    """A background thread in the worker's main process that keeps its heartbeat row fresh."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.hostname = ""

    def start(self, hostname: str) -> None:
        """Begin beating under the worker's node name."""
        self.hostname = hostname
        self.thread = threading.Thread(target=self._run, name="hotgigs-heartbeat", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        """Record a beat every WORKER_HEARTBEAT_SECONDS until told to stop."""
        interval = get_settings().worker_heartbeat_seconds
        while True:
            try:
                with session_scope() as session:
                    health_service.record_heartbeat(
                        session, hostname=self.hostname, pid=os.getpid()
                    )
            except Exception:  # a missed beat must never kill the worker
                log.exception("could not record worker heartbeat")
            if self.stop.wait(interval):
                return

    def finish(self) -> None:
        """Stop beating and remove the row, so health shows the worker gone at once."""
        if self.thread is None:
            return
        self.stop.set()
        self.thread.join(timeout=5)
        with session_scope() as session:
            health_service.forget_worker(session, hostname=self.hostname)


_heartbeat = _Heartbeat()


@signals.worker_ready.connect
def _start_heartbeat(sender: Any, **_kwargs: Any) -> None:
    """The worker is consuming: start its heartbeat."""
    _heartbeat.start(sender.hostname)


@signals.worker_shutdown.connect
def _stop_heartbeat(**_kwargs: Any) -> None:
    """The worker is stopping: stop its heartbeat and remove its row."""
    _heartbeat.finish()


@signals.worker_process_init.connect
def _fresh_connections_after_fork(**_kwargs: Any) -> None:
    """Connections inherited from the parent must not be shared with a forked child."""
    dispose_engine()


@signals.setup_logging.connect
def _log_like_the_api(**_kwargs: Any) -> None:
    """With a receiver here Celery leaves logging to us: JSON lines with request ids."""
    configure_logging(get_settings())


@signals.task_prerun.connect
def _take_the_request_id(task: Any, task_id: str, **_kwargs: Any) -> None:
    """Log a task under the id of the request that queued it (else its own id)."""
    request_id.set(getattr(task.request, REQUEST_ID_TASK_HEADER, None) or task_id)
