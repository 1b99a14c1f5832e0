"""HTTP routes for candidate profiles, possible duplicates and merging."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import func, select

from hotgigs.auth.dependencies import CurrentUser, DbSession
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.models import Candidate
from hotgigs.candidates.schemas import (
    CandidateList,
    CandidateRead,
    DuplicateList,
    DuplicateRead,
    MergeRequest,
)

router = APIRouter(prefix="/api/resumes", tags=["candidates"])


@router.get("/candidates")
def list_candidates(user: CurrentUser, session: DbSession, limit: int = 50) -> CandidateList:
    """Candidates the caller may see, newest first."""
    query = candidates_service.visible_candidates(user)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Candidate.created_at.desc()).limit(min(limit, 200)))
    return CandidateList(items=[CandidateRead.model_validate(c) for c in rows], total=total or 0)


@router.get("/candidates/{candidate_id}")
def get_candidate(candidate_id: uuid.UUID, user: CurrentUser, session: DbSession) -> CandidateRead:
    """One candidate profile."""
    candidate = candidates_service.get_visible(session, user=user, candidate_id=candidate_id)
    return CandidateRead.model_validate(candidate)


@router.get("/duplicates")
def list_duplicates(user: CurrentUser, session: DbSession) -> DuplicateList:
    """Possible duplicates waiting for a recruiter's decision."""
    flags = candidates_service.open_duplicates(session, user=user)
    return DuplicateList(items=[DuplicateRead.model_validate(f) for f in flags], total=len(flags))


@router.post("/duplicates/{flag_id}/dismiss")
def dismiss_duplicate(flag_id: uuid.UUID, user: CurrentUser, session: DbSession) -> DuplicateRead:
    """Record that a flagged pair are different people."""
    flag = candidates_service.dismiss_duplicate(session, user=user, flag_id=flag_id)
    return DuplicateRead.model_validate(flag)


@router.post("/candidates/{candidate_id}/merge")
def merge_candidates(
    candidate_id: uuid.UUID, body: MergeRequest, user: CurrentUser, session: DbSession
) -> CandidateRead:
    """Fold another profile (and its resumes) into this one."""
    try:
        kept = candidates_service.merge(
            session, user=user, keep_id=candidate_id, duplicate_id=body.duplicate_id
        )
    except candidates_service.MergeRefused as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    return CandidateRead.model_validate(kept)
