"""Job postings: who may see and change them, and reading skills from descriptions."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from hotgigs.auth.models import Role, User
from hotgigs.config import get_settings
from hotgigs.errors import NotFound
from hotgigs.jobs.models import Job, JobStatus
from hotgigs.matching import flows as matching_flows
from hotgigs.parsing import skills as skills_lib
from hotgigs.parsing.jobs import read_job_skills


class JobNotFound(NotFound):
    """No job with that id is visible to the caller (it may not exist at all)."""


def visible_jobs(user: User) -> Select[tuple[Job]]:
    """Jobs the caller may see: admins all, recruiters their own, candidates open ones."""
    query = select(Job)
    if user.role is Role.ADMIN:
        return query
    if user.role is Role.CANDIDATE:
        return query.where(Job.status == JobStatus.OPEN)
    return query.where(Job.owner_id == user.id)


def get_visible(session: Session, *, user: User, job_id: uuid.UUID) -> Job:
    """One job the caller may see, else JobNotFound."""
    job = session.scalar(visible_jobs(user).where(Job.id == job_id))
    if job is None:
        raise JobNotFound(f"Job {job_id} not found.")
    return job


def get_managed(session: Session, *, user: User, job_id: uuid.UUID) -> Job:
    """A job the caller may change: its owner or an admin (others: JobNotFound)."""
    job = get_visible(session, user=user, job_id=job_id)
    if user.role is not Role.ADMIN and job.owner_id != user.id:
        raise JobNotFound(f"Job {job_id} not found.")
    return job


def list_jobs(
    session: Session, *, user: User, status: JobStatus | None = None, limit: int = 100
) -> list[Job]:
    """Visible jobs, newest first."""
    query = visible_jobs(user).order_by(Job.created_at.desc(), Job.id).limit(limit)
    if status is not None:
        query = query.where(Job.status == status)
    return list(session.scalars(query))


def create_job(session: Session, *, owner: User, fields: dict[str, Any]) -> Job:
    """Post a job; skills not given are read from the description."""
    job = Job(owner_id=owner.id, status=JobStatus.OPEN)
    _apply(job, fields, new=True)
    session.add(job)
    session.commit()
    matching_flows.job_changed(job.id, get_settings())
    return job


def update_job(session: Session, *, user: User, job_id: uuid.UUID, changes: dict[str, Any]) -> Job:
    """Change a job the caller manages."""
    job = get_managed(session, user=user, job_id=job_id)
    _apply(job, changes, new=False)
    session.commit()
    if job.status is JobStatus.OPEN:  # a closed job keeps the matches it had
        matching_flows.job_changed(job.id, get_settings())
    return job


def delete_job(session: Session, *, user: User, job_id: uuid.UUID) -> None:
    """Remove a job the caller manages."""
    job = get_managed(session, user=user, job_id=job_id)
    session.delete(job)
    session.commit()


def canonical_skills(names: list[str]) -> list[str]:
    """Skill names in the taxonomy's spelling where it knows them, trimmed, without repeats."""
    out: dict[str, None] = {}
    for raw in names:
        name = " ".join(raw.split())[:100]
        if name:
            entry = skills_lib.lookup(name)
            out.setdefault(entry.name if entry else name, None)
    return list(out)


def _apply(job: Job, fields: dict[str, Any], *, new: bool) -> None:
    """Set fields on a job; re-read skills from the description when they came from it."""
    given = {k: v for k, v in fields.items() if k not in ("required_skills", "preferred_skills")}
    if "match_weights" in given:  # only the weights set; the rest stay at their defaults
        weights = given["match_weights"] or {}
        given["match_weights"] = {k: v for k, v in weights.items() if v is not None}
    for key, value in given.items():
        setattr(job, key, value.strip() if isinstance(value, str) else value)
    required, preferred = fields.get("required_skills"), fields.get("preferred_skills")
    if required is not None or preferred is not None:
        if required is not None:
            job.required_skills = canonical_skills(required)
        if preferred is not None:
            job.preferred_skills = canonical_skills(preferred)
        job.skills_from_description = False
    elif new or ("description" in fields and job.skills_from_description):
        read = read_job_skills(job.description or "")
        job.required_skills, job.preferred_skills = read.required, read.preferred
        job.skills_from_description = True
