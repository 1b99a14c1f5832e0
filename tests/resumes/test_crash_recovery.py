"""Workers SIGKILLed in the middle of a 100-resume bulk import: each resume completes once."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from hotgigs.auth.models import Role
from hotgigs.candidates.models import Candidate, DuplicateFlag
from hotgigs.db import session_scope
from hotgigs.notifications.models import Notification
from hotgigs.notifications.types import NotificationType
from hotgigs.resumes.models import FINISHED, Resume, ResumeStatus
from hotgigs.resumes.tasks import requeue_stranded
from tests.support.people import people, resume_files
from tests.support.processes import kill_group, start_test_worker, stop_gracefully, wait_for

pytestmark = pytest.mark.worker  # starts real processes of its own

COUNT = 100
BATCH = 50  # the default BULK_UPLOAD_LIMIT: two requests
WORKING = (ResumeStatus.EXTRACTING, ResumeStatus.PARSING, ResumeStatus.INDEXING)


def count_resumes(*statuses: ResumeStatus) -> int:
    """How many resumes are in one of `statuses`."""
    with session_scope() as session:
        query = select(func.count()).select_from(Resume).where(Resume.status.in_(statuses))
        return session.scalar(query)


def interrupted_resumes() -> set[uuid.UUID]:
    """Resumes a worker had begun and not finished (right after it was killed)."""
    with session_scope() as session:
        return set(session.scalars(select(Resume.id).where(Resume.status.in_(WORKING))))


def notifications_about(kind: NotificationType) -> Counter[uuid.UUID]:
    """How many notifications of `kind` each subject got."""
    with session_scope() as session:
        query = select(Notification.subject_id).where(Notification.type == kind.value)
        return Counter(session.scalars(query))


class Sweeps:
    """Runs the scheduler's stranded-resume sweep every few seconds, as Beat would."""

    EVERY_SECONDS = 5.0

    def __init__(self) -> None:
        self.last = time.monotonic()

    def as_scheduled(self) -> bool:
        """Sweep when one is due (on Redis a kill can drop a task in flight); always True."""
        if time.monotonic() - self.last >= self.EVERY_SECONDS:
            requeue_stranded()
            self.last = time.monotonic()
        return True


def test_sigkilled_workers_during_a_bulk_import_lose_and_duplicate_nothing(
    tmp_path: Path, client: TestClient, auth_headers
) -> None:
    headers = auth_headers(Role.RECRUITER)
    files = resume_files(COUNT)
    workers = [start_test_worker(tmp_path / "first.log")]
    interrupted: set[uuid.UUID] = set()
    try:
        batch_ids = []
        for start in range(0, COUNT, BATCH):
            chunk = files[start : start + BATCH]
            response = client.post(
                "/api/resumes/bulk-upload",
                headers=headers,
                files=[("files", (name, data, "application/octet-stream")) for name, data in chunk],
            )
            assert response.status_code == 202, response.text
            assert response.json()["accepted"] == BATCH
            batch_ids.append(uuid.UUID(response.json()["batch_id"]))

        # First kill: wherever the worker happens to be once a third is filed.
        wait_for(
            lambda: count_resumes(ResumeStatus.COMPLETED) >= COUNT // 3,
            timeout=90,
            what="a third of the import to complete",
        )
        kill_group(workers[0])
        interrupted |= interrupted_resumes()

        # Second kill: a worker that stalls in its first parse, so a resume is surely mid-way.
        marker = tmp_path / "parsing-started"
        workers.append(
            start_test_worker(
                tmp_path / "stalled.log", env={"HOTGIGS_TEST_SLOW_PARSE": str(marker)}
            )
        )
        wait_for(marker.exists, timeout=60, what="the second worker to start parsing")
        kill_group(workers[1])
        stalled = interrupted_resumes()
        assert stalled, "the stalled worker's resume should be mid-way"
        interrupted |= stalled
        left = COUNT - count_resumes(*FINISHED)
        assert left > 0, "the kills should have come before the end of the import"

        workers.append(start_test_worker(tmp_path / "healthy.log"))
        sweeps = Sweeps()
        wait_for(
            lambda: (
                sweeps.as_scheduled()
                and len(notifications_about(NotificationType.BULK_UPLOAD_COMPLETED)) == 2
            ),
            timeout=120,
            what="both batches to finish after the restart",
        )
    finally:
        for worker in workers[:-1]:
            kill_group(worker)
        stop_gracefully(workers[-1])

    with session_scope() as session:
        resumes = list(session.scalars(select(Resume)))
        candidates = list(session.scalars(select(Candidate)))
        flags = session.scalar(select(func.count()).select_from(DuplicateFlag))
    failures = {r.original_filename: r.error for r in resumes if r.status != "completed"}
    assert not failures
    assert len(resumes) == COUNT
    # One profile a person: no resume filed twice, none merged into another person's.
    assert len({r.candidate_id for r in resumes}) == COUNT
    assert len(candidates) == COUNT
    assert {c.email for c in candidates} == {person.email for person in people(COUNT)}
    assert flags == 0
    # Every resume begun before a kill was run again.
    attempts = {r.id: r.attempts for r in resumes}
    assert all(attempts[resume_id] >= 2 for resume_id in interrupted)
    # Each resume's completion goes live exactly once; the user is told of each batch
    # exactly once, with every file in it, and of no file or new profile on its own.
    assert notifications_about(NotificationType.RESUME_COMPLETED) == Counter(attempts.keys())
    assert notifications_about(NotificationType.BULK_UPLOAD_COMPLETED) == Counter(batch_ids)
    with session_scope() as session:
        told = session.scalars(
            select(Notification).where(
                Notification.type == NotificationType.BULK_UPLOAD_COMPLETED.value
            )
        ).all()
        kept = session.scalar(select(func.count()).where(Notification.in_app))
    assert [(n.data["completed"], n.data["candidates"]) for n in told] == [(BATCH, BATCH)] * 2
    assert kept == len(batch_ids)
    assert not notifications_about(NotificationType.CANDIDATE_ADDED)
    assert not notifications_about(NotificationType.CANDIDATE_DUPLICATE_FLAGGED)


def test_a_resume_whose_task_was_lost_is_queued_again_and_completes_once(
    worker, make_user, login, finished, recorded_resume
) -> None:
    user = make_user(Role.RECRUITER)
    headers = {"Authorization": f"Bearer {login(user)['access_token']}"}
    # Recorded as queued, but its message is gone: as when Redis hands it to a worker that is
    # SIGKILLed before kombu records it as unacknowledged.
    resume_id = recorded_resume(user)

    # The scheduled sweep acts once the queue is empty (an earlier test may have left work).
    wait_for(lambda: requeue_stranded(idle_seconds=0), timeout=60, what="the stranded resume")
    done = finished(headers, str(resume_id), timeout=60)
    assert done["status"] == "completed"
    assert done["attempts"] == 1
    assert requeue_stranded(idle_seconds=0) == 0
    assert notifications_about(NotificationType.RESUME_COMPLETED) == Counter([resume_id])
