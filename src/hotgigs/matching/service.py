"""Matching: stored features, rematching a job or a candidate, and reading matches as allowed.

Who is matched with whom: a job is matched against the candidates its owner may see; a
candidate against the open jobs whose owners may see it (and every open job when the
candidate has an account of its own, since candidates see open jobs). A caller sees a match
only when it may see both the candidate and the job.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Select, String, and_, delete, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from hotgigs.auth.models import Role, User
from hotgigs.candidates import search as candidates_search
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.access import viewers_of, visible_to
from hotgigs.candidates.models import Candidate
from hotgigs.config import Settings
from hotgigs.db import utcnow
from hotgigs.errors import Invalid, NotFound
from hotgigs.jobs import service as jobs_service
from hotgigs.jobs.models import Job, JobStatus
from hotgigs.matching import explain as explain_lib
from hotgigs.matching import scoring, semantic
from hotgigs.matching.models import CandidateMatchFeatures, JobMatchFeatures, Match
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.types import NotificationType
from hotgigs.parsing import skills as skills_lib

log = logging.getLogger(__name__)
# A rematch over a large database may find hundreds of strong candidates; only the best few
# become notifications, the rest are in the job's match list.
MAX_EVENTS_PER_RUN = 25
FEATURE_BATCH = 256
SCORE_BANDS = (
    ("0-19", 0, 20),
    ("20-39", 20, 40),
    ("40-59", 40, 60),
    ("60-79", 60, 80),
    ("80-100", 80, 101),
)


class MatchNotFound(NotFound):
    """No match with that id is visible to the caller (it may not exist at all)."""


def embedder_for(settings: Settings) -> semantic.Embedder:
    """The embedder the settings choose (loaded once per process)."""
    return semantic.get_embedder(settings.match_embeddings)


# --- features -------------------------------------------------------------------------


def profile_text(candidate: Candidate) -> str:
    """What a candidate's vector is made from: headline, titles, skills, studies, summary."""
    resume = candidate.resume or {}
    basics = resume.get("basics") or {}
    parts = [candidate.headline, basics.get("summary") or ""]
    parts += [_text(w.get("position")) for w in _entries(resume, "work")]
    parts.append(", ".join(_text(s.get("name")) for s in _entries(resume, "skills")))
    parts += [
        f"{_text(e.get('studyType'))} {_text(e.get('area'))}" for e in _entries(resume, "education")
    ]
    parts += [h for w in _entries(resume, "work") for h in w.get("highlights") or []][:10]
    return "\n".join(p.strip() for p in parts if isinstance(p, str) and p.strip())[:4000]


def job_text(job: Job) -> str:
    """What a job's vector is made from."""
    skills = ", ".join([*job.required_skills, *job.preferred_skills])
    return "\n".join(p for p in (job.title, skills, (job.description or "")[:4000]) if p)


def _entries(resume: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [e for e in resume.get(key) or [] if isinstance(e, dict)]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def feature_values(candidate: Candidate) -> dict[str, Any]:
    """A candidate's word features as stored (skills joined by "|", words by spaces)."""
    resume = candidate.resume or {}
    titles = [candidate.headline] + [_text(w.get("position")) for w in _entries(resume, "work")]
    fields = [
        f"{_text(e.get('area'))} {_text(e.get('studyType'))}" for e in _entries(resume, "education")
    ]
    location = (resume.get("basics") or {}).get("location") or {}
    places = [candidate.location] + [
        _text(location.get(k)) for k in ("city", "region", "countryCode")
    ]
    return {
        "skills": "|".join(candidates_search.candidate_skills(candidate)),
        "title_words": " ".join(dict.fromkeys(w for t in titles for w in scoring.words(t))),
        "field_words": " ".join(dict.fromkeys(w for f in fields for w in scoring.words(f))),
        "location_words": " ".join(dict.fromkeys(w for p in places for w in scoring.words(p))),
        "text_signature": scoring.word_signature(candidate.search_document or ""),
    }


def refresh_candidates(
    session: Session, candidates: Sequence[Candidate], embedder: semantic.Embedder
) -> list[scoring.CandidateFeatures]:
    """Compute and store the matching features of candidates (vectors in batches)."""
    computed = []
    for start in range(0, len(candidates), FEATURE_BATCH):
        batch = candidates[start : start + FEATURE_BATCH]
        vectors = embedder.encode([profile_text(c) for c in batch])
        for candidate, vector in zip(batch, vectors, strict=True):
            values = feature_values(candidate)
            session.merge(
                CandidateMatchFeatures(
                    candidate_id=candidate.id,
                    vector=semantic.to_bytes(vector),
                    vector_model=embedder.name,
                    updated_at=utcnow(),
                    **values,
                )
            )
            computed.append(
                features_from_values(
                    values,
                    years=candidate.total_years_experience,
                    degree_rank=candidate.degree_level,
                    vector=vector,
                )
            )
    session.flush()
    return computed


def _job_vector(session: Session, job: Job, embedder: semantic.Embedder) -> np.ndarray:
    """The job's stored vector, made again when the job's text or the embedder changed."""
    text = job_text(job)
    digest = hashlib.sha256(text.encode()).hexdigest()
    stored = session.get(JobMatchFeatures, job.id)
    if stored is None or stored.vector_model != embedder.name or stored.text_sha256 != digest:
        stored = session.merge(
            JobMatchFeatures(
                job_id=job.id,
                vector=semantic.to_bytes(embedder.encode([text])[0]),
                vector_model=embedder.name,
                text_sha256=digest,
            )
        )
    return semantic.from_bytes(stored.vector)


def job_spec(job: Job, vector: np.ndarray | None) -> tuple[scoring.JobSpec, dict[str, str]]:
    """A job in comparable form, and the job's own spelling of each skill key."""
    names: dict[str, str] = {}
    for name in [*job.required_skills, *job.preferred_skills]:
        names.setdefault(skills_lib.canonical_key(name), name)
    required = tuple(dict.fromkeys(skills_lib.canonical_key(s) for s in job.required_skills))
    preferred = tuple(
        key
        for key in dict.fromkeys(skills_lib.canonical_key(s) for s in job.preferred_skills)
        if key not in required
    )
    education = candidates_search.DegreeLevel(job.education).rank if job.education else 0
    spec = scoring.JobSpec(
        title=job.title,
        required=required,
        preferred=preferred,
        min_years=job.min_years,
        education_rank=education,
        location=job.location or "",
        remote=bool(job.remote),
        field_words=frozenset(scoring.words(job_text(job))),
        weights={**scoring.DEFAULT_WEIGHTS, **(job.match_weights or {})},
        vector=vector,
    )
    return spec, names


@dataclass
class Pool:
    """Candidates' ids and their features as one matrix, rows in the same order."""

    raw_ids: list[Any]
    matrix: scoring.FeatureMatrix
    # Rows of a kept matrix whose candidate changed since are superseded by a later row.
    alive: np.ndarray | None = None
    row_of: dict[Any, int] = field(init=False)

    def __post_init__(self) -> None:
        self.row_of = {raw: row for row, raw in enumerate(self.raw_ids)}

    def with_rows(self, raw_ids: list[Any], features: Sequence[scoring.CandidateFeatures]) -> Pool:
        """This pool with the changed candidates' rows appended and their old rows retired."""
        alive = np.ones(self.matrix.size, dtype=bool) if self.alive is None else self.alive.copy()
        alive[[self.row_of[raw] for raw in raw_ids if raw in self.row_of]] = False
        alive = np.concatenate([alive, np.ones(len(features), dtype=bool)])
        matrix = self.matrix.appended(features)
        return Pool(raw_ids=self.raw_ids + list(raw_ids), matrix=matrix, alive=alive)

    def keep_only(self, live: set[Any]) -> Pool:
        """The same pool with the rows of candidates no longer stored retired."""
        alive = np.ones(self.matrix.size, dtype=bool) if self.alive is None else self.alive.copy()
        for raw, row in self.row_of.items():
            if raw not in live:
                alive[row] = False
        return Pool(raw_ids=self.raw_ids, matrix=self.matrix, alive=alive)

    @property
    def live_rows(self) -> int:
        """How many rows stand for a current candidate."""
        return self.matrix.size if self.alive is None else int(self.alive.sum())

    def id_at(self, row: int) -> uuid.UUID:
        """The candidate id of a row."""
        return uuid.UUID(str(self.raw_ids[row]))


def refresh_stale(
    session: Session, candidate_ids: Select[Any], embedder: semantic.Embedder
) -> None:
    """Compute the features of the selected candidates that have none, or another embedder's."""
    stale = session.scalars(
        select(Candidate)
        .outerjoin(CandidateMatchFeatures)
        .where(
            Candidate.id.in_(candidate_ids),
            or_(
                CandidateMatchFeatures.candidate_id.is_(None),
                CandidateMatchFeatures.vector_model != embedder.name,
            ),
        )
    ).all()
    if stale:
        refresh_candidates(session, stale, embedder)


def load_pool(session: Session, embedder: semantic.Embedder) -> Pool:
    """Every candidate's stored features as one matrix."""
    raw_ids, features = load_features(session, embedder)
    dimensions = next((f.vector.shape[0] for f in features if f.vector is not None), None)
    return Pool(raw_ids=raw_ids, matrix=scoring.FeatureMatrix(features, dimensions))


def load_features(
    session: Session,
    embedder: semantic.Embedder,
    *,
    changed_since: datetime | None = None,
) -> tuple[list[Any], list[scoring.CandidateFeatures]]:
    """Stored features: all, or those changed since a time."""
    query = select(
        # ids stay raw (hex text on SQLite): only the kept rows' ids are ever converted
        type_coerce(CandidateMatchFeatures.candidate_id, String),
        CandidateMatchFeatures.skills,
        CandidateMatchFeatures.title_words,
        CandidateMatchFeatures.field_words,
        CandidateMatchFeatures.location_words,
        CandidateMatchFeatures.text_signature,
        CandidateMatchFeatures.vector,
        CandidateMatchFeatures.vector_model,
        Candidate.total_years_experience,
        Candidate.degree_level,
    ).join(Candidate)
    if changed_since is not None:
        query = query.where(CandidateMatchFeatures.updated_at >= changed_since)
    # Plain rows through the connection, not the ORM: ORM rows cost seconds at 100,000.
    rows = session.connection().execute(query).all()
    name = embedder.name
    features = [
        features_from_values(
            r._mapping,
            years=r.total_years_experience,
            degree_rank=r.degree_level,
            vector=semantic.from_bytes(r.vector) if r.vector and r.vector_model == name else None,
        )
        for r in rows
    ]
    return [r[0] for r in rows], features


def features_from_values(
    values: Mapping[str, Any], *, years: float | None, degree_rank: int, vector: np.ndarray | None
) -> scoring.CandidateFeatures:
    """Scoring's view of a candidate from its stored word features and profile figures."""
    return scoring.CandidateFeatures(
        skills=[s for s in values["skills"].split("|") if s],
        years=years,
        degree_rank=degree_rank or 0,
        title_words=values["title_words"].split(),
        field_words=values["field_words"].split(),
        location_words=values["location_words"].split(),
        vector=vector,
        signature=values.get("text_signature"),
    )


@dataclass
class _CachedPool:
    """Every candidate's features, as of a stamp of the features table."""

    key: tuple[str, str]  # database, embedder
    stamp: tuple[int, datetime | None]  # row count, newest update
    pool: Pool


_cached: _CachedPool | None = None
_cache_lock = threading.Lock()
# Past this share of retired rows, loading afresh is cheaper than carrying them.
MAX_RETIRED_SHARE = 0.2
# A row stamped just before the newest one seen may commit just after it was read: rows
# this close to the newest are taken again (a re-taken row replaces itself).
COMMIT_SKEW = timedelta(seconds=5)


def whole_pool(session: Session, embedder: semantic.Embedder) -> Pool:
    """Every candidate's features, kept in this process and brought up to date on each use.

    Loading 100,000 candidates' features takes seconds; scoring them, milliseconds. A worker
    keeps the matrix; when feature rows were added or changed since (the row count or the
    newest update time moved) it appends just those rows and retires the rows they replace,
    and when rows were removed it retires theirs, loading afresh only when a fifth of the
    rows are retired.
    """
    global _cached
    key = (session.get_bind().url.render_as_string(hide_password=True), embedder.name)
    count, newest = session.execute(
        select(func.count(), func.max(CandidateMatchFeatures.updated_at))
    ).one()
    with _cache_lock:
        if _cached is None or _cached.key != key or _cached.pool.matrix.vectors is None:
            _cached = _CachedPool(key, (count, newest), load_pool(session, embedder))
        elif _cached.stamp != (count, newest):
            _cached = _CachedPool(key, (count, newest), _updated(session, _cached, count, embedder))
        return _cached.pool


def _updated(
    session: Session, cached: _CachedPool, stored: int, embedder: semantic.Embedder
) -> Pool:
    """The kept pool with what changed since its stamp (`stored`: feature rows there now)."""
    pool = cached.pool
    _count, newest = cached.stamp
    if newest is not None:
        since = newest - COMMIT_SKEW
        raw_ids, features = load_features(session, embedder, changed_since=since)
        pool = pool.with_rows(raw_ids, features)
    if pool.live_rows != stored:  # rows were removed: retire them
        ids = session.connection().execute(
            select(type_coerce(CandidateMatchFeatures.candidate_id, String))
        )
        pool = pool.keep_only(set(ids.scalars()))
    if newest is None or pool.matrix.size - pool.live_rows > MAX_RETIRED_SHARE * pool.matrix.size:
        return load_pool(session, embedder)
    return pool


def forget_cached_pool() -> None:
    """Drop this process's kept matrix (the next job rematch loads it again)."""
    global _cached
    with _cache_lock:
        _cached = None


def job_pool(
    session: Session, owner: User, embedder: semantic.Embedder, *, open_job: bool = False
) -> tuple[Pool, np.ndarray | None]:
    """The features of every candidate, and which rows a job may consider.

    Those are the candidates the job's owner may see, and, for an open job, candidates with
    an account of their own: they see every open job, so the job is matched against them
    too (its owner still sees only matches with candidates they may see).
    """
    considered = visible_candidate_ids(owner)
    if open_job:
        account_holders = select(Candidate.id).where(Candidate.user_id.is_not(None))
        considered = considered.union(account_holders)
    refresh_stale(session, considered, embedder)
    pool = whole_pool(session, embedder)
    if owner.role is Role.ADMIN:
        return pool, pool.alive
    ids = session.connection().execute(
        select(type_coerce(Candidate.id, String)).where(Candidate.id.in_(considered))
    )
    mask = np.zeros(pool.matrix.size, dtype=bool)
    mask[[pool.row_of[raw] for raw in ids.scalars() if raw in pool.row_of]] = True
    return pool, mask


# --- rematching -------------------------------------------------------------------------


def visible_candidate_ids(owner: User) -> Select[Any]:
    """Ids of the candidates a job's owner may see: the pool its job is matched against."""
    return visible_to(user=owner).with_only_columns(Candidate.id)


def rematch_job(session: Session, *, job_id: uuid.UUID, settings: Settings) -> int:
    """Score every candidate the job's owner may see; keep the best. Returns how many."""
    job = session.get(Job, job_id)
    if job is None:
        return 0
    owner = session.get(User, job.owner_id)
    embedder = embedder_for(settings)
    spec, names = job_spec(job, _job_vector(session, job, embedder))
    pool, visible = job_pool(session, owner, embedder, open_job=job.status is JobStatus.OPEN)
    scores = scoring.score(spec, pool.matrix, embedder)
    rows = scoring.top_rows(scores, visible, settings.match_keep_per_job, settings.match_min_score)
    keep = {pool.id_at(row): row for row in rows}
    existing = {
        m.candidate_id: m for m in session.scalars(select(Match).where(Match.job_id == job.id))
    }
    for candidate_id in set(existing) - set(keep):
        session.delete(existing[candidate_id])
    candidates = _by_id(session, keep)
    found: list[Match] = []
    for candidate_id, row in keep.items():
        match = _store(
            session,
            job,
            spec,
            names,
            candidates[candidate_id],
            scores,
            row,
            existing.get(candidate_id),
            settings,
        )
        if match is not None:
            found.append(match)
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
        features = refresh_candidates(session, [candidate], embedder)
        matrix = scoring.FeatureMatrix(features, features[0].vector.shape[0])
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
        spec, names = job_spec(job, _job_vector(session, job, embedder))
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
    return {c.id: c for c in session.scalars(select(Candidate).where(Candidate.id.in_(wanted)))}


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
) -> Match | None:
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
        return match
    return None


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
    session: Session, job: Job, found: list[Match], candidates: dict[uuid.UUID, Candidate]
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


# --- reading ----------------------------------------------------------------------------


def visible_matches(user: User) -> Select[tuple[Match]]:
    """Matches whose candidate and job the caller may both see."""
    candidate_ids = visible_to(user=user).with_only_columns(Candidate.id)
    job_ids = jobs_service.visible_jobs(user).with_only_columns(Job.id)
    return select(Match).where(
        and_(Match.candidate_id.in_(candidate_ids), Match.job_id.in_(job_ids))
    )


@dataclass
class MatchPage:
    """One page of matches, best first."""

    items: list[Match]
    total: int
    next_cursor: str | None


def page(
    session: Session,
    query: Select[tuple[Match]],
    *,
    min_score: float = 0.0,
    limit: int = 20,
    cursor: str | None = None,
    skip: int = 0,
    search: str | None = None,
) -> MatchPage:
    """One page of a match query at or above `min_score`, best first: after `cursor` (the
    last page's next_cursor) or the first `skip` (the spec's offset); with `search`, only
    matches whose candidate's name or job's title contains it."""
    if cursor and skip:
        raise Invalid("Give skip or cursor, not both.")
    offset = _offset(cursor) if cursor else skip
    query = query.where(Match.score >= min_score)
    if search and search.strip():
        term = search.strip()
        named = select(Candidate.id).where(Candidate.full_name.icontains(term, autoescape=True))
        titled = select(Job.id).where(Job.title.icontains(term, autoescape=True))
        query = query.where(or_(Match.candidate_id.in_(named), Match.job_id.in_(titled)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ordered = query.order_by(Match.score.desc(), Match.id).offset(offset).limit(limit)
    items = list(session.scalars(ordered))
    more = offset + len(items) < total
    return MatchPage(items, total, _cursor(offset + len(items)) if more else None)


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        kind, value = text.split(":", 1)
        offset = int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Invalid("The cursor is not one this list gave out.") from None
    if kind != "o" or offset < 0:
        raise Invalid("The cursor is not one this list gave out.")
    return offset


def matches_of_job(session: Session, *, user: User, job_id: uuid.UUID) -> Select[tuple[Match]]:
    """A visible job's matches the caller may see (else JobNotFound)."""
    jobs_service.get_visible(session, user=user, job_id=job_id)
    return visible_matches(user).where(Match.job_id == job_id)


def matches_of_candidate(
    session: Session, *, user: User, candidate_id: uuid.UUID
) -> Select[tuple[Match]]:
    """A visible candidate's matches with jobs the caller may see (else CandidateNotFound)."""
    candidates_service.get_visible(session, user=user, candidate_id=candidate_id)
    return visible_matches(user).where(Match.candidate_id == candidate_id)


def get_match(session: Session, *, user: User, match_id: uuid.UUID) -> Match:
    """One match the caller may see, else MatchNotFound."""
    match = session.scalar(visible_matches(user).where(Match.id == match_id))
    if match is None:
        raise MatchNotFound(f"Match {match_id} not found.")
    return match


def mark_viewed(session: Session, *, user: User, match_id: uuid.UUID) -> Match:
    """Record that the match was looked at (the first time counts)."""
    match = get_match(session, user=user, match_id=match_id)
    if match.viewed_at is None:
        match.viewed_at = utcnow()
        session.commit()
    return match


def summary(session: Session, query: Select[tuple[Match]], *, threshold: float) -> dict[str, Any]:
    """Counts, scores and score bands over a match query."""
    matches = query.subquery()
    row = session.execute(
        select(
            func.count(),
            func.avg(matches.c.score),
            func.max(matches.c.score),
            func.count().filter(matches.c.score >= threshold),
            func.count().filter(matches.c.viewed_at.is_not(None)),
        ).select_from(matches)
    ).one()
    scores = np.asarray(session.scalars(select(matches.c.score)).all(), dtype=np.float32)
    bands = {
        name: int(((scores >= low) & (scores < high)).sum()) for name, low, high in SCORE_BANDS
    }
    return {
        "total_matches": row[0],
        "average_score": round(float(row[1]), 1) if row[1] is not None else None,
        "best_score": row[2],
        "strong_matches": row[3],
        "viewed": row[4],
        "score_bands": bands,
    }


def best_match(session: Session, query: Select[tuple[Match]]) -> Match | None:
    """The highest-scoring match of a query."""
    return session.scalar(query.order_by(Match.score.desc(), Match.id).limit(1))


def common_gaps(session: Session, query: Select[tuple[Match]]) -> list[dict[str, Any]]:
    """The skills the job's matched candidates lack most often."""
    counts: dict[str, int] = {}
    for missing in session.scalars(query.with_only_columns(Match.missing_skills)):
        for name in missing or []:
            counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]
    return [{"skill": name, "candidates": n} for name, n in ranked]
