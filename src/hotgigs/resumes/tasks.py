"""The resumes domain's background tasks: one resume's import and the stranded-resume sweep
(loaded by workers only; flows queue them by name through :mod:`hotgigs.background`)."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy.exc import OperationalError

from hotgigs.background import DEFAULT_QUEUE, PROCESS_RESUME, celery_app, held_task_arguments
from hotgigs.config import get_settings
from hotgigs.db import session_scope, utcnow
from hotgigs.health import service as health_service
from hotgigs.resumes import flows as resumes_flows
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.storage import StorageUnavailable

log = logging.getLogger(__name__)


# Tasks whose results nobody reads say so (ignore_result): with a Redis result store,
# sending a task that keeps its result subscribes the sender to the result channel, and
# Celery gives up on that subscription for good ("must be restarted") if Redis goes away.


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
