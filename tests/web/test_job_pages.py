"""Jobs list, job form and the matching dashboard, in-process with a signed-in browser client."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from markupsafe import escape

from hotgigs.auth.models import Role
from tests.matching.test_matching_api import (
    JAVA_JOB,
    JAVA_JUNIOR,
    JAVA_SENIOR,
    TEACHER,
    add_candidate,
    rematch_job,
)
from tests.web.conftest import writes


def text_of(page: str) -> str:
    """The visible text of a page, tags removed and whitespace squeezed (for order checks)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def match_ids(page: str) -> list[str]:
    """The match cards of a dashboard, in the order shown."""
    return re.findall(r'data-match-id="([0-9a-f-]{36})"', page)


@pytest.fixture
def recruiter(browser_like):
    """A signed-in recruiter: (client, user, csrf)."""
    return browser_like(Role.RECRUITER)


@pytest.fixture
def matched(recruiter, settings) -> dict:
    """The recruiter's three candidates and a Java job, matched in this process."""
    client, user, csrf = recruiter
    ids = {
        name: add_candidate(user, text, settings)
        for name, text in (("senior", JAVA_SENIOR), ("junior", JAVA_JUNIOR), ("teacher", TEACHER))
    }
    job = client.post("/api/jobs", json=JAVA_JOB, headers=writes(csrf)).json()
    rematch_job(job["id"], settings)
    items = client.get(f"/api/matching/jobs/{job['id']}/matches").json()["items"]
    return {"client": client, "csrf": csrf, "ids": ids, "job": job, "items": items}


def test_no_jobs_yet_invites_the_first_one(recruiter):
    client, _, _ = recruiter
    page = client.get("/jobs")
    assert page.status_code == 200
    assert "No jobs yet" in page.text
    assert 'href="/jobs/new"' in page.text and "Create your first job" in page.text
    dashboard = client.get("/matching")
    assert dashboard.status_code == 200
    assert "No jobs to match yet" in dashboard.text
    assert 'href="/jobs/new"' in dashboard.text


def test_a_job_posted_through_the_api_is_listed_and_its_form_is_filled(recruiter):
    client, _, csrf = recruiter
    job = client.post("/api/jobs", json=JAVA_JOB, headers=writes(csrf)).json()
    listing = client.get("/jobs")
    assert listing.status_code == 200
    assert "Senior Java Developer" in listing.text
    for skill in ("Java", "Spring Boot", "Kubernetes", "Kafka", "PostgreSQL"):
        assert f">{skill}<" in listing.text
    assert "Pune, India" in listing.text and "5+ years" in listing.text
    assert f'href="/jobs/{job["id"]}/edit"' in listing.text
    assert f'href="/matching?job={job["id"]}"' in listing.text
    assert "No matches yet" in listing.text  # nothing matched in this process yet

    form = client.get(f"/jobs/{job['id']}/edit")
    assert form.status_code == 200
    assert 'value="Senior Java Developer"' in form.text
    assert 'value="Java, Spring Boot, Kubernetes"' in form.text
    assert 'value="Kafka, PostgreSQL"' in form.text
    assert re.search(r'name="min_years"[^>]*value="5"', form.text)
    assert '<option value="bachelor" selected>' in form.text
    assert 'value="Pune, India"' in form.text
    assert f'data-url="/api/jobs/{job["id"]}"' in form.text and 'data-method="PATCH"' in form.text
    assert '<option value="open" selected>' in form.text

    new = client.get("/jobs/new")
    assert new.status_code == 200
    assert 'data-url="/api/jobs"' in new.text and 'data-method="POST"' in new.text
    assert 'data-then="/matching?job={id}"' in new.text
    assert 'name="status"' not in new.text  # a new job is always open


def test_the_form_edits_through_the_api_with_the_session_cookie(recruiter):
    client, _, csrf = recruiter
    job = client.post("/api/jobs", json=JAVA_JOB, headers=writes(csrf)).json()
    changes = {"title": "Lead Java Engineer", "status": "closed", "remote": True}
    assert client.patch(f"/api/jobs/{job['id']}", json=changes).status_code == 403  # no CSRF
    answer = client.patch(f"/api/jobs/{job['id']}", json=changes, headers=writes(csrf))
    assert answer.status_code == 200, answer.text
    listing = client.get("/jobs")
    assert "Lead Java Engineer" in listing.text and "Closed" in listing.text
    assert "Remote OK" in listing.text
    closed_only = client.get("/jobs?status=closed")
    assert "Lead Java Engineer" in closed_only.text
    assert "Lead Java Engineer" not in client.get("/jobs?status=open").text
    form = client.get(f"/jobs/{job['id']}/edit")
    assert '<option value="closed" selected>' in form.text
    assert re.search(r'name="remote" checked', form.text)


def test_dashboard_ranks_the_matches_best_first_with_reasons(matched):
    client, job, items = matched["client"], matched["job"], matched["items"]
    page = client.get(f"/matching?job={job['id']}")
    assert page.status_code == 200
    assert match_ids(page.text) == [item["id"] for item in items]
    ids = matched["ids"]
    assert str(ids["teacher"]) not in page.text  # below the score kept
    text = text_of(page.text)
    assert text.index("Ravi Kumar") < text.index("Anita Desai")
    best = items[0]
    assert f'href="/candidates/{ids["senior"]}"' in page.text
    assert f">{int(best['score'])}</span>" in page.text
    assert re.search(r'class="score (high|low|)"', page.text)
    # the category bars, the explanation and the gap of the best match
    start = page.text.index(f'data-match-id="{best["id"]}"')
    card = page.text[start : page.text.index("data-match-id=", start + 20)]
    for label in ("Skills", "Experience", "Education", "Profile fit", "Location"):
        assert f"<span>{label}</span>" in card
    assert f'data-width="{best["breakdown"]["skills"]}"' in card
    assert str(escape(best["explanation"])) in card
    assert ">Kubernetes<" in card and ">PostgreSQL<" in card
    assert "Docker (for Kubernetes)" in card
    assert f'data-mark-viewed="{best["id"]}"' in card
    # the job's figures at the top
    assert f'data-stat="total">{len(items)}<' in page.text
    assert f'data-stat="best">{int(best["score"])}<' in page.text
    assert re.search(r">Kubernetes</span><span[^>]*>2 candidates<", page.text)
    assert f'data-rematch="{job["id"]}"' in page.text
    # the jobs list shows the same figures
    listing = client.get("/jobs")
    assert f"{len(items)} matches" in listing.text


def test_min_score_filters_and_explains_an_empty_result(matched):
    client, job, items = matched["client"], matched["job"], matched["items"]
    assert len(items) >= 2
    cut = (items[0]["score"] + items[1]["score"]) / 2
    page = client.get(f"/matching?job={job['id']}&min_score={cut}")
    assert match_ids(page.text) == [items[0]["id"]]
    assert "1 candidate scoring" in page.text
    none = client.get(f"/matching?job={job['id']}&min_score=100")
    if items[0]["score"] < 100:
        assert match_ids(none.text) == []
        assert "No candidate scores 100 or more" in none.text
        assert "Show every match" in none.text
    nonsense = client.get(f"/matching?job={job['id']}&min_score=lots")
    assert match_ids(nonsense.text) == [item["id"] for item in items]


def test_marking_viewed_shows_a_viewed_pill(matched):
    client, csrf, items = matched["client"], matched["csrf"], matched["items"]
    url = f"/api/matching/matches/{items[0]['id']}/viewed"
    assert client.post(url, headers=writes(csrf)).status_code == 200
    page = client.get(f"/matching?job={matched['job']['id']}")
    assert ">Viewed</span>" in page.text
    assert f'data-mark-viewed="{items[0]["id"]}"' not in page.text
    assert f'data-mark-viewed="{items[1]["id"]}"' in page.text
    assert 'data-stat="viewed">1<' in page.text


def test_dashboard_without_a_job_opens_the_newest_open_one(matched):
    client, csrf = matched["client"], matched["csrf"]
    newer = client.post(
        "/api/jobs",
        json={"title": "Kotlin Developer", "required_skills": ["Kotlin"]},
        headers=writes(csrf),
    ).json()
    page = client.get("/matching")
    assert page.status_code == 200
    assert f'data-job-id="{newer["id"]}"' in page.text
    assert f'<option value="{matched["job"]["id"]}"' in page.text  # the other job to pick
    assert "No matches yet" in page.text  # matched in the background, not in this test
    assert "data-waiting" in page.text and "Re-run matching" in page.text
    client.patch(f"/api/jobs/{newer['id']}", json={"status": "closed"}, headers=writes(csrf))
    page = client.get("/matching")
    assert f'data-job-id="{matched["job"]["id"]}"' in page.text
    closed = client.get(f"/matching?job={newer['id']}")
    assert "This job is closed" in closed.text


def test_next_page_continues_the_ranking(matched, monkeypatch):
    from hotgigs.web import job_pages

    monkeypatch.setattr(job_pages, "MATCHES_PER_PAGE", 1)
    client, job, items = matched["client"], matched["job"], matched["items"]
    first = client.get(f"/matching?job={job['id']}")
    assert match_ids(first.text) == [items[0]["id"]]
    link = re.search(r'href="(/matching\?[^"]*cursor=[^"]*)"', first.text)
    assert link, "no link to the next candidates"
    second = client.get(html.unescape(link.group(1)))
    assert match_ids(second.text) == [items[1]["id"]]
    assert '<span class="rank">#2</span>' in second.text


def test_another_recruiters_job_is_not_found(matched, browser_like):
    other, _, _ = browser_like(Role.RECRUITER)
    job_id = matched["job"]["id"]
    for path in (f"/jobs/{job_id}/edit", f"/matching?job={job_id}"):
        page = other.get(path)
        assert page.status_code == 404, path
        assert "Not found" in page.text
        assert "Senior Java Developer" not in page.text
    assert other.get("/jobs/not-a-job/edit").status_code == 404
    assert other.get(f"/matching?job={uuid.uuid4()}").status_code == 404
    assert "Senior Java Developer" not in other.get("/jobs").text


def test_an_admin_sees_and_manages_every_job(matched, browser_like):
    admin, _, _ = browser_like(Role.ADMIN)
    job_id = matched["job"]["id"]
    assert "Senior Java Developer" in admin.get("/jobs").text
    assert admin.get(f"/jobs/{job_id}/edit").status_code == 200
    page = admin.get(f"/matching?job={job_id}")
    assert match_ids(page.text) == [item["id"] for item in matched["items"]]


@pytest.mark.parametrize("path", ["/jobs", "/jobs/new", "/matching"])
def test_candidate_accounts_may_not_open_recruiter_pages(browser_like, path):
    client, _, _ = browser_like(Role.CANDIDATE)
    page = client.get(path)
    assert page.status_code == 403
    assert "Not allowed" in page.text


def test_signed_out_visitors_are_sent_to_sign_in(client):
    answer = client.get("/matching?job=x", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=/matching")


def test_job_text_is_shown_as_text_never_markup(recruiter):
    client, _, csrf = recruiter
    hostile = {"title": "<script>alert(1)</script>", "required_skills": ["<img src=x>"]}
    job = client.post("/api/jobs", json=hostile, headers=writes(csrf)).json()
    for path in ("/jobs", f"/jobs/{job['id']}/edit", f"/matching?job={job['id']}"):
        page = client.get(path).text
        assert "<script>alert(1)</script>" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
        assert "<img src=x>" not in page, path
