"""Candidate profiles: finding a visible one, creating them from resumes, duplicates, merging.

Who may see or change a candidate is decided in candidates/access.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from hotgigs.auth import service as auth_service
from hotgigs.auth.models import Role, User
from hotgigs.candidates import activity, overlay, search
from hotgigs.candidates.access import Access, visible_to
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import Candidate, DuplicateFlag, DuplicateStatus
from hotgigs.config import get_settings
from hotgigs.errors import Forbidden, NotFound
from hotgigs.matching import flows as matching_flows
from hotgigs.resumes.models import Resume

# A probable duplicate needs names this alike (token order ignored) and a shared employer.
NAME_SIMILARITY = 90.0
EMPLOYER_SIMILARITY = 90.0


class CandidateNotFound(NotFound):
    """No candidate with that id is visible to the caller (it may not exist at all)."""


class CandidateReadOnly(Forbidden):
    """The caller may see the candidate but not change it (a view-only share)."""


class MergeRefused(ValueError):
    """The two profiles cannot be merged (same profile, or different owners)."""


@dataclass(frozen=True)
class UpsertOutcome:
    """What importing one resume did to the candidate database."""

    candidate: Candidate
    created: bool
    matched_on: str | None  # "email", "phone" or "requested" when an existing profile was used
    possible_duplicates: list[DuplicateFlag]


def get_visible(
    session: Session,
    *,
    user: User,
    candidate_id: uuid.UUID,
    at_least: Access = Access.VIEW,
) -> Candidate:
    """One candidate the caller reaches at `at_least` (access.py), else CandidateNotFound.

    Asked to change a candidate it may only see, the caller gets CandidateReadOnly (a
    403): that tells nothing the caller does not know already.
    """
    scope = visible_to(user=user, at_least=at_least)
    candidate = session.scalar(scope.where(Candidate.id == candidate_id))
    if candidate is None:
        if at_least > Access.VIEW and session.scalar(
            visible_to(user=user).where(Candidate.id == candidate_id)
        ):
            raise CandidateReadOnly(f"Candidate {candidate_id} is shared with you to view only.")
        raise CandidateNotFound(f"Candidate {candidate_id} not found.")
    return candidate


def upsert_from_resume(
    session: Session,
    *,
    resume: Resume,
    parsed: dict[str, Any],
    total_years: float | None,
    text: str,
    owner: User,
    mentioned_skills: Sequence[str] = (),
) -> UpsertOutcome:
    """Attach a parsed resume to the right profile of its owner, creating one if needed.

    An explicit target wins; then an existing profile with the same email or phone (a new
    version of that person); otherwise a new profile, flagged against look-alikes by name
    and employer for a recruiter to review (never merged silently).
    """
    basics = parsed.get("basics", {})
    email = (basics.get("email") or "").strip().lower() or None
    phone = basics.get("phone") or None
    candidate, matched_on = _existing_profile(
        session, resume=resume, owner=owner, email=email, phone=phone
    )
    created = candidate is None
    if candidate is None:
        candidate = Candidate(
            id=uuid.uuid4(),
            owner_id=owner.id,
            user_id=owner.id if owner.role is Role.CANDIDATE else None,
            source=str(resume.source),
        )
        session.add(candidate)
    _apply_resume(candidate, parsed=parsed, total_years=total_years, text=text, resume=resume)
    candidate.mentioned_skills = list(dict.fromkeys(mentioned_skills))
    session.flush()
    search.index_candidate(session, candidate)
    activity.record(
        session,
        actor=owner,
        action=Action.CREATE if created else Action.UPDATE,
        candidate_id=candidate.id,
        detail={"resume_id": str(resume.id), "source": str(resume.source)},
    )
    duplicates = _flag_look_alikes(session, candidate) if created else []
    session.flush()
    return UpsertOutcome(candidate, created, matched_on, duplicates)


def merge(
    session: Session,
    *,
    user: User,
    keep_id: uuid.UUID,
    duplicate_id: uuid.UUID,
    client_ip: str | None = None,
) -> Candidate:
    """Fold `duplicate_id` into `keep_id`: its resumes move over, gaps are filled, it is removed."""
    if keep_id == duplicate_id:
        raise MergeRefused("A candidate cannot be merged into itself.")
    keep = get_visible(session, user=user, candidate_id=keep_id, at_least=Access.EDIT)
    duplicate = get_visible(session, user=user, candidate_id=duplicate_id, at_least=Access.EDIT)
    if keep.owner_id != duplicate.owner_id:
        raise MergeRefused("Only profiles of the same owner can be merged.")
    session.execute(
        update(Resume).where(Resume.candidate_id == duplicate.id).values(candidate_id=keep.id)
    )
    for field in ("full_name", "email", "phone", "headline", "location"):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    if keep.user_id is None:
        keep.user_id = duplicate.user_id
    keep.search_document = f"{keep.search_document}\n{duplicate.search_document}".strip()
    keep.mentioned_skills = list(
        dict.fromkeys([*(keep.mentioned_skills or []), *(duplicate.mentioned_skills or [])])
    )
    session.execute(
        update(DuplicateFlag)
        .where(
            or_(
                DuplicateFlag.candidate_id.in_([keep.id, duplicate.id]),
                DuplicateFlag.duplicate_of_id.in_([keep.id, duplicate.id]),
            ),
            DuplicateFlag.status == DuplicateStatus.OPEN,
        )
        .values(status=DuplicateStatus.MERGED)
    )
    for candidate_id, other in ((keep.id, duplicate.id), (duplicate.id, keep.id)):
        activity.record(
            session,
            actor=user,
            action=Action.MERGE,
            candidate_id=candidate_id,
            client_ip=client_ip,
            detail={"kept": str(keep.id), "merged": str(duplicate.id), "other": str(other)},
        )
    session.flush()
    session.delete(duplicate)
    session.flush()
    search.index_candidate(session, keep)
    session.commit()
    matching_flows.candidate_changed(keep.id, get_settings())
    return keep


def open_duplicates(session: Session, *, user: User) -> list[DuplicateFlag]:
    """Possible duplicates awaiting review among the candidates the caller may see."""
    query = auth_service.owned_by(DuplicateFlag, user).where(
        DuplicateFlag.status == DuplicateStatus.OPEN
    )
    return list(session.scalars(query.order_by(DuplicateFlag.created_at)))


def dismiss_duplicate(session: Session, *, user: User, flag_id: uuid.UUID) -> DuplicateFlag:
    """Mark a flagged pair as different people."""
    flag = next((f for f in open_duplicates(session, user=user) if f.id == flag_id), None)
    if flag is None:
        raise CandidateNotFound(f"Duplicate flag {flag_id} not found.")
    flag.status = DuplicateStatus.DISMISSED
    session.commit()
    return flag


def _existing_profile(
    session: Session, *, resume: Resume, owner: User, email: str | None, phone: str | None
) -> tuple[Candidate | None, str | None]:
    """The profile this resume belongs to, if one exists, and why."""
    if resume.candidate_id is not None:  # a redelivered task: the profile was made already
        return session.get(Candidate, resume.candidate_id), "requested"
    if resume.target_candidate_id is not None:
        target = session.get(Candidate, resume.target_candidate_id)
        if target is not None and target.owner_id == owner.id:
            return target, "requested"
    if owner.role is Role.CANDIDATE:
        # A candidate account has exactly one profile of its own.
        own = session.scalar(select(Candidate).where(Candidate.user_id == owner.id))
        return own, "requested" if own else None
    owned = select(Candidate).where(Candidate.owner_id == owner.id)
    for field, value in (("email", email), ("phone", phone)):
        if value:
            match = session.scalar(
                owned.where(getattr(Candidate, field) == value).order_by(Candidate.created_at)
            )
            if match is not None:
                return match, field
    return None, None


def _apply_resume(
    candidate: Candidate,
    *,
    parsed: dict[str, Any],
    total_years: float | None,
    text: str,
    resume: Resume,
) -> None:
    """Make the profile show its newest resume, keeping known contacts the new one lacks.

    People's corrections are laid over the parse first (corrections.reapply).
    """
    parsed = overlay.reapply(candidate, parsed, resume.id)
    columns = profile_columns(parsed)
    # A new profile's column defaults are not applied before flush: fall back to "" here.
    for column in ("full_name", "headline", "location"):
        columns[column] = columns[column] or getattr(candidate, column) or ""
    for column in ("email", "phone"):
        columns[column] = columns[column] or getattr(candidate, column)
    for column, value in columns.items():
        setattr(candidate, column, value)
    candidate.total_years_experience = total_years
    candidate.resume = parsed
    candidate.search_document = search_document(parsed, text)
    candidate.current_resume_id = resume.id
    resume.candidate_id = candidate.id


def profile_columns(parsed: dict[str, Any]) -> dict[str, Any]:
    """The profile's columns as a JSON Resume gives them (None or "" where it has none)."""
    basics = parsed.get("basics") or {}
    location = basics.get("location") or {}
    place = ", ".join(v for v in (location.get("city"), location.get("region")) if v)
    return {
        "full_name": (basics.get("name") or "")[:200],
        "email": (basics.get("email") or "").lower()[:320] or None,
        "phone": (basics.get("phone") or "")[:32] or None,
        "headline": (basics.get("label") or "")[:300],
        "location": place[:200],
    }


def search_document(parsed: dict[str, Any], text: str) -> str:
    """The text search indexes: structured fields first (they rank), then the full resume."""
    basics = parsed.get("basics", {})
    parts = [basics.get("name", ""), basics.get("label", "")]
    parts += [skill.get("name", "") for skill in parsed.get("skills", [])]
    parts += [f"{w.get('position', '')} {w.get('name', '')}" for w in parsed.get("work", [])]
    parts += [
        f"{e.get('studyType', '')} {e.get('area', '')} {e.get('institution', '')}"
        for e in parsed.get("education", [])
    ]
    return "\n".join(p.strip() for p in [*parts, text] if p and p.strip())


def _flag_look_alikes(session: Session, candidate: Candidate) -> list[DuplicateFlag]:
    """Flag other profiles of the owner with a near-identical name and a shared employer."""
    if not candidate.full_name:
        return []
    employers = _employers(candidate.resume)
    flags = []
    # Compare names first on (id, name) pairs only; load whole profiles just for look-alikes.
    names = session.execute(
        select(Candidate.id, Candidate.full_name).where(
            Candidate.owner_id == candidate.owner_id, Candidate.id != candidate.id
        )
    ).all()
    for other_id, other_name in names:
        name_score = fuzz.token_sort_ratio(candidate.full_name.lower(), other_name.lower())
        if name_score < NAME_SIMILARITY:
            continue
        other = session.get(Candidate, other_id)
        shared = [
            (mine, theirs)
            for mine in employers
            for theirs in _employers(other.resume)
            if fuzz.token_sort_ratio(mine, theirs) >= EMPLOYER_SIMILARITY
        ]
        if not shared:
            continue
        flag = DuplicateFlag(
            owner_id=candidate.owner_id,
            candidate_id=candidate.id,
            duplicate_of_id=other.id,
            reason=f"Same name ({other.full_name}) and employer ({shared[0][1]})",
            score=round(name_score, 1),
        )
        session.add(flag)
        flags.append(flag)
    return flags


def _employers(parsed: dict[str, Any]) -> list[str]:
    """Lower-cased employer names of a JSON Resume."""
    return [w["name"].lower() for w in parsed.get("work", []) if w.get("name")]
