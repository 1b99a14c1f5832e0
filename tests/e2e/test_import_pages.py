"""Resume import, bulk upload, the bell and the notification center in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from hotgigs.auth.models import Role
from tests.e2e.conftest import PHONE, import_resume, screenshot
from tests.support.documents import make_docx, make_pdf, make_truncated_pdf
from tests.support.processes import wait_for
from tests.support.sample_resumes import sample_resume


def pdf_file(filename: str, **facts) -> dict:
    """A resume as a file the page's file input takes."""
    resume = make_pdf(sample_resume(**facts))
    return {"name": filename, "mimeType": "application/pdf", "buffer": resume}


def test_single_import_follows_the_resume_live_until_its_profile_opens(sign_in):
    page, _user = sign_in(Role.RECRUITER)
    expect(page.get_by_role("heading", name="Import a resume")).to_be_visible()
    expect(page.get_by_text("Nothing imported yet")).to_be_visible()
    expect(page.locator("body[data-live=connected]")).to_have_count(1)
    screenshot(page, "recruiter-import")

    ada = pdf_file("ada.pdf", name="Ada Lovelace", email="ada@example.com")
    page.get_by_label("Resume file").set_input_files(ada)
    expect(page.get_by_text("ada.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="Open the profile")).to_be_visible(timeout=60_000)
    page.wait_for_url(re.compile(r"/candidates/[0-9a-f-]{36}$"))

    profile_url = page.url

    page.goto("/import")
    recent = page.get_by_role("row", name=re.compile("ada.pdf"))
    expect(recent.get_by_text("completed")).to_be_visible()
    expect(recent.get_by_role("link", name="Open profile")).to_be_visible()

    # The same file again: the page says it was imported before and stays, with a link.
    page.get_by_label("Resume file").set_input_files(ada)
    expect(page.get_by_text("This file was imported before")).to_be_visible(timeout=30_000)
    again = page.get_by_role("link", name="Open the profile")
    expect(again).to_be_visible()
    assert again.get_attribute("href") == profile_url.removeprefix(page.url.split("/import")[0])
    page.wait_for_timeout(2000)  # longer than the new-import redirect takes
    assert page.url.endswith("/import")
    expect(page.get_by_text("This file was imported before")).to_be_visible()
    screenshot(page, "import-duplicate")


def test_a_file_that_cannot_be_imported_shows_why(sign_in):
    page, _user = sign_in(Role.RECRUITER)
    page.get_by_label("Resume file").set_input_files(
        {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": make_truncated_pdf()}
    )
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"\w+"), timeout=60_000)
    expect(page.locator("[data-stage]")).to_have_text("failed")


def test_bulk_upload_shows_each_file_then_a_summary(sign_in):
    page, _user = sign_in(Role.RECRUITER)
    page.get_by_role("link", name="Bulk upload").first.click()
    expect(page.get_by_role("heading", name="Bulk upload")).to_be_visible()
    docx = make_docx(sample_resume(name="Grace Hopper", email="grace@example.com"))
    page.get_by_label("Resume files").set_input_files(
        [
            pdf_file("linus.pdf", name="Linus Torvalds", email="linus@example.com"),
            {
                "name": "grace.docx",
                "mimeType": "application/octet-stream",
                "buffer": docx,
            },
            {"name": "virus.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"},
        ]
    )
    files = page.locator("[data-files] > li")
    expect(files).to_have_count(3)
    summary = page.get_by_role("heading", name="Summary")
    expect(summary).to_be_visible(timeout=90_000)
    expect(page.locator('[data-sum="completed"]')).to_have_text("2")
    expect(page.locator('[data-sum="failed"]')).to_have_text("1")
    bad = page.locator('[data-file="virus.exe"]')
    expect(bad.locator("[data-stage], .pill")).to_have_text("failed")
    expect(bad).to_contain_text("virus.exe")
    expect(bad.locator(".form-error")).not_to_be_empty()
    for name in ("linus.pdf", "grace.docx"):
        row = page.locator(f'[data-file="{name}"]')
        expect(row.get_by_role("link", name="Open profile")).to_be_visible()
    # The bell counts what arrived meanwhile: new candidates and the finished batch.
    badge = page.locator("[data-unread]")
    expect(badge).to_be_visible()
    screenshot(page, "recruiter-bulk-upload")

    page.get_by_role("button", name=re.compile("Notifications")).click()
    panel = page.get_by_role("region", name="Notifications")
    expect(panel.get_by_text(re.compile("Bulk upload finished: 2 imported"))).to_be_visible()
    screenshot(page, "recruiter-bell")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()


def test_notification_center_reads_filters_and_saves_preferences(sign_in, api_as):
    page, user = sign_in(Role.RECRUITER)
    api = api_as(user)
    # Filed before the page loads: the center lists what exists (the bell is what goes live).
    import_resume(api, "maria.pdf", sample_resume(name="Maria Garcia"))
    page.goto("/notifications")
    expect(page.get_by_text("maria.pdf was imported")).to_be_visible(timeout=60_000)
    screenshot(page, "recruiter-notifications")
    page.get_by_label("Unread only").check()
    page.wait_for_url(re.compile("unread_only=true"))
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("No notifications match these filters.")).to_be_visible()
    expect(page.locator("[data-unread]")).to_be_hidden()

    page.get_by_label("A new candidate was added: desktop notice").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Preferences saved.")).to_be_visible()
    chosen = {p["type"]: p for p in api.get("/api/notifications/preferences").json()["items"]}
    assert chosen["candidate_added"]["browser"] is True


def test_pages_work_by_keyboard_and_at_phone_width(sign_in):
    page, _user = sign_in(Role.RECRUITER, viewport=PHONE)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Import")
    ).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    screenshot(page, "phone-import")
    page.goto("/import/bulk")
    screenshot(page, "phone-bulk-upload")


# Headless Chromium answers every permission prompt with "denied", so this stands in for
# the browser's prompt (the user clicks Allow) and records desktop notices instead of
# showing them; the tab acts as one in the background, where notices are raised (in the
# foreground a toast shows instead).
ALLOWING_BROWSER = """
window.shownNotices = [];
window.Notification = class {
  static permission = "default";
  static async requestPermission() { this.permission = "granted"; return "granted"; }
  constructor(title) { window.shownNotices.push(title); }
};
Object.defineProperty(document, "hidden", { get: () => true });
"""


def test_desktop_notifications_are_opt_in(sign_in, api_as):
    page, user = sign_in(Role.RECRUITER)
    page.add_init_script(ALLOWING_BROWSER)
    page.goto("/notifications")
    page.get_by_role("button", name=re.compile("Notifications")).click()
    enable = page.get_by_role("button", name="Enable desktop notifications")
    expect(enable).to_be_visible()
    assert page.evaluate("window.shownNotices") == []  # nothing before the user allows it
    enable.click()
    expect(page.get_by_text("Desktop notifications are on.")).to_be_visible()
    expect(enable).to_be_hidden()

    # A finished bulk upload is a desktop-notice kind by default; a new candidate is not.
    upload = api_as(user).post(
        "/api/resumes/bulk-upload",
        files=[("files", ("lena.pdf", make_pdf(sample_resume(name="Lena Berg")), "text/plain"))],
    )
    assert upload.status_code == 202, upload.text
    # wait_for_function would evaluate a string in the page, which the CSP forbids.
    shown = wait_for(
        lambda: page.evaluate("window.shownNotices"), timeout=60, what="a desktop notice"
    )
    assert shown == ["Bulk upload finished: 1 imported, 0 failed"], shown
