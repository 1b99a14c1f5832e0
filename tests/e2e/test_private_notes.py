"""Important and private notes, and shares without downloads, in a real browser (Chromium).

The browser fixtures (a real `hotgigs serve`, Debian's Chromium, windows whose script
errors and CSP violations fail the test) come from this folder's conftest.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from hotgigs.auth.models import Role
from tests.e2e.conftest import PHONE, import_resume, screenshot, sign_in_as, too_wide
from tests.support.sample_resumes import sample_resume

SECRET = "Asked for 150k; keep this to myself for now."
SHARED = "Phone screen went well; available from June."


def add_note(page: Page, content: str, *, title: str = "", important: bool, private: bool) -> None:
    """Fill and send the profile's new-note form, then wait for the page to come back."""
    form = page.locator("form.note-form")
    if title:
        form.get_by_label("Note title").fill(title)
    form.get_by_label("New note").fill(content)
    form.get_by_label("Important").set_checked(important)
    form.get_by_label("Private (only you)").set_checked(private)
    form.get_by_role("button", name="Add note").click()
    expect(page.locator("p.note-text").filter(has_text=content)).to_be_visible()


def test_private_note_and_download_permission_across_two_recruiters(
    sign_in, api_as, open_page, make_user
) -> None:
    page, owner = sign_in(Role.RECRUITER)
    api = api_as(owner)
    lines = sample_resume(
        name="Ines Duarte",
        email="ines.duarte@example.com",
        phone="+1 415 555 0177",
        employer="Umbrella",
    )
    candidate_id = import_resume(api, "ines-duarte.pdf", lines)
    resume_id = api.get(f"/api/resumes/candidates/{candidate_id}").json()["current_resume_id"]
    profile = f"/candidates/{candidate_id}"

    # the owner writes a shared note, then an important private one: it comes first, marked
    page.goto(profile)
    expect(page.get_by_role("heading", name="Ines Duarte", level=1)).to_be_visible()
    add_note(page, SHARED, important=False, private=False)
    add_note(page, SECRET, title="Salary expectations", important=True, private=True)
    first = page.locator("ul.notes > li").first
    expect(first.locator(".note-title")).to_have_text("Salary expectations")
    expect(first.locator(".pill.important")).to_have_text("Important")
    expect(first.locator(".pill.private")).to_have_text("Private")
    expect(first.locator("p.note-text")).to_have_text(SECRET)
    expect(page.locator("ul.notes > li").nth(1).locator(".pill")).to_have_count(0)

    # share view-only with a colleague, downloads not allowed (the choice is for view shares)
    colleague = make_user(Role.RECRUITER)
    share_form = page.locator("form.share-form")
    allow = share_form.get_by_label("Allow downloading the original file")
    share_form.get_by_label("Recruiter email").fill(colleague.email)
    share_form.get_by_label("Permission").select_option("edit")
    expect(allow).to_be_hidden()
    share_form.get_by_label("Permission").select_option("view")
    expect(allow).to_be_visible()
    expect(allow).not_to_be_checked()
    share_form.get_by_role("button", name="Share", exact=True).click()
    share_row = page.locator("ul.shares > li").filter(has_text=colleague.email)
    expect(share_row.locator(".pill.warn")).to_have_text("no download")
    expect(share_row.locator(".pill").first).to_have_text("can view")
    screenshot(page, "recruiter-private-note-author")

    # the colleague reads the profile and the shared note, never the private one, no download
    other = open_page()
    sign_in_as(other, colleague)
    other.goto(profile)
    expect(other.get_by_role("heading", name="Ines Duarte", level=1)).to_be_visible()
    expect(other.locator("p.note-text")).to_have_text([SHARED])
    expect(other.get_by_text("Salary expectations")).to_have_count(0)
    assert SECRET not in other.content()
    expect(other.locator(".pill.private")).to_have_count(0)
    expect(other.get_by_role("link", name="Download resume")).to_have_count(0)
    expect(other.locator('a[href$="/download"]')).to_have_count(0)
    expect(other.locator(".no-download")).to_contain_text(
        "did not allow downloading the original file"
    )
    expect(other.get_by_text("Preview the extracted text")).to_be_visible()
    refused = other.request.get(f"/api/resumes/{resume_id}/download")
    assert refused.status == 403
    assert "did not allow downloading" in refused.json()["detail"]
    notes = other.request.get(f"/api/resumes/candidates/{candidate_id}/notes").json()
    assert [n["content"] for n in notes["items"]] == [SHARED]
    screenshot(other, "recruiter-private-note-view-share")

    # the owner allows downloads after all: the colleague's page offers the file
    share_form = page.locator("form.share-form")
    share_form.get_by_label("Recruiter email").fill(colleague.email)
    share_form.get_by_label("Allow downloading the original file").check()
    share_form.get_by_role("button", name="Share", exact=True).click()
    share_row = page.locator("ul.shares > li").filter(has_text=colleague.email)
    expect(share_row.locator(".pill.warn")).to_have_count(0)
    expect(share_row).to_contain_text("can download")
    other.reload()
    expect(other.get_by_role("link", name="Download resume")).to_have_attribute(
        "href", f"/api/resumes/{resume_id}/download"
    )
    expect(other.locator(".no-download")).to_have_count(0)
    assert other.request.get(f"/api/resumes/{resume_id}/download").status == 200

    # at phone width the notes and the share form fit the screen
    phone = open_page(viewport=PHONE)
    sign_in_as(phone, owner)
    phone.goto(profile)
    expect(phone.locator(".pill.private")).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth"), too_wide(phone)
    screenshot(phone, "phone-private-notes")
