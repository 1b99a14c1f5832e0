"""A candidate account uploads its resume, corrects its profile and reads its matches."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from hotgigs.auth.models import Role
from tests.e2e.conftest import PHONE, Site, screenshot, served
from tests.e2e.test_job_pages import sign_in_again
from tests.support.clock import clock_at
from tests.support.documents import make_pdf
from tests.support.sample_resumes import sample_resume

# The product's clock in this module: the sample resume's jobs (Jun 2015 to "Present")
# then add up to 142 months, 11.8 years, a value that is no multiple of a half year.
PRODUCT_CLOCK = dt.datetime(2027, 3, 15, 12, tzinfo=dt.UTC)
COMPUTED_YEARS = "11.8"

DATA_JOB = {
    "title": "Streaming Data Engineer",
    "description": "Run our Kafka and Spark pipelines and the Python tooling around them.",
    "required_skills": ["Python", "Kafka", "Apache Spark"],
    "preferred_skills": ["Snowflake", "Airflow"],
    "min_years": 3,
    "location": "San Francisco, CA",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`hotgigs serve` (API, worker and scheduler) living on `PRODUCT_CLOCK`."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with served(log, env=clock_at(PRODUCT_CLOCK)) as running:
        yield running


def test_a_candidate_uploads_edits_and_sees_matches(sign_in, api_as, make_user, open_page):
    recruiter = make_user(Role.RECRUITER)
    job = api_as(recruiter).post("/api/jobs", json=DATA_JOB).json()

    page, user = sign_in(Role.CANDIDATE)
    assert page.url.endswith("/me")
    expect(page.get_by_role("heading", name="Start with your resume")).to_be_visible()
    page.get_by_role("link", name="My matches").click()
    expect(page.get_by_role("heading", name="Upload your resume to see matches")).to_be_visible()
    page.get_by_role("link", name="Upload my resume").click()

    resume = make_pdf(sample_resume(name="Priya Raman", email="priya.self@example.com"))
    page.get_by_label("Resume file").set_input_files(
        {"name": "my-resume.pdf", "mimeType": "application/pdf", "buffer": resume}
    )
    # The upload is followed live, then the page shows the profile it made by itself.
    expect(page.get_by_text("my-resume.pdf")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Resume processing")).to_be_visible()
    expect(page.get_by_role("heading", name="Priya Raman")).to_be_visible(timeout=120_000)
    skills = page.get_by_role("region", name="Skills")
    for skill in ("Python", "Kafka", "Kubernetes"):
        expect(skills.get_by_text(skill, exact=True)).to_be_visible()
    experience = page.get_by_role("region", name="Experience")
    expect(experience).to_contain_text("Acme Analytics")
    expect(experience).to_contain_text("Jan 2019 \u2013 Present")
    expect(page.get_by_role("region", name="Education")).to_contain_text("Computer Science")
    expect(page.get_by_role("listitem").filter(has_text="my-resume.pdf")).to_contain_text(
        "completed"
    )

    expect(page.locator(".contact")).to_contain_text(f"{COMPUTED_YEARS} years")

    # Correct the details: a bad email is held back, then the fix is saved. The years the
    # parser computed are filled in as they are, and the browser takes them untouched.
    page.get_by_role("button", name="Edit details").click()
    expect(page.get_by_label("Full name")).to_have_value("Priya Raman")
    years = page.get_by_label("Years of experience")
    expect(years).to_have_value(COMPUTED_YEARS)
    assert years.evaluate("field => field.validity.valid") is True
    page.get_by_label("Headline").fill("Principal Data Engineer")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Save details").click()
    assert page.get_by_label("Email").evaluate("field => field.validity.valid") is False
    expect(page.locator("#profile-form")).to_be_visible()  # the browser held it back
    # ... and the form says which field it refused, and why.
    refusal = page.locator("#profile-form [data-error]")
    expect(refusal).to_have_text(re.compile(r"^Email: .+"))
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Email").fill("priya.raman@example.org")
    expect(page.get_by_label("Email")).not_to_have_attribute("aria-invalid", "true")
    page.get_by_label("Phone").fill("+1 415 555 0199")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".profile-head .headline")).to_have_text("Principal Data Engineer")
    expect(page.get_by_text("priya.raman@example.org")).to_be_visible()
    expect(page.locator("#profile-form")).to_be_hidden()
    stored = api_as(user).get("/api/resumes/candidates").json()["items"]
    assert [(c["headline"], c["email"], c["total_years_experience"]) for c in stored] == [
        ("Principal Data Engineer", "priya.raman@example.org", float(COMPUTED_YEARS))
    ]
    screenshot(page, "candidate-profile")

    # My matches: the recruiter's open job, with the score, its reasons and what I lack.
    page.get_by_role("link", name="My matches").first.click()
    card = page.locator(".match-list > li").first
    # Matching runs in the background (the page refreshes itself); be patient on a busy box.
    for _ in range(8):
        try:
            expect(card).to_be_visible(timeout=30_000)
            break
        except AssertionError:
            page.reload()
    expect(card).to_be_visible()
    expect(card.get_by_role("heading", name=re.compile(job["title"]))).to_be_visible()
    expect(card.locator(".score")).to_have_text(re.compile(r"^\d{1,3}$"))
    # One bar a category the job asks about (this one names no degree).
    expect(card.locator(".bars > .bar")).to_have_count(4)
    expect(card.locator(".bars")).to_contain_text("Skills")
    expect(card.locator(".explanation")).to_contain_text("required skills")
    expect(card.get_by_role("list", name="Missing skills")).to_contain_text("Airflow")
    card.get_by_text("About this job").click()
    expect(card.get_by_text(DATA_JOB["description"])).to_be_visible()
    screenshot(page, "candidate-matches")

    phone = sign_in_again(open_page, user, viewport=PHONE)
    expect(phone.get_by_role("heading", name="Priya Raman")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "phone-candidate-profile-self")
