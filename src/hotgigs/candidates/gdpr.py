"""GDPR for candidates: what is held about one (export), who has expired, anonymised views.

``anonymise`` makes a copy of a JSON Resume for bias-reduced screening. What it keeps and
drops, and why:

- ``basics`` is rebuilt from a whitelist: ``name`` becomes the label, ``label`` (headline)
  and ``summary`` are kept as scrubbed text, and ``location`` keeps only ``region`` and
  ``countryCode``: enough to judge commute or relocation, while street, postal code and city
  narrow a person down (together with an employer) and can stand in for ethnicity or class.
  Email, phone, url, image, profiles and any key outside the schema are dropped.
- ``url``, ``email``, ``phone``, ``image``, ``profiles`` keys are dropped at any depth;
  ``references`` (third parties' names and words) and ``meta`` are dropped whole.
- Every other string is scrubbed: labelled personal details ("Gender: ...", "Date of birth:
  ...", "Email: ...") are cut out and lines left empty are dropped; emails, URLs, @handles
  and phone numbers become ``[removed]``; titles (Mr, Mrs, Ms, Miss, Mx, Sir, Madam) go; the
  candidate's own name becomes the label; gendered pronouns become they/them/their/theirs/
  themself (with "is/was/has/does" after them agreeing). Other verbs are not re-conjugated
  ("she leads" reads "they leads"): the cue is gone, which is the point.
- Dates are kept: work and education dates carry the experience being screened.
"""

from __future__ import annotations

import calendar
import copy
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, and_, inspect, or_, select
from sqlalchemy.orm import Session

from hotgigs.auth.models import User
from hotgigs.candidates.annotations import readable_by
from hotgigs.candidates.models import (
    ActivityEntry,
    Candidate,
    CandidateNote,
    CandidateShare,
    CandidateSkill,
    CandidateTag,
    DuplicateFlag,
)
from hotgigs.db import utcnow
from hotgigs.notifications.models import Notification
from hotgigs.resumes.models import Resume, ResumeData

EXPORT_FORMAT = "hotgigs.candidate-export/1"
REMOVED = "[removed]"

# Keys never carried into an anonymised copy, at any depth.
_DROPPED_KEYS = frozenset({"url", "email", "phone", "image", "picture", "profiles", "references"})
_DROPPED_TOP_LEVEL = frozenset({"meta"})
# Strings under these keys are dates, which the phone pattern must not eat.
_DATE_KEYS = frozenset({"startDate", "endDate", "date", "releaseDate"})

# "Label: value" details that identify a person or cue a protected characteristic. The value
# runs to the next separator or the next such label ("Gender: F Marital status: Single").
_DETAIL_LABELS = (
    r"gender|sex|marital\s+status|civil\s+status|date\s+of\s+birth|d\.?o\.?b|birth\s*date"
    r"|born|age|place\s+of\s+birth|nationality|citizenship|religion|caste|ethnicity|race"
    r"|(?:father|mother|husband|wife|spouse|guardian)(?:['\u2019]s)?\s+name|spouse|children"
    r"|passport(?:\s+(?:no|number))?|e-?mail|phone|mobile|cell|tel(?:ephone)?|address"
    r"|linkedin|github|website|skype|twitter"
)
_DETAIL_SEPARATOR = r"\s*(?::|\s[-\u2013\u2014]\s)"
_DETAIL = re.compile(
    rf"(?i)(?<![\w'\u2019])(?:{_DETAIL_LABELS}){_DETAIL_SEPARATOR}.*?"
    rf"(?=\s*[,;|•]|$|\s+(?:{_DETAIL_LABELS}){_DETAIL_SEPARATOR})"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Bare domains only with a path and a lower-case common TLD, so "Node.js" and "ASP.NET" stay.
_URL = re.compile(
    r"(?i:\b(?:https?://|www\.)\S+)"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|me|co|uk|in|de|fr|ai|app|info|page|site)/\S*"
)
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?!\w)")
# Dates a phone-like run may consist of ("2015 - 2018", "01.02.2019 - 2020-03").
_DATE_LIKE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d\b|\b(?:19|20)\d\d(?:[./-]\d{1,2}){0,2}\b"
)
# "Ms Excel" and friends are software, not a form of address.
_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Sir|Madam|Mister)\b\.?\s+(?=[A-Z])"
    r"(?!(?:Office|Excel|Word|Access|Power\w*|Project|Outlook|Teams|Visio|SQL|Dynamics)\b)"
)
# Name parts that are also months would eat dates ("May 2019") in free text.
_MONTHS = frozenset(calendar.month_name[1:]) | frozenset(calendar.month_abbr[1:])
_PRONOUN = re.compile(
    r"(?i)\b(?:(?P<subject>he|she)(?:(?P<contraction>['\u2019](?:s|d|ll))|"
    r"(?P<aux>\s+(?:is|was|has|does|isn['\u2019]t|wasn['\u2019]t|hasn['\u2019]t"
    r"|doesn['\u2019]t)))?"
    r"|(?P<other>himself|herself|him|his|hers|her))\b"
    # The next word, looked at but not consumed: it may be a pronoun itself ("told her his").
    r"(?=(?P<next>\s+\w+)?)"
)
_THEY_AUX = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
    "doesn't": "don't",
}
_THEY_OTHER = {
    "himself": "themself",
    "herself": "themself",
    "him": "them",
    "his": "their",
    "hers": "theirs",
}
# After these words (or at a clause end) "her" is the object ("them"), else possessive.
_OBJECT_FOLLOWERS = frozenset(
    (  # noqa: SIM905 (a list of words reads best as words)
        "to for and or but in on at as with by from into about after before that the a an this "
        "when while because during through over across since until up out back again"
        " his her my your our its their"
    ).split()
)


def anonymised_label(candidate_id: uuid.UUID) -> str:
    """A stable stand-in name ("Candidate 3F2A9C"), hashed so it is not the id's own prefix."""
    return f"Candidate {hashlib.sha256(candidate_id.bytes).hexdigest()[:6].upper()}"


def anonymise(candidate_resume: dict[str, Any], *, label: str) -> dict[str, Any]:
    """A copy of a JSON Resume without identity or gender cues (see the module docstring)."""
    source = copy.deepcopy(candidate_resume)
    basics = source.pop("basics", None) or {}
    scrub = _scrubber(basics.get("name") or "", label)
    result: dict[str, Any] = {"basics": _anonymous_basics(basics, label, scrub)}
    for key, value in source.items():
        if key not in _DROPPED_KEYS and key not in _DROPPED_TOP_LEVEL:
            result[key] = _scrub_value(value, key, scrub)
    return result


@dataclass(frozen=True)
class AnonymisedProfile:
    """What an anonymised profile shows in place of who the person is."""

    label: str
    resume: dict[str, Any]
    location: str  # region and country only, never the city


def anonymised_profile(candidate: Candidate) -> AnonymisedProfile:
    """The anonymised stand-ins of a candidate, as the API and the pages show them."""
    label = anonymised_label(candidate.id)
    resume = anonymise(candidate.resume or {}, label=label)
    place = (resume.get("basics") or {}).get("location") or {}
    location = ", ".join(v for v in (place.get("region"), place.get("countryCode")) if v)
    return AnonymisedProfile(label=label, resume=resume, location=location)


def _anonymous_basics(
    basics: dict[str, Any], label: str, scrub: Callable[[str], str]
) -> dict[str, Any]:
    """The whitelisted part of ``basics``."""
    kept: dict[str, Any] = {"name": label}
    for key in ("label", "summary"):
        if isinstance(basics.get(key), str):
            kept[key] = scrub(basics[key])
    location = basics.get("location")
    location = location if isinstance(location, dict) else {}
    place = {key: location[key] for key in ("region", "countryCode") if location.get(key)}
    if place:
        kept["location"] = place
    return kept


def _scrub_value(value: Any, key: str, scrub: Callable[[str], str]) -> Any:
    """``value`` with dropped keys removed and every free-text string scrubbed."""
    if isinstance(value, dict):
        return {k: _scrub_value(v, k, scrub) for k, v in value.items() if k not in _DROPPED_KEYS}
    if isinstance(value, list):
        return [_scrub_value(item, key, scrub) for item in value]
    if isinstance(value, str) and key not in _DATE_KEYS:
        return scrub(value)
    return value


def _scrubber(name: str, label: str) -> Callable[[str], str]:
    """A function that scrubs one free-text string of a resume whose owner is ``name``."""
    own_name = _name_pattern(name)
    repeated_label = re.compile(rf"{re.escape(label)}(?:[\s,]+{re.escape(label)})+")

    def scrub_line(line: str) -> str:
        cleaned = _DETAIL.sub("", line)
        if cleaned != line:
            # Cutting a detail out can leave its separator behind ("Python, , SQL").
            cleaned = re.sub(r"(?:\s*[,;|•])+\s*$|^\s*[,;|•]+\s*", "", cleaned)
        cleaned = _EMAIL.sub(REMOVED, cleaned)
        cleaned = _URL.sub(REMOVED, cleaned)
        cleaned = _HANDLE.sub(REMOVED, cleaned)
        cleaned = _PHONE.sub(_phone_or_not, cleaned)
        cleaned = _TITLE.sub("", cleaned)
        if own_name is not None:
            cleaned = repeated_label.sub(label, own_name.sub(label, cleaned))
        cleaned = _PRONOUN.sub(_neutral_pronoun, cleaned)
        # Untouched lines keep their spacing; edited ones lose the gaps left by removals.
        return cleaned if cleaned == line else re.sub(r"\s{2,}", " ", cleaned).strip()

    def scrub(text: str) -> str:
        lines = []
        for line in text.splitlines():
            cleaned = scrub_line(line)
            # A line that held only removed details goes; a blank line stays a paragraph break.
            if re.search(r"\w", cleaned) or not line.strip():
                lines.append(cleaned)
        return "\n".join(lines)

    return scrub


def _name_pattern(name: str) -> re.Pattern[str] | None:
    """The person's full name (any case) or one of its capitalised parts ("Priya", "RAMAN")."""
    full = name.strip()
    if not full:
        return None
    parts = [
        part
        for part in re.findall(r"[^\W\d_][\w'\u2019-]+", full)
        if part[0].isupper() and part.title() not in _MONTHS
    ]
    alternatives = [f"(?i:{re.escape(full)})"]
    alternatives += [re.escape(variant) for part in parts for variant in (part, part.upper())]
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b")


def _phone_or_not(match: re.Match[str]) -> str:
    """``[removed]`` for a phone number; dates, year ranges and short numbers stay."""
    text = match.group()
    if len(re.sub(r"\D", "", text)) < 7 or not re.search(r"\d", _DATE_LIKE.sub("", text)):
        return text
    return REMOVED


def _neutral_pronoun(match: re.Match[str]) -> str:
    """The gender-neutral form of one pronoun (with its verb or contraction), keeping case."""
    next_word = (match.group("next") or "").strip().lower()
    if match.group("subject"):
        they = _same_case(match.group("subject"), "they")
        if contraction := match.group("contraction"):
            ending = contraction[1:].lower()
            if ending == "s":  # "she's" is "she is" or "she has"
                ending = "ve" if next_word in ("been", "got") else "re"
            return f"{they}{contraction[0]}{ending}"
        if aux := match.group("aux"):
            verb = aux.strip()
            agreed = _THEY_AUX[verb.lower().replace("\u2019", "'")]
            return f"{they}{aux[: -len(verb)]}{_same_case(verb, agreed)}"
        return they
    original = match.group("other")
    word = original.lower()
    if word == "her":
        neutral = "them" if not next_word or next_word in _OBJECT_FOLLOWERS else "their"
    else:
        neutral = _THEY_OTHER[word]
    return _same_case(original, neutral)


def _same_case(original: str, replacement: str) -> str:
    """``replacement`` in the case pattern of ``original`` (he/He/HE)."""
    if len(original) > 1 and original.isupper():
        return replacement.upper()
    if original[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def resumes_of(session: Session, *, candidate: Candidate) -> list[Resume]:
    """The candidate's resumes, and unfiled ones uploaded to be attached to it."""
    query = select(Resume).where(
        or_(
            Resume.candidate_id == candidate.id,
            and_(Resume.candidate_id.is_(None), Resume.target_candidate_id == candidate.id),
        )
    )
    return list(session.scalars(query.order_by(Resume.created_at, Resume.id)))


def notifications_about(candidate: Candidate, resume_ids: list[uuid.UUID]) -> ColumnElement[bool]:
    """Notifications about the candidate or its resumes, or naming it as a duplicate."""
    return or_(
        Notification.subject_id.in_([candidate.id, *resume_ids]),
        # A look-alike's "duplicate flagged" event carries this candidate's id and name.
        and_(
            Notification.user_id == candidate.owner_id,
            Notification.data["duplicate_of_id"].as_string() == str(candidate.id),
        ),
    )


def export_document(session: Session, *, candidate: Candidate, reader: User) -> dict[str, Any]:
    """Everything held about the candidate, as JSON-ready data (ISO dates, string ids).

    Notes are those ``reader`` may read: private notes only if they wrote them, so another
    recruiter's private note reaches no export, not even an admin's.
    """
    resumes = resumes_of(session, candidate=candidate)
    resume_ids = [resume.id for resume in resumes]
    parsed = {
        data.resume_id: data
        for data in session.scalars(select(ResumeData).where(ResumeData.resume_id.in_(resume_ids)))
    }
    of_candidate = candidate.id

    def rows(query: Any) -> list[dict[str, Any]]:
        return [_columns(row) for row in session.scalars(query)]

    return {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "candidate": _columns(candidate),
        "skills": sorted(
            session.scalars(
                select(CandidateSkill.skill).where(CandidateSkill.candidate_id == of_candidate)
            )
        ),
        "resumes": [
            {
                **_columns(resume),
                "data": _columns(parsed[resume.id]) if resume.id in parsed else None,
            }
            for resume in resumes
        ],
        "notes": rows(
            select(CandidateNote)
            .where(CandidateNote.candidate_id == of_candidate, readable_by(reader.id))
            .order_by(CandidateNote.created_at, CandidateNote.id)
        ),
        "tags": rows(
            select(CandidateTag)
            .where(CandidateTag.candidate_id == of_candidate)
            .order_by(CandidateTag.name)
        ),
        "shares": rows(
            select(CandidateShare)
            .where(CandidateShare.candidate_id == of_candidate)
            .order_by(CandidateShare.created_at, CandidateShare.id)
        ),
        "duplicate_flags": rows(
            select(DuplicateFlag)
            .where(
                or_(
                    DuplicateFlag.candidate_id == of_candidate,
                    DuplicateFlag.duplicate_of_id == of_candidate,
                )
            )
            .order_by(DuplicateFlag.created_at, DuplicateFlag.id)
        ),
        # An entry's client address is its actor's (a recruiter's) personal data, not the
        # candidate's: a copy for the candidate must not disclose it.
        "activity": [
            {key: value for key, value in entry.items() if key != "client_ip"}
            for entry in rows(
                select(ActivityEntry)
                .where(ActivityEntry.candidate_id == of_candidate)
                .order_by(ActivityEntry.at, ActivityEntry.id)
            )
        ],
        "notifications": rows(
            select(Notification)
            .where(notifications_about(candidate, resume_ids))
            .order_by(Notification.id)
        ),
    }


def _columns(row: Any) -> dict[str, Any]:
    """Every mapped column of a row, JSON-ready: new columns are exported without a change here."""
    return {attr.key: _plain(getattr(row, attr.key)) for attr in inspect(row).mapper.column_attrs}


def _plain(value: Any) -> Any:
    """``value`` with ids, timestamps and enums as strings, at any depth."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def retention_cutoff(months: int, *, now: datetime | None = None) -> datetime:
    """The moment ``months`` calendar months before ``now`` (day clamped to the month's end)."""
    if months <= 0:
        # Zero would make every candidate "expired": refuse rather than erase everyone.
        raise ValueError("The retention period must be at least one month.")
    now = now or utcnow()
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def expired_candidates(
    session: Session, *, months: int, now: datetime | None = None
) -> list[Candidate]:
    """Candidates nobody has worked on for more than ``months`` months, longest idle first."""
    cutoff = retention_cutoff(months, now=now)
    query = (
        select(Candidate)
        .where(Candidate.last_activity_at < cutoff)
        .order_by(Candidate.last_activity_at, Candidate.id)
    )
    return list(session.scalars(query))
