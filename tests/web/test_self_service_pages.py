"""A candidate account's pages: my profile (upload, parsed sections, editing) and my matches."""

from __future__ import annotations

import re
import uuid

import pytest

from hotgigs.auth.models import Role
from hotgigs.db import new_session
from hotgigs.matching import rematch as match_rematch
from hotgigs.resumes.models import ResumeStatus
from tests.matching.test_matching_api import (
    JAVA_JOB,
    JAVA_SENIOR,
    add_candidate,
    stored_resume,
)
from tests.web.conftest import writes


@pytest.fixture
def candidate(browser_like):
    """A signed-in candidate account: (client, user, csrf)."""
    return browser_like(Role.CANDIDATE)


@pytest.fixture
def profile(candidate, settings) -> dict:
    """The candidate with its own profile, filed from a parsed resume."""
    client, user, csrf = candidate
    candidate_id = add_candidate(user, JAVA_SENIOR, settings)
    return {"client": client, "user": user, "csrf": csrf, "id": candidate_id}


def test_before_any_upload_the_page_asks_for_a_resume(candidate):
    client, _, _ = candidate
    page = client.get("/me")
    assert page.status_code == 200
    assert "Start with your resume" in page.text
    assert 'type="file"' in page.text and 'aria-label="Resume file"' in page.text
    assert "data-upload" in page.text
    assert "data-resume-id" not in page.text  # nothing being processed
    matches = client.get("/me/matches")
    assert matches.status_code == 200
    assert "Upload your resume to see matches" in matches.text
    assert 'href="/me"' in matches.text


def test_signing_in_as_a_candidate_lands_on_my_profile(candidate):
    client, _, _ = candidate
    assert client.get("/").headers["location"] == "/me"


def test_my_profile_shows_the_parsed_sections(profile):
    page = profile["client"].get("/me")
    assert page.status_code == 200
    text = page.text
    assert "Ravi Kumar" in text and "Senior Java Developer" in text
    for skill in ("Java", "Spring Boot", "Kafka", "Docker"):
        assert f'<li class="tag">{skill}</li>' in text
    assert "Infosys" in text and "Wipro" in text
    assert "Jan 2015 \u2013 Present" in text and "Jun 2011 \u2013 Dec 2014" in text
    assert "Built payment microservices with Spring Boot and Kafka." in text
    assert "Pune University" in text
    assert f'data-api="/api/resumes/candidates/{profile["id"]}"' in text
    assert 'data-method="PATCH"' in text
    assert 'value="Ravi Kumar"' in text
    assert "Update your resume" in text  # a new version can be uploaded
    assert "No open job matches your profile yet" in text


def test_editing_my_details_through_the_api_shows_on_the_page(profile):
    client, csrf, candidate_id = profile["client"], profile["csrf"], profile["id"]
    url = f"/api/resumes/candidates/{candidate_id}"
    changes = {"headline": "Staff Engineer", "phone": "+91 98765 43210", "location": "Bengaluru"}
    assert client.patch(url, json=changes).status_code == 403  # no CSRF token
    answer = client.patch(url, json=changes, headers=writes(csrf))
    assert answer.status_code == 200, answer.text
    page = client.get("/me")
    assert "Staff Engineer" in page.text
    assert "+91 98765 43210" in page.text
    assert 'value="Bengaluru"' in page.text
    bad = client.patch(url, json={"email": "not an email"}, headers=writes(csrf))
    assert bad.status_code == 422


def test_my_profile_text_is_shown_as_text_never_markup(profile):
    client, csrf, candidate_id = profile["client"], profile["csrf"], profile["id"]
    client.patch(
        f"/api/resumes/candidates/{candidate_id}",
        json={"headline": "<script>alert(1)</script>"},
        headers=writes(csrf),
    )
    page = client.get("/me").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_resume_still_processing_is_followed_live(candidate, settings):
    client, user, _ = candidate
    with new_session() as session:
        resume = stored_resume(session, user, JAVA_SENIOR, settings, ResumeStatus.PARSING)
        resume.progress = 40
        session.commit()
        resume_id = resume.id
    page = client.get("/me")
    assert f'data-resume-id="{resume_id}"' in page.text
    assert 'data-status="parsing"' in page.text and 'data-progress="40"' in page.text


def test_my_matches_show_jobs_with_score_reasons_and_gap(profile, browser_like, settings):
    recruiter, _, recruiter_csrf = browser_like(Role.RECRUITER)
    job = recruiter.post("/api/jobs", json=JAVA_JOB, headers=writes(recruiter_csrf)).json()
    client = profile["client"]
    empty = client.get("/me/matches")
    assert "No open jobs match yet" in empty.text
    assert "data-waiting" in empty.text  # matching runs in the background: the page waits
    with new_session() as session:
        match_rematch.rematch_candidate(session, candidate_id=profile["id"], settings=settings)
    page = client.get("/me/matches")
    assert page.status_code == 200
    assert "Senior Java Developer" in page.text
    (match,) = client.get(f"/api/matching/candidates/{profile['id']}/matches").json()["items"]
    assert match["job_id"] == job["id"]
    assert f'data-match-id="{match["id"]}"' in page.text
    assert f">{int(match['score'])}</span>" in page.text
    for label in ("Skills", "Experience", "Education", "Profile fit", "Location"):
        assert f"<span>{label}</span>" in page.text
    assert "2 of 3 required skills, missing Kubernetes" in page.text
    assert ">Kubernetes<" in page.text
    assert "Build payment microservices in Java on Kubernetes." in page.text  # about the job
    assert "data-mark-viewed" not in page.text  # "viewed" is the recruiter's record
    assert f'data-rematch-me="{profile["id"]}"' in page.text
    assert "/candidates/" not in page.text  # no links into the recruiters' pages
    higher = client.get(f"/me/matches?min_score={match['score'] + 0.5}")
    if match["score"] + 0.5 <= 100:
        assert "data-match-id" not in higher.text
        assert "Show every match" in higher.text
    mine = client.get("/me")
    assert "1 open job" in mine.text and 'href="/me/matches"' in mine.text


def test_asking_for_new_matches_is_accepted(profile):
    client, csrf, candidate_id = profile["client"], profile["csrf"], profile["id"]
    answer = client.post(f"/api/matching/candidates/{candidate_id}/rematch", headers=writes(csrf))
    assert answer.status_code == 202


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.ADMIN])
@pytest.mark.parametrize("path", ["/me", "/me/matches"])
def test_recruiters_and_admins_may_not_open_candidate_pages(browser_like, role, path):
    client, _, _ = browser_like(role)
    page = client.get(path)
    assert page.status_code == 403
    assert "Not allowed" in page.text


def test_another_candidates_profile_never_shows(profile, browser_like):
    other, _, _ = browser_like(Role.CANDIDATE)
    page = other.get("/me")
    assert "Ravi Kumar" not in page.text
    assert "Start with your resume" in page.text
    assert str(profile["id"]) not in page.text
    assert other.get(f"/api/resumes/candidates/{profile['id']}").status_code == 404
    assert not re.search(str(uuid.UUID(str(profile["id"]))), other.get("/me/matches").text)
