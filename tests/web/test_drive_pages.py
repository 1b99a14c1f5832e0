"""The Google Drive pages in-process: set-up states, syncs and run reports, the OAuth return."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from hotgigs.auth.models import Role, User
from hotgigs.config import get_settings
from hotgigs.db import new_session, utcnow
from hotgigs.drive.models import (
    DriveRunItem,
    DriveSync,
    DriveSyncRun,
    FileOutcome,
    Frequency,
    RunStatus,
    SyncStatus,
)
from tests.support.fake_google import FakeGoogle

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def fake_google() -> Iterator[FakeGoogle]:
    """A fake Google on 127.0.0.1 for this module."""
    with FakeGoogle() as fake:
        yield fake


@pytest.fixture
def google(fake_google: FakeGoogle, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """This test's settings point Google at the fake (other tests see Google unconfigured)."""
    monkeypatch.setenv("GOOGLE_CLIENT_ID", fake_google.client_id)
    monkeypatch.setenv("GOOGLE_CLIENT_SECRET", fake_google.client_secret)
    monkeypatch.setenv("GOOGLE_AUTH_URL", f"{fake_google.url}/o/oauth2/v2/auth")
    monkeypatch.setenv("GOOGLE_TOKEN_URL", f"{fake_google.url}/token")
    monkeypatch.setenv("GOOGLE_REVOKE_URL", f"{fake_google.url}/revoke")
    monkeypatch.setenv("GOOGLE_DRIVE_API_URL", f"{fake_google.url}/drive/v3")
    get_settings.cache_clear()
    yield fake_google
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def sync_turned_off(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """ENABLE_GOOGLE_DRIVE_SYNC=false for this test."""
    monkeypatch.setenv("ENABLE_GOOGLE_DRIVE_SYNC", "false")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def consent(client, google: FakeGoogle) -> dict[str, str]:
    """Ask for the consent URL as the page script does, and let the fake Google consent."""
    url = client.get("/api/google-drive/auth/url").json()["url"]
    back = httpx.get(url, follow_redirects=False).headers["Location"]
    assert urlparse(back).path == "/api/google-drive/auth/callback"
    return {key: values[0] for key, values in parse_qs(urlparse(back).query).items()}


def add_sync(owner: User, name: str = "Resumes 2026", **fields) -> uuid.UUID:
    """A sync with two finished runs; the latest run's file report has four files."""
    with new_session() as session:
        sync = DriveSync(
            owner_id=owner.id,
            folder_id=f"folder-{uuid.uuid4().hex[:8]}",
            folder_name=name,
            frequency=fields.pop("frequency", Frequency.DAILY),
            status=fields.pop("status", SyncStatus.ACTIVE),
            last_run_at=utcnow(),
            next_run_at=utcnow() + timedelta(days=1),
            **fields,
        )
        session.add(sync)
        session.flush()
        first = DriveSyncRun(
            sync_id=sync.id,
            trigger="setup",
            status=RunStatus.FAILED,
            error="Drive said no <b>twice</b>",
            started_at=utcnow() - timedelta(days=1),
            finished_at=utcnow() - timedelta(days=1),
        )
        latest = DriveSyncRun(
            sync_id=sync.id,
            trigger="schedule",
            status=RunStatus.COMPLETED,
            imported=2,
            updated=0,
            skipped=1,
            failed=1,
            deleted=0,
            started_at=utcnow(),
            finished_at=utcnow(),
        )
        session.add_all([first, latest])
        session.flush()
        session.add_all(
            [
                DriveRunItem(
                    run_id=latest.id, file_id="a", name="ada.pdf", outcome=FileOutcome.IMPORTED
                ),
                DriveRunItem(
                    run_id=latest.id, file_id="b", name="li.docx", outcome=FileOutcome.IMPORTED
                ),
                DriveRunItem(
                    run_id=latest.id,
                    file_id="c",
                    name="photo.png",
                    outcome=FileOutcome.SKIPPED,
                    reason="Not a resume file type",
                ),
                DriveRunItem(
                    run_id=latest.id,
                    file_id="d",
                    name="<img src=x onerror=alert(1)>.pdf",
                    outcome=FileOutcome.FAILED,
                    reason="The file is empty",
                ),
            ]
        )
        session.commit()
        return sync.id


@pytest.mark.slow
def test_only_recruiters_and_admins_open_the_drive_page(browser_like, client) -> None:
    candidate, _user, _csrf = browser_like(Role.CANDIDATE)
    assert candidate.get("/drive").status_code == 403
    assert candidate.get(f"/drive/syncs/{uuid.uuid4()}").status_code == 403
    for role in (Role.RECRUITER, Role.ADMIN):
        page, _user, _csrf = browser_like(role)
        assert page.get("/drive").status_code == 200
    signed_out = client.get("/drive", follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/login?next=/drive"


def test_without_google_configured_the_page_explains_instead_of_offering_buttons(
    browser_like,
) -> None:
    client, _user, _csrf = browser_like(Role.RECRUITER)
    html = client.get("/drive").text
    assert "Google Drive is not set up on this server yet" in html
    assert "GOOGLE_CLIENT_ID" in html and "/api/google-drive/auth/callback" in html
    assert "data-connect" not in html and "data-api" not in html


@pytest.mark.usefixtures("sync_turned_off")
def test_with_sync_turned_off_the_page_says_so(browser_like) -> None:
    client, _user, _csrf = browser_like(Role.RECRUITER)
    html = client.get("/drive").text
    assert "Google Drive sync is turned off" in html and "ENABLE_GOOGLE_DRIVE_SYNC" in html
    assert "data-connect" not in html


def test_connecting_returns_the_browser_to_the_drive_page(browser_like, google) -> None:
    client, _user, _csrf = browser_like(Role.RECRUITER)
    before = client.get("/drive").text
    assert 'data-connection="disconnected"' in before
    assert "Connect Google Drive" in before and "data-connect" in before
    assert "Sync a folder" in before and 'name="folder"' not in before  # connect first

    back = consent(client, google)
    answer = client.get("/api/google-drive/auth/callback", params=back, headers=HTML)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/drive?connected=1"
    html = client.get(answer.headers["location"]).text
    assert "Google Drive is connected" in html
    assert 'data-connection="connected"' in html and "Disconnect" in html
    assert re.search(r'<form[^>]*data-api="/api/google-drive/setup"', html)
    assert 'name="folder"' in html and 'name="frequency"' in html and 'name="recursive"' in html

    # The same state again: refused, and the browser is told why on the page.
    again = client.get("/api/google-drive/auth/callback", params=back, headers=HTML)
    assert again.headers["location"] == "/drive?error=invalid_state"
    page = client.get(again.headers["location"]).text
    assert "That connection attempt expired, was already used" in page


def test_failed_connections_come_back_with_a_reason(browser_like, google) -> None:
    client, _user, _csrf = browser_like(Role.RECRUITER)
    denied = client.get(
        "/api/google-drive/auth/callback",
        params={"error": "access_denied", "state": "x"},
        headers=HTML,
    )
    assert (denied.status_code, denied.headers["location"]) == (303, "/drive?error=access_denied")
    assert "You did not allow HotGigs" in client.get(denied.headers["location"]).text
    no_code = client.get("/api/google-drive/auth/callback", params={"state": "x"}, headers=HTML)
    assert no_code.headers["location"] == "/drive?error=missing_code"
    forged = client.get(
        "/api/google-drive/auth/callback", params={"code": "4/x", "state": "forged"}, headers=HTML
    )
    assert forged.headers["location"] == "/drive?error=invalid_state"
    # Text in the address is never shown: a made-up reason gets the page's own sentence.
    spoof = client.get("/drive", params={"error": "Call +1 555 0100 <b>now</b>"}).text
    assert "555 0100" not in spoof and "Google Drive was not connected. Please try again." in spoof
    # API clients keep their JSON answers.
    api = client.get("/api/google-drive/auth/callback", params={"code": "4/x", "state": "forged"})
    assert api.status_code == 422 and "state" in api.json()["detail"]
    api = client.get("/api/google-drive/auth/callback", params={"error": "access_denied"})
    assert api.status_code == 400


def test_syncs_show_their_state_latest_counts_and_controls(browser_like, make_user, google) -> None:
    client, user, _csrf = browser_like(Role.RECRUITER)
    sync_id = add_sync(user)
    paused_id = add_sync(
        user, "Paused folder", status=SyncStatus.PAUSED, frequency=Frequency.MANUAL
    )
    add_sync(make_user(Role.RECRUITER), "Someone else's folder")
    html = client.get("/drive").text
    assert "Resumes 2026" in html and "Paused folder" in html
    assert "Someone else" not in html
    card = re.search(rf'<article class="card sync" data-sync="{sync_id}".*?</article>', html, re.S)[
        0
    ]
    counts = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))
    assert "2 imported" in counts and "1 unchanged" in counts and "1 failed" in counts
    assert f'data-api="/api/google-drive/syncs/{sync_id}/pause"' in card
    assert f'data-sync-now="{sync_id}"' in card
    assert f'data-api="/api/google-drive/syncs/{sync_id}" data-method="DELETE"' in card
    assert "Earlier runs" in card and "data-pending" not in card
    paused = re.search(rf'data-sync="{paused_id}".*?</article>', html, re.S)[0]
    assert f'/api/google-drive/syncs/{paused_id}/resume"' in paused
    assert "Manual only" in paused


def test_a_new_sync_waits_for_its_first_run(browser_like, google) -> None:
    client, user, _csrf = browser_like(Role.RECRUITER)
    with new_session() as session:
        sync = DriveSync(
            owner_id=user.id, folder_id="f", folder_name="Fresh", frequency=Frequency.WEEKLY
        )
        session.add(sync)
        session.commit()
    html = client.get("/drive").text
    assert re.search(r'data-sync="[^"]+" data-runs="0" data-pending', html)
    assert "starting…" in html and "Reading the folder" in html


@pytest.mark.slow
def test_the_run_report_lists_every_file(browser_like, make_user, google) -> None:
    client, user, _csrf = browser_like(Role.RECRUITER)
    sync_id = add_sync(user)
    html = client.get(f"/drive/syncs/{sync_id}").text
    assert "Resumes 2026" in html
    files = re.findall(r'<tr data-outcome="(\w+)">\s*<td class="file-name">([^<]*)</td>', html)
    assert [name for _, name in files] == [
        "&lt;img src=x onerror=alert(1)&gt;.pdf",
        "ada.pdf",
        "li.docx",
        "photo.png",
    ]
    assert dict((name, outcome) for outcome, name in files)["photo.png"] == "skipped"
    assert "Not a resume file type" in html and "<img src=x" not in html
    # The run history links each run; the older one shows its error.
    runs = re.findall(rf'href="/drive/syncs/{sync_id}\?run=([^"]+)"', html)
    assert len(runs) == 2
    older = client.get(f"/drive/syncs/{sync_id}", params={"run": runs[1]}).text
    assert "Drive said no &lt;b&gt;twice&lt;/b&gt;" in older
    assert "The folder held no files this time." in older

    other, _user, _csrf = browser_like(Role.RECRUITER)
    assert other.get(f"/drive/syncs/{sync_id}").status_code == 404
    assert (
        client.get(f"/drive/syncs/{sync_id}", params={"run": str(uuid.uuid4())}).status_code == 404
    )
    admin, _user, _csrf = browser_like(Role.ADMIN)
    assert admin.get(f"/drive/syncs/{sync_id}").status_code == 200
