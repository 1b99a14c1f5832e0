"""A candidate world for API tests: a profile with a resume, note, tag, shares and a match."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from hotgigs.auth.models import User
from hotgigs.candidates import annotations, sharing
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.models import SharePermission
from hotgigs.db import new_session
from hotgigs.jobs.models import Job
from hotgigs.matching.models import Match
from hotgigs.resumes.models import Resume, ResumeSource, ResumeStatus
from hotgigs.resumes.storage import get_store


@dataclass
class World:
    """One candidate with a resume, a note by its owner, a tag, two shares and a match."""

    candidate_id: uuid.UUID
    resume_id: uuid.UUID
    note_id: uuid.UUID
    share_id: uuid.UUID
    job_id: uuid.UUID
    match_id: uuid.UUID


def build_world(users: dict[str, User], settings) -> World:
    """A fresh candidate owned by `owner`, shared view/edit, linked to the `self` account."""
    store = get_store(settings)
    data = f"Ada Example\nada-{uuid.uuid4().hex}@example.com\nPython developer\n".encode()
    with new_session() as session:
        resume = Resume(
            owner_id=users["owner"].id,
            file_sha256=store.put(data),
            original_filename="ada.txt",
            file_kind="txt",
            content_type="text/plain",
            size_bytes=len(data),
            source=ResumeSource.UPLOAD,
            status=ResumeStatus.COMPLETED,
        )
        session.add(resume)
        session.flush()
        candidate = candidates_service.upsert_from_resume(
            session,
            resume=resume,
            parsed={"basics": {"name": "Ada Example"}, "skills": [{"name": "Python"}]},
            total_years=4.0,
            text=data.decode(),
            owner=users["owner"],
        ).candidate
        candidate.user_id = users["self"].id
        session.commit()
        candidate_id, resume_id = candidate.id, resume.id
        share = sharing.share(
            session,
            actor=users["owner"],
            candidate_id=candidate_id,
            permission=SharePermission.VIEW,
            recruiter_id=users["viewer"].id,
        )
        sharing.share(
            session,
            actor=users["owner"],
            candidate_id=candidate_id,
            permission=SharePermission.EDIT,
            recruiter_id=users["editor"].id,
        )
        note = annotations.add_note(
            session, actor=users["owner"], candidate_id=candidate_id, content="Strong on Python"
        )
        annotations.add_tags(
            session, actor=users["owner"], candidate_id=candidate_id, tags=["shortlist"]
        )
        job = Job(owner_id=users["owner"].id, title="Python developer", required_skills=["Python"])
        session.add(job)
        session.flush()
        match = Match(
            candidate_id=candidate_id,
            job_id=job.id,
            score=90.0,
            breakdown={"skills": 100},
            explanation="1 of 1 required skills.",
            missing_skills=[],
        )
        session.add(match)
        session.commit()
        return World(candidate_id, resume_id, note.id, share.id, job.id, match.id)
