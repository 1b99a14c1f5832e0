"""The eight matching routes, rematching, explanations, weights, notifications and erasure."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hotgigs.auth.models import Role, User
from hotgigs.candidates import flows as candidates_flows
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates import sharing
from hotgigs.candidates.models import Candidate, SharePermission
from hotgigs.db import new_session
from hotgigs.matching import features as match_features
from hotgigs.matching import flows as matching_flows
from hotgigs.matching import pool as match_pool
from hotgigs.matching import rematch as match_rematch
from hotgigs.matching import scoring, semantic
from hotgigs.matching.models import CandidateMatchFeatures, Match
from hotgigs.notifications.models import Notification
from hotgigs.parsing import parse_text
from hotgigs.resumes import flows as resumes_flows
from hotgigs.resumes.models import Resume, ResumeSource, ResumeStatus
from hotgigs.resumes.storage import get_store

# Years of experience count up to "now": at a fixed clock the junior (Jul 2023 - Present)
# stays under the job's five years, as this module's rankings assume.
pytestmark = pytest.mark.usefixtures("at_fixed_time")

JAVA_SENIOR = """Ravi Kumar
Senior Java Developer
Pune, Maharashtra
Skills: Java, Spring Boot, Hibernate, MySQL, Docker, Jenkins, Kafka
Experience
Senior Java Developer, Infosys
Jan 2015 - Present
- Built payment microservices with Spring Boot and Kafka.
Java Developer, Wipro
Jun 2011 - Dec 2014
Education
B.Tech in Computer Science, Pune University, 2011
"""

JAVA_JUNIOR = """Anita Desai
Java Developer
Mumbai, Maharashtra
Skills: Java, JSP, Servlets, Oracle
Experience
Java Developer, Cognizant
Jul 2023 - Present
Education
B.Sc in Computer Science, Mumbai University, 2023
"""

TEACHER = """Mary Jones
Elementary School Teacher
Austin, TX
Skills: Lesson Planning, Classroom Management, Curriculum Development
Experience
Teacher, Austin Independent School District
Aug 2012 - Present
Education
Bachelor of Arts in Education, University of Texas, 2012
"""

JAVA_JOB = {
    "title": "Senior Java Developer",
    "description": "Build payment microservices in Java on Kubernetes.",
    "required_skills": ["Java", "Spring Boot", "Kubernetes"],
    "preferred_skills": ["Kafka", "PostgreSQL"],
    "min_years": 5,
    "education": "bachelor",
    "location": "Pune, India",
}


def stored_resume(session, owner: User, text: str, settings, status: ResumeStatus) -> Resume:
    """A resume row for a text file kept in the store."""
    data = text.encode()
    resume = Resume(
        owner_id=owner.id,
        file_sha256=get_store(settings).put(data),
        original_filename="resume.txt",
        file_kind="txt",
        content_type="text/plain",
        size_bytes=len(data),
        source=ResumeSource.UPLOAD,
        status=status,
    )
    session.add(resume)
    session.flush()
    return resume


def add_candidate(owner: User, text: str, settings) -> uuid.UUID:
    """File a parsed resume as the owner's candidate (no matching run)."""
    parsed = parse_text(text)
    with new_session() as session:
        resume = stored_resume(session, owner, text, settings, ResumeStatus.COMPLETED)
        candidate = candidates_service.upsert_from_resume(
            session,
            resume=resume,
            parsed=parsed.resume,
            total_years=parsed.meta.get("total_years_experience"),
            text=text,
            owner=owner,
        ).candidate
        session.commit()
        return candidate.id


def import_in_process(owner: User, text: str, settings) -> uuid.UUID:
    """Run the whole import flow for a text resume here; returns the resume id."""
    with new_session() as session:
        resume_id = stored_resume(session, owner, text, settings, ResumeStatus.QUEUED).id
        session.commit()
    assert resumes_flows.process(resume_id, settings=settings) is ResumeStatus.COMPLETED
    return resume_id


def rematch_job(job_id: str, settings) -> int:
    """Run a job's rematch in this process."""
    with new_session() as session:
        return match_rematch.rematch_job(session, job_id=uuid.UUID(job_id), settings=settings)


def headers_for(login, user: User) -> dict[str, str]:
    """Bearer headers for a user."""
    return {"Authorization": f"Bearer {login(user)['access_token']}"}


@pytest.fixture
def world(client: TestClient, recruiter, login, settings) -> dict:
    """Three candidates of one recruiter and a Java job, matched."""
    headers = headers_for(login, recruiter)
    ids = {
        name: add_candidate(recruiter, text, settings)
        for name, text in (("senior", JAVA_SENIOR), ("junior", JAVA_JUNIOR), ("teacher", TEACHER))
    }
    job = client.post("/api/jobs", json=JAVA_JOB, headers=headers).json()
    rematch_job(job["id"], settings)
    return {"headers": headers, "ids": ids, "job": job}


def test_job_matches_rank_best_first_with_breakdown_explanation_and_gap(
    client: TestClient, world
) -> None:
    response = client.get(
        f"/api/matching/jobs/{world['job']['id']}/matches", headers=world["headers"]
    )
    assert response.status_code == 200
    body = response.json()
    order = [item["candidate_id"] for item in body["items"]]
    assert order[:2] == [str(world["ids"]["senior"]), str(world["ids"]["junior"])]
    assert str(world["ids"]["teacher"]) not in order  # below the minimum score kept
    assert body["total"] == len(order)
    best = body["items"][0]
    assert set(best) >= {
        "id",
        "candidate_id",
        "job_id",
        "score",
        "breakdown",
        "explanation",
        "missing_skills",
    }
    assert set(best["breakdown"]) == {"skills", "experience", "education", "semantic", "location"}
    assert all(0 <= value <= 100 for value in best["breakdown"].values())
    assert 0 <= body["items"][1]["score"] <= best["score"] <= 100
    assert best["explanation"].startswith("2 of 3 required skills, missing Kubernetes")
    assert "1 of 2 preferred skills, missing PostgreSQL" in best["explanation"]
    assert "against 5 years required" in best["explanation"]
    assert best["missing_skills"] == ["Kubernetes", "PostgreSQL"]
    junior = body["items"][1]
    assert junior["breakdown"]["experience"] < best["breakdown"]["experience"]
    assert junior["breakdown"]["location"] < best["breakdown"]["location"]


def test_match_detail_gives_related_skills_and_evidence_found_in_the_resume(
    client: TestClient, world
) -> None:
    items = client.get(
        f"/api/matching/jobs/{world['job']['id']}/matches", headers=world["headers"]
    ).json()["items"]
    detail = client.get(f"/api/matching/matches/{items[0]['id']}", headers=world["headers"])
    assert detail.status_code == 200
    body = detail.json()
    gap = {entry["skill"]: entry for entry in body["gap"]}
    assert gap["Kubernetes"] == {"skill": "Kubernetes", "required": True, "related": ["Docker"]}
    assert gap["PostgreSQL"]["related"] == ["MySQL"]
    assert {e["category"] for e in body["evidence"]} >= {"skills", "experience", "education"}
    for evidence in body["evidence"]:
        assert re.fullmatch(
            r"skills\[\d+\]|work\[\d+\]|education\[\d+\]|basics\.location", evidence["source"]
        )
        # every quoted word is in the resume the candidate was imported from
        for word in re.findall(r"[A-Za-z]{3,}", evidence["text"]):
            if word not in {"present", "Karnataka", "Maharashtra", "IN"}:
                assert word.lower() in JAVA_SENIOR.lower(), (word, evidence)


def test_min_score_and_cursor_pages(client: TestClient, world) -> None:
    url = f"/api/matching/jobs/{world['job']['id']}/matches"
    everything = client.get(url, headers=world["headers"]).json()["items"]
    first = client.get(url, params={"limit": 1}, headers=world["headers"]).json()
    assert [i["id"] for i in first["items"]] == [everything[0]["id"]]
    second = client.get(
        url, params={"limit": 1, "cursor": first["next_cursor"]}, headers=world["headers"]
    ).json()
    assert [i["id"] for i in second["items"]] == [everything[1]["id"]]
    high = everything[0]["score"]
    only_best = client.get(url, params={"min_score": high}, headers=world["headers"]).json()
    assert [i["id"] for i in only_best["items"]] == [everything[0]["id"]]
    assert client.get(url, params={"cursor": "bm9wZQ"}, headers=world["headers"]).status_code == 422
    assert client.get(url, params={"min_score": 101}, headers=world["headers"]).status_code == 422


def test_candidate_matches_viewed_and_stats(client: TestClient, world, settings) -> None:
    headers = world["headers"]
    second = client.post(
        "/api/jobs",
        json={"title": "Java Developer", "required_skills": ["Java", "JSP"], "location": "Mumbai"},
        headers=headers,
    ).json()
    rematch_job(second["id"], settings)
    junior = world["ids"]["junior"]
    matches = client.get(f"/api/matching/candidates/{junior}/matches", headers=headers).json()
    assert [m["job_id"] for m in matches["items"]] == [second["id"], world["job"]["id"]]
    best = matches["items"][0]
    assert best["viewed_at"] is None
    viewed = client.post(f"/api/matching/matches/{best['id']}/viewed", headers=headers)
    assert viewed.status_code == 200
    assert viewed.json()["viewed_at"] is not None
    again = client.put(
        f"/api/matching/matches/{best['id']}/viewed", headers=headers
    )  # the spec's verb
    assert again.status_code == 200
    assert again.json()["viewed_at"] == viewed.json()["viewed_at"]  # the first look counts
    stats = client.get(f"/api/matching/stats/candidate/{junior}", headers=headers).json()
    assert stats["total_matches"] == 2
    assert stats["viewed"] == 1
    assert stats["best_match_id"] == best["id"]
    assert stats["best_job_id"] == second["id"]
    assert stats["best_score"] == best["score"]
    assert sum(stats["score_bands"].values()) == 2

    job_stats = client.get(f"/api/matching/stats/job/{world['job']['id']}", headers=headers).json()
    listed = client.get(f"/api/matching/jobs/{world['job']['id']}/matches", headers=headers).json()
    scores = [item["score"] for item in listed["items"]]
    assert job_stats["total_matches"] == len(scores)
    assert job_stats["best_score"] == max(scores)
    assert job_stats["average_score"] == pytest.approx(sum(scores) / len(scores), abs=0.1)
    assert job_stats["most_missing_skills"][0] == {"skill": "Kubernetes", "candidates": 2}


def test_per_job_weights_change_the_total(client: TestClient, world, settings) -> None:
    headers = world["headers"]
    job_id = world["job"]["id"]
    assert world["job"]["match_weights"]["skills"] == 40
    url = f"/api/matching/jobs/{job_id}/matches"
    before = {i["candidate_id"]: i for i in client.get(url, headers=headers).json()["items"]}
    changed = client.patch(
        f"/api/jobs/{job_id}",
        json={
            "match_weights": {
                "skills": 100,
                "experience": 0,
                "education": 0,
                "semantic": 0,
                "location": 0,
            }
        },
        headers=headers,
    )
    assert changed.status_code == 200
    assert changed.json()["match_weights"]["skills"] == 100
    rematch_job(job_id, settings)
    after = {i["candidate_id"]: i for i in client.get(url, headers=headers).json()["items"]}
    senior = str(world["ids"]["senior"])
    assert after[senior]["score"] == pytest.approx(after[senior]["breakdown"]["skills"], abs=0.6)
    assert after[senior]["score"] != before[senior]["score"]
    zero = {k: 0 for k in ("skills", "experience", "education", "semantic", "location")}
    refused = client.patch(f"/api/jobs/{job_id}", json={"match_weights": zero}, headers=headers)
    assert refused.status_code == 422


def test_strong_new_matches_emit_one_event_each(client: TestClient, world, settings) -> None:
    job_id = uuid.UUID(world["job"]["id"])
    strict = settings.model_copy(update={"match_notify_threshold": 60.0})
    with new_session() as session:
        session.query(Notification).delete()
        session.query(Match).delete()
        session.commit()
    rematch_job(str(job_id), strict)
    rematch_job(str(job_id), strict)  # the same matches again: nothing new to announce
    with new_session() as session:
        found = session.scalars(select(Notification).where(Notification.type == "match_found"))
        found = list(found)
        strong = session.scalars(
            select(Match).where(Match.job_id == job_id, Match.score >= 60)
        ).all()
    assert strong
    assert {e.data["match_id"] for e in found} == {str(m.id) for m in strong}
    assert all(e.data["job_title"] == "Senior Java Developer" for e in found)


def test_a_job_sees_only_its_owners_candidates_and_shares(
    client: TestClient, world, recruiter, make_user, login, settings
) -> None:
    other = make_user(Role.RECRUITER)
    other_headers = headers_for(login, other)
    theirs = client.post("/api/jobs", json=JAVA_JOB, headers=other_headers).json()
    rematch_job(theirs["id"], settings)
    url = f"/api/matching/jobs/{theirs['id']}/matches"
    assert client.get(url, headers=other_headers).json()["items"] == []
    with new_session() as session:
        sharing.share(
            session,
            actor=recruiter,
            candidate_id=world["ids"]["senior"],
            permission=SharePermission.VIEW,
            recruiter_id=other.id,
        )
    rematch_job(theirs["id"], settings)
    listed = client.get(url, headers=other_headers).json()["items"]
    assert [i["candidate_id"] for i in listed] == [str(world["ids"]["senior"])]
    # the owner's own job's matches stay invisible to the other recruiter
    mine = f"/api/matching/jobs/{world['job']['id']}/matches"
    assert client.get(mine, headers=other_headers).status_code == 404


def test_a_job_posted_later_is_matched_to_candidates_with_their_own_account(
    client: TestClient, recruiter, make_user, login, settings
) -> None:
    seeker = make_user(Role.CANDIDATE)
    own_profile = add_candidate(seeker, JAVA_SENIOR, settings)
    headers = headers_for(login, recruiter)
    job = client.post("/api/jobs", json=JAVA_JOB, headers=headers).json()
    rematch_job(job["id"], settings)
    theirs = f"/api/matching/candidates/{own_profile}/matches"
    listed = client.get(theirs, headers=headers_for(login, seeker)).json()["items"]
    assert [m["job_id"] for m in listed] == [job["id"]]
    assert listed[0]["score"] >= settings.match_notify_threshold  # strong enough to announce
    # The recruiter may not see that profile: no match for them, and no word of it.
    assert client.get(f"/api/matching/jobs/{job['id']}/matches", headers=headers).json() == {
        "items": [],
        "total": 0,
        "next_cursor": None,
    }
    with new_session() as session:
        told = session.scalars(
            select(Notification).where(
                Notification.user_id == recruiter.id, Notification.type == "match_found"
            )
        ).all()
    assert told == []
    # The candidate's own rematch does not tell the recruiter either.
    with new_session() as session:
        match_rematch.rematch_candidate(session, candidate_id=own_profile, settings=settings)
        assert (
            session.scalar(select(Notification.id).where(Notification.type == "match_found"))
            is None
        )


def test_erasing_a_candidate_or_deleting_a_job_removes_their_matches(
    client: TestClient, world, recruiter, settings
) -> None:
    senior = world["ids"]["senior"]
    with new_session() as session:
        assert session.scalars(select(Match).where(Match.candidate_id == senior)).all()
        candidate = session.get(Candidate, senior)
        candidates_flows.erase_candidate(
            session, candidate=candidate, actor=recruiter, store=get_store(settings), client_ip=None
        )
    with new_session() as session:
        assert not session.scalars(select(Match).where(Match.candidate_id == senior)).all()
        assert session.get(CandidateMatchFeatures, senior) is None
    deleted = client.delete(f"/api/jobs/{world['job']['id']}", headers=world["headers"])
    assert deleted.status_code == 204
    with new_session() as session:
        assert session.scalars(select(Match)).all() == []


def test_the_hashed_tfidf_fallback_matches_and_stale_vectors_are_refreshed(
    client: TestClient, world, settings
) -> None:
    fallback = settings.model_copy(update={"match_embeddings": "tfidf"})
    rematch_job(world["job"]["id"], fallback)
    with new_session() as session:
        models = set(session.scalars(select(CandidateMatchFeatures.vector_model)))
    assert models == {semantic.HASHED_NAME}
    items = client.get(
        f"/api/matching/jobs/{world['job']['id']}/matches", headers=world["headers"]
    ).json()["items"]
    assert items[0]["candidate_id"] == str(world["ids"]["senior"])
    assert "semantic" in items[0]["breakdown"]


def test_a_queue_failure_never_fails_the_import(recruiter, settings, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(matching_flows, "enqueue_candidate_rematch", broken)
    resume_id = import_in_process(recruiter, JAVA_SENIOR, settings)
    with new_session() as session:
        assert session.get(Resume, resume_id).candidate_id is not None


def test_an_import_queues_matching_of_its_candidate(
    recruiter, settings, client, login, monkeypatch
) -> None:
    job = client.post("/api/jobs", json=JAVA_JOB, headers=headers_for(login, recruiter)).json()
    queued: list[uuid.UUID] = []
    monkeypatch.setattr(matching_flows, "enqueue_candidate_rematch", queued.append)
    resume_id = import_in_process(recruiter, JAVA_SENIOR, settings)
    with new_session() as session:
        candidate_id = session.get(Resume, resume_id).candidate_id
    assert queued == [candidate_id]
    with new_session() as session:  # what the queued task does
        kept = match_rematch.rematch_candidate(
            session, candidate_id=candidate_id, settings=settings
        )
        match = session.scalar(select(Match).where(Match.candidate_id == candidate_id))
        assert kept == 1 and str(match.job_id) == job["id"]
        assert session.get(CandidateMatchFeatures, candidate_id).vector_model
    disabled = settings.model_copy(update={"enable_ai_matching": False})
    queued.clear()
    import_in_process(recruiter, JAVA_JUNIOR, disabled)
    assert queued == []


def test_a_process_keeps_the_feature_matrix_and_brings_it_up_to_date(
    world, recruiter, make_user, settings
) -> None:
    embedder = match_features.embedder_for(settings)
    admin = make_user(Role.ADMIN)
    with new_session() as session:
        first = match_pool.whole_pool(session, embedder)
        assert match_pool.whole_pool(session, embedder) is first  # nothing changed
        assert first.live_rows == 3
        pool, visible = match_pool.job_pool(session, make_user(Role.RECRUITER), embedder)
        assert pool is first and visible is not None and not visible.any()
        admin_pool, everyone = match_pool.job_pool(session, admin, embedder)
        assert admin_pool is first and everyone is None

    # a new candidate: its row is appended, nothing is loaded afresh
    new_id = add_candidate(recruiter, JAVA_JUNIOR.replace("Anita", "Asha"), settings)
    with new_session() as session:
        pool, visible = match_pool.job_pool(session, recruiter, embedder)
        assert pool is not first and pool.live_rows == 4
        assert visible is not None and visible.sum() == 4
        row = pool.row_of[
            next(raw for raw in pool.row_of if pool.id_at(pool.row_of[raw]) == new_id)
        ]
        assert pool.alive is None or pool.alive[row]
        assert pool.matrix.skills.has("jsp")[row] == 1.0

    # a changed candidate: its new row replaces the old one
    senior = world["ids"]["senior"]
    with new_session() as session:
        candidate = session.get(Candidate, senior)
        candidate.resume = {**candidate.resume, "skills": [{"name": "Kubernetes"}]}
        match_features.refresh_candidates(session, [candidate], embedder)
        session.commit()
    with new_session() as session:
        pool, everyone = match_pool.job_pool(session, admin, embedder)
        live = [
            r
            for r in range(pool.matrix.size)
            if pool.id_at(r) == senior and (everyone is None or everyone[r])
        ]
        assert len(live) == 1 and pool.live_rows == 4
        assert pool.matrix.skills.has("kubernetes")[live[0]] == 1.0

    # an erased candidate: its row is retired
    with new_session() as session:
        candidates_flows.erase_candidate(
            session,
            candidate=session.get(Candidate, senior),
            actor=recruiter,
            store=get_store(settings),
            client_ip=None,
        )
    with new_session() as session:
        pool, everyone = match_pool.job_pool(session, admin, embedder)
        assert pool.live_rows == 3
        live = {pool.id_at(r) for r in range(pool.matrix.size) if everyone is None or everyone[r]}
        assert senior not in live and new_id in live


def test_a_kept_pool_retires_replaced_and_removed_rows() -> None:
    def features(skill: str) -> scoring.CandidateFeatures:
        return scoring.CandidateFeatures(
            skills=[skill],
            years=None,
            degree_rank=0,
            title_words=[],
            field_words=[],
            location_words=[],
        )

    pool = match_pool.Pool(
        raw_ids=["a", "b"],
        matrix=scoring.FeatureMatrix(
            scoring.FeatureRows.of([features("java"), features("go")]), None
        ),
    )
    newer = pool.with_rows(["b", "c"], scoring.FeatureRows.of([features("rust"), features("c#")]))
    assert newer.matrix.size == 4 and newer.live_rows == 3
    assert newer.alive.tolist() == [True, False, True, True]
    assert newer.row_of["b"] == 2
    assert newer.matrix.skills.has("rust").tolist() == [0, 0, 1, 0]
    fewer = newer.keep_only({"a", "c"})
    assert fewer.alive.tolist() == [True, False, False, True]
    assert fewer.live_rows == 2
    assert pool.live_rows == 2 and pool.alive is None  # the kept pool itself is unchanged


def test_a_candidate_with_no_open_job_to_consider_is_not_embedded_until_one_is_posted(
    recruiter, settings, client, login, monkeypatch
) -> None:
    monkeypatch.setattr(matching_flows, "enqueue_job_rematch", lambda _job_id: "")
    candidate_id = add_candidate(recruiter, JAVA_SENIOR, settings)
    with new_session() as session:
        session.add(
            CandidateMatchFeatures(candidate_id=candidate_id, vector=b"", vector_model="old")
        )
        session.commit()
        # Nothing to score against: no embedding, and features from before an edit are gone.
        assert (
            match_rematch.rematch_candidate(session, candidate_id=candidate_id, settings=settings)
            == 0
        )
        assert session.get(CandidateMatchFeatures, candidate_id) is None
    job = client.post("/api/jobs", json=JAVA_JOB, headers=headers_for(login, recruiter)).json()
    assert rematch_job(job["id"], settings) == 1
    with new_session() as session:
        assert session.get(CandidateMatchFeatures, candidate_id).vector_model != "old"


def test_match_lists_take_the_specs_skip_and_search(client: TestClient, world) -> None:
    url = f"/api/matching/jobs/{world['job']['id']}/matches"
    headers = world["headers"]
    everyone = client.get(url, headers=headers).json()["items"]

    second = client.get(f"{url}?skip=1&limit=1", headers=headers).json()
    assert [m["id"] for m in second["items"]] == [everyone[1]["id"]]
    assert second["total"] == len(everyone)

    anita = client.get(f"{url}?search=anita", headers=headers).json()
    assert [m["candidate_id"] for m in anita["items"]] == [str(world["ids"]["junior"])]
    by_title = client.get(f"{url}?search=java%20dev", headers=headers).json()  # the job's title
    assert len(by_title["items"]) == len(everyone)
    assert client.get(f"{url}?search=100%25", headers=headers).json()["items"] == []

    cursor = client.get(f"{url}?limit=1", headers=headers).json()["next_cursor"]
    both = client.get(f"{url}?skip=1&cursor={cursor}", headers=headers)
    assert both.status_code == 422
