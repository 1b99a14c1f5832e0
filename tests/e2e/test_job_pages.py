"""A recruiter posts a job, works its ranked matches and edits it, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from hotgigs.auth.models import Role, User
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE, import_resume, screenshot
from tests.support.processes import wait_for

# The sample resume's skills are Python, SQL, Spark, Kafka, Docker, Kubernetes, AWS, Snowflake.
REQUIRED = "Python, Kafka, Apache Spark"
PREFERRED = "Snowflake, Airflow"
# A weaker fit for that job: an analyst in another city without the streaming skills.
ANALYST = [
    "Omar Haddad",
    "Data Analyst",
    "Email: omar@example.com   Phone: +1 212 555 0177",
    "New York, NY",
    "",
    "Summary",
    "Analyst turning sales data into dashboards.",
    "",
    "Experience",
    "Data Analyst, Contoso",
    "Mar 2020 - Present",
    "- Built weekly sales dashboards in Tableau.",
    "- Automated reports with Python and SQL.",
    "",
    "Education",
    "New York University",
    "Bachelor of Science in Economics, 2019",
    "",
    "Skills",
    "Python, SQL, Excel, Tableau",
]


def sign_in_again(open_page, user: User, **window) -> Page:
    """Another window (e.g. a phone) signed in as the same user."""
    page = open_page(**window)
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/(import|admin|me)$"))
    return page


def test_a_recruiter_posts_a_job_and_works_its_ranked_matches(sign_in, api_as, open_page):
    page, user = sign_in(Role.RECRUITER)
    api = api_as(user)
    priya = import_resume(api, "priya.pdf", name="Priya Raman", email="priya@example.com")
    omar = import_resume(api, "omar.pdf", ANALYST)

    page.get_by_role("link", name="Jobs", exact=True).click()
    expect(page.get_by_role("heading", name="No jobs yet")).to_be_visible()
    page.get_by_role("link", name="Create your first job").click()
    expect(page.get_by_role("heading", name="New job")).to_be_visible()
    page.get_by_label("Title").fill("Senior Data Engineer")
    page.get_by_label("Description").fill(
        "Own our streaming pipelines: ingest events with Kafka, process them with Spark and "
        "Python, and keep the warehouse fast."
    )
    page.get_by_label("Required skills").fill(REQUIRED)
    page.get_by_label("Preferred skills").fill(PREFERRED)
    page.get_by_label("Minimum years of experience").fill("5")
    page.get_by_label("Education", exact=True).select_option("bachelor")
    page.get_by_label("Location", exact=True).fill("San Francisco, CA")
    screenshot(page, "recruiter-job-form")
    # A mistake first: the API's reason shows in the form.
    page.get_by_label("Minimum years of experience").fill("99")
    page.get_by_role("button", name="Post job and find matches").click()
    expect(page.get_by_role("alert")).to_contain_text("min_years")
    page.get_by_label("Minimum years of experience").fill("5")
    page.get_by_role("button", name="Post job and find matches").click()

    # The dashboard of the new job; matching runs in the background and the list appears.
    page.wait_for_url(re.compile(r"/matching\?job=[0-9a-f-]{36}$"))
    job_id = page.url.rsplit("=", 1)[1]
    expect(page.get_by_role("heading", name=re.compile("Senior Data Engineer"))).to_be_visible()
    cards = page.locator(".match-table > tbody.match")
    # The first match of a run loads the sentence model: allow for a slow, busy machine.
    expect(cards.first).to_be_visible(timeout=240_000)
    # Each import also matches its candidate on its own: wait for both, then look again.
    wait_for(
        lambda: api.get(f"/api/matching/jobs/{job_id}/matches").json()["total"] == 2,
        timeout=240,
        what="both candidates to be matched",
    )
    page.reload()
    best = cards.first
    expect(best.get_by_role("link", name="Priya Raman")).to_have_attribute(
        "href", f"/candidates/{priya}"
    )
    score = best.locator(".score")
    expect(score).to_have_text(re.compile(r"^\d{1,3}$"))
    best_score = int(score.inner_text())
    best.get_by_role("button", name="Details for Priya Raman").click()
    expect(best.locator(".bars > .bar")).to_have_count(5)
    expect(best.locator(".bars")).to_contain_text("Skills")
    expect(best.locator(".explanation")).to_contain_text("required skills")
    expect(best.get_by_role("list", name="Missing skills")).to_contain_text("Airflow")
    names = [n.strip() for n in page.locator(".match-table .match-who a").all_inner_texts()]
    assert names[0] == "Priya Raman"
    scores = [int(s) for s in page.locator(".match-table .score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    api_order = api.get(f"/api/matching/jobs/{job_id}/matches").json()["items"]
    assert [m["candidate_id"] for m in api_order] == [priya, omar]
    assert api_order[0]["score"] > api_order[1]["score"]
    expect(page.locator('[data-stat="total"]')).to_have_text(str(len(api_order)))
    expect(page.locator("body[data-live=connected]")).to_have_count(1)
    screenshot(page, "recruiter-matching")

    # The minimum score hides weaker candidates; above the best, the page says why it is empty.
    above = next((c for c in (50, 60, 70, 80, 90) if c > best_score), None)
    if above is not None:
        page.get_by_label("Minimum score").select_option(str(above))
        page.wait_for_url(re.compile(rf"min_score={above}"))
        expect(
            page.get_by_role("heading", name=f"No candidate scores {above} or more")
        ).to_be_visible()
        page.get_by_role("link", name="Show every match").click()
        expect(cards.first).to_be_visible()
    weaker = api_order[1]["score"]
    at_most = max(c for c in (0, 40, 50, 60, 70, 80, 90) if weaker < c <= best_score)
    page.get_by_label("Minimum score").select_option(str(at_most))
    page.wait_for_url(re.compile(rf"min_score={at_most}"))
    expect(cards.first.get_by_role("link", name="Priya Raman")).to_be_visible()
    shown = [int(s) for s in page.locator(".match-table .score").all_inner_texts()]
    assert all(s >= at_most for s in shown)
    expect(page.get_by_role("link", name="Omar Haddad")).to_have_count(0)

    # Mark the best candidate viewed (in its details): the row says so, and it stays.
    best = cards.first
    best.get_by_role("button", name="Details for Priya Raman").click()
    best.get_by_role("button", name="Mark Priya Raman viewed").click()
    expect(best.locator("[data-viewed-pill]")).to_be_visible()
    page.reload()
    expect(cards.first.locator("[data-viewed-pill]")).to_be_visible()
    match_id = api_order[0]["id"]
    assert api.get(f"/api/matching/matches/{match_id}").json()["viewed_at"] is not None

    # Re-run matching is accepted and says so.
    page.get_by_role("button", name="Re-run matching").first.click()
    expect(page.locator("[data-rematch-status]")).to_contain_text("Matching again")

    # Edit the job: the form is filled in; the change shows on the dashboard.
    page.get_by_role("link", name="Edit job").click()
    expect(page.get_by_label("Title")).to_have_value("Senior Data Engineer")
    expect(page.get_by_label("Required skills")).to_have_value(re.compile("Python"))
    expect(page.get_by_label("Minimum years of experience")).to_have_value("5")
    page.get_by_label("Title").fill("Lead Data Engineer")
    page.get_by_label("Remote work is possible").check()
    page.get_by_label("Minimum years of experience").fill("4.3")  # not a step of a half year
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(rf"/matching\?job={job_id}$"))
    expect(page.get_by_role("heading", name=re.compile("Lead Data Engineer"))).to_be_visible()
    stored = api.get(f"/api/jobs/{job_id}").json()
    assert stored["title"] == "Lead Data Engineer" and stored["remote"] is True
    assert stored["min_years"] == 4.3
    # Filled in again as stored, and saved again untouched.
    page.get_by_role("link", name="Edit job").click()
    years = page.get_by_label("Minimum years of experience")
    expect(years).to_have_value("4.3")
    assert years.evaluate("field => field.validity.valid") is True
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(rf"/matching\?job={job_id}$"))
    assert api.get(f"/api/jobs/{job_id}").json()["min_years"] == 4.3
    assert stored["required_skills"][:2] == ["Python", "Kafka"]

    page.get_by_role("link", name="Jobs", exact=True).click()
    job_card = page.locator(".job-card", has_text="Lead Data Engineer")
    expect(job_card).to_contain_text("Remote OK")
    expect(job_card.get_by_role("link", name="Matches for Lead Data Engineer")).to_be_visible()
    screenshot(page, "recruiter-jobs")

    phone = sign_in_again(open_page, user, viewport=PHONE)
    phone.goto(f"/matching?job={job_id}")
    expect(phone.locator(".match-table > tbody.match").first).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "phone-matching")


def test_a_new_match_for_the_job_on_screen_is_announced(sign_in, api_as):
    page, user = sign_in(Role.RECRUITER)
    api = api_as(user)
    import_resume(api, "first.pdf", name="Lena Fischer", email="lena@example.com")
    job = api.post(
        "/api/jobs",
        json={
            "title": "Data Engineer",
            "required_skills": ["Python", "Kafka", "Apache Spark"],
            "location": "San Francisco, CA",
        },
    ).json()
    page.goto(f"/matching?job={job['id']}")
    expect(page.locator(".match-table > tbody.match")).to_have_count(1, timeout=240_000)
    expect(page.locator("body[data-live=connected]")).to_have_count(1)
    # Another strong candidate arrives while the dashboard is open: a banner offers a refresh.
    import_resume(
        api, "second.pdf", name="Kenji Sato", email="kenji@example.com", phone="+1 206 555 0101"
    )
    banner = page.locator("[data-new-matches]")
    expect(banner).to_be_visible(timeout=240_000)
    banner.get_by_role("link", name="Refresh").click()
    expect(page.locator(".match-table > tbody.match")).to_have_count(2)
    expect(page.get_by_role("link", name="Kenji Sato")).to_be_visible()
