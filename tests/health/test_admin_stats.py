"""`GET /api/admin/stats`: the admin overview's figures match what exists."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from hotgigs.auth.models import Role
from hotgigs.candidates.models import Candidate
from hotgigs.db import new_session, utcnow
from hotgigs.drive.models import DriveSync, DriveSyncRun, Frequency, RunStatus, SyncStatus
from hotgigs.jobs.models import Job, JobStatus
from hotgigs.resumes.models import Resume, ResumeSource, ResumeStatus


def _resume(owner_id, status: ResumeStatus, n: int) -> Resume:
    """A resume row in a given state (the file itself is not needed for counting)."""
    return Resume(
        owner_id=owner_id,
        original_filename=f"cv-{n}.pdf",
        file_kind="pdf",
        content_type="application/pdf",
        size_bytes=10,
        file_sha256=f"{n:064x}",
        source=ResumeSource.UPLOAD,
        status=status,
    )


def test_stats_count_what_exists(client: TestClient, make_user, auth_headers) -> None:
    admin = auth_headers(Role.ADMIN)  # one admin
    owner = make_user(Role.RECRUITER)
    make_user(Role.RECRUITER)
    make_user(Role.CANDIDATE)
    with new_session() as session:
        session.add_all(Candidate(owner_id=owner.id, full_name=f"C {i}") for i in range(3))
        statuses = [ResumeStatus.COMPLETED] * 3 + [ResumeStatus.FAILED, ResumeStatus.QUEUED]
        session.add_all(_resume(owner.id, status, n) for n, status in enumerate(statuses))
        session.add_all(
            Job(owner_id=owner.id, title=f"Job {i}", description="d", status=status)
            for i, status in enumerate([JobStatus.OPEN, JobStatus.OPEN, JobStatus.CLOSED])
        )
        good, bad, paused = (
            DriveSync(
                owner_id=owner.id,
                folder_id=f"f{i}",
                folder_name=f"F{i}",
                frequency=Frequency.DAILY,
                status=status,
            )
            for i, status in enumerate([SyncStatus.ACTIVE, SyncStatus.ACTIVE, SyncStatus.PAUSED])
        )
        session.add_all([good, bad, paused])
        session.flush()
        bad.running_run_id = bad.id  # a run in progress
        earlier = utcnow() - timedelta(hours=2)
        session.add_all(
            [
                # The good sync failed once long ago, then succeeded with one failed file.
                DriveSyncRun(
                    sync_id=good.id, trigger="setup", status=RunStatus.FAILED, started_at=earlier
                ),
                DriveSyncRun(
                    sync_id=good.id,
                    trigger="manual",
                    status=RunStatus.COMPLETED,
                    failed=1,
                    started_at=utcnow(),
                ),
                DriveSyncRun(
                    sync_id=bad.id,
                    trigger="setup",
                    status=RunStatus.FAILED,
                    failed=2,
                    started_at=earlier,
                ),
                DriveSyncRun(
                    sync_id=bad.id, trigger="manual", status=RunStatus.RUNNING, started_at=utcnow()
                ),
            ]
        )
        session.commit()

    answer = client.get("/api/admin/stats", headers=admin)
    assert answer.status_code == 200, answer.text
    stats = answer.json()
    assert stats["candidates"] == {"total": 3}
    assert stats["resumes"]["total"] == 5
    assert stats["resumes"]["by_status"] == {
        "queued": 1,
        "extracting": 0,
        "parsing": 0,
        "indexing": 0,
        "completed": 3,
        "failed": 1,
    }
    assert stats["users"]["by_role"] == {"candidate": 1, "recruiter": 2, "admin": 1}
    assert (stats["users"]["total"], stats["users"]["active"]) == (4, 4)
    assert (stats["jobs"]["open"], stats["jobs"]["closed"], stats["jobs"]["total"]) == (2, 1, 3)
    assert stats["drive"] == {
        "total": 3,
        "active": 2,
        "paused": 1,
        "running": 1,
        "last_run_failed": 1,  # the bad sync's latest finished run
        "last_run_failed_files": 3,  # 1 in the good sync's latest run, 2 in the bad one's
    }
    assert stats["queue"]["status"] == "ok" and stats["queue"]["waiting"] >= 0
    assert stats["workers"]["status"] in {"ok", "down"}


def test_stats_are_for_admins_only(client: TestClient, auth_headers) -> None:
    assert client.get("/api/admin/stats").status_code == 401
    for role in (Role.RECRUITER, Role.CANDIDATE):
        assert client.get("/api/admin/stats", headers=auth_headers(role)).status_code == 403


def test_empty_site_has_zero_counts(client: TestClient, auth_headers) -> None:
    stats = client.get("/api/admin/stats", headers=auth_headers(Role.ADMIN)).json()
    assert stats["candidates"]["total"] == 0
    assert set(stats["resumes"]["by_status"].values()) == {0}
    assert stats["drive"]["total"] == 0 and stats["drive"]["last_run_failed"] == 0
