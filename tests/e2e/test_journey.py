"""The whole product in one browser story: recruiter, admin, a colleague and a candidate.

A recruiter signs in, drops two resumes, sees both reach done, finds one by a skill, adds a
note and a tag, creates a job and sees the candidate ranked with an explanation; an admin
shares the candidate with a second recruiter, who is notified; a candidate registers,
uploads a resume and sees matches.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from hotgigs.auth.models import Role
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot
from tests.support.documents import make_docx, make_pdf

# Matching's first run in a fresh worker loads the sentence model; a busy CI box is slow.
MATCHING_WAIT_MS = 240_000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def resume(name: str, email: str, phone: str, title: str, employer: str, skills: str) -> list[str]:
    """A short resume with its own identity and skills."""
    return [
        name,
        title,
        f"Email: {email}   Phone: {phone}",
        "Austin, TX",
        "",
        "Summary",
        f"{title} with seven years of experience.",
        "",
        "Experience",
        f"{title}, {employer}",
        "Feb 2018 - Present",
        f"- Delivered products using {skills}.",
        "",
        "Education",
        "University of Texas at Austin",
        "Bachelor of Science in Computer Science, 2017",
        "",
        "Skills",
        skills,
    ]


BACKEND = resume(
    "Ada Stone",
    "ada.stone@example.com",
    "+1 512 555 0101",
    "Backend Engineer",
    "Initech",
    "Python, Django, PostgreSQL, Docker, AWS",
)
DESIGNER = resume(
    "Bea Marsh",
    "bea.marsh@example.com",
    "+1 512 555 0102",
    "Product Designer",
    "Hooli",
    "Figma, Sketch, User Research, Prototyping",
)
JOB_SEEKER = resume(
    "Cy Rowe",
    "cy.rowe@example.com",
    "+1 512 555 0103",
    "Software Engineer",
    "Globex",
    "Python, Django, PostgreSQL, Redis",
)


def wait_for_matches(page: Page, cards) -> None:
    """Matching runs in the background: reload until the first card shows."""
    for _ in range(MATCHING_WAIT_MS // 20_000):
        try:
            expect(cards.first).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            page.reload()
    expect(cards.first).to_be_visible()


def test_recruiter_admin_colleague_and_candidate_journey(sign_in, open_page) -> None:
    # A recruiter signs in and drops two resumes on the bulk upload page.
    page, _recruiter = sign_in(Role.RECRUITER)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bulk upload").click()
    page.get_by_label("Resume files").set_input_files(
        [
            {"name": "ada.pdf", "mimeType": "application/pdf", "buffer": make_pdf(BACKEND)},
            {"name": "bea.docx", "mimeType": DOCX, "buffer": make_docx(DESIGNER)},
        ]
    )
    expect(page.get_by_role("heading", name="Summary")).to_be_visible(timeout=120_000)
    expect(page.locator('[data-sum="completed"]')).to_have_text("2")
    for name in ("ada.pdf", "bea.docx"):
        expect(page.locator(f'[data-file="{name}"] .pill')).to_have_text("completed")
    screenshot(page, "journey-1-bulk-upload")

    # Finds the backend engineer by a skill.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Candidates").click()
    page.get_by_label("Search candidates").fill("Django")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"q=Django"))
    found = page.get_by_role("list", name="Candidates").get_by_role("link")
    expect(found).to_have_count(1)
    expect(found.first).to_have_text("Ada Stone")
    screenshot(page, "journey-2-search")

    # Adds a note and a tag on her profile.
    found.first.click()
    expect(page.get_by_role("heading", name="Ada Stone", level=1)).to_be_visible()
    page.get_by_label("New note").fill("Strong Django background; call back Tuesday.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("p.note-text")).to_have_text("Strong Django background; call back Tuesday.")
    page.get_by_label("Add tags").fill("backend-shortlist")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("button", name="Remove tag backend-shortlist")).to_be_visible()
    profile_url = page.url
    screenshot(page, "journey-3-profile")

    # Creates a job and sees her ranked first, with an explanation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_role("link", name="Create your first job").click()
    page.get_by_label("Title").fill("Backend Python Engineer")
    page.get_by_label("Description").fill("Build our Django services on PostgreSQL.")
    page.get_by_label("Required skills").fill("Python, Django, PostgreSQL")
    page.get_by_label("Preferred skills").fill("Docker, AWS")
    page.get_by_label("Minimum years of experience").fill("3")
    page.get_by_role("button", name="Post job and find matches").click()
    page.wait_for_url(re.compile(r"/matching\?job=[0-9a-f-]{36}$"))
    cards = page.locator(".match-table > tbody.match")
    wait_for_matches(page, cards)
    best = cards.first
    expect(best.get_by_role("link", name="Ada Stone")).to_be_visible()
    expect(best.locator(".score")).to_have_text(re.compile(r"^\d{1,3}$"))
    best.get_by_role("button", name="Details for Ada Stone").click()
    expect(best.locator(".explanation")).to_contain_text("required skills")
    screenshot(page, "journey-4-matching")

    # An admin shares her with a second recruiter, who is told at once.
    colleague_page, colleague = sign_in(Role.RECRUITER)
    admin_page, _admin = sign_in(Role.ADMIN)
    admin_page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Master database"
    ).click()
    admin_page.get_by_label("Select Ada Stone").check()
    admin_page.get_by_label("Recruiter", exact=True).select_option(
        label=f"{colleague.full_name} ({colleague.email})"
    )
    admin_page.get_by_label("Permission", exact=True).select_option("view")
    admin_page.get_by_role("button", name="Share selected").click()
    expect(admin_page.get_by_role("status").filter(has_text="Shared 1 candidate")).to_be_visible()
    screenshot(admin_page, "journey-5-admin-share")

    badge = colleague_page.locator("[data-unread]")
    expect(badge).to_have_text("1", timeout=20_000)
    colleague_page.get_by_role("button", name=re.compile("Notifications")).click()
    bell = colleague_page.get_by_role("region", name="Notifications")
    expect(bell).to_contain_text("shared Ada Stone with you")
    screenshot(colleague_page, "journey-6-colleague-notified")
    bell.get_by_role("link", name=re.compile("shared Ada Stone")).click()
    colleague_page.wait_for_url(profile_url)
    expect(colleague_page.get_by_role("heading", name="Ada Stone", level=1)).to_be_visible()

    # A candidate registers, uploads a resume and sees the job among their matches.
    candidate_page = open_page()
    candidate_page.goto("/register")
    candidate_page.get_by_label("Full name").fill("Cy Rowe")
    candidate_page.get_by_label("Email").fill("cy.rowe@example.com")
    candidate_page.get_by_label("Password").fill(PASSWORD)
    candidate_page.get_by_role("button", name="Create account").click()
    # The same answer as for a taken email, then the sign-in form, filled in.
    notice = candidate_page.locator("p.alert[role=status]")
    expect(notice).to_contain_text("sign in with the email and password you chose")
    expect(candidate_page.get_by_label("Email")).to_have_value("cy.rowe@example.com")
    candidate_page.get_by_label("Password").fill(PASSWORD)
    candidate_page.get_by_role("button", name="Sign in").click()
    candidate_page.wait_for_url(re.compile(r"/me$"))
    candidate_page.get_by_label("Resume file").set_input_files(
        {"name": "cy.pdf", "mimeType": "application/pdf", "buffer": make_pdf(JOB_SEEKER)}
    )
    expect(candidate_page.get_by_role("heading", name="Cy Rowe")).to_be_visible(timeout=120_000)
    screenshot(candidate_page, "journey-7-candidate-profile")
    candidate_page.get_by_role("link", name="My matches").first.click()
    matches = candidate_page.locator(".match-list > li")
    wait_for_matches(candidate_page, matches)
    mine = matches.filter(has_text="Backend Python Engineer")
    expect(mine.locator(".explanation")).not_to_be_empty()
    screenshot(candidate_page, "journey-8-candidate-matches")
