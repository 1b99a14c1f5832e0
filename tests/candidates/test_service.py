"""Filing parsed resumes into candidate profiles."""

from __future__ import annotations

from hotgigs.auth.models import Role
from hotgigs.candidates import service as candidates_service
from hotgigs.db import new_session
from hotgigs.resumes.models import Resume, ResumeSource


def stored_resume(session, owner) -> Resume:
    resume = Resume(
        owner_id=owner.id,
        file_sha256="0" * 64,
        original_filename="cv.txt",
        file_kind="txt",
        content_type="text/plain",
        size_bytes=10,
        source=ResumeSource.UPLOAD,
    )
    session.add(resume)
    session.flush()
    return resume


def test_sparse_resume_makes_a_profile_with_empty_fields(make_user) -> None:
    owner = make_user(Role.RECRUITER)
    with new_session() as session:
        resume = stored_resume(session, owner)
        outcome = candidates_service.upsert_from_resume(
            session,
            resume=resume,
            parsed={"basics": {"name": "Only Name"}},
            total_years=None,
            text="Only Name",
            owner=owner,
        )
        session.commit()
        candidate = outcome.candidate
        assert outcome.created
        assert (candidate.full_name, candidate.headline, candidate.location) == (
            "Only Name",
            "",
            "",
        )
        assert candidate.email is None and candidate.phone is None
        assert resume.candidate_id == candidate.id


def test_overlong_values_are_cut_to_the_column_sizes(make_user) -> None:
    owner = make_user(Role.RECRUITER)
    parsed = {
        "basics": {
            "name": "N" * 500,
            "label": "L" * 500,
            "email": "E" * 400 + "@example.com",
            "phone": "+1" + "5" * 50,
            "location": {"city": "C" * 300},
        }
    }
    with new_session() as session:
        resume = stored_resume(session, owner)
        candidate = candidates_service.upsert_from_resume(
            session, resume=resume, parsed=parsed, total_years=3.5, text="x", owner=owner
        ).candidate
        session.commit()
        assert len(candidate.full_name) == 200 and len(candidate.headline) == 300
        assert len(candidate.email) == 320 and candidate.email.islower()
        assert len(candidate.phone) == 32 and len(candidate.location) == 200
