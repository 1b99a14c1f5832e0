"""PostgreSQL restarted in the middle of an import: requests meanwhile get a clear 503, then
the API and the workers carry on by themselves and every resume completes.

The cluster is a private one made for this test (the shared server is never restarted). The
test runs in both passes: it needs no outside server, and the passes differ in the queue the
worker uses through the restart (the SQLite queue, or Redis when REDIS_URL is set).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hotgigs.errors import DATABASE_UNAVAILABLE
from tests.conftest import PASSWORD
from tests.support.http_api import bulk_upload, running_api, sign_in, upload
from tests.support.people import resume_files
from tests.support.processes import start, stop_gracefully, wait_for
from tests.support.services import PrivateCluster, private_postgres

pytestmark = pytest.mark.worker  # starts real processes of its own

COUNT = 20
FINISHED = {"completed", "failed"}


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    """A private PostgreSQL the test may restart."""
    with private_postgres() as server:
        yield server


@pytest.fixture
def stack(tmp_path: Path, cluster: PrivateCluster) -> Iterator[httpx.Client]:
    """`hotgigs api` and `hotgigs worker` on the private cluster; a recruiter's client."""
    env = {
        "DATABASE_URL": cluster.url,
        "HOTGIGS_HOME": str(tmp_path / "home"),
        # Under the run's prefix, so the run's clean-up removes these keys too.
        "REDIS_KEY_PREFIX": f"{os.environ['REDIS_KEY_PREFIX']}db-restart:",
        # Nothing is killed here, so no task needs handing out again soon; and matching
        # (queued after each import) skips the sentence model's slow first load.
        "QUEUE_VISIBILITY_TIMEOUT": "120",
        "MATCH_EMBEDDINGS": "tfidf",
    }
    email = "recruiter@example.com"
    for command in (["migrate"], ["users", "create", "--email", email, "--password", PASSWORD]):
        subprocess.run(
            [sys.executable, "-m", "hotgigs", *command],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
    worker = start(["worker", "--concurrency", "2"], log=tmp_path / "worker.log", env=env)
    try:
        with running_api(tmp_path / "api.log", env=env) as http:
            sign_in(http, email, PASSWORD)
            yield http
    finally:
        stop_gracefully(worker)


def statuses(http: httpx.Client) -> list[str]:
    """The status of each of the caller's resumes."""
    return [item["status"] for item in http.get("/api/resumes").json()["items"]]


def test_api_and_import_recover_from_a_postgresql_restart(
    stack: httpx.Client, cluster: PrivateCluster, tmp_path: Path
) -> None:
    files = resume_files(COUNT + 1)
    accepted = bulk_upload(stack, files[:COUNT])
    assert accepted.status_code == 202, accepted.text
    wait_for(
        lambda: statuses(stack).count("completed") >= COUNT // 5,
        timeout=120,
        what="the import to get going",
    )

    assert set(statuses(stack)) - FINISHED, "the restart should come before the end"

    cluster.stop()  # `fast`: every open connection of the API and the worker is cut
    for during in (stack.get("/api/resumes"), upload(stack, files[COUNT])):
        assert during.status_code == 503
        assert during.json() == {"detail": DATABASE_UNAVAILABLE}
    worker_log = tmp_path / "worker.log"
    wait_for(
        lambda: "retry: Retry in" in worker_log.read_text(),
        timeout=60,
        what="the worker to meet the outage and put a resume off for later",
    )
    cluster.start()

    # Nothing restarted on our side: the same processes answer and finish the import.
    done = wait_for(
        lambda: (found := statuses(stack)) and set(found) <= FINISHED and found,
        timeout=180,
        what="every resume to finish after the restart",
    )
    assert done == ["completed"] * COUNT
    assert stack.get("/api/resumes/candidates").json()["total"] == COUNT
    after = upload(stack, files[COUNT])
    assert after.status_code == 202, after.text
    resume_id = after.json()["resume_id"]
    status = wait_for(
        lambda: (
            (body := stack.get(f"/api/resumes/{resume_id}/status").json())["status"] in FINISHED
            and body
        ),
        timeout=60,
        what="an upload after the restart to finish",
    )
    assert status["status"] == "completed"
