"""Reading matches as allowed: which a caller may see, pages of them and their summaries.

A caller sees a match only when it may see both the candidate and the job.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from hotgigs.auth.models import User
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.access import visible_to
from hotgigs.candidates.models import Candidate
from hotgigs.db import utcnow
from hotgigs.errors import Invalid, NotFound
from hotgigs.jobs import service as jobs_service
from hotgigs.jobs.models import Job
from hotgigs.matching.models import Match

SCORE_BANDS = (
    ("0-19", 0, 20),
    ("20-39", 20, 40),
    ("40-59", 40, 60),
    ("60-79", 60, 80),
    ("80-100", 80, 101),
)


class MatchNotFound(NotFound):
    """No match with that id is visible to the caller (it may not exist at all)."""


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
