"""Changing a sync after set-up (PUT), and one way of counting a run's files on every page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.models import Role, User
from hotgigs.config import get_settings
from hotgigs.db import new_session, utcnow
from hotgigs.drive import service as drive_service
from hotgigs.drive.models import (
    DriveRunItem,
    DriveSync,
    DriveSyncRun,
    FileOutcome,
    Frequency,
    RunStatus,
    SyncStatus,
)
from hotgigs.main import create_app
from tests.conftest import PASSWORD
from tests.web.conftest import SAME_ORIGIN

LAST_RUN = timedelta(hours=5)


def add_sync(owner: User, **fields: Any) -> uuid.UUID:
    """A daily sync that last ran five hours ago."""
    last = utcnow() - LAST_RUN
    values = {
        "folder_id": f"folder-{uuid.uuid4().hex[:8]}",
        "folder_name": "Resumes 2026",
        "frequency": Frequency.DAILY,
        "status": SyncStatus.ACTIVE,
        "last_run_at": last,
        "next_run_at": last + timedelta(days=1),
        **fields,
    }
    with new_session() as session:
        sync = DriveSync(owner_id=owner.id, **values)
        session.add(sync)
        session.commit()
        return sync.id


def stored(sync_id: uuid.UUID) -> DriveSync:
    """The sync as the database has it now."""
    with new_session() as session:
        sync = session.get(DriveSync, sync_id)
        session.expunge(sync)
        return sync


def at(value: str | None) -> datetime | None:
    """A time from the API."""
    return datetime.fromisoformat(value) if value else None


@pytest.fixture
def google_configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An OAuth client is set (the /drive page shows syncs only then); no call reaches Google."""
    monkeypatch.setenv("GOOGLE_CLIENT_ID", "client-id")
    monkeypatch.setenv("GOOGLE_CLIENT_SECRET", "client-secret")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_the_owner_renames_a_sync(client: TestClient, make_user, bearer_headers) -> None:
    owner = make_user(Role.RECRUITER)
    sync_id = add_sync(owner)
    before = stored(sync_id)
    answer = client.put(
        f"/api/google-drive/syncs/{sync_id}",
        json={"folder_name": "  Java developers 2026  "},
        headers=bearer_headers(owner),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["folder_name"] == "Java developers 2026"
    assert body["frequency"] == "daily"
    after = stored(sync_id)
    assert after.folder_name == "Java developers 2026"
    assert after.folder_id == before.folder_id  # the same folder, shown by another name
    assert after.next_run_at == before.next_run_at  # a rename leaves the schedule alone
    detail = client.get(f"/api/google-drive/syncs/{sync_id}", headers=bearer_headers(owner)).json()
    assert detail["folder_name"] == "Java developers 2026"


def test_a_new_frequency_moves_the_next_run(client: TestClient, make_user, bearer_headers) -> None:
    owner = make_user(Role.RECRUITER)
    auth = bearer_headers(owner)
    sync_id = add_sync(owner)
    last = stored(sync_id).last_run_at
    url = f"/api/google-drive/syncs/{sync_id}"

    weekly = client.put(url, json={"frequency": "weekly"}, headers=auth).json()
    assert weekly["frequency"] == "weekly"
    assert at(weekly["next_run_at"]) == last + timedelta(days=7)
    manual = client.put(url, json={"frequency": "manual", "folder_name": "Both"}, headers=auth)
    assert manual.json()["frequency"] == "manual" and manual.json()["next_run_at"] is None
    assert manual.json()["folder_name"] == "Both"
    daily = client.put(url, json={"frequency": "daily"}, headers=auth).json()
    assert at(daily["next_run_at"]) == last + timedelta(days=1)

    # Never run: the first interval counts from now.
    fresh = add_sync(owner, last_run_at=None, next_run_at=None)
    start = utcnow()
    answer = client.put(
        f"/api/google-drive/syncs/{fresh}", json={"frequency": "weekly"}, headers=auth
    )
    assert at(answer.json()["next_run_at"]) >= start + timedelta(days=7)
    # Paused: rescheduled when resumed, not now.
    paused = add_sync(owner, status=SyncStatus.PAUSED, next_run_at=None)
    answer = client.put(
        f"/api/google-drive/syncs/{paused}", json={"frequency": "weekly"}, headers=auth
    )
    assert answer.json()["next_run_at"] is None and answer.json()["frequency"] == "weekly"


@pytest.mark.parametrize(
    "body",
    [
        {"frequency": "hourly"},
        {"frequency": ""},
        {"folder_name": "   "},
        {"folder_name": "x" * 501},
        {"folder_id": "another-folder"},
        {},
    ],
)
def test_invalid_changes_are_refused(client: TestClient, make_user, bearer_headers, body) -> None:
    owner = make_user(Role.RECRUITER)
    sync_id = add_sync(owner)
    answer = client.put(
        f"/api/google-drive/syncs/{sync_id}", json=body, headers=bearer_headers(owner)
    )
    assert answer.status_code == 422, answer.text
    after = stored(sync_id)
    assert (after.folder_name, after.frequency) == ("Resumes 2026", Frequency.DAILY)


def test_only_the_owner_may_change_a_sync(client: TestClient, make_user, bearer_headers) -> None:
    owner = make_user(Role.RECRUITER)
    sync_id = add_sync(owner)
    url = f"/api/google-drive/syncs/{sync_id}"
    change = {"folder_name": "Mine now", "frequency": "manual"}
    other = client.put(url, json=change, headers=bearer_headers(make_user(Role.RECRUITER)))
    assert other.status_code == 404  # another recruiter's sync does not exist for them
    missing = client.put(
        f"/api/google-drive/syncs/{uuid.uuid4()}", json=change, headers=bearer_headers(owner)
    )
    assert missing.status_code == 404
    admin = client.put(url, json=change, headers=bearer_headers(make_user(Role.ADMIN)))
    assert admin.status_code == 403  # admins see every sync but change only their own
    assert (
        client.put(url, json=change, headers=bearer_headers(make_user(Role.CANDIDATE))).status_code
        == 403
    )
    assert client.put(url, json=change).status_code == 401
    assert stored(sync_id).folder_name == "Resumes 2026"


def add_runs(sync_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """An older run and a latest one that imported, updated, skipped, failed and removed files."""
    counts = {"imported": 2, "updated": 1, "skipped": 3, "failed": 1, "deleted": 1}
    with new_session() as session:
        older = DriveSyncRun(
            sync_id=sync_id,
            trigger="setup",
            status=RunStatus.COMPLETED,
            started_at=utcnow() - timedelta(days=1),
            finished_at=utcnow() - timedelta(days=1),
            **counts,
        )
        latest = DriveSyncRun(
            sync_id=sync_id,
            trigger="manual",
            status=RunStatus.COMPLETED,
            started_at=utcnow(),
            finished_at=utcnow(),
            **counts,
        )
        session.add_all([older, latest])
        session.flush()
        for outcome in FileOutcome:
            for n in range(counts[outcome.value]):
                session.add(
                    DriveRunItem(
                        run_id=latest.id,
                        file_id=f"{outcome.value}-{n}",
                        name=f"{outcome.value}-{n}.pdf",
                        outcome=outcome,
                    )
                )
        session.commit()
        return older.id, latest.id


def test_run_counts_name_every_outcome_once() -> None:
    run = DriveSyncRun(imported=2, updated=1, skipped=3, failed=1, deleted=1)
    counts = drive_service.run_counts(run)
    assert [(c.outcome, c.label, c.count) for c in counts] == [
        ("imported", "imported", 2),
        ("updated", "updated", 1),
        ("skipped", "unchanged", 3),
        ("failed", "failed", 1),
        ("deleted", "removed", 1),
    ]


def text_of(html: str) -> str:
    """The words of some HTML."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


SUMMARY = "2 imported · 1 updated · 3 unchanged · 1 failed · 1 removed"


@pytest.mark.usefixtures("google_configured")
def test_history_and_report_count_a_runs_files_the_same_way(make_user) -> None:
    owner = make_user(Role.RECRUITER)
    sync_id = add_sync(owner)
    _older, latest = add_runs(sync_id)
    with TestClient(create_app(), follow_redirects=False) as page:
        signed_in = page.post(
            "/login", data={"email": owner.email, "password": PASSWORD}, headers=SAME_ORIGIN
        )
        assert signed_in.status_code == 303
        report = page.get(f"/drive/syncs/{sync_id}", params={"run": str(latest)}).text
        figures = text_of(re.search(r'<ul class="counts".*?</ul>', report, re.S)[0])
        assert figures == SUMMARY.replace(" · ", " ")
        files = re.findall(r'<tr data-outcome="(\w+)">', report)
        assert len(files) == 8 and files.count("imported") == 2 and files.count("updated") == 1
        history = re.search(r'<ul class="list run-list">.*?</ul>', report, re.S)[0]
        assert text_of(history).count(SUMMARY) == 2  # both runs, counted like the report

        drive = page.get("/drive").text
        card = re.search(
            rf'<article class="card sync" data-sync="{sync_id}".*?</article>', drive, re.S
        )[0]
        assert text_of(re.search(r'<ul class="counts".*?</ul>', card, re.S)[0]) == figures
        earlier = re.search(r'<table class="runs-table">.*?</table>', card, re.S)[0]
        assert SUMMARY in text_of(earlier)
        # The card offers the edit form, filled with the sync's name and frequency.
        form = re.search(r"<form [^>]*data-sync-edit.*?</form>", card, re.S)[0]
        assert f'data-api="/api/google-drive/syncs/{sync_id}" data-method="PUT"' in form
        assert 'value="Resumes 2026"' in form
        assert '<option value="daily" selected>' in form
        assert 'aria-label="Edit Resumes 2026"' in card
