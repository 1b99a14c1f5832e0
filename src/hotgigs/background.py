"""The Celery app and the names of the background tasks: queueing work without loading it.

Flows, routers and health checks queue tasks by name through :func:`enqueue`; the tasks
themselves live in each domain's ``tasks.py`` (``hotgigs.resumes.tasks``, ...), which only
:mod:`hotgigs.worker` loads, so a process that queues work never loads the flows they run.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

from celery import Celery, signals
from celery.schedules import crontab

import hotgigs.broker  # noqa: F401  (registers the `hgsql` transport used in embedded mode)
from hotgigs.config import Settings, get_settings
from hotgigs.logs import request_id

# The tasks other code queues, by name.
PROCESS_RESUME = "hotgigs.resumes.process"
REMATCH_JOB = "hotgigs.matching.rematch_job"
REMATCH_CANDIDATE = "hotgigs.matching.rematch_candidate"
RUN_DRIVE_SYNC = "hotgigs.drive.run_sync"
# The header that carries the id of the request that queued a task.
REQUEST_ID_TASK_HEADER = "hotgigs_request_id"

DEFAULT_QUEUE = "hotgigs"
# Rematching has a queue of its own, so imports never wait behind it: `serve` runs one
# worker for each queue (a cold matching model takes seconds to load; an import, ms).
MATCHING_QUEUE = "hotgigs.matching"
QUEUES = (DEFAULT_QUEUE, MATCHING_QUEUE)
# Seconds a broker connect or command may take before it counts as down.
QUEUE_SOCKET_TIMEOUT = 2.0
# One quick retry of a failed publish (a dropped connection), then give up.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_max": 0.5}


def celery_config(settings: Settings) -> dict[str, Any]:
    """Celery settings for embedded (SQLite queue) or scale-out (Redis) mode."""
    transport_options: dict[str, Any] = {
        "visibility_timeout": settings.queue_visibility_timeout,
        # A worker that is gone (killed, cut off) is known within this: what it held comes
        # back then, not after the visibility timeout.
        "consumer_timeout": settings.queue_consumer_timeout,
    }
    config: dict[str, Any] = {
        "broker_url": settings.broker_url,
        "result_backend": settings.result_backend_url,
        "task_default_queue": DEFAULT_QUEUE,
        "task_routes": {
            name: {"queue": MATCHING_QUEUE} for name in (REMATCH_JOB, REMATCH_CANDIDATE)
        },
        # Acknowledge after the task ran, so a killed worker's task is delivered again.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # Each pool process keeps a few tasks in hand: the SQL queue is polled, and with one
        # a pool process idles up to a polling interval between tasks (19 vs 200 tasks/s
        # measured by bench/queue_roundtrip.py; imports 637 vs 839 a minute by
        # bench/import_throughput.py). What a gone worker held, running or prefetched, comes
        # back after the consumer timeout however much it was.
        "worker_prefetch_multiplier": 4,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_expires": timedelta(days=1),
        "timezone": "UTC",
        "enable_utc": True,
        "worker_concurrency": settings.worker_concurrency,
        "broker_connection_retry_on_startup": True,
        # A request that queues work answers 503 after a few seconds when the broker is
        # down, instead of retrying the publish for as long as Celery's defaults allow.
        "broker_connection_timeout": QUEUE_SOCKET_TIMEOUT,
        "task_publish_retry_policy": PUBLISH_RETRY_POLICY,
        "beat_schedule_filename": str(settings.hotgigs_home / "celerybeat-schedule"),
        "beat_schedule": {
            "purge-expired-refresh-tokens": {
                "task": "hotgigs.auth.purge_expired_tokens",
                "schedule": crontab(hour=3, minute=17),
            },
            "enforce-candidate-retention": {
                "task": "hotgigs.candidates.enforce_retention",
                "schedule": crontab(hour=3, minute=47),
            },
            "run-due-drive-syncs": {
                "task": "hotgigs.drive.run_due_syncs",
                "schedule": timedelta(minutes=1),
            },
            "requeue-stranded-resumes": {
                "task": "hotgigs.resumes.requeue_stranded",
                "schedule": timedelta(minutes=1),
            },
            "prune-notifications": {
                "task": "hotgigs.notifications.prune",
                "schedule": crontab(hour=4, minute=7),
            },
        },
    }
    if settings.redis_url:
        # kombu's Redis transport, plus a holder for each delivered message (redis_broker.py).
        config["broker_transport"] = "hotgigs.redis_broker:Transport"
        transport_options["global_keyprefix"] = settings.redis_key_prefix
        # Without timeouts a publish to a Redis that stopped answering waits forever, and
        # the upload request with it; a refused or silent Redis now fails within seconds.
        transport_options["socket_timeout"] = QUEUE_SOCKET_TIMEOUT
        transport_options["socket_connect_timeout"] = QUEUE_SOCKET_TIMEOUT
        config["result_backend_transport_options"] = {"global_keyprefix": settings.redis_key_prefix}
        config["redis_socket_timeout"] = QUEUE_SOCKET_TIMEOUT
        config["redis_socket_connect_timeout"] = QUEUE_SOCKET_TIMEOUT
        # Redis sweeps for expired unacknowledged tasks every interval x throttle seconds
        # (100 s by default); sweep often enough that the visibility timeout means what it says.
        # Each sweep is also the worker's sign of life, a few of them per consumer timeout.
        transport_options["unacked_restore_interval"] = max(
            1.0,
            min(10, settings.queue_visibility_timeout / 4, settings.queue_consumer_timeout / 6),
        )
        transport_options["unacked_restore_throttle"] = 1
    else:
        # The SQL queue has no fan-out exchanges, which remote control and events need.
        config["worker_enable_remote_control"] = False
        config["worker_send_task_events"] = False
        settings.hotgigs_home.mkdir(parents=True, exist_ok=True)  # the results file lives there
    config["broker_transport_options"] = transport_options
    return config


celery_app = Celery("hotgigs")
celery_app.conf.update(celery_config(get_settings()))


def enqueue(task: str, *args: str) -> str:
    """Hand a task to the workers by name; returns its id. Raises when the queue is down.

    Nobody reads these tasks' results: with a Redis result store, sending a task whose result
    is kept subscribes the sender to the result channel, which Celery gives up on for good
    ("must be restarted") if Redis goes away.
    """
    return celery_app.send_task(task, args=list(args), ignore_result=True).id


def held_task_arguments(task_name: str) -> set[str]:
    """The first argument of each `task_name` task a worker holds and has not acknowledged."""
    with celery_app.connection_for_read() as connection:
        messages = connection.default_channel.held_messages()
    held = set()
    for message in messages:
        if message.get("headers", {}).get("task") != task_name:
            continue
        body = message["body"]
        if message.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        arguments = json.loads(body)[0]
        if arguments:
            held.add(str(arguments[0]))
    return held


@signals.before_task_publish.connect
def _pass_on_the_request_id(headers: dict, **_kwargs) -> None:
    # Here, where every process that queues work connects it: a task queued while answering
    # a request logs under that request's id.
    if (current := request_id.get()) is not None:
        headers.setdefault(REQUEST_ID_TASK_HEADER, current)
