"""HTTP routes for job postings."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from hotgigs.auth.dependencies import CurrentUser, DbSession, RecruiterUser
from hotgigs.errors import responses
from hotgigs.jobs import service as jobs_service
from hotgigs.jobs.models import JobStatus
from hotgigs.jobs.schemas import JobCreate, JobList, JobRead, JobUpdate

router = APIRouter(prefix="/api/jobs", tags=["jobs"], responses=responses(401))


@router.post("", status_code=status.HTTP_201_CREATED, responses=responses(400, 403))
def create_job(body: JobCreate, user: RecruiterUser, session: DbSession) -> JobRead:
    """Post a job (recruiters, admins); skills not given are read from the description.

    Matching the job against the owner's candidates starts in the background.
    """
    job = jobs_service.create_job(session, owner=user, fields=body.model_dump())
    return JobRead.model_validate(job)


@router.get("")
def list_jobs(
    user: CurrentUser,
    session: DbSession,
    status_filter: JobStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> JobList:
    """Jobs the caller may see, newest first (candidates: open jobs)."""
    jobs = jobs_service.list_jobs(session, user=user, status=status_filter, limit=limit)
    return JobList(items=[JobRead.model_validate(j) for j in jobs], total=len(jobs))


@router.get("/{job_id}", responses=responses(404))
def get_job(job_id: uuid.UUID, user: CurrentUser, session: DbSession) -> JobRead:
    """One job."""
    return JobRead.model_validate(jobs_service.get_visible(session, user=user, job_id=job_id))


@router.patch("/{job_id}", responses=responses(400, 403, 404))
def update_job(
    job_id: uuid.UUID,
    body: JobUpdate,
    user: RecruiterUser,
    session: DbSession,
) -> JobRead:
    """Change a job (its owner or an admin); `status` opens or closes it.

    An open job is matched again in the background.
    """
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    job = jobs_service.update_job(session, user=user, job_id=job_id, changes=changes)
    return JobRead.model_validate(job)


@router.delete("/{job_id}", status_code=status.HTTP_204_NO_CONTENT, responses=responses(403, 404))
def delete_job(job_id: uuid.UUID, user: RecruiterUser, session: DbSession) -> Response:
    """Remove a job (its owner or an admin)."""
    jobs_service.delete_job(session, user=user, job_id=job_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
