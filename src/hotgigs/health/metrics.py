"""Prometheus metrics: requests and latencies as they happen, the rest read at scrape time.

Under `hotgigs serve` each API process keeps its metrics in files (PROMETHEUS_MULTIPROC_DIR,
set before prometheus_client is imported) and a scrape adds up every process's.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from sqlalchemy.orm import Session

from hotgigs.health import service as health_service

CONTENT_TYPE = CONTENT_TYPE_LATEST
# `_created` timestamps double the output and no dashboard of ours reads them.
disable_created_metrics()
# Our own registry: the process-wide default one also carries Python's collectors, and
# tests build many apps in one process.
registry = CollectorRegistry()
# Latency buckets around the 300 ms target the load benchmark checks.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)

requests_total = Counter(
    "hotgigs_http_requests",
    "HTTP requests answered by the API, by route template and status.",
    ["method", "route", "status"],
    registry=registry,
)
request_seconds = Histogram(
    "hotgigs_http_request_duration_seconds",
    "Time to answer an HTTP request in the API, by route template.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
    registry=registry,
)
queue_depth = Gauge(
    "hotgigs_queue_depth",
    "Tasks waiting in the job queue (-1 when the queue cannot be reached).",
    ["queue"],
    registry=registry,
    multiprocess_mode="mostrecent",
)
resumes = Gauge(
    "hotgigs_resumes",
    "Imported resumes by status, across every process.",
    ["status"],
    registry=registry,
    multiprocess_mode="mostrecent",
)
workers_alive = Gauge(
    "hotgigs_workers_alive",
    "Background workers whose heartbeat is recent.",
    registry=registry,
    multiprocess_mode="mostrecent",
)
websocket_connections = Gauge(
    "hotgigs_websocket_connections",
    "Notification sockets open on the API (every live process).",
    registry=registry,
    multiprocess_mode="livesum",
)


def observe_request(*, method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    requests_total.labels(method, route, str(status)).inc()
    request_seconds.labels(method, route).observe(seconds)


def _every_process() -> CollectorRegistry:
    """What a scrape renders: every API process's metrics when they keep them in files."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return registry
    merged = CollectorRegistry()
    multiprocess.MultiProcessCollector(merged, path=directory)
    return merged


def exposition(session: Session, *, celery_app, queue_name: str, heartbeat_seconds: float) -> bytes:
    """Read the shared state (queue, resumes, workers) and render every metric as text."""
    queue = health_service.check_queue(celery_app, queue_name=queue_name)
    queue_depth.labels(queue_name).set(queue["waiting"] if queue["status"] == "ok" else -1)
    for status, count in health_service.resume_counts(session).items():
        resumes.labels(status).set(count)
    workers = health_service.check_workers(session, heartbeat_seconds=heartbeat_seconds)
    workers_alive.set(workers.get("alive", 0))
    return generate_latest(_every_process())
