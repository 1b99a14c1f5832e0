"""The match views in-process: the Matching page's table, a profile's matches, one match."""

from __future__ import annotations

import re
import uuid

import pytest
from markupsafe import escape

from hotgigs.auth.models import Role
from hotgigs.candidates import sharing
from hotgigs.candidates.models import Candidate, SharePermission
from hotgigs.db import new_session
from tests.matching.test_match_floor import JAVA_BEGINNER, lower_floor
from tests.matching.test_matching_api import (
    JAVA_JOB,
    JAVA_JUNIOR,
    JAVA_SENIOR,
    add_candidate,
    rematch_job,
)
from tests.web import conftest as web_conftest

pytestmark = pytest.mark.usefixtures("at_fixed_time")
# Bound by assignment, not import, so ruff's F811 does not flag the fixture arguments.
browser_like = web_conftest.browser_like
writes = web_conftest.writes
SECOND_JOB = {"title": "Java Developer", "required_skills": ["Java", "JSP"], "location": "Mumbai"}


def match_ids(page: str) -> list[str]:
    """The matches of a page, in the order shown."""
    return re.findall(r'data-match-id="([0-9a-f-]{36})"', page)


def row_of(page: str, match_id: str) -> str:
    """The markup of one match (its row and its details row)."""
    start = page.index(f'data-match-id="{match_id}"')
    return page[start : page.index("</tbody>", start)]


@pytest.fixture
def matched(browser_like, settings) -> dict:
    """A recruiter's three candidates and two Java jobs, matched (one under a lower floor)."""
    client, user, csrf = browser_like(Role.RECRUITER)
    ids = {
        name: add_candidate(user, text, settings)
        for name, text in (
            ("senior", JAVA_SENIOR),
            ("junior", JAVA_JUNIOR),
            ("beginner", JAVA_BEGINNER),
        )
    }
    job = client.post("/api/jobs", json=JAVA_JOB, headers=writes(csrf)).json()
    rematch_job(job["id"], lower_floor(settings))
    second = client.post("/api/jobs", json=SECOND_JOB, headers=writes(csrf)).json()
    rematch_job(second["id"], settings)
    items = client.get(f"/api/matching/jobs/{job['id']}/matches").json()["items"]
    return {
        "client": client,
        "user": user,
        "ids": ids,
        "job": job,
        "second": second,
        "items": items,
    }


def test_the_matching_page_is_a_table_from_the_floor_with_details_on_demand(
    matched, settings
) -> None:
    client, job, items, ids = matched["client"], matched["job"], matched["items"], matched["ids"]
    page = client.get(f"/matching?job={job['id']}").text
    assert '<table class="match-table"' in page
    for header in ("Rank", "Candidate", "Score", "Required skills", "Experience", "Location"):
        assert f">{header}</th>" in page
    assert match_ids(page) == [item["id"] for item in items]
    assert str(ids["beginner"]) not in page  # below MATCH_MIN_SCORE: not listed by default
    floor = int(settings.match_min_score)
    assert f'<option value="{floor}" selected>{floor} or more</option>' in page

    best = items[0]
    row = row_of(page, best["id"])
    assert '<th scope="row" class="match-who">' in row
    assert f'href="/candidates/{ids["senior"]}"' in row
    assert '<span aria-hidden="true">2/3</span><span class="sr-only">2 of 3</span>' in row
    assert "+1 related" in row  # Docker, related to the missing Kubernetes
    with new_session() as session:
        senior = session.get(Candidate, ids["senior"])
        years, place = senior.total_years_experience, senior.location
    assert f"{round(years, 1):g} yrs" in row and str(escape(place)) in row
    toggle = re.search(r"<button[^>]*data-match-toggle[^>]*>", row).group(0)
    assert 'aria-expanded="false"' in toggle
    assert f'aria-controls="match-details-{best["id"]}"' in toggle
    assert f'<tr class="match-details" id="match-details-{best["id"]}" hidden>' in row
    details = row[row.index('class="match-details"') :]
    assert "<span>Skills</span>" in details and str(escape(best["explanation"])) in details
    assert f'href="/matching/matches/{best["id"]}"' in details
    assert f'data-mark-viewed="{best["id"]}"' in details

    everything = client.get(f"/matching?job={job['id']}&min_score=0").text
    assert str(ids["beginner"]) in everything
    assert len(match_ids(everything)) == len(items) + 1
    assert '<option value="0" selected>Any score</option>' in everything


@pytest.mark.slow
def test_a_profile_lists_the_candidates_matches_with_jobs_the_viewer_may_see(
    matched, browser_like, settings
) -> None:
    client, ids = matched["client"], matched["ids"]
    junior = ids["junior"]
    mine = client.get(f"/api/matching/candidates/{junior}/matches").json()["items"]
    assert [m["job_id"] for m in mine] == [matched["second"]["id"], matched["job"]["id"]]
    page = client.get(f"/candidates/{junior}").text
    assert "data-profile-matches" in page and 'id="matches-title">Matches</h2>' in page
    assert match_ids(page) == [m["id"] for m in mine]
    for match in mine:
        row = row_of(page, match["id"])
        assert f'href="/matching?job={match["job_id"]}"' in row
        assert f">{int(match['score'])}</span>" in row
        assert f'id="match-details-{match["id"]}" hidden' in row
        assert f'href="/matching/matches/{match["id"]}"' in row
        assert "<span>Skills</span>" in row
    assert ">2/2</span>" in row_of(page, mine[0]["id"])  # Java and JSP

    # The anonymised view shows no matches at all.
    anonymous = client.get(f"/candidates/{junior}?view=anonymised").text
    assert "data-profile-matches" not in anonymous and "/matching/matches/" not in anonymous

    # A weak match stays below the floor here too.
    weak = client.get(f"/candidates/{ids['beginner']}").text
    assert "data-profile-matches" in weak and match_ids(weak) == []
    assert f"with a score of {int(settings.match_min_score)} or more yet" in weak

    # A colleague the candidate is shared with sees its matches with their own jobs only.
    other, colleague, other_csrf = browser_like(Role.RECRUITER)
    with new_session() as session:
        sharing.share(
            session,
            actor=matched["user"],
            candidate_id=junior,
            permission=SharePermission.VIEW,
            recruiter_id=colleague.id,
        )
    theirs = other.post("/api/jobs", json=SECOND_JOB, headers=writes(other_csrf)).json()
    rematch_job(theirs["id"], settings)
    (their_match,) = other.get(f"/api/matching/candidates/{junior}/matches").json()["items"]
    seen = other.get(f"/candidates/{junior}").text
    assert match_ids(seen) == [their_match["id"]]
    assert matched["job"]["id"] not in seen and matched["second"]["id"] not in seen
    assert theirs["id"] not in client.get(f"/candidates/{junior}").text


@pytest.mark.slow
def test_a_matchs_explanation_page_shows_its_evidence(matched, browser_like) -> None:
    client, best = matched["client"], matched["items"][0]
    page = client.get(f"/matching/matches/{best['id']}")
    assert page.status_code == 200
    text = page.text
    assert "Ravi Kumar" in text and "Senior Java Developer" in text
    assert f'href="/candidates/{matched["ids"]["senior"]}"' in text
    assert str(escape(best["explanation"])) in text
    assert ">has required skill Java</th>" in text
    assert '<td class="nowrap">Skills list</td>' in text
    assert '<td class="nowrap">Experience 1</td>' in text
    assert ">Kubernetes<" in text and "Docker (for Kubernetes)" in text
    assert f'data-mark-viewed="{best["id"]}"' in text
    assert f'href="/matching?job={matched["job"]["id"]}"' in text

    other, _, _ = browser_like(Role.RECRUITER)
    assert other.get(f"/matching/matches/{best['id']}").status_code == 404
    assert other.get("/matching/matches/not-a-match").status_code == 404
    assert other.get(f"/matching/matches/{uuid.uuid4()}").status_code == 404
    seeker, _, _ = browser_like(Role.CANDIDATE)
    assert seeker.get(f"/matching/matches/{best['id']}").status_code == 403
