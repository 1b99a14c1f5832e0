"""A worker killed while processing a resume loses nothing: the resume completes once."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from hotgigs.auth.models import Role
from hotgigs.candidates.models import Candidate
from hotgigs.db import session_scope
from hotgigs.notifications.models import Notification
from tests.support import documents
from tests.support.processes import kill_group, start_test_worker, stop_gracefully, wait_for
from tests.support.sample_resumes import sample_resume

pytestmark = pytest.mark.worker  # starts real processes of its own


def test_sigkilled_worker_mid_parse_is_redelivered_and_completes_once(
    tmp_path: Path, client: TestClient, auth_headers, upload, finished
) -> None:
    headers = auth_headers(Role.RECRUITER)
    marker = tmp_path / "parsing-started"
    stalled = start_test_worker(
        tmp_path / "stalled.log", env={"HOTGIGS_TEST_SLOW_PARSE": str(marker)}
    )
    healthy = None
    try:
        resume_id = upload(headers, documents.make_pdf(sample_resume())).json()["resume_id"]
        wait_for(marker.exists, timeout=60, what="the first worker to start parsing")
        status = client.get(f"/api/resumes/{resume_id}/status", headers=headers).json()
        assert status["status"] == "parsing"

        kill_group(stalled)  # SIGKILL mid-task: no acknowledgement, no clean-up
        healthy = start_test_worker(tmp_path / "healthy.log")
        done = finished(headers, resume_id, timeout=90)
        assert done["status"] == "completed"
        assert done["attempts"] == 2
    finally:
        kill_group(stalled)
        if healthy is not None:
            stop_gracefully(healthy)
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Candidate)) == 1
        completed_events = session.scalar(
            select(func.count()).where(Notification.type == "resume_completed")
        )
        assert completed_events == 1
