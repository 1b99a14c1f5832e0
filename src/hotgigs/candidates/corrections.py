"""Corrections of parsed data: kept as labelled examples and laid over every later parse.

A recruiter (or the candidate) corrects what the parser read. Each changed field is kept
as a :class:`ParseCorrection` (what the parser said, what the person wrote, who, when),
the profile's JSON Resume changes at once (search, matching and the API read it), and the
candidate's overlay (``Candidate.corrected``) remembers the human values so a re-parse
never overwrites them:

* basics fields (name, headline, email, phone, location) are kept field by field; on a
  new resume *version* a kept value still wins where the parser reads nothing or says
  again what it said when it was corrected (the same mistake on the new file);
* a corrected section (``work``, ``education``, ``skills``) is kept whole while the
  profile shows the resume it was corrected on; a new file's section replaces it.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotgigs.auth.models import User
from hotgigs.candidates import activity, search
from hotgigs.candidates.access import Access
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import Candidate, ParseCorrection
from hotgigs.candidates.overlay import basic_value, put_value
from hotgigs.candidates.service import get_visible, profile_columns, search_document
from hotgigs.config import get_settings
from hotgigs.errors import Invalid
from hotgigs.matching import flows as matching_flows
from hotgigs.resumes.models import ResumeData

BASICS_KEYS = ("name", "label", "email", "phone")
LOCATION_KEYS = ("city", "region", "countryCode")
ENTRY_KEYS: dict[str, tuple[str, ...]] = {
    "work": ("name", "position", "startDate", "endDate", "location"),
    "education": ("institution", "studyType", "area", "startDate", "endDate"),
    "skills": ("name",),
}
MAX_ENTRIES = {"work": 60, "education": 30, "skills": 300}
# The profile's own fields (PATCH /candidates/{id}) and the basics keys they correct.
PROFILE_FIELDS = {"full_name": "name", "email": "email", "phone": "phone", "headline": "label"}
PRESENT = "present"
_PRESENT_WORDS = frozenset(["present", "current", "now", "today"])
_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]))?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_INDEX = re.compile(r"\[\d+\]")


class InvalidCorrection(Invalid):
    """A correction that cannot be stored (a malformed date or e-mail address)."""


def correct(
    session: Session,
    *,
    user: User,
    candidate_id: uuid.UUID,
    basics: Mapping[str, Any] | None = None,
    sections: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    client_ip: str | None = None,
) -> Candidate:
    """Correct parsed fields of a candidate the caller may edit, and commit.

    ``basics`` holds the basics keys to set ("" or None removes; ``location`` is a mapping
    of city, region and countryCode). ``sections`` replaces whole lists; each item may say
    which current item it edits (``origin``, its index), so untouched keys (highlights,
    summaries) stay and only real changes are recorded.
    """
    candidate = get_visible(session, user=user, candidate_id=candidate_id, at_least=Access.EDIT)
    changes = apply(
        session, candidate=candidate, basics=basics or {}, sections=sections or {}, author=user
    )
    if changes:
        activity.record(
            session,
            actor=user,
            action=Action.CORRECT,
            candidate_id=candidate.id,
            client_ip=client_ip,
            detail={"fields": sorted({field_of(c.path) for c in changes})},
        )
    session.commit()
    matching_flows.candidate_changed(candidate.id, get_settings())
    return candidate


def update_profile(
    session: Session,
    *,
    user: User,
    candidate_id: uuid.UUID,
    changes: Mapping[str, Any],
    client_ip: str | None = None,
) -> Candidate:
    """Change the profile's own fields (name, contacts, headline, "City, Region", years);
    the parsed ones are corrections like any other."""
    candidate = get_visible(session, user=user, candidate_id=candidate_id, at_least=Access.EDIT)
    before = {column: getattr(candidate, column) for column in (*PROFILE_FIELDS, "location")}
    basics: dict[str, Any] = {
        PROFILE_FIELDS[k]: v for k, v in changes.items() if k in PROFILE_FIELDS
    }
    if "location" in changes:
        city, _, region = str(changes["location"] or "").partition(",")
        basics["location"] = {"city": city, "region": region}
    apply(session, candidate=candidate, basics=basics, sections={}, author=user)
    years = changes.get("total_years_experience")
    if years is not None and years != candidate.total_years_experience:
        candidate.total_years_experience = years
        before["total_years_experience"] = None  # changed
    changed = sorted(
        column
        for column, value in before.items()
        if column == "total_years_experience" or getattr(candidate, column) != value
    )
    if changed:
        activity.record(
            session,
            actor=user,
            action=Action.UPDATE,
            candidate_id=candidate.id,
            client_ip=client_ip,
            detail={"fields": changed},
        )
    session.commit()
    matching_flows.candidate_changed(candidate.id, get_settings())
    return candidate


def apply(
    session: Session,
    *,
    candidate: Candidate,
    basics: Mapping[str, Any],
    sections: Mapping[str, Sequence[Mapping[str, Any]]],
    author: User,
) -> list[ParseCorrection]:
    """Change the profile, record each changed field and refresh the indexes (no commit)."""
    resume_id = candidate.current_resume_id
    data = session.get(ResumeData, resume_id) if resume_id else None
    parsed = (data.resume if data else None) or {}
    resume = copy.deepcopy(candidate.resume or {})
    kept = _overlay_for(candidate)
    first_said = _first_said(session, candidate)
    changes: list[ParseCorrection] = []

    def record(path: str, before: Any, after: Any) -> None:
        changes.append(
            ParseCorrection(
                candidate_id=candidate.id,
                resume_id=resume_id,
                path=path,
                parsed=first_said.get(path, before),
                value=after,
                author_id=author.id,
            )
        )

    new_basics = dict(resume.get("basics") or {})
    location = dict(new_basics.get("location") or {})
    wanted = [(key, basics[key]) for key in BASICS_KEYS if key in basics]
    wanted += [
        (f"location.{part}", value)
        for part, value in (basics.get("location") or {}).items()
        if part in LOCATION_KEYS
    ]
    for key, raw in wanted:
        target, name = (location, key[9:]) if key.startswith("location.") else (new_basics, key)
        before = target.get(name)
        value = _checked(key, raw, before)
        if value != before:
            put_value(target, name, value)
            kept["basics"][key] = {"value": value, "parsed": basic_value(parsed, key)}
            record(f"basics.{key}", before, value)
    put_value(new_basics, "location", location or None)
    put_value(resume, "basics", new_basics or None)
    for section, items in sections.items():
        if section not in ENTRY_KEYS:
            continue
        edited = _correct_section(section, list(resume.get(section) or []), items, record)
        if edited is not None:
            put_value(resume, section, edited or None)
            kept["sections"][section] = edited
    if not changes:
        return []
    session.add_all(changes)
    candidate.corrected = kept
    candidate.resume = resume
    for column, value in profile_columns(resume).items():
        setattr(candidate, column, value)
    candidate.search_document = search_document(resume, data.text if data else "")
    session.flush()
    search.index_candidate(session, candidate)
    return changes


def corrections_of(
    session: Session, *, user: User, candidate_id: uuid.UUID
) -> list[ParseCorrection]:
    """The stored corrections of a candidate the caller may see, oldest first."""
    candidate = get_visible(session, user=user, candidate_id=candidate_id)
    return list(
        session.scalars(
            select(ParseCorrection)
            .where(ParseCorrection.candidate_id == candidate.id)
            .order_by(ParseCorrection.created_at, ParseCorrection.path)
        )
    )


def field_of(path: str) -> str:
    """The field a correction path belongs to: ``work[2].name`` -> ``work.name``."""
    return _INDEX.sub("", path)


# --------------------------------------------------------------------------- helpers


def _overlay_for(candidate: Candidate) -> dict[str, Any]:
    """The candidate's overlay for its current resume (sections of another file dropped)."""
    kept = copy.deepcopy(candidate.corrected or {})
    resume_id = str(candidate.current_resume_id) if candidate.current_resume_id else None
    if kept.get("resume_id") != resume_id:
        kept["sections"] = {}
    kept["resume_id"] = resume_id
    kept.setdefault("basics", {})
    kept.setdefault("sections", {})
    return kept


def _first_said(session: Session, candidate: Candidate) -> dict[str, Any]:
    """What the parser said at each path already corrected on the current resume."""
    rows = session.execute(
        select(ParseCorrection.path, ParseCorrection.parsed)
        .where(
            ParseCorrection.candidate_id == candidate.id,
            ParseCorrection.resume_id == candidate.current_resume_id,
        )
        .order_by(ParseCorrection.created_at.desc())
    )
    return dict(rows.all())  # the oldest row of a path comes last, and wins


def _checked(key: str, raw: Any, before: Any = None) -> str | None:
    """A corrected text value, tidied; None for a blank (the field is removed).

    A value sent back as it was (``before``) is taken as it is, even in a form the
    checks below would refuse: only what a person changed is checked.
    """
    if raw is None:
        return None
    value = " ".join(str(raw).split())[:300]
    if not value or value == before:
        return value or None
    if key == "endDate" and value.casefold() in _PRESENT_WORDS:
        return PRESENT
    if key in ("startDate", "endDate") and not _DATE.match(value):
        raise InvalidCorrection(f"{key} must be YYYY or YYYY-MM (or Present), not {value[:20]!r}.")
    if key == "email":
        if not _EMAIL.match(value):
            raise InvalidCorrection(f"{value[:60]!r} is not an e-mail address.")
        value = value.lower()
    return value


def _correct_section(
    section: str,
    current: list[dict[str, Any]],
    items: Sequence[Mapping[str, Any]],
    record: Callable[[str, Any, Any], None],
) -> list[dict[str, Any]] | None:
    """The corrected list of a section, recording each change; None when nothing changed."""
    if len(items) > MAX_ENTRIES[section]:
        raise InvalidCorrection(f"At most {MAX_ENTRIES[section]} {section} entries.")
    edited: list[dict[str, Any]] = []
    used: set[int] = set()
    changed = False
    for item in items:
        origin = item.get("origin")
        known = isinstance(origin, int) and 0 <= origin < len(current) and origin not in used
        entry = copy.deepcopy(current[origin]) if known else {}
        index = len(edited)
        for key in ENTRY_KEYS[section]:
            if key not in item:
                continue
            before = entry.get(key, "" if key == "endDate" else None)
            if before is None and key == "endDate":
                before = PRESENT  # JSON Resume's null end date: the job goes on
            value = _checked(key, item[key], before)
            if value == before:
                continue
            if value == PRESENT:
                entry["endDate"] = None
            else:
                put_value(entry, key, value)
            record(f"{section}[{index}].{key}", before or None, value)
            changed = True
        if not any(entry.get(key) for key in ENTRY_KEYS[section]):
            continue  # a row left blank is no entry
        if known:
            used.add(origin)
            changed = changed or origin != index  # a reorder, or a removal above
        else:
            changed = True
        edited.append(entry)
    for origin, entry in enumerate(current):
        if origin not in used:
            record(f"{section}[{origin}]", entry, None)
            changed = True
    return edited if changed else None
