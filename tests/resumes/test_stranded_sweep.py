"""The stranded-resume sweep leaves alone what a live worker holds (own module: no other
worker may be running to take the task instead)."""

from __future__ import annotations

from pathlib import Path

from hotgigs.auth.models import Role
from hotgigs.config import Settings
from hotgigs.db import session_scope
from hotgigs.health.service import check_queue
from hotgigs.resumes import flows as resumes_flows
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.models import Resume, ResumeSource, ResumeStatus
from hotgigs.resumes.storage import get_store
from hotgigs.worker import DEFAULT_QUEUE, celery_app, requeue_stranded
from tests.support.people import resume_files
from tests.support.processes import kill_group, start_test_worker, wait_for


def test_a_resume_a_live_worker_holds_is_not_queued_twice(
    tmp_path: Path, settings: Settings, make_user
) -> None:
    """Idle as long as you like: while a live worker holds its task, the sweep leaves it."""
    user = make_user(Role.RECRUITER)
    marker = tmp_path / "parsing-started"
    stalled = start_test_worker(
        tmp_path / "stalled.log", env={"HOTGIGS_TEST_SLOW_PARSE": str(marker)}
    )
    try:
        name, data = resume_files(1)[0]
        with session_scope() as session:
            resume_id = resumes_service.accept_upload(
                session,
                settings=settings,
                store=get_store(settings),
                uploader=user,
                data=data,
                filename=name,
                source=ResumeSource.UPLOAD,
            ).resume.id
        resumes_flows.enqueue(resume_id)
        wait_for(marker.exists, timeout=60, what="the worker to start parsing")
        assert check_queue(celery_app, queue_name=DEFAULT_QUEUE)["waiting"] == 0
        assert requeue_stranded(idle_seconds=0) == 0
        with session_scope() as session:
            assert session.get(Resume, resume_id).status is ResumeStatus.PARSING
    finally:
        kill_group(stalled)
