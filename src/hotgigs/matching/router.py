"""HTTP routes for matching (spec paths under /api/matching)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from hotgigs.auth.dependencies import AppSettings, CurrentUser, DbSession, RecruiterUser
from hotgigs.candidates import service as candidates_service
from hotgigs.config import Settings
from hotgigs.errors import responses
from hotgigs.jobs import service as jobs_service
from hotgigs.matching import flows
from hotgigs.matching import queries as match_queries
from hotgigs.matching.schemas import (
    CandidateMatchStats,
    JobMatchStats,
    MatchDetail,
    MatchList,
    MatchRead,
    RematchQueued,
)

router = APIRouter(prefix="/api/matching", tags=["matching"], responses=responses(401))
MinScore = Annotated[
    float | None,
    Query(ge=0, le=100, description="Only matches at or above this (default MATCH_MIN_SCORE)."),
]
Skip = Annotated[int, Query(ge=0, le=1_000_000, description="Matches to pass over (or cursor).")]
Search = Annotated[
    str | None, Query(max_length=200, description="The candidate's name or the job's title.")
]


@dataclass(frozen=True)
class MatchListQuery:
    """Which page of a match list: floor, size, cursor or offset, and words to look for."""

    min_score: float | None
    limit: int
    cursor: str | None
    skip: int
    search: str | None


def _match_list_query(
    min_score: MinScore = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    cursor: str | None = None,
    skip: Skip = 0,
    search: Search = None,
) -> MatchListQuery:
    return MatchListQuery(min_score, limit, cursor, skip, search)


MatchPageQuery = Annotated[MatchListQuery, Depends(_match_list_query)]


def _list(session: DbSession, query, asked: MatchListQuery, settings: Settings) -> MatchList:
    """A page of matches from MATCH_MIN_SCORE up, unless the caller names a minimum."""
    floor = settings.match_min_score if asked.min_score is None else asked.min_score
    page = match_queries.page(
        session,
        query,
        min_score=floor,
        limit=asked.limit,
        cursor=asked.cursor,
        skip=asked.skip,
        search=asked.search,
    )
    return MatchList(
        items=[MatchRead.model_validate(m) for m in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
    )


@router.get("/candidates/{candidate_id}/matches", responses=responses(404, 422))
def candidate_matches(
    candidate_id: uuid.UUID,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    asked: MatchPageQuery,
) -> MatchList:
    """A candidate's matching jobs (those the caller may see), best first."""
    query = match_queries.matches_of_candidate(session, user=user, candidate_id=candidate_id)
    return _list(session, query, asked, settings)


@router.post(
    "/candidates/{candidate_id}/rematch",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(403, 404, 503),
)
def rematch_candidate(
    candidate_id: uuid.UUID, user: CurrentUser, session: DbSession
) -> RematchQueued:
    """Score the candidate against open jobs again, in the background."""
    candidates_service.get_visible(session, user=user, candidate_id=candidate_id)
    return RematchQueued(task_id=flows.enqueue_candidate_rematch(candidate_id))


@router.get("/jobs/{job_id}/matches", responses=responses(404, 422))
def job_matches(
    job_id: uuid.UUID,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    asked: MatchPageQuery,
) -> MatchList:
    """A job's matching candidates (those the caller may see), best first."""
    query = match_queries.matches_of_job(session, user=user, job_id=job_id)
    return _list(session, query, asked, settings)


@router.post(
    "/jobs/{job_id}/rematch",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(403, 404, 503),
)
def rematch_job(job_id: uuid.UUID, user: RecruiterUser, session: DbSession) -> RematchQueued:
    """Score every candidate the job's owner may see again, in the background."""
    jobs_service.get_managed(session, user=user, job_id=job_id)
    return RematchQueued(task_id=flows.enqueue_job_rematch(job_id))


@router.get("/matches/{match_id}", responses=responses(404))
def get_match(match_id: uuid.UUID, user: CurrentUser, session: DbSession) -> MatchDetail:
    """One match with its skills gap and the resume evidence behind the explanation."""
    return MatchDetail.model_validate(
        match_queries.get_match(session, user=user, match_id=match_id)
    )


@router.put("/matches/{match_id}/viewed", responses=responses(403, 404))
@router.post("/matches/{match_id}/viewed", responses=responses(403, 404))
def mark_viewed(match_id: uuid.UUID, user: CurrentUser, session: DbSession) -> MatchRead:
    """Record that the match was looked at (POST, or PUT as the spec's clients send it)."""
    return MatchRead.model_validate(
        match_queries.mark_viewed(session, user=user, match_id=match_id)
    )


@router.get("/stats/candidate/{candidate_id}", responses=responses(404))
def candidate_stats(
    candidate_id: uuid.UUID, user: CurrentUser, session: DbSession, settings: AppSettings
) -> CandidateMatchStats:
    """How a candidate fares across the jobs the caller may see."""
    query = match_queries.matches_of_candidate(session, user=user, candidate_id=candidate_id)
    best = match_queries.best_match(session, query)
    return CandidateMatchStats(
        candidate_id=candidate_id,
        **match_queries.summary(session, query, threshold=settings.match_notify_threshold),
        best_match_id=best.id if best else None,
        best_job_id=best.job_id if best else None,
    )


@router.get("/stats/job/{job_id}", responses=responses(404))
def job_stats(
    job_id: uuid.UUID, user: CurrentUser, session: DbSession, settings: AppSettings
) -> JobMatchStats:
    """How the candidates the caller may see fare for a job."""
    query = match_queries.matches_of_job(session, user=user, job_id=job_id)
    return JobMatchStats(
        job_id=job_id,
        **match_queries.summary(session, query, threshold=settings.match_notify_threshold),
        most_missing_skills=match_queries.common_gaps(session, query),
    )
