"""Correcting what the parser read, on the profile page, in a real browser (Chromium).

The browser fixtures (a real `hotgigs serve`, Debian's Chromium, windows whose script
errors and CSP violations fail the test) come from this folder's conftest; resumes are
imported the way an integration imports them, through the API.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from hotgigs.auth.models import Role
from tests.e2e.conftest import PHONE, import_resumes, screenshot, sign_in_as, too_wide
from tests.support.documents import make_pdf
from tests.support.sample_resumes import sample_resume

DONE = "Corrections saved."


def nameless_resume() -> list[str]:
    """A resume without the line that names the person: its profile is "Unnamed candidate"."""
    lines = sample_resume(
        name="Noor Haddad",
        email="noor.haddad@example.com",
        phone="+1 415 555 0162",
        employer="Initech",
    )
    return lines[1:]


@pytest.fixture
def profiles(sign_in, api_as):
    """A signed-in recruiter who imported two resumes, one whose name the parser missed."""
    page, user = sign_in(Role.RECRUITER)
    api = api_as(user)
    lena = sample_resume(
        name="Lena Vogel",
        email="lena.vogel@example.com",
        phone="+1 415 555 0190",
        employer="Globex",
    )
    ids = import_resumes(
        api,
        {
            "lena": ("lena-vogel.pdf", make_pdf(lena), "application/pdf"),
            "nameless": ("cv.pdf", make_pdf(nameless_resume()), "application/pdf"),
        },
    )
    return page, user, api, ids


def resume_of(api: httpx.Client, candidate_id: str) -> dict:
    """The candidate's JSON Resume, as the API answers it."""
    answer = api.get(f"/api/resumes/candidates/{candidate_id}")
    assert answer.status_code == 200, answer.text
    return answer.json()["resume"]


def corrections_of(api: httpx.Client, candidate_id: str) -> dict[str, tuple]:
    """The recorded corrections by path: (what the parser said, what the person wrote)."""
    answer = api.get(f"/api/resumes/candidates/{candidate_id}/corrections")
    assert answer.status_code == 200, answer.text
    return {c["path"]: (c["parsed"], c["value"]) for c in answer.json()["items"]}


def editor(page: Page, name: str):
    """The correction form of a profile card (its accessible name)."""
    return page.get_by_role("form", name=name)


def save(page: Page, form: Locator, *, key: str | None = None) -> None:
    """Save a correction form (its button, or Enter in a field) and wait for the new page."""
    page.evaluate("window.beforeSave = true")
    if key:
        form.get_by_role("textbox").first.press(key)
    else:
        form.get_by_role("button", name="Save corrections").click()
    page.wait_for_function("() => window.beforeSave === undefined")
    expect(page.get_by_role("status").filter(has_text=DONE)).to_be_visible()


def test_recruiter_corrects_every_parsed_part_of_a_profile(profiles) -> None:
    page, user, api, ids = profiles
    before = resume_of(api, ids["lena"])
    job = before["work"][0]
    skills = [s["name"] for s in before["skills"]]
    assert {"Docker", "AWS"} <= set(skills) and "Terraform" not in skills

    page.goto(f"/candidates/{ids['lena']}")
    expect(page.get_by_role("heading", name="Lena Vogel", level=1)).to_be_visible()
    expect(page.get_by_text("fields corrected by people")).to_have_count(0)

    # the details: name, headline, city (the header's "Correct details")
    page.get_by_role("button", name="Correct details").click()
    details = editor(page, "Correct details")
    expect(details.get_by_label("Name", exact=True)).to_be_focused()
    expect(details.get_by_label("Name", exact=True)).to_have_value("Lena Vogel")
    details.get_by_label("Name", exact=True).fill("Lena M. Vogel")
    details.get_by_label("Headline").fill("Staff Data Engineer")
    details.get_by_label("City").fill("Oakland")
    screenshot(page, "recruiter-profile-correct-details")
    save(page, details)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena M. Vogel")
    expect(page.locator(".profile-headline")).to_have_text("Staff Data Engineer")
    expect(page.locator(".profile-head .facts")).to_contain_text("Oakland, California")

    # a job: the employer and the title; the other job is untouched
    page.get_by_role("button", name="Edit experience").click()
    work = editor(page, "Correct experience")
    first = work.get_by_role("group", name="Job 1")
    expect(first.get_by_label("Employer")).to_have_value(job["name"])
    expect(first.get_by_label("End date")).to_have_value("Present")
    first.get_by_label("Employer").fill("Globex Corporation")
    first.get_by_label("Job title").fill("Lead Data Engineer")
    screenshot(page, "recruiter-profile-correct-experience")
    save(page, work)
    experience = page.locator("section", has=page.get_by_role("heading", name="Experience"))
    expect(experience.get_by_role("heading", level=3).first).to_have_text(
        "Lead Data Engineer at Globex Corporation"
    )
    # what the form does not show stays
    expect(
        page.get_by_text("Built streaming ingestion with Kafka and Spark.", exact=True)
    ).to_be_visible()

    # skills: remove one, rename one, add one
    page.get_by_role("button", name="Edit skills").click()
    skill_form = editor(page, "Correct skills")
    skill_form.get_by_role("button", name="Remove Docker").click()
    expect(skill_form.locator("input[value='Docker']")).to_have_count(0)
    skill_form.locator("input[value='AWS']").fill("Amazon Web Services")
    skill_form.get_by_label("Add skills").fill("Terraform")
    skill_form.get_by_role("button", name="Add skill", exact=True).click()
    expect(skill_form.get_by_role("button", name="Remove Terraform")).to_be_visible()
    screenshot(page, "recruiter-profile-correct-skills")
    save(page, skill_form)
    expected = [s for s in skills if s != "Docker"]
    expected[expected.index("AWS")] = "Amazon Web Services"
    expected.append("Terraform")
    expect(page.locator(".skill-list .skill")).to_have_text(expected)

    # a degree
    page.get_by_role("button", name="Edit education").click()
    school = editor(page, "Correct education").get_by_role("group", name="Education 1")
    expect(school.get_by_label("Degree")).to_have_value(before["education"][0]["studyType"])
    school.get_by_label("Degree").fill("Master of Science")
    save(page, editor(page, "Correct education"))
    education = page.locator("section", has=page.get_by_role("heading", name="Education"))
    expect(education.get_by_role("heading", level=3)).to_have_text(
        re.compile(r"^Master of Science in ")
    )

    # after a reload the page still shows them, and says what people corrected
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena M. Vogel")
    expect(page.get_by_text("Lead Data Engineer at Globex Corporation")).to_be_visible()
    expect(page.locator(".corrections-note")).to_contain_text(
        "6 fields corrected by people: name, headline, city, experience, education, skills"
    )
    expect(page.locator(".corrections-note")).to_contain_text("last change by you")
    expect(page.get_by_text("You corrected the parsed resume").first).to_be_visible()
    screenshot(page, "recruiter-profile-corrected")

    # the API: the JSON Resume changed, and every change is a recorded example
    after = resume_of(api, ids["lena"])
    assert after["basics"]["name"] == "Lena M. Vogel"
    assert after["basics"]["label"] == "Staff Data Engineer"
    assert after["basics"]["location"]["city"] == "Oakland"
    assert after["work"][0]["name"] == "Globex Corporation"
    assert after["work"][0]["position"] == "Lead Data Engineer"
    assert after["work"][0]["highlights"] == job["highlights"]
    assert after["work"][0]["endDate"] is None  # still "Present"
    assert after["work"][1] == before["work"][1]
    assert after["education"][0]["studyType"] == "Master of Science"
    assert after["education"][0]["institution"] == before["education"][0]["institution"]
    names = [s["name"] for s in after["skills"]]
    assert names == expected
    recorded = corrections_of(api, ids["lena"])
    assert recorded["basics.name"] == ("Lena Vogel", "Lena M. Vogel")
    assert recorded["basics.label"] == (before["basics"]["label"], "Staff Data Engineer")
    assert recorded["basics.location.city"] == ("San Francisco", "Oakland")
    assert recorded["work[0].name"] == (job["name"], "Globex Corporation")
    assert recorded["work[0].position"] == (job["position"], "Lead Data Engineer")
    assert recorded["education[0].studyType"] == (
        before["education"][0]["studyType"],
        "Master of Science",
    )
    docker = skills.index("Docker")
    assert recorded[f"skills[{docker}]"][0]["name"] == "Docker"
    assert recorded[f"skills[{docker}]"][1] is None
    renamed = names.index("Amazon Web Services")
    assert recorded[f"skills[{renamed}].name"] == ("AWS", "Amazon Web Services")
    assert recorded[f"skills[{names.index('Terraform')}].name"] == (None, "Terraform")
    # only what changed is recorded: nothing of the second job, no end date, no highlights
    assert not [p for p in recorded if p.startswith("work[1]") or "Date" in p]
    assert len(recorded) == 9, recorded

    # a profile whose name the parser missed gets one
    page.goto(f"/candidates/{ids['nameless']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unnamed candidate")
    expect(page.get_by_text("No name was found in the resume.")).to_be_visible()
    page.get_by_role("button", name="Correct details").click()
    details = editor(page, "Correct details")
    expect(details.get_by_label("Name", exact=True)).to_have_value("")
    details.get_by_label("Name", exact=True).fill("Noor Haddad")
    save(page, details, key="Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Noor Haddad")
    expect(page.get_by_text("No name was found in the resume.")).to_have_count(0)
    assert resume_of(api, ids["nameless"])["basics"]["name"] == "Noor Haddad"
    assert corrections_of(api, ids["nameless"]) == {"basics.name": (None, "Noor Haddad")}
    page.goto("/candidates?q=Haddad")
    expect(page.get_by_role("list", name="Candidates").get_by_role("link")).to_have_text(
        ["Noor Haddad"]
    )
    assert user.email


def test_a_bad_date_shows_the_api_error_and_changes_nothing(profiles, open_page) -> None:
    page, user, api, ids = profiles
    before = resume_of(api, ids["lena"])
    page.goto(f"/candidates/{ids['lena']}")
    page.get_by_role("button", name="Edit experience").click()
    work = editor(page, "Correct experience")
    first = work.get_by_role("group", name="Job 1")
    first.get_by_label("Employer").fill("Globex Corporation")
    first.get_by_label("Start date").fill("March 2019")
    work.get_by_role("button", name="Save corrections").click()
    error = work.locator("[data-error]")
    expect(error).to_contain_text("startDate must be YYYY or YYYY-MM")
    expect(work).to_be_visible()  # still open, with what was typed
    expect(first.get_by_label("Start date")).to_have_value("March 2019")
    screenshot(page, "recruiter-profile-correction-error")

    # an e-mail address that is none, the same way
    page.get_by_role("button", name="Correct details").click()
    details = editor(page, "Correct details")
    details.get_by_label("Email", exact=True).fill("lena at example")
    details.get_by_role("button", name="Save corrections").click()
    expect(details.locator("[data-error]")).to_contain_text("is not an e-mail address")

    # Cancel puts back what the form was served with; nothing was stored
    work.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("button", name="Edit experience")).to_be_focused()
    page.get_by_role("button", name="Edit experience").click()
    expect(
        editor(page, "Correct experience")
        .get_by_role("group", name="Job 1")
        .get_by_label("Employer")
    ).to_have_value(before["work"][0]["name"])
    page.reload()
    expect(page.get_by_text("Globex Corporation")).to_have_count(0)
    assert resume_of(api, ids["lena"]) == before
    assert corrections_of(api, ids["lena"]) == {}

    # a job added and one removed, then Cancel: nothing changes either
    page.get_by_role("button", name="Edit experience").click()
    work = editor(page, "Correct experience")
    work.get_by_role("button", name="Add job").click()
    expect(work.get_by_role("group", name="Job 3").get_by_label("Employer")).to_be_focused()
    work.get_by_role("button", name="Remove job 1").click()
    expect(work.get_by_role("group")).to_have_count(2)
    work.get_by_label("Employer").first.press("Escape")
    expect(page.get_by_role("button", name="Edit experience")).to_be_visible()
    assert resume_of(api, ids["lena"]) == before

    # at phone width the forms fit the screen
    phone = open_page(viewport=PHONE)
    sign_in_as(phone, user)
    phone.goto(f"/candidates/{ids['lena']}")
    phone.get_by_role("button", name="Edit experience").click()
    phone.get_by_role("button", name="Edit skills").click()
    phone.get_by_role("button", name="Correct details").click()
    expect(editor(phone, "Correct skills")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth"), too_wide(phone)
    screenshot(phone, "phone-profile-corrections")


def test_only_editors_see_the_correction_forms(profiles, open_page, make_user) -> None:
    page, user, api, ids = profiles
    viewer = make_user(Role.RECRUITER)
    colleague = make_user(Role.RECRUITER)
    for who, permission in ((viewer, "view"), (colleague, "edit")):
        answer = api.post(
            f"/api/resumes/candidates/{ids['lena']}/shares",
            json={"recruiter_email": who.email, "permission": permission},
        )
        assert answer.status_code in (200, 201), answer.text
    edit_buttons = re.compile(r"^(Correct details|Edit (experience|education|skills))$")

    # a view-only share reads the profile, with no way to correct it
    reader = open_page()
    sign_in_as(reader, viewer)
    reader.goto(f"/candidates/{ids['lena']}")
    expect(reader.get_by_role("heading", name="Lena Vogel", level=1)).to_be_visible()
    expect(reader.get_by_role("heading", name="Experience")).to_be_visible()
    expect(reader.get_by_role("button", name=edit_buttons)).to_have_count(0)
    assert reader.locator("form[data-correct]").count() == 0
    screenshot(reader, "recruiter-profile-view-only")

    # an edit share corrects, like the owner
    editor_page = open_page()
    sign_in_as(editor_page, colleague)
    editor_page.goto(f"/candidates/{ids['lena']}")
    expect(editor_page.get_by_role("button", name=edit_buttons)).to_have_count(4)
    editor_page.get_by_role("button", name="Edit skills").click()
    skill_form = editor(editor_page, "Correct skills")
    skill_form.get_by_label("Add skills").fill("dbt")
    save(editor_page, skill_form)  # typed but not added: saved all the same
    expect(editor_page.locator(".skill-list .skill").filter(has_text="dbt")).to_have_count(1)

    # the owner's anonymised view has no forms either
    page.goto(f"/candidates/{ids['lena']}?view=anonymised")
    expect(page.get_by_role("heading", name="Experience")).to_be_visible()
    expect(page.get_by_role("button", name=edit_buttons)).to_have_count(0)
    assert page.locator("form[data-correct]").count() == 0
    page.goto(f"/candidates/{ids['lena']}")
    expect(page.get_by_role("button", name=edit_buttons)).to_have_count(4)
    expect(page.locator(".corrections-note")).to_contain_text("1 field corrected by people: skills")
    expect(page.locator(".corrections-note")).to_contain_text(
        f"last change by {colleague.full_name}"
    )
    assert user.id != colleague.id
