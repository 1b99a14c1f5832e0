"""Rematching a job or a candidate: score, keep the best, store them and announce strong new ones.

Who is matched with whom: a job is matched against the candidates its owner may see; a
candidate against the open jobs whose owners may see it (and every open job when the
candidate has an account of its own, since candidates see open jobs).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, load_only

from hotgigs.auth.models import User
from hotgigs.candidates.access import viewers_of
from hotgigs.candidates.models import Candidate
from hotgigs.config import Settings
from hotgigs.db import utcnow
from hotgigs.jobs.models import Job, JobStatus
from hotgigs.matching import explain as explain_lib
from hotgigs.matching import scoring
from hotgigs.matching.features import embedder_for, job_spec, job_vector, refresh_candidates
from hotgigs.matching.models import CandidateMatchFeatures, Match
from hotgigs.matching.pool import job_pool, visible_candidate_ids
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.types import NotificationType

# A rematch over a large database may find hundreds of strong candidates; only the best few
# become notifications, the rest are in the job's match list.
MAX_EVENTS_PER_RUN = 25
# The columns a rematch writes, beside the match's candidate and job.
_VALUES = ("score", "breakdown", "explanation", "missing_skills", "gap", "evidence")


class _Found(NamedTuple):
    """A match that newly reached the notification threshold."""

    id: uuid.UUID
    candidate_id: uuid.UUID
    score: float


def rematch_job(session: Session, *, job_id: uuid.UUID, settings: Settings) -> int:
    """Score every candidate the job's owner may see; keep the best. Returns how many."""
    job = session.get(Job, job_id)
    if job is None:
        return 0
    owner = session.get(User, job.owner_id)
    embedder = embedder_for(settings)
    spec, names = job_spec(job, job_vector(session, job, embedder))
    pool, visible = job_pool(session, owner, embedder, open_job=job.status is JobStatus.OPEN)
    scores = scoring.score(spec, pool.matrix, embedder)
    rows = scoring.top_rows(scores, visible, settings.match_keep_per_job, settings.match_min_score)
    keep = {pool.id_at(row): row for row in rows}
    candidates = _by_id(session, keep)
    found = _store_all(session, job, spec, names, candidates, scores, keep, settings)
    _announce(session, job, found, candidates)
    session.commit()
    return len(keep)


def rematch_candidate(session: Session, *, candidate_id: uuid.UUID, settings: Settings) -> int:
    """Score one candidate against every open job that may consider it. Returns matches kept."""
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        return 0
    existing = {
        m.job_id: m
        for m in session.scalars(select(Match).where(Match.candidate_id == candidate.id))
    }
    jobs = _jobs_considering(session, candidate)
    kept = 0
    if jobs:
        embedder = embedder_for(settings)
        rows = refresh_candidates(session, [candidate], embedder)
        matrix = scoring.FeatureMatrix(rows, rows.dimensions)
    else:
        # No job to score against: skip the embedding (the model's first load takes seconds
        # of a worker's time), and drop stored features that may predate this change, so
        # the next job's rematch computes them afresh.
        session.execute(
            delete(CandidateMatchFeatures).where(
                CandidateMatchFeatures.candidate_id == candidate.id
            )
        )
    seen = {job.id for job in jobs}
    for job in jobs:
        spec, names = job_spec(job, job_vector(session, job, embedder))
        scores = scoring.score(spec, matrix, embedder)
        current = existing.get(job.id)
        if scores.total[0] < settings.match_min_score or not scores.has_required[0]:
            if current is not None:
                session.delete(current)
            continue
        kept += 1
        match = _store(session, job, spec, names, candidate, scores, 0, current, settings)
        if match is not None:
            _announce(session, job, [match], {candidate.id: candidate})
    for job_id, match in existing.items():
        if job_id not in seen and _job_is_open(session, job_id):
            session.delete(match)  # the job's owner no longer sees this candidate
    session.commit()
    return kept


def _job_is_open(session: Session, job_id: uuid.UUID) -> bool:
    job = session.get(Job, job_id)
    return job is not None and job.status is JobStatus.OPEN


def _jobs_considering(session: Session, candidate: Candidate) -> list[Job]:
    """Open jobs whose owners may see the candidate (all open ones for an account holder).

    An account holder sees every open job, so every open job considers it (as job_pool
    does from the job's side); otherwise the owners are access.viewers_of the candidate.
    """
    query = select(Job).where(Job.status == JobStatus.OPEN)
    if candidate.user_id is None:
        query = query.where(
            Job.owner_id.in_(select(User.id).where(viewers_of(candidate=candidate)))
        )
    return list(session.scalars(query))


def _by_id(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Candidate]:
    wanted = list(ids)
    if not wanted:
        return {}
    # What explaining and announcing read: the profile's other JSON is not decoded.
    needed = load_only(
        Candidate.full_name,
        Candidate.resume,
        Candidate.search_document,
        Candidate.total_years_experience,
        Candidate.degree_level,
    )
    query = select(Candidate).options(needed).where(Candidate.id.in_(wanted))
    return {c.id: c for c in session.scalars(query)}


def _store(
    session: Session,
    job: Job,
    spec: scoring.JobSpec,
    names: dict[str, str],
    candidate: Candidate,
    scores: scoring.Scores,
    row: int,
    match: Match | None,
    settings: Settings,
) -> _Found | None:
    """Write one match; returns it when it newly reaches the notification threshold."""
    breakdown = scores.breakdown(row)
    why = explain_candidate(spec, names, candidate, breakdown)
    total = round(float(scores.total[row]), 1)
    was_strong = match is not None and match.score >= settings.match_notify_threshold
    if match is None:
        match = Match(candidate_id=candidate.id, job_id=job.id)
        session.add(match)
    match.score = total
    match.breakdown = breakdown
    match.explanation = why.text
    match.missing_skills = why.missing_skills
    match.gap = why.gap
    match.evidence = [e.as_dict() for e in why.evidence]
    session.flush()
    if total >= settings.match_notify_threshold and not was_strong:
        return _Found(match.id, candidate.id, total)
    return None


def _store_all(
    session: Session,
    job: Job,
    spec: scoring.JobSpec,
    names: dict[str, str],
    candidates: dict[uuid.UUID, Candidate],
    scores: scoring.Scores,
    keep: dict[uuid.UUID, int],
    settings: Settings,
) -> list[_Found]:
    """Write a job's kept matches and delete the rest; returns those newly strong.

    One statement for all new matches and one for all changed ones: a flush per match
    was a round trip and the ORM's bookkeeping, 500 times over.
    """
    columns = [Match.__table__.c[name] for name in _VALUES]
    query = select(Match.candidate_id, Match.id, *columns).where(Match.job_id == job.id)
    stored = {row.candidate_id: row for row in session.execute(query)}
    gone = [row.id for candidate_id, row in stored.items() if candidate_id not in keep]
    if gone:
        session.execute(delete(Match).where(Match.id.in_(gone)))
    now = utcnow()
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    found: list[_Found] = []
    for candidate_id, row in keep.items():
        breakdown = scores.breakdown(row)
        why = explain_candidate(spec, names, candidates[candidate_id], breakdown)
        values = {
            "score": round(float(scores.total[row]), 1),
            "breakdown": breakdown,
            "explanation": why.text,
            "missing_skills": why.missing_skills,
            "gap": why.gap,
            "evidence": [e.as_dict() for e in why.evidence],
        }
        old = stored.get(candidate_id)
        if old is None:
            match_id = uuid.uuid4()
            added.append({"id": match_id, "candidate_id": candidate_id, "job_id": job.id, **values})
        else:
            match_id = old.id
            # An unchanged match keeps its update time, as the ORM left it.
            if any(getattr(old, name) != value for name, value in values.items()):
                changed.append({"id": match_id, "updated_at": now, **values})
        was_strong = old is not None and old.score >= settings.match_notify_threshold
        if values["score"] >= settings.match_notify_threshold and not was_strong:
            found.append(_Found(match_id, candidate_id, values["score"]))
    if added:
        session.execute(insert(Match), added)
    if changed:
        session.execute(update(Match), changed)
    return found


def explain_candidate(
    spec: scoring.JobSpec, names: dict[str, str], candidate: Candidate, breakdown: dict[str, int]
) -> explain_lib.Explanation:
    """Why a candidate scored as it did, from its resume, text and profile figures."""
    return explain_lib.explain(
        spec,
        job_skill_names=names,
        resume=candidate.resume or {},
        text=candidate.search_document or "",
        years=candidate.total_years_experience,
        degree_rank=candidate.degree_level,
        breakdown=breakdown,
    )


def _announce(
    session: Session, job: Job, found: list[_Found], candidates: dict[uuid.UUID, Candidate]
) -> None:
    """`match.found` to the job's owner for the best new strong matches they may see.

    A candidate with an account of their own is matched against every open job, but a job's
    owner hears only of candidates they may see.
    """
    owner = session.get(User, job.owner_id)
    seeable = set(
        session.scalars(
            visible_candidate_ids(owner).where(Candidate.id.in_([m.candidate_id for m in found]))
        )
    )
    announced = [m for m in found if m.candidate_id in seeable]
    for match in sorted(announced, key=lambda m: -m.score)[:MAX_EVENTS_PER_RUN]:
        notifications_service.emit(
            session,
            type=NotificationType.MATCH_FOUND,
            user_id=job.owner_id,
            subject_id=match.candidate_id,
            data={
                "match_id": str(match.id),
                "job_id": str(job.id),
                "job_title": job.title,
                "candidate_id": str(match.candidate_id),
                "candidate_name": candidates[match.candidate_id].full_name,
                "score": match.score,
            },
        )
