"""The whole Drive flow against a fake Google on 127.0.0.1 and a real Celery worker."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hotgigs.auth.models import Role
from hotgigs.config import get_settings
from hotgigs.db import new_session, utcnow
from hotgigs.drive import flows as drive_flows
from hotgigs.drive import service as drive_service
from hotgigs.drive.models import DriveConnection, DriveSync
from hotgigs.resumes.models import Resume
from tests.support import documents
from tests.support.fake_google import FakeGoogle
from tests.support.processes import start_test_worker, stop_gracefully, wait_for
from tests.support.sample_resumes import sample_resume

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def google() -> Iterator[FakeGoogle]:
    """A fake Google, and this run's settings (here and in the worker) pointed at it."""
    with FakeGoogle() as fake:
        values = {
            "GOOGLE_CLIENT_ID": fake.client_id,
            "GOOGLE_CLIENT_SECRET": fake.client_secret,
            "GOOGLE_AUTH_URL": f"{fake.url}/o/oauth2/v2/auth",
            "GOOGLE_TOKEN_URL": f"{fake.url}/token",
            "GOOGLE_REVOKE_URL": f"{fake.url}/revoke",
            "GOOGLE_DRIVE_API_URL": f"{fake.url}/drive/v3",
        }
        os.environ.update(values)
        get_settings.cache_clear()
        try:
            yield fake
        finally:
            for key in values:
                os.environ.pop(key, None)
            get_settings.cache_clear()


@pytest.fixture(scope="module")
def drive_worker(google: FakeGoogle, tmp_path_factory) -> Iterator[None]:
    """A real worker that reaches the fake Google too."""
    log = tmp_path_factory.mktemp("drive-worker") / "worker.log"
    process = start_test_worker(log)
    try:
        wait_for(lambda: " ready." in log.read_text(), timeout=60, what="the worker")
        yield
    finally:
        stop_gracefully(process)


def connect(client: TestClient, headers: dict, google: FakeGoogle) -> None:
    """Follow the consent URL as a browser would, then hand the callback to the API."""
    url = client.get("/api/google-drive/auth/url", headers=headers).json()["url"]
    consent = httpx.get(url, follow_redirects=False)
    assert consent.status_code == 302
    back = urlparse(consent.headers["Location"])
    assert back.path == "/api/google-drive/auth/callback"
    query = {key: values[0] for key, values in parse_qs(back.query).items()}
    answer = client.get(back.path, params={"code": query["code"], "state": query["state"]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["connected"] is True


def finished_run(client: TestClient, finished, headers: dict, sync_id: str, runs: int) -> dict:
    """Wait for the sync's `runs`-th run to finish and its resumes to be processed."""

    def done():
        detail = client.get(f"/api/google-drive/syncs/{sync_id}", headers=headers).json()
        if len(detail["runs"]) >= runs and detail["runs"][0]["status"] != "running":
            return detail["runs"][0]
        return None

    run = wait_for(done, timeout=90, what=f"run {runs} of the sync")
    report = client.get(f"/api/google-drive/syncs/{sync_id}/runs/{run['id']}", headers=headers)
    body = report.json()
    for item in body["items"]:
        if item["resume_id"] and item["outcome"] in ("imported", "updated"):
            finished(headers, item["resume_id"], timeout=90)
    return body


def outcomes(report: dict) -> dict[str, str]:
    return {item["name"]: item["outcome"] for item in report["items"]}


def told_of_run(client: TestClient, headers: dict, sync_id: str, run_id: str) -> dict:
    """The one notification of a run (sent once its imports are processed), and the run's
    record as it stands then; the owner's center holds nothing else about the run."""

    def told():
        center = client.get("/api/notifications", headers=headers).json()["items"]
        about = [n for n in center if n["data"].get("run_id") == run_id]
        return about or None

    (notification,) = wait_for(told, timeout=90, what=f"the notification of run {run_id}")
    assert notification["type"] == "drive_sync_completed"
    run = client.get(f"/api/google-drive/syncs/{sync_id}/runs/{run_id}", headers=headers).json()
    counted = {outcome: 0 for outcome in ("imported", "updated", "skipped", "failed", "deleted")}
    for item in run["items"]:
        counted[item["outcome"]] += 1
    # One computation: the notification, the run history and the file report agree.
    assert {key: notification["data"][key] for key in counted} == counted
    assert {key: run[key] for key in counted} == counted
    return notification


@pytest.mark.usefixtures("drive_worker")
@pytest.mark.worker
def test_connect_set_up_sync_and_keep_in_step(
    client: TestClient, auth_headers, finished, google: FakeGoogle
) -> None:
    headers = auth_headers(Role.RECRUITER)
    assert (
        client.post(
            "/api/google-drive/setup", json={"folder": "x" * 20}, headers=headers
        ).status_code
        == 404
    )  # not connected yet
    connect(client, headers, google)
    with new_session() as session:
        stored = session.scalars(select(DriveConnection)).one()
        assert "access_token" not in stored.token_ciphertext  # encrypted at rest

    folder = google.add_folder("Resumes")
    sub = google.add_folder("2026", parent=folder)
    ada = google.add_file("ada.pdf", documents.make_pdf(sample_resume()), PDF, folder)
    google.add_file(
        "li.docx",
        documents.make_docx(
            sample_resume(name="Li Wei", email="li@x.org", phone="+44 20 7946 0958")
        ),
        DOCX,
        folder,
    )
    old = google.add_file(
        "old.txt",
        documents.make_txt(
            sample_resume(name="Old Timer", email="old@x.org", phone="+1 212 555 0199")
        ),
        "text/plain",
        folder,
    )
    google.add_google_doc(
        "Sam Doc",
        "\n".join(sample_resume(name="Sam Rivera", email="sam@x.org", phone="+1 312 555 0177")),
        folder,
    )
    google.add_file("photo.png", b"\x89PNG not a resume", "image/png", folder)
    google.add_file("broken.pdf", documents.make_truncated_pdf(), PDF, folder)
    google.add_file(
        "pria.txt",  # a look-alike of ada.pdf's Priya Raman: a possible duplicate
        documents.make_txt(
            sample_resume(name="Pria Raman", email="pria@x.org", phone="+1 303 555 0122")
        ),
        "text/plain",
        folder,
    )
    google.add_file(
        "deep.txt",
        documents.make_txt(
            sample_resume(name="Deep Down", email="deep@x.org", phone="+1 303 555 0111")
        ),
        "text/plain",
        sub,
    )
    setup = client.post(
        "/api/google-drive/setup",
        json={"folder": f"https://drive.google.com/drive/folders/{folder}", "frequency": "daily"},
        headers=headers,
    )
    assert setup.status_code == 201, setup.text
    sync_id = setup.json()["id"]
    assert setup.json()["folder_name"] == "Resumes"

    run_id = finished_run(client, finished, headers, sync_id, runs=1)["id"]
    notice = told_of_run(client, headers, sync_id, run_id)
    first = client.get(f"/api/google-drive/syncs/{sync_id}/runs/{run_id}", headers=headers).json()
    assert outcomes(first) == {
        "ada.pdf": "imported",
        "li.docx": "imported",
        "old.txt": "imported",
        "Sam Doc": "imported",
        "pria.txt": "imported",
        "photo.png": "skipped",
        "broken.pdf": "failed",  # submitted, then it could not be read: the report says so
    }  # not recursive: the subfolder is left alone
    assert (first["imported"], first["skipped"], first["failed"]) == (5, 1, 1)
    broken = next(i for i in first["items"] if i["name"] == "broken.pdf")
    assert broken["reason"] and broken["resume_id"]
    candidates = client.get("/api/resumes/candidates", headers=headers).json()
    assert {c["full_name"] for c in candidates["items"]} >= {"Priya Raman", "Li Wei", "Sam Rivera"}
    ada_resume = next(i for i in first["items"] if i["name"] == "ada.pdf")["resume_id"]
    (flag,) = client.get("/api/resumes/duplicates", headers=headers).json()["items"]
    assert (notice["data"]["duplicates"], notice["data"]["candidate_id"]) == (
        1,
        flag["candidate_id"],
    )
    assert notice["title"] == (
        "Drive sync finished: 5 imported, 1 unchanged, 1 failed; 1 possible duplicate to review"
    )
    # One notice for the run: none for each file or each new candidate.
    center = client.get("/api/notifications", headers=headers).json()
    assert [n["type"] for n in center["items"]] == ["drive_sync_completed"]

    # A new file, a changed one and a deleted one; Drive rate-limits and the token expired.
    google.add_file(
        "new.txt",
        documents.make_txt(
            sample_resume(name="New Person", email="new@x.org", phone="+1 415 555 0100")
        ),
        "text/plain",
        folder,
    )
    google.change_file(ada, documents.make_pdf(sample_resume(title="Principal Data Engineer")))
    google.delete_file(old)
    google.expire_access_tokens()
    google.fail_next("/drive/v3/files", 429, times=2)
    google.fail_next("alt=media", 503)  # a download fails once, then succeeds
    downloads_before = len(google.downloads)
    queued = client.post(f"/api/google-drive/syncs/{sync_id}/sync", headers=headers)
    assert queued.status_code == 202
    second = finished_run(client, finished, headers, sync_id, runs=2)
    assert outcomes(second) == {
        "ada.pdf": "updated",
        "li.docx": "skipped",
        "Sam Doc": "skipped",
        "pria.txt": "skipped",
        "photo.png": "skipped",
        "broken.pdf": "skipped",
        "new.txt": "imported",
        "old.txt": "deleted",
    }
    again = told_of_run(client, headers, sync_id, second["id"])
    assert again["title"] == (
        "Drive sync finished: 1 imported, 1 updated, 5 unchanged, 0 failed, 1 removed"
    )
    assert len(google.downloads) - downloads_before == 2  # only the new and the changed file
    assert google.refreshes >= 1
    with new_session() as session:
        versions = session.scalars(
            select(Resume.candidate_id).where(
                Resume.id.in_(
                    [
                        uuid.UUID(ada_resume),
                        uuid.UUID(
                            next(i for i in second["items"] if i["name"] == "ada.pdf")["resume_id"]
                        ),
                    ]
                )
            )
        ).all()
    assert len(versions) == 2 and versions[0] == versions[1]  # a new version, same candidate


@pytest.mark.usefixtures("drive_worker")
def test_pause_stops_the_schedule_and_runs_never_overlap(
    client: TestClient, auth_headers, finished, google: FakeGoogle
) -> None:
    headers = auth_headers(Role.RECRUITER)
    connect(client, headers, google)
    folder = google.add_folder("Empty")
    sync_id = client.post(
        "/api/google-drive/setup", json={"folder": folder, "frequency": "weekly"}, headers=headers
    ).json()["id"]
    finished_run(client, finished, headers, sync_id, runs=1)
    assert (
        client.post(f"/api/google-drive/syncs/{sync_id}/pause", headers=headers).json()["status"]
        == "paused"
    )
    with new_session() as session:
        sync = session.get(DriveSync, uuid.UUID(sync_id))
        sync.next_run_at = utcnow() - timedelta(minutes=1)
        session.commit()
        assert drive_service.due_syncs(session, now=utcnow()) == []
        assert drive_flows.run_sync(sync.id, trigger="schedule") is None  # paused: no run
        resumed = client.post(f"/api/google-drive/syncs/{sync_id}/resume", headers=headers).json()
        assert resumed["status"] == "active"
        session.refresh(sync)
        assert sync.next_run_at > utcnow() + timedelta(days=6)
        run = drive_service.start_run(session, sync=sync, trigger="manual")
        with pytest.raises(drive_service.AlreadyRunning):
            drive_service.start_run(session, sync=sync, trigger="manual")
        assert (
            client.post(f"/api/google-drive/syncs/{sync_id}/sync", headers=headers).status_code
            == 409
        )
        drive_service.finish_run(session, sync=sync, run=run, error=None)
    history = client.get(f"/api/google-drive/syncs/{sync_id}/runs", headers=headers).json()
    assert len(history) == 2
    other = auth_headers(Role.RECRUITER)
    assert client.get(f"/api/google-drive/syncs/{sync_id}", headers=other).status_code == 404
    assert client.delete(f"/api/google-drive/syncs/{sync_id}", headers=headers).status_code == 204
    assert client.delete("/api/google-drive/connection", headers=headers).status_code == 204
    assert google.revoked


def test_bad_setups_are_refused_with_a_reason(client: TestClient, auth_headers, google) -> None:
    from hotgigs.background import celery_app

    headers = auth_headers(Role.RECRUITER)
    connect(client, headers, google)
    a_file = google.add_file("cv.pdf", b"%PDF-1.4", PDF)
    for folder, status in (("../../etc/passwd", 422), ("' or 1=1 --", 422), (a_file, 422)):
        answer = client.post("/api/google-drive/setup", json={"folder": folder}, headers=headers)
        assert answer.status_code == status, answer.text
    assert (
        client.post(
            "/api/google-drive/setup",
            json={"folder": google.add_folder("x"), "frequency": "hourly"},
            headers=headers,
        ).status_code
        == 422
    )
    assert client.get("/api/google-drive/syncs", headers=headers).json()["total"] == 0
    assert (
        client.get("/api/google-drive/auth/url", headers=auth_headers(Role.CANDIDATE)).status_code
        == 403
    )
    schedule = celery_app.conf.beat_schedule["run-due-drive-syncs"]
    assert schedule["task"] == "hotgigs.drive.run_due_syncs"


@pytest.mark.worker
def test_a_wrong_or_reused_state_is_refused(client: TestClient, auth_headers, google) -> None:
    headers = auth_headers(Role.RECRUITER)
    url = client.get("/api/google-drive/auth/url", headers=headers).json()["url"]
    back = parse_qs(urlparse(httpx.get(url).headers["Location"]).query)
    code, state = back["code"][0], back["state"][0]
    wrong = client.get("/api/google-drive/auth/callback", params={"code": code, "state": "forged"})
    assert wrong.status_code == 422
    assert "state" in wrong.json()["detail"]
    ok = client.get("/api/google-drive/auth/callback", params={"code": code, "state": state})
    assert ok.status_code == 200
    again = client.get("/api/google-drive/auth/callback", params={"code": code, "state": state})
    assert again.status_code == 422
