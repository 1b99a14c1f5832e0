"""Matching on a real Celery worker: after an upload, after posting a job, on request."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hotgigs.auth.models import Role
from hotgigs.db import new_session
from hotgigs.matching.models import Match
from hotgigs.notifications.models import Notification
from tests.matching.test_matching_api import JAVA_JOB, JAVA_SENIOR, TEACHER
from tests.support.processes import wait_for

pytestmark = pytest.mark.usefixtures("worker")


def upload_text(client: TestClient, headers: dict, text: str, name: str) -> str:
    """Upload a text resume and wait for the worker to finish it; returns the candidate id."""
    response = client.post(
        "/api/resumes/upload", headers=headers, files={"file": (name, text.encode(), "text/plain")}
    )
    assert response.status_code in (200, 201, 202), response.text
    resume_id = response.json()["resume_id"]

    def done():
        body = client.get(f"/api/resumes/{resume_id}/status", headers=headers).json()
        return body if body["status"] in ("completed", "failed") else None

    status = wait_for(done, timeout=120, what="the resume to be processed")
    assert status["status"] == "completed", status
    return status["candidate_id"]


def matches_of(client: TestClient, headers: dict, job_id: str, at_least: int) -> list[dict]:
    """The job's matches once the worker has stored at least `at_least` of them."""

    def ready():
        items = client.get(f"/api/matching/jobs/{job_id}/matches", headers=headers).json()["items"]
        return items if len(items) >= at_least else None

    return wait_for(ready, timeout=120, what=f"{at_least} matches for job {job_id}")


def test_an_upload_is_matched_against_open_jobs_and_announced(
    client: TestClient, make_user, login
) -> None:
    recruiter = make_user(Role.RECRUITER)
    headers = {"Authorization": f"Bearer {login(recruiter)['access_token']}"}
    job = client.post("/api/jobs", json=JAVA_JOB, headers=headers).json()
    candidate_id = upload_text(client, headers, JAVA_SENIOR, "ravi.txt")
    # the import queued the candidate's matching: no rematch was asked for
    items = matches_of(client, headers, job["id"], at_least=1)
    assert [m["candidate_id"] for m in items] == [candidate_id]
    match = items[0]
    assert match["score"] >= 75
    with new_session() as session:
        found = session.scalars(
            select(Notification).where(
                Notification.type == "match_found", Notification.user_id == recruiter.id
            )
        ).all()
    assert [e.data["match_id"] for e in found] == [match["id"]]
    assert found[0].data["candidate_id"] == candidate_id


def test_posting_a_job_matches_existing_candidates_in_the_background(
    client: TestClient, auth_headers
) -> None:
    headers = auth_headers(Role.RECRUITER)
    senior = upload_text(client, headers, JAVA_SENIOR, "ravi.txt")
    upload_text(client, headers, TEACHER, "mary.txt")
    job = client.post("/api/jobs", json=JAVA_JOB, headers=headers).json()
    items = matches_of(client, headers, job["id"], at_least=1)
    assert items[0]["candidate_id"] == senior


def test_rematch_routes_run_on_the_worker(client: TestClient, auth_headers) -> None:
    headers = auth_headers(Role.RECRUITER)
    job = client.post(
        "/api/jobs", json={**JAVA_JOB, "required_skills": ["Haskell"]}, headers=headers
    ).json()
    candidate_id = upload_text(client, headers, JAVA_SENIOR, "ravi.txt")
    before = client.get(f"/api/matching/jobs/{job['id']}/matches", headers=headers).json()
    changed = client.patch(
        f"/api/jobs/{job['id']}", json={"required_skills": ["Java"]}, headers=headers
    )
    assert changed.status_code == 200
    queued = client.post(f"/api/matching/jobs/{job['id']}/rematch", headers=headers)
    assert queued.status_code == 202
    assert queued.json()["task_id"]

    def improved():
        items = client.get(f"/api/matching/jobs/{job['id']}/matches", headers=headers).json()
        scores = [i["score"] for i in items["items"]]
        old = [i["score"] for i in before["items"]]
        return scores if scores and (not old or scores[0] > old[0]) else None

    wait_for(improved, timeout=120, what="the rematch to raise the score")
    again = client.post(f"/api/matching/candidates/{candidate_id}/rematch", headers=headers)
    assert again.status_code == 202


def test_sharing_matches_the_candidate_for_the_recipients_jobs_and_revoking_undoes_it(
    client: TestClient, make_user, login
) -> None:
    owner, recipient = make_user(Role.RECRUITER), make_user(Role.RECRUITER)
    owner_headers = {"Authorization": f"Bearer {login(owner)['access_token']}"}
    headers = {"Authorization": f"Bearer {login(recipient)['access_token']}"}
    candidate_id = upload_text(client, owner_headers, JAVA_SENIOR, "ravi.txt")
    job = client.post("/api/jobs", json=JAVA_JOB, headers=headers).json()
    shared = client.post(
        f"/api/resumes/candidates/{candidate_id}/shares",
        json={"recruiter_id": str(recipient.id), "permission": "view"},
        headers=owner_headers,
    )
    assert shared.status_code == 201
    items = matches_of(client, headers, job["id"], at_least=1)
    assert [i["candidate_id"] for i in items] == [candidate_id]
    revoked = client.delete(
        f"/api/resumes/candidates/{candidate_id}/shares/{shared.json()['id']}",
        headers=owner_headers,
    )
    assert revoked.status_code == 204

    def gone():
        with new_session() as session:
            rows = session.scalars(select(Match).where(Match.job_id == uuid.UUID(job["id"])))
            return not rows.all()

    wait_for(gone, timeout=120, what="the revoked candidate's match to go")
