"""The stranded-resume sweep leaves alone what a live worker holds (own module: no other
worker may be running to take the task instead)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotgigs.auth.models import Role
from hotgigs.background import DEFAULT_QUEUE, celery_app
from hotgigs.db import session_scope
from hotgigs.health.service import check_queue
from hotgigs.resumes import flows as resumes_flows
from hotgigs.resumes.models import Resume, ResumeStatus
from hotgigs.resumes.tasks import requeue_stranded
from tests.support.processes import kill_group, start_test_worker, wait_for

pytestmark = pytest.mark.worker  # starts real processes of its own


def test_a_resume_a_live_worker_holds_is_not_queued_twice(
    tmp_path: Path, make_user, recorded_resume
) -> None:
    """Idle as long as you like: while a live worker holds its task, the sweep leaves it."""
    user = make_user(Role.RECRUITER)
    marker = tmp_path / "parsing-started"
    # A lease long enough that only the worker's hold keeps the task out of the queue.
    env = {"HOTGIGS_TEST_SLOW_PARSE": str(marker), "QUEUE_VISIBILITY_TIMEOUT": "600"}
    stalled = start_test_worker(tmp_path / "stalled.log", env=env)
    try:
        resume_id = recorded_resume(user)
        resumes_flows.enqueue(resume_id)
        wait_for(marker.exists, timeout=60, what="the worker to start parsing")
        assert check_queue(celery_app, queue_name=DEFAULT_QUEUE)["waiting"] == 0
        assert requeue_stranded(idle_seconds=0) == 0
        with session_scope() as session:
            assert session.get(Resume, resume_id).status is ResumeStatus.PARSING
    finally:
        kill_group(stalled)
