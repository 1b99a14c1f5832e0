"""Match views in a real browser: the compact match table, an explanation, a profile's matches."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from hotgigs.auth.models import Role
from tests.e2e.conftest import PHONE, import_resumes, screenshot, sign_in_as, too_wide
from tests.e2e.test_job_pages import ANALYST
from tests.support.documents import make_pdf
from tests.support.processes import wait_for
from tests.support.sample_resumes import sample_resume

DATA_JOB = {
    "title": "Senior Data Engineer",
    "description": "Own our streaming pipelines: Kafka in, Spark and Python through.",
    "required_skills": ["Python", "Kafka", "Apache Spark"],
    "preferred_skills": ["Snowflake", "Airflow"],
    "min_years": 5,
    "education": "bachelor",
    "location": "San Francisco, CA",
}
PLATFORM_JOB = {
    "title": "Cloud Platform Engineer",
    "required_skills": ["Kubernetes", "Docker", "AWS"],
    "preferred_skills": ["Terraform"],
    "remote": True,
}
# What every match table shows, in order (the last column is the Details button's).
COLUMNS = ["Rank", "Candidate", "Score", "Required skills", "Experience", "Location", "Details"]


def pdf(filename: str, lines: list[str]) -> tuple[str, bytes, str]:
    """An upload of these lines as a PDF."""
    return (filename, make_pdf(lines), "application/pdf")


def test_the_matching_page_ranks_candidates_in_a_table_with_details_on_demand(
    sign_in, api_as, open_page
):
    page, user = sign_in(Role.RECRUITER)
    api = api_as(user)
    ids = import_resumes(
        api, {"priya": pdf("priya.pdf", sample_resume()), "omar": pdf("omar.pdf", ANALYST)}
    )
    job = api.post("/api/jobs", json=DATA_JOB).json()
    # The first match of a run loads the sentence model: allow for a slow, busy machine.
    # Each import also matches its candidate on its own: wait for both (Omar scores ~41).
    wait_for(
        lambda: api.get(f"/api/matching/jobs/{job['id']}/matches").json()["total"] == 2,
        timeout=240,
        what="both candidates to be matched",
    )
    listed = api.get(f"/api/matching/jobs/{job['id']}/matches").json()["items"]
    assert listed[0]["candidate_id"] == ids["priya"]
    assert all(m["score"] >= 40 for m in listed)  # MATCH_MIN_SCORE's default

    page.goto(f"/matching?job={job['id']}")
    table = page.get_by_role("table", name="Ranked candidates")
    expect(table.get_by_role("columnheader")).to_have_text(COLUMNS)
    expect(page.get_by_label("Minimum score")).to_have_value("40")
    rows = table.locator("tbody.match")
    expect(rows).to_have_count(len(listed))
    best = rows.first
    expect(best.get_by_role("rowheader")).to_contain_text("Priya Raman")
    expect(best.get_by_role("link", name="Priya Raman")).to_have_attribute(
        "href", f"/candidates/{ids['priya']}"
    )
    expect(best.locator(".col-rank")).to_have_text("#1")
    expect(best.locator(".score")).to_have_text(str(int(listed[0]["score"])))
    expect(best.locator(".col-required")).to_contain_text("3/3")
    expect(best.locator(".col-place")).to_contain_text("San Francisco")
    # Compact: a row is one line of the table, not a card.
    assert best.locator("tr").first.bounding_box()["height"] < 90

    # Details: the breakdown, the explanation and its link open under the row, and close.
    toggle = best.get_by_role("button", name="Details for Priya Raman")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    details = best.locator(".match-details")
    expect(details).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(details).to_be_visible()
    expect(
        details.get_by_role("list", name="Score breakdown").get_by_role("listitem")
    ).to_have_count(5)
    expect(details.locator(".explanation")).to_contain_text("3 of 3 required skills")
    expect(details.get_by_role("list", name="Missing skills")).to_contain_text("Airflow")
    why = details.get_by_role("link", name="Why this score")
    expect(why).to_have_attribute("href", f"/matching/matches/{listed[0]['id']}")
    screenshot(page, "recruiter-matching-table")
    toggle.click()
    expect(details).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # Marked viewed from its details: the row says so.
    toggle.click()
    details.get_by_role("button", name="Mark Priya Raman viewed").click()
    expect(best.locator("[data-viewed-pill]")).to_be_visible()

    # The explanation: every claim with the part of the resume it rests on.
    why.click()
    page.wait_for_url(f"**/matching/matches/{listed[0]['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Priya Raman for Senior Data Engineer"
    )
    evidence = page.get_by_role("table")
    expect(evidence.get_by_role("rowheader").first).to_be_visible()
    expect(evidence).to_contain_text("has required skill Python")
    expect(evidence).to_contain_text("Skills list")
    expect(page.get_by_text("Viewed", exact=True)).to_be_visible()
    screenshot(page, "recruiter-match-explanation")
    page.get_by_role("link", name="← Matches for Senior Data Engineer").click()
    page.wait_for_url(re.compile(rf"/matching\?job={job['id']}$"))

    # On a phone the table keeps to the screen: rank, experience and location step aside.
    phone = sign_in_as(open_page(viewport=PHONE), user)
    phone.goto(f"/matching?job={job['id']}")
    phone_rows = phone.locator(".match-table > tbody.match")
    expect(phone_rows.first).to_be_visible()
    expect(phone.locator(".match-table thead .col-place")).to_be_hidden()
    phone_rows.first.get_by_role("button", name="Details for Priya Raman").click()
    expect(phone_rows.first.locator(".explanation")).to_be_visible()
    assert too_wide(phone) == []
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "phone-matching-table")


def test_a_candidates_profile_shows_their_matches_and_the_anonymised_view_does_not(sign_in, api_as):
    page, user = sign_in(Role.RECRUITER)
    api = api_as(user)
    priya = import_resumes(api, {"priya": pdf("priya.pdf", sample_resume())})["priya"]
    jobs = {
        spec["title"]: api.post("/api/jobs", json=spec).json() for spec in (DATA_JOB, PLATFORM_JOB)
    }
    url = f"/api/matching/candidates/{priya}/matches"
    wait_for(
        lambda: api.get(url).json()["total"] == 2,
        timeout=240,
        what="the candidate to be matched with both jobs",
    )
    mine = api.get(url).json()["items"]
    titles = {j["id"]: title for title, j in jobs.items()}

    page.goto(f"/candidates/{priya}")
    section = page.get_by_role("region", name="Matches", exact=True)
    expect(section).to_be_visible()
    rows = section.locator("tbody.match")
    expect(rows).to_have_count(2)
    expect(section.get_by_role("rowheader")).to_have_text(
        [re.compile(re.escape(titles[m["job_id"]])) for m in mine]
    )
    first = rows.first
    expect(first.locator(".score")).to_have_text(str(int(mine[0]["score"])))
    toggle = first.get_by_role("button", name=f"Details for {titles[mine[0]['job_id']]}")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(first.locator(".match-details .bars")).to_be_visible()
    expect(first.get_by_role("link", name="Why this score")).to_have_attribute(
        "href", f"/matching/matches/{mine[0]['id']}"
    )
    section.scroll_into_view_if_needed()
    screenshot(page, "recruiter-profile-matches")

    # Each job links to its Matching page.
    first.get_by_role("link", name=titles[mine[0]["job_id"]]).click()
    page.wait_for_url(re.compile(rf"/matching\?job={mine[0]['job_id']}$"))
    expect(page.get_by_role("link", name="Priya Raman")).to_be_visible()

    # The anonymised view shows no matches.
    page.goto(f"/candidates/{priya}?view=anonymised")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("region", name="Matches", exact=True)).to_have_count(0)
    expect(page.locator("a[href^='/matching/matches/']")).to_have_count(0)
