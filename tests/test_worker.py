"""Celery through a real worker process, on whichever broker the run is configured for."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hotgigs.background import celery_app
from hotgigs.config import get_settings
from hotgigs.db import session_scope
from hotgigs.health.models import WorkerHeartbeat
from hotgigs.health.tasks import ping
from tests.support.processes import kill_group, start, start_test_worker, wait_for

pytestmark = pytest.mark.worker  # starts real processes of its own


def worker_alive() -> bool:
    with session_scope() as session:
        return session.scalar(select(WorkerHeartbeat.hostname)) is not None


@pytest.fixture
def worker_process(tmp_path: Path) -> Iterator:
    """A real `hotgigs worker` process, stopped after the test."""
    process = start(["worker", "--concurrency", "1"], log=tmp_path / "worker.log")
    try:
        wait_for(worker_alive, timeout=60, what="the worker's first heartbeat")
        yield process
    finally:
        kill_group(process)


def test_killed_worker_task_is_delivered_again_and_completes(tmp_path: Path) -> None:
    from tests.support.celery_tasks import record_and_sleep

    marker = tmp_path / "runs.txt"
    first = start_test_worker(tmp_path / "first.log")
    second = None
    try:
        result = record_and_sleep.delay(str(marker), 2.0)
        wait_for(marker.exists, timeout=60, what="the task to start")
        kill_group(first)  # SIGKILL: no chance to acknowledge or give the task back
        second = start_test_worker(tmp_path / "second.log")
        assert result.get(timeout=90) == "done"
        runs = marker.read_text().splitlines()
        assert len(runs) == 2, runs  # ran once, was killed, ran again to completion
    finally:
        kill_group(first)
        if second is not None:
            kill_group(second)


def test_a_killed_workers_task_goes_to_another_worker_once_it_is_silent(tmp_path: Path) -> None:
    """With a 10-minute visibility timeout, the task of a SIGKILLed worker runs again as
    soon as the worker has been silent for the consumer timeout (3 s here)."""
    from tests.support.celery_tasks import record_and_sleep

    env = {"QUEUE_VISIBILITY_TIMEOUT": "600", "QUEUE_CONSUMER_TIMEOUT": "3"}
    marker = tmp_path / "runs.txt"
    first = start_test_worker(tmp_path / "first.log", env=env)
    second = None
    try:
        result = record_and_sleep.delay(str(marker), 1.0)
        wait_for(marker.exists, timeout=60, what="the task to start")
        kill_group(first)
        killed_at = time.monotonic()
        second = start_test_worker(tmp_path / "second.log", env=env)
        assert result.get(timeout=90) == "done"
        assert time.monotonic() - killed_at < 45  # the lease had 600 s to run
        assert len(marker.read_text().splitlines()) == 2
    finally:
        kill_group(first)
        if second is not None:
            kill_group(second)


def test_the_worker_loads_every_domains_tasks_under_their_names() -> None:
    """Each domain's tasks.py is listed for the worker; each queued or scheduled name has one."""
    import hotgigs
    from hotgigs import background, worker

    package = Path(hotgigs.__file__).parent
    on_disk = {f"hotgigs.{path.parent.name}.tasks" for path in package.glob("*/tasks.py")}
    assert {module.__name__ for module in worker.TASK_MODULES} == on_disk
    queued = {
        background.PROCESS_RESUME,
        background.REMATCH_JOB,
        background.REMATCH_CANDIDATE,
        background.RUN_DRIVE_SYNC,
        "hotgigs.ping",
    }
    scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert queued | scheduled <= set(celery_app.tasks)


def test_settings_pick_the_broker(settings) -> None:
    expected = "redis" if settings.redis_url else "hgsql"
    assert celery_app.conf.broker_url.startswith(expected)
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True


def test_task_runs_in_a_real_worker(worker_process) -> None:
    result = ping.delay().get(timeout=60)
    assert result["pong"] is True
    assert result["database"] == "ok"
    assert result["pid"] != worker_process.pid  # ran in a pool child, not in the test


def test_health_is_green_with_a_worker_and_shows_it_gone_after_stop(
    worker_process, client: TestClient
) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok", body
    assert body["database"]["status"] == body["queue"]["status"] == "ok"
    assert body["worker"]["alive"] == 1

    worker_process.send_signal(signal.SIGTERM)
    worker_process.wait(timeout=60)
    assert worker_process.returncode == 0
    after = client.get("/api/health")
    assert after.status_code == 200
    assert after.json()["status"] == "degraded"
    assert after.json()["worker"]["status"] == "down"


def test_health_without_worker_is_degraded_not_failed(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["worker"]["status"] == "down"
    assert body["database"]["status"] == "ok"
    assert body["queue"]["status"] == "ok"
    assert get_settings().enable_resume_import is body["features"]["resume_import"]
