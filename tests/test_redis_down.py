"""Redis down: work that needs the queue gets a clear 503 at once; everything else still works.

A real `hotgigs api` runs against a private Redis (queue and notification bus) that the test
kills and starts again; the database is the run's own, so the test can also file a resume.

What a user gets when the queue is down: the upload answers 503 ("try again shortly") and
nothing of that file is kept, so sending it again later is an ordinary upload. A bulk upload
keeps the files queued before Redis went away (sending the batch again reports them as
duplicates) and keeps nothing of the others. Edits and job postings are saved; only their
background rematch is skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hotgigs.auth.models import Role
from hotgigs.errors import QUEUE_UNAVAILABLE
from hotgigs.resumes import flows as resumes_flows
from tests.conftest import PASSWORD
from tests.support.http_api import bulk_upload, running_api, sign_in, upload
from tests.support.people import people, resume_files
from tests.support.services import PrivateRedis, private_redis

pytestmark = pytest.mark.worker  # starts real processes of its own


@pytest.fixture
def redis_server() -> Iterator[PrivateRedis]:
    """A private Redis the test may kill."""
    with private_redis() as server:
        yield server


@pytest.fixture
def api(tmp_path: Path, redis_server: PrivateRedis, make_user) -> Iterator[httpx.Client]:
    """A client signed in as a recruiter to a `hotgigs api` whose queue is the private Redis."""
    with running_api(tmp_path / "api.log", env={"REDIS_URL": redis_server.url}) as http:
        sign_in(http, make_user(Role.RECRUITER).email, PASSWORD)
        yield http


def resume_ids(http: httpx.Client) -> set[str]:
    """Every resume the caller has."""
    return {item["resume_id"] for item in http.get("/api/resumes").json()["items"]}


def test_queued_work_answers_503_while_redis_is_down_and_nothing_else_breaks(
    api: httpx.Client, redis_server: PrivateRedis
) -> None:
    files = resume_files(5)
    kept = upload(api, files[0])
    assert kept.status_code == 202, kept.text
    kept_id = kept.json()["resume_id"]
    # Filed in this process (no worker listens on the private Redis): a profile to look at.
    resumes_flows.process(uuid.UUID(kept_id))
    candidate_id = api.get(f"/api/resumes/{kept_id}/status").json()["candidate_id"]

    redis_server.kill()
    for _ in range(2):  # the second attempt once waited 19 s, then failed for good
        refused = upload(api, files[1])
        assert refused.status_code == 503, refused.text
        assert refused.json() == {"detail": QUEUE_UNAVAILABLE}
        assert refused.headers["Retry-After"]
    refused_bulk = bulk_upload(api, files[2:])
    assert refused_bulk.status_code == 503, refused_bulk.text
    assert refused_bulk.json() == {"detail": QUEUE_UNAVAILABLE}
    assert resume_ids(api) == {kept_id}  # nothing half-recorded of the refused files

    # Reading needs no queue: status, profiles, search and health keep answering.
    assert api.get(f"/api/resumes/{kept_id}/status").json()["status"] == "completed"
    profile = api.get(f"/api/resumes/candidates/{candidate_id}")
    assert profile.status_code == 200
    assert profile.json()["email"] == people(1)[0].email
    found = api.get("/api/resumes/candidates", params={"q": people(1)[0].name})
    assert [item["id"] for item in found.json()["items"]] == [candidate_id]
    health = api.get("/api/health").json()
    assert health["status"] == "degraded"
    assert health["queue"]["status"] == "down"
    # Changes that would only queue a rematch are saved and answered; matching catches up.
    edited = api.patch(f"/api/resumes/candidates/{candidate_id}", json={"headline": "Lead"})
    assert edited.status_code == 200, edited.text
    posted = api.post("/api/jobs", json={"title": "Data engineer", "description": "Python, SQL"})
    assert posted.status_code == 201, posted.text
    # An explicit request for matching is queued work: 503.
    rematch = api.post(f"/api/matching/jobs/{posted.json()['id']}/rematch")
    assert rematch.status_code == 503 and rematch.json() == {"detail": QUEUE_UNAVAILABLE}

    redis_server.start()
    again = upload(api, files[1])
    assert again.status_code == 202, again.text
    assert again.json()["duplicate"] is False
    bulk = bulk_upload(api, files[2:])
    assert bulk.status_code == 202, bulk.text
    assert bulk.json()["accepted"] == 3
    assert resume_ids(api) == {
        kept_id,
        again.json()["resume_id"],
        *(item["resume_id"] for item in bulk.json()["items"]),
    }
