"""The candidate database in a real browser: search, facets, profile, notes, tags, sharing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from hotgigs.auth.models import Role
from tests.e2e.conftest import PHONE, import_resumes, screenshot, sign_in_as, too_wide
from tests.support.documents import make_docx, make_pdf, make_txt
from tests.support.sample_resumes import sample_resume

SCRIPT = "<script>alert(1)</script>"


def java_resume() -> list[str]:
    """A Java developer in Berlin (no Kafka, no Python)."""
    return [
        "Marco Rossi",
        "Java Developer",
        "Email: marco.rossi@example.com   Phone: +49 30 5550 1234",
        "Berlin, Germany",
        "",
        "Summary",
        "Backend developer focused on payment systems.",
        "",
        "Experience",
        "Java Developer, Zalando",
        "Mar 2017 - Present",
        "- Built payment services in Java and Spring Boot.",
        "",
        "Education",
        "Technical University of Berlin",
        "Master of Science in Informatics, 2016",
        "",
        "Skills",
        "Java, Spring Boot, Hibernate, PostgreSQL",
    ]


def hostile_resume() -> list[str]:
    """A resume whose text tries to run script in the page."""
    lines = sample_resume(
        name="Zed Kim",
        email="zed.kim@example.com",
        phone="+1 206 555 0177",
        employer="Globex",
    )
    summary = lines.index("Summary") + 1
    lines[summary] = f"Data engineer {SCRIPT} who tests escaping."
    lines.insert(lines.index("Education") - 1, f"- Hardened {SCRIPT} handling.")
    return lines


def results(page: Page):
    """The result list's candidate links."""
    return page.get_by_role("list", name="Candidates").get_by_role("link")


@pytest.fixture
def database(sign_in, api_as):
    """A signed-in recruiter whose database holds three imported resumes."""
    page, user = sign_in(Role.RECRUITER)
    api = api_as(user)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ids = import_resumes(
        api,
        {
            "priya": ("priya.pdf", make_pdf(sample_resume()), "application/pdf"),
            "marco": ("marco.docx", make_docx(java_resume()), docx),
            "zed": ("zed.txt", make_txt(hostile_resume()), "text/plain"),
        },
    )
    return page, user, ids


def test_recruiter_searches_filters_and_works_on_a_profile(database, open_page, make_user) -> None:
    page, _user, ids = database
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))

    page.goto("/candidates")
    expect(page.get_by_role("heading", name="3 candidates")).to_be_visible()
    expect(results(page)).to_have_count(3)
    screenshot(page, "recruiter-candidates")

    # full-text search for a skill
    page.get_by_label("Search candidates").fill("java")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"q=java"))
    expect(results(page)).to_have_count(1)
    expect(results(page).first).to_have_text("Marco Rossi")

    # a skill facet refines the list as soon as it is ticked
    page.get_by_role("link", name="Clear all").click()
    page.wait_for_url(re.compile(r"/candidates$"))
    page.get_by_role("checkbox", name=re.compile(r"^Kafka")).check()
    page.wait_for_url(re.compile(r"skills=Kafka"))
    expect(results(page)).to_have_count(2)
    expect(page.get_by_role("link", name="Marco Rossi")).to_have_count(0)
    expect(page.get_by_role("link", name="Remove filter Skill: Kafka")).to_be_visible()

    # the profile, with the parsed resume
    page.get_by_role("link", name="Priya Raman").click()
    page.wait_for_url(f"**/candidates/{ids['priya']}")
    expect(page.get_by_role("heading", name="Priya Raman", level=1)).to_be_visible()
    expect(
        page.get_by_text("Built streaming ingestion with Kafka and Spark.", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Education")).to_be_visible()
    expect(page.get_by_role("link", name="Download resume")).to_have_attribute(
        "href", re.compile(r"^/api/resumes/[0-9a-f-]+/download$")
    )

    # a note and tags, kept after a reload
    page.get_by_label("New note").fill("Great phone screen; available in June.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("p.note-text")).to_have_text("Great phone screen; available in June.")
    page.get_by_label("Add tags").fill("Shortlist, data-2025")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("button", name="Remove tag shortlist")).to_be_visible()
    page.reload()
    expect(page.locator("p.note-text")).to_have_text("Great phone screen; available in June.")
    expect(page.get_by_role("button", name="Remove tag data-2025")).to_be_visible()

    # share with a colleague by email, who then finds the candidate in their database
    colleague = make_user(Role.RECRUITER)
    page.get_by_label("Recruiter email").fill(colleague.email)
    page.get_by_label("Permission").select_option("edit")
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_role("button", name=f"Revoke share with {colleague.email}")).to_be_visible()
    expect(page.get_by_text("You shared the profile")).to_be_visible()
    screenshot(page, "recruiter-candidate-profile")

    other = open_page()
    sign_in_as(other, colleague)
    other.goto("/candidates")
    expect(results(other)).to_have_count(1)
    expect(other.get_by_text("Shared with you", exact=True)).to_be_visible()

    # the anonymised view hides who the person is
    page.get_by_role("link", name="Anonymised view").click()
    page.wait_for_url(re.compile(r"view=anonymised"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Candidate [0-9A-F]{6}$")
    )
    body = page.locator("main").inner_text()
    for secret in ("Priya", "Raman", "priya.raman@example.com", "555", "San Francisco"):
        assert secret not in body, secret
    expect(
        page.get_by_text("Built streaming ingestion with Kafka and Spark.", exact=True)
    ).to_be_visible()
    screenshot(page, "recruiter-candidate-anonymised")
    page.get_by_role("link", name="Full profile", exact=True).click()
    expect(page.get_by_role("heading", name="Priya Raman", level=1)).to_be_visible()
    assert dialogs == []


def test_resume_text_shows_as_text_and_never_runs(database) -> None:
    page, _user, ids = database
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"/candidates/{ids['zed']}")
    expect(
        page.get_by_text(f"Data engineer {SCRIPT} who tests escaping.", exact=True)
    ).to_be_visible()
    expect(page.get_by_text(f"Hardened {SCRIPT} handling.", exact=True)).to_be_visible()
    page.get_by_text("Preview the extracted text").click()
    expect(page.locator(".extracted-text")).to_contain_text(SCRIPT)
    page.goto(f"/candidates/{ids['zed']}?view=anonymised")
    expect(
        page.get_by_text(f"Data engineer {SCRIPT} who tests escaping.", exact=True)
    ).to_be_visible()
    page.goto("/candidates?q=escaping")
    expect(results(page)).to_have_count(1)
    assert page.locator("script:not([src])").count() == 0
    assert dialogs == []


def test_phone_width_list_and_profile(database, open_page) -> None:
    _page, user, ids = database
    phone = open_page(viewport=PHONE)
    sign_in_as(phone, user)
    phone.goto("/candidates")
    expect(results(phone)).to_have_count(3)
    # the filters start folded so the results come first; they open on demand
    expect(phone.get_by_label("Experience")).to_be_hidden()
    phone.get_by_text("Filters", exact=True).click()
    expect(phone.get_by_label("Experience")).to_be_visible()
    phone.get_by_text("Filters", exact=True).click()
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth"), too_wide(phone)
    screenshot(phone, "phone-candidates")
    phone.goto(f"/candidates/{ids['priya']}")
    expect(phone.get_by_role("heading", name="Priya Raman", level=1)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth"), too_wide(phone)
    screenshot(phone, "phone-candidate-profile")
