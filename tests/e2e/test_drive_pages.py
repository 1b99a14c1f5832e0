"""A recruiter connects Google Drive (a fake Google) in a real browser and syncs a folder."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from hotgigs.auth.models import Role
from tests.e2e.conftest import LAPTOP, PHONE, Site, screenshot, served
from tests.support import documents
from tests.support.fake_google import FakeGoogle
from tests.support.processes import free_port, wait_for
from tests.support.sample_resumes import sample_resume

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RUN_TIMEOUT = 90_000  # ms: a run downloads, stores and queues every new file


@pytest.fixture(scope="module")
def google() -> Iterator[FakeGoogle]:
    """A fake Google on 127.0.0.1 that the served site (API and worker) talks to."""
    with FakeGoogle() as fake:
        yield fake


@pytest.fixture(scope="module")
def site(google: FakeGoogle, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`hotgigs serve` like the shared fixture, with Google pointed at the fake."""
    port = free_port()
    env = {
        "GOOGLE_CLIENT_ID": google.client_id,
        "GOOGLE_CLIENT_SECRET": google.client_secret,
        "GOOGLE_AUTH_URL": f"{google.url}/o/oauth2/v2/auth",
        "GOOGLE_TOKEN_URL": f"{google.url}/token",
        "GOOGLE_REVOKE_URL": f"{google.url}/revoke",
        "GOOGLE_DRIVE_API_URL": f"{google.url}/drive/v3",
        # Google sends the browser back to this very site.
        "GOOGLE_REDIRECT_URI": f"http://127.0.0.1:{port}/api/google-drive/auth/callback",
    }
    log = tmp_path_factory.mktemp("serve-drive") / "serve.log"
    with served(log, port=port, env=env) as running:
        yield running


def sync_card(page: Page, name: str):
    """The card of the synced folder with this name."""
    return page.locator("article.sync").filter(
        has=page.get_by_role("heading", name=name, exact=True)
    )


def wait_resumes_done(client: httpx.Client) -> None:
    """Let the worker finish the imported resumes before the tables are emptied."""

    def settled() -> bool:
        page = client.get("/api/resumes").json()
        return all(item["status"] in ("completed", "failed") for item in page["items"])

    wait_for(settled, timeout=120, what="the imported resumes to be processed")


def test_recruiter_connects_drive_and_syncs_a_folder(
    sign_in, api_as, google: FakeGoogle, site: Site
) -> None:
    page, recruiter = sign_in(Role.RECRUITER)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/drive")
    expect(page.get_by_text("Not connected")).to_be_visible()
    expect(page.get_by_label("Folder link or id")).to_have_count(0)  # connect first

    # Google's consent (the fake agrees at once) sends the browser back to this page.
    page.get_by_role("button", name="Connect Google Drive").click()
    page.wait_for_url(re.compile(r"/drive\?connected=1$"), timeout=30_000)
    expect(page.get_by_text("Google Drive is connected")).to_be_visible()
    expect(page.locator('[data-connection="connected"]')).to_contain_text("Connected")

    folder = google.add_folder("Resumes 2026")
    google.add_file("ada.pdf", documents.make_pdf(sample_resume()), PDF, folder)
    google.add_file(
        "li.docx",
        documents.make_docx(
            sample_resume(name="Li Wei", email="li@x.org", phone="+44 20 7946 0958")
        ),
        DOCX,
        folder,
    )
    google.add_file("photo.png", b"\x89PNG not a resume", "image/png", folder)

    # A bad folder is refused with the reason beside the form.
    page.get_by_label("Folder link or id").fill("not a folder at all")
    page.get_by_role("button", name="Start syncing").click()
    expect(page.locator("#setup [data-error]")).to_contain_text("folder")

    page.get_by_label("Folder link or id").fill(f"https://drive.google.com/drive/folders/{folder}")
    page.get_by_label("How often").select_option("weekly")
    page.get_by_label("Include subfolders").check()
    page.get_by_role("button", name="Start syncing").click()
    card = sync_card(page, "Resumes 2026")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Every week · with subfolders")
    # The first run's counts arrive live (notification, or the page's own check).
    expect(card.locator(".count-imported")).to_have_text(
        re.compile(r"^\s*2\s+imported"), timeout=RUN_TIMEOUT
    )
    expect(card.locator(".count-skipped")).to_have_text(re.compile(r"^\s*1\s+unchanged"))
    expect(card).not_to_have_attribute("data-pending", "")
    screenshot(page, "recruiter-drive")

    # Pause and resume.
    card.get_by_role("button", name="Pause Resumes 2026").click()
    expect(card.locator(".pill.status-paused")).to_be_visible()
    card.get_by_role("button", name="Resume Resumes 2026").click()
    expect(card.locator(".pill.status-active")).to_be_visible()

    # Sync now picks up a new file; the second run replaces the counts.
    google.add_file(
        "sam.txt",
        documents.make_txt(
            sample_resume(name="Sam Rivera", email="sam@x.org", phone="+1 312 555 0177")
        ),
        "text/plain",
        folder,
    )
    card.get_by_role("button", name="Sync Resumes 2026 now").click()
    expect(page.get_by_role("status").filter(has_text="Sync started")).to_be_visible()
    expect(card).to_have_attribute("data-runs", "2", timeout=RUN_TIMEOUT)
    expect(card.locator(".count-imported")).to_have_text(
        re.compile(r"^\s*1\s+imported"), timeout=RUN_TIMEOUT
    )
    expect(card.locator(".count-skipped")).to_have_text(re.compile(r"^\s*3\s+unchanged"))
    card.get_by_text("Earlier runs").click()
    expect(card.locator(".runs-table tbody tr")).to_have_count(1)

    # The latest run's file report.
    card.get_by_role("link", name="File report →").click()
    page.wait_for_url(re.compile(r"/drive/syncs/[^?]+\?run="))
    expect(page.get_by_role("heading", name="Resumes 2026")).to_be_visible()
    screenshot(page, "recruiter-drive-run-report")
    report = {
        row.locator(".file-name").inner_text(): row.get_attribute("data-outcome")
        for row in page.locator(".files-table tbody tr").all()
    }
    assert report == {
        "ada.pdf": "skipped",
        "li.docx": "skipped",
        "photo.png": "skipped",
        "sam.txt": "imported",
    }
    expect(page.locator(".run-list li")).to_have_count(2)

    wait_resumes_done(api_as(recruiter))
    page.reload()
    imported = page.locator('.files-table tr[data-outcome="imported"]')
    expect(imported.get_by_role("link", name="Open profile")).to_have_attribute(
        "href", re.compile(r"^/candidates/[0-9a-f-]{36}$")
    )
    page.goto("/drive")
    page.set_viewport_size(PHONE)
    expect(sync_card(page, "Resumes 2026")).to_be_visible()
    screenshot(page, "phone-recruiter-drive")
    page.set_viewport_size(LAPTOP)
    # Stop syncing: the folder goes, its candidates stay.
    sync_card(page, "Resumes 2026").get_by_role("button", name="Stop syncing Resumes 2026").click()
    expect(page.get_by_text("No folders yet")).to_be_visible()
    page.get_by_role("button", name="Disconnect").click()
    expect(page.get_by_text("Not connected")).to_be_visible()
    assert google.revoked


def test_a_refused_consent_comes_back_with_a_reason(sign_in, site: Site) -> None:
    page, _user = sign_in(Role.RECRUITER)
    page.goto("/api/google-drive/auth/callback?error=access_denied&state=x")
    page.wait_for_url(re.compile(r"/drive\?error=access_denied$"))
    expect(page.get_by_role("alert")).to_contain_text("You did not allow HotGigs")
    expect(page.get_by_role("button", name="Connect Google Drive")).to_be_visible()


def test_recruiter_renames_a_sync_and_changes_its_frequency(
    sign_in, api_as, google: FakeGoogle, site: Site
) -> None:
    page, recruiter = sign_in(Role.RECRUITER)
    page.goto("/drive")
    page.get_by_role("button", name="Connect Google Drive").click()
    page.wait_for_url(re.compile(r"/drive\?connected=1$"), timeout=30_000)
    folder = google.add_folder("Inbox 2026")
    google.add_file("notes.png", b"\x89PNG not a resume", "image/png", folder)
    page.get_by_label("Folder link or id").fill(f"https://drive.google.com/drive/folders/{folder}")
    page.get_by_label("How often").select_option("daily")
    page.get_by_role("button", name="Start syncing").click()
    card = sync_card(page, "Inbox 2026")
    expect(card.locator("[data-sync-frequency]")).to_have_text("Every day")

    # Edit opens a form filled with the sync's settings; the page's live refresh leaves an
    # open form alone, so what is typed survives the first run finishing meanwhile.
    edit = card.get_by_role("button", name="Edit Inbox 2026")
    expect(edit).to_have_attribute("aria-expanded", "false")
    edit.click()
    form = card.get_by_role("form", name="Edit Inbox 2026")
    expect(form).to_be_visible()
    expect(edit).to_have_attribute("aria-expanded", "true")
    expect(form.get_by_label("Name")).to_have_value("Inbox 2026")
    expect(form.get_by_label("How often")).to_have_value("daily")
    form.get_by_label("Name").fill("Java developers")
    form.get_by_label("How often").select_option("weekly")
    sync_id = card.get_attribute("data-sync")
    api = api_as(recruiter)

    def first_run_done() -> bool:
        runs = api.get(f"/api/google-drive/syncs/{sync_id}").json()["runs"]
        return bool(runs) and runs[0]["status"] != "running"

    wait_for(first_run_done, timeout=RUN_TIMEOUT / 1000, what="the first run")
    page.wait_for_timeout(3500)  # a poll's interval: the form is still there, as typed
    expect(form.get_by_label("Name")).to_have_value("Java developers")
    expect(form.get_by_label("How often")).to_have_value("weekly")
    screenshot(page, "recruiter-drive-edit-sync")
    form.get_by_role("button", name="Save changes").click()

    card = sync_card(page, "Java developers")
    expect(card.locator("[data-sync-frequency]")).to_have_text("Every week")
    expect(card.locator("form[data-sync-edit]")).to_be_hidden()
    expect(card.locator(".count-skipped")).to_have_text(re.compile(r"^\s*1\s+unchanged"))
    (stored,) = api.get("/api/google-drive/syncs").json()["items"]
    assert (stored["folder_name"], stored["frequency"]) == ("Java developers", "weekly")
    assert stored["folder_id"] == folder

    # A name of spaces only is refused by the server, with the reason in the form; Cancel
    # puts the form back as it was drawn.
    card.get_by_role("button", name="Edit Java developers").click()
    form = card.get_by_role("form", name="Edit Java developers")
    form.get_by_label("Name").fill("   ")
    form.get_by_label("How often").select_option("manual")
    form.get_by_role("button", name="Save changes").click()
    expect(form.locator("[data-error]")).to_contain_text("folder_name")
    form.get_by_role("button", name="Cancel").click()
    closed = card.locator("form[data-sync-edit]")  # hidden now: no longer a "form" role
    expect(closed).to_be_hidden()
    expect(closed.locator('[name="folder_name"]')).to_have_value("Java developers")
    expect(closed.locator('[name="frequency"]')).to_have_value("weekly")
    expect(card.get_by_role("button", name="Edit Java developers")).to_be_focused()

    # The sync's own page shows the new name and frequency.
    card.get_by_role("link", name="Run history").click()
    page.wait_for_url(re.compile(r"/drive/syncs/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="Java developers", exact=True)).to_be_visible()
    expect(page.locator(".page-head")).to_contain_text("Every week")
    page.goto("/drive")
    page.set_viewport_size(PHONE)
    sync_card(page, "Java developers").get_by_role("button", name="Edit Java developers").click()
    screenshot(page, "phone-recruiter-drive-edit-sync")
