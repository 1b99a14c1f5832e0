"""The match floor: MATCH_MIN_SCORE, and no match without any of a job's required skills."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hotgigs.candidates.models import Candidate
from hotgigs.config import Settings
from hotgigs.db import new_session
from hotgigs.jobs.models import Job
from hotgigs.matching import features as match_features
from hotgigs.matching import rematch as match_rematch
from hotgigs.matching import scoring
from hotgigs.matching.models import Match
from tests.matching.test_matching_api import (
    JAVA_JOB,
    JAVA_SENIOR,
    TEACHER,
    add_candidate,
    headers_for,
    rematch_job,
)

pytestmark = pytest.mark.usefixtures("at_fixed_time")

# Holds one of the Java job's required skills and little else: a weak match.
JAVA_BEGINNER = """Sam Lee
Support Technician
Austin, TX
Skills: Java, Excel
Experience
Support Technician, Acme Corp
Jan 2024 - Present
"""

# Everything of a data engineer but the skills: same city, title words, degree and years.
DATA_ANALYST = """Dana Whitfield
Senior Data Analyst
Austin, TX
Skills: Excel, Tableau, PowerPoint, Stakeholder Management
Experience
Senior Data Analyst, Dell Technologies
Jan 2014 - Present
- Built executive dashboards and quarterly data reports for engineering managers.
Data Analyst, Whole Foods Market
Jun 2010 - Dec 2013
Education
Master of Science in Data Analytics, University of Texas at Austin, 2010
"""

DATA_ENGINEER_JOB = {
    "title": "Senior Data Engineer",
    "description": "Build batch and streaming data pipelines and keep the warehouse fast.",
    "required_skills": ["Python", "Apache Spark", "Airflow"],
    "preferred_skills": ["Kafka"],
    "min_years": 5,
    "education": "bachelor",
    "location": "Austin, TX",
}


def stored_scores(job_id: str) -> dict[uuid.UUID, float]:
    """The kept matches of a job: candidate id to score."""
    with new_session() as session:
        rows = session.execute(
            select(Match.candidate_id, Match.score).where(Match.job_id == uuid.UUID(job_id))
        )
        return dict(rows.all())


def lower_floor(settings: Settings) -> Settings:
    """Settings keeping every match with a required skill (as a lower MATCH_MIN_SCORE did)."""
    return settings.model_copy(update={"match_min_score": 0.0})


@pytest.mark.slow
def test_job_and_candidate_match_lists_start_at_match_min_score_unless_asked(
    client: TestClient, recruiter, login, settings
) -> None:
    headers = headers_for(login, recruiter)
    senior = add_candidate(recruiter, JAVA_SENIOR, settings)
    beginner = add_candidate(recruiter, JAVA_BEGINNER, settings)
    job = client.post("/api/jobs", json=JAVA_JOB, headers=headers).json()
    rematch_job(job["id"], lower_floor(settings))  # rows kept under a lower floor
    kept = stored_scores(job["id"])
    assert kept[senior] >= settings.match_min_score
    assert 0 < kept[beginner] < settings.match_min_score  # a weak match, stored

    url = f"/api/matching/jobs/{job['id']}/matches"
    default = client.get(url, headers=headers).json()
    assert [i["candidate_id"] for i in default["items"]] == [str(senior)]
    assert default["total"] == 1
    everything = client.get(url, params={"min_score": 0}, headers=headers).json()
    assert [i["candidate_id"] for i in everything["items"]] == [str(senior), str(beginner)]
    above = client.get(url, params={"min_score": kept[senior]}, headers=headers).json()
    assert [i["candidate_id"] for i in above["items"]] == [str(senior)]
    assert client.get(url, params={"min_score": -1}, headers=headers).status_code == 422

    theirs = f"/api/matching/candidates/{beginner}/matches"
    assert client.get(theirs, headers=headers).json()["items"] == []
    low = client.get(theirs, params={"min_score": 0}, headers=headers).json()["items"]
    assert [m["job_id"] for m in low] == [job["id"]]


def test_a_rematch_keeps_no_match_below_the_floor(
    client: TestClient, recruiter, login, settings
) -> None:
    senior = add_candidate(recruiter, JAVA_SENIOR, settings)
    beginner = add_candidate(recruiter, JAVA_BEGINNER, settings)
    job = client.post("/api/jobs", json=JAVA_JOB, headers=headers_for(login, recruiter)).json()
    rematch_job(job["id"], lower_floor(settings))
    assert set(stored_scores(job["id"])) == {senior, beginner}
    assert rematch_job(job["id"], settings) == 1
    assert set(stored_scores(job["id"])) == {senior}
    with new_session() as session:
        kept = match_rematch.rematch_candidate(session, candidate_id=beginner, settings=settings)
    assert kept == 0 and set(stored_scores(job["id"])) == {senior}


def test_none_of_the_required_skills_is_no_match_whatever_the_score(
    client: TestClient, recruiter, login, settings
) -> None:
    headers = headers_for(login, recruiter)
    ids = {
        name: add_candidate(recruiter, text, settings)
        for name, text in (("analyst", DATA_ANALYST), ("java", JAVA_SENIOR), ("teacher", TEACHER))
    }
    job = client.post("/api/jobs", json=DATA_ENGINEER_JOB, headers=headers).json()
    # The analyst shares the job's title words, city, degree and years: scored, it passes
    # the floor without one of the job's skills; the Java developer has Kafka (preferred).
    with new_session() as session:
        embedder = match_features.embedder_for(settings)
        spec, _names = match_features.job_spec(session.get(Job, uuid.UUID(job["id"])), None)
        people = [session.get(Candidate, ids[name]) for name in ids]
        features = match_features.refresh_candidates(session, people, embedder)
        scores = scoring.score(spec, scoring.FeatureMatrix(features, None), None)
    assert scores.total[0] >= settings.match_min_score
    assert not scores.has_required.any()

    assert rematch_job(job["id"], lower_floor(settings)) == 0
    assert stored_scores(job["id"]) == {}
    listed = client.get(
        f"/api/matching/jobs/{job['id']}/matches", params={"min_score": 0}, headers=headers
    )
    assert listed.json() == {"items": [], "total": 0, "next_cursor": None}
    with new_session() as session:
        for candidate_id in ids.values():
            match_rematch.rematch_candidate(
                session, candidate_id=candidate_id, settings=lower_floor(settings)
            )
    assert stored_scores(job["id"]) == {}

    # The rule needs required skills: a job asking only for preferred ones matches them.
    open_ended = client.post(
        "/api/jobs",
        json={**DATA_ENGINEER_JOB, "required_skills": [], "preferred_skills": ["Tableau"]},
        headers=headers,
    ).json()
    rematch_job(open_ended["id"], lower_floor(settings))
    assert ids["analyst"] in stored_scores(open_ended["id"])
