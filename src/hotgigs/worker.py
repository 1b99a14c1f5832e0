"""The background tasks (thin wrappers that take ids) and the worker's signals; only workers
load this module (the app and the task names are in :mod:`hotgigs.background`)."""

from __future__ import annotations

import logging
import os
import threading
import uuid
from datetime import timedelta
from typing import Any

from celery import bootsteps, signals
from sqlalchemy.exc import IntegrityError, OperationalError

from hotgigs.auth import service as auth_service
from hotgigs.background import (
    DEFAULT_QUEUE,
    PROCESS_RESUME,
    REMATCH_CANDIDATE,
    REMATCH_JOB,
    REQUEST_ID_TASK_HEADER,
    RUN_DRIVE_SYNC,
    celery_app,
    held_task_arguments,
)
from hotgigs.candidates import flows as candidates_flows
from hotgigs.config import get_settings
from hotgigs.db import dispose_engine, session_scope, utcnow
from hotgigs.drive import flows as drive_flows
from hotgigs.health import service as health_service
from hotgigs.logs import configure_logging, request_id
from hotgigs.matching import rematch as match_rematch
from hotgigs.notifications import service as notifications_service
from hotgigs.resumes import flows as resumes_flows
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.storage import StorageUnavailable, get_store

log = logging.getLogger(__name__)


# Tasks whose results nobody reads say so (ignore_result): with a Redis result store,
# sending a task that keeps its result subscribes the sender to the result channel, and
# Celery gives up on that subscription for good ("must be restarted") if Redis goes away.


@celery_app.task(name="hotgigs.ping")
def ping() -> dict[str, Any]:
    """Prove a worker is consuming and can reach the database."""
    with session_scope() as session:
        database = health_service.check_database(session)
    return {"pong": True, "pid": os.getpid(), "database": database["status"]}


@celery_app.task(name="hotgigs.auth.purge_expired_tokens")
def purge_expired_tokens() -> int:
    """Scheduled clean-up of expired refresh tokens."""
    with session_scope() as session:
        return auth_service.purge_expired_tokens(session)


@celery_app.task(name="hotgigs.drive.run_due_syncs")
def run_due_drive_syncs() -> int:
    """Scheduled: queue a run of every active Drive sync that is due."""
    return drive_flows.run_due()


@celery_app.task(name=RUN_DRIVE_SYNC, ignore_result=True)
def run_drive_sync(sync_id: str, trigger: str) -> str | None:
    """One run of a Drive folder sync (a run already in progress is not started twice)."""
    run_id = drive_flows.run_sync(uuid.UUID(sync_id), trigger=trigger)
    return str(run_id) if run_id else None


@celery_app.task(name="hotgigs.notifications.prune")
def prune_notifications() -> int:
    """Scheduled removal of day-old progress messages and long-read notifications."""
    with session_scope() as session:
        return notifications_service.prune(session)


@celery_app.task(name="hotgigs.candidates.enforce_retention")
def enforce_retention() -> int:
    """Scheduled erasure of candidates untouched for RETENTION_MONTHS; a no-op when it is 0."""
    settings = get_settings()
    if not settings.retention_months:
        return 0
    with session_scope() as session:
        erased = candidates_flows.enforce_retention(
            session, months=settings.retention_months, store=get_store(settings), dry_run=False
        )
    return len(erased)


@celery_app.task(
    name=PROCESS_RESUME,
    ignore_result=True,
    # The database or the file store is unreachable (restart, failover): try again, backing
    # off to a minute between tries, for about ten minutes in all, instead of failing it.
    autoretry_for=(OperationalError, StorageUnavailable),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=15,
)
def process_resume(resume_id: str) -> str | None:
    """Extract, parse and file one uploaded resume."""
    status = resumes_flows.process(uuid.UUID(resume_id))
    return status.value if status else None


@celery_app.task(name="hotgigs.resumes.requeue_stranded", ignore_result=True)
def requeue_stranded(idle_seconds: float | None = None) -> int:
    """Safety net: queue again the resumes whose task was lost; returns how many.

    A task is lost when Redis hands it to a worker that dies before kombu records it as
    unacknowledged, or when a broker comes back without it. A resume counts as lost only
    when nothing waits in the queue (so its task is not waiting its turn), no worker holds
    its task (running or prefetched; what a gone worker held is back in the queue after the
    consumer timeout) and it has made no progress for twice that timeout.
    """
    settings = get_settings()
    idle = idle_seconds if idle_seconds is not None else 2 * settings.queue_consumer_timeout
    with session_scope() as session:
        idle_ones = resumes_service.stranded(session, idle_since=utcnow() - timedelta(seconds=idle))
    if not idle_ones or not _queue_is_empty():
        return 0
    held = held_task_arguments(PROCESS_RESUME)
    if not _queue_is_empty():  # a gone worker's tasks came back meanwhile
        return 0
    lost = [resume_id for resume_id in idle_ones if str(resume_id) not in held]
    for resume_id in lost:
        log.warning("resume %s lost its task; queueing it again", resume_id)
        resumes_flows.enqueue(resume_id)
    return len(lost)


def _queue_is_empty() -> bool:
    """Whether no task waits in the default queue (a broker that does not answer: unknown)."""
    return health_service.check_queue(celery_app, queue_name=DEFAULT_QUEUE).get("waiting") == 0


@celery_app.task(
    name=REMATCH_JOB,
    ignore_result=True,
    # A rematch racing another over the same pair (a redelivery) retries and updates it.
    autoretry_for=(OperationalError, IntegrityError),
    retry_backoff=True,
    max_retries=5,
)
def rematch_job(job_id: str) -> int:
    """Score every candidate the job's owner may see; returns how many matches were kept."""
    with session_scope() as session:
        return match_rematch.rematch_job(session, job_id=uuid.UUID(job_id), settings=get_settings())


@celery_app.task(
    name=REMATCH_CANDIDATE,
    ignore_result=True,
    # A rematch racing another over the same pair (a redelivery) retries and updates it.
    autoretry_for=(OperationalError, IntegrityError),
    retry_backoff=True,
    max_retries=5,
)
def rematch_candidate(candidate_id: str) -> int:
    """Score one candidate against the open jobs that may consider it."""
    with session_scope() as session:
        return match_rematch.rematch_candidate(
            session, candidate_id=uuid.UUID(candidate_id), settings=get_settings()
        )


class SweepStrandedOnConnect(bootsteps.StartStopStep):
    """Each time the worker (re)connects to the queue, look for resumes whose task was lost."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, parent: Any) -> None:
        """Queue the sweep; a queue that answers took the connection, so it can take this."""
        try:
            requeue_stranded.delay()
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
def _start_heartbeat(sender, **_kwargs) -> None:
    _heartbeat.start(sender.hostname)


@signals.worker_shutdown.connect
def _stop_heartbeat(**_kwargs) -> None:
    _heartbeat.finish()


@signals.worker_process_init.connect
def _fresh_connections_after_fork(**_kwargs) -> None:
    # Connections inherited from the parent must not be shared with a forked child.
    dispose_engine()


@signals.setup_logging.connect
def _log_like_the_api(**_kwargs) -> None:
    # With a receiver here Celery leaves logging to us: JSON lines with request ids.
    configure_logging(get_settings())


@signals.task_prerun.connect
def _take_the_request_id(task, task_id: str, **_kwargs) -> None:
    request_id.set(getattr(task.request, REQUEST_ID_TASK_HEADER, None) or task_id)
