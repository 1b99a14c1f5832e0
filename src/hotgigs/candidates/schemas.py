"""Request and response bodies of the candidate API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from hotgigs.candidates import search as search_service
from hotgigs.candidates.models import DuplicateStatus, SharePermission


class CandidateRead(BaseModel):
    """A candidate profile."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    owner_id: uuid.UUID
    full_name: str
    email: str | None
    phone: str | None
    headline: str
    location: str
    total_years_experience: float | None
    resume: dict[str, Any]
    current_resume_id: uuid.UUID | None
    source: str
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime
    tags: list[str] = []
    # How the caller reaches it (candidates.access.Access label): admin, owner, self (its own
    # profile), edit or view (shared).
    access: str | None = None
    # Set in the admin master view.
    owner_email: str | None = None
    anonymised: bool = False


class Facet(BaseModel):
    """One value of a facet and how many candidates of the result have it."""

    value: str
    count: int


class CandidateList(BaseModel):
    """A page of candidates, with facet counts over the whole result."""

    items: list[CandidateRead]
    total: int
    next_cursor: str | None = None
    facets: dict[str, list[Facet]] = {}
    # False when the result is larger than the facet sample: counts cover its best matches.
    facets_exact: bool = True


MAX_CURSOR_CHARS = 500


class SearchQuery(BaseModel):
    """Search, filters, sort and page of a candidate list (query parameters)."""

    q: str | None = Field(default=None, max_length=500, description="Words to look for")
    search: str | None = Field(
        default=None, max_length=500, description="The spec's name for q (give one of them)"
    )
    skills: list[str] = Field(default=[], description="Has all of these skills")
    any_skills: list[str] = Field(default=[], description="Has at least one of these skills")
    min_years: float | None = Field(default=None, ge=0, le=80)
    location: str | None = Field(default=None, max_length=200)
    degree: search_service.DegreeLevel | None = Field(
        default=None, description="At least this degree"
    )
    tags: list[str] = Field(default=[], description="Has all of these tags")
    source: str | None = Field(default=None, max_length=20)
    imported_from: datetime | None = None
    imported_to: datetime | None = None
    sort: Literal["relevance", "date"] = "relevance"
    cursor: str | None = Field(default=None, max_length=MAX_CURSOR_CHARS)
    skip: int = Field(
        default=0, ge=0, le=search_service.MAX_OFFSET, description="Rows to pass over (or cursor)"
    )
    limit: int = Field(default=50, ge=1, le=200)
    anonymised: bool = Field(default=False, description="Hide names, contacts, gender cues")

    def to_params(
        self, *, facets: bool, owner_id: uuid.UUID | None = None
    ) -> search_service.SearchParams:
        """The search service's parameters for this form: the one mapping API and pages share."""
        return search_service.SearchParams(
            q=self.q or self.search,
            skills_all=self.skills,
            skills_any=self.any_skills,
            min_years=self.min_years,
            location=self.location,
            min_degree_level=self.degree.rank if self.degree else None,
            tags=[t.casefold() for t in self.tags],
            owner_id=owner_id,
            source=self.source,
            imported_from=self.imported_from,
            imported_to=self.imported_to,
            sort=self.sort,
            cursor=self.cursor,
            offset=self.skip,
            limit=self.limit,
            facets=facets,
        )


class CandidateUpdate(BaseModel):
    """Profile fields to change (absent fields stay as they are)."""

    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=32)
    headline: str | None = Field(default=None, max_length=300)
    location: str | None = Field(default=None, max_length=200)
    total_years_experience: float | None = Field(default=None, ge=0, le=80)


Text = Annotated[str | None, Field(default=None, max_length=300)]


class CorrectedLocation(BaseModel):
    """Where the person lives (absent parts stay as they are)."""

    model_config = ConfigDict(extra="forbid")

    city: Text = None
    region: Text = None
    countryCode: Text = None


class CorrectedBasics(BaseModel):
    """Basics to correct; absent keys stay as they are, "" or null removes."""

    model_config = ConfigDict(extra="forbid")

    name: Text = None
    label: Text = None
    email: Text = None
    phone: Text = None
    location: CorrectedLocation | None = None


class CorrectedEntry(BaseModel):
    """One entry of a corrected list; ``origin`` is the index of the entry it edits."""

    model_config = ConfigDict(extra="forbid")

    origin: int | None = Field(default=None, ge=0)


class CorrectedWork(CorrectedEntry):
    """A job: employer, title, dates (YYYY or YYYY-MM; endDate "Present") and place."""

    name: Text = None
    position: Text = None
    startDate: Text = None
    endDate: Text = None
    location: Text = None


class CorrectedEducation(CorrectedEntry):
    """A school entry."""

    institution: Text = None
    studyType: Text = None
    area: Text = None
    startDate: Text = None
    endDate: Text = None


class CorrectedSkill(CorrectedEntry):
    """A listed skill, as the person names it."""

    name: Text = None


class ResumeCorrection(BaseModel):
    """Corrections of the parsed resume: basics key by key, lists whole (absent: unchanged)."""

    model_config = ConfigDict(extra="forbid")

    basics: CorrectedBasics | None = None
    work: list[CorrectedWork] | None = Field(default=None, max_length=60)
    education: list[CorrectedEducation] | None = Field(default=None, max_length=30)
    skills: list[CorrectedSkill] | None = Field(default=None, max_length=300)


class CorrectionRead(BaseModel):
    """One stored correction: a labelled example for the parser."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    resume_id: uuid.UUID | None
    path: str
    parsed: Any
    value: Any
    author_id: uuid.UUID | None
    created_at: datetime


class CorrectionList(BaseModel):
    """A candidate's corrections, oldest first."""

    items: list[CorrectionRead]
    total: int


class NoteCreate(BaseModel):
    """A new note: its text, an optional title, and whether it is important or private."""

    content: str = Field(min_length=1, max_length=10_000)
    title: str | None = Field(default=None, max_length=200, description="Optional headline")
    is_important: bool = Field(default=False, description="Listed first and marked")
    is_private: bool = Field(default=False, description="Seen by its author alone")


class NoteUpdate(BaseModel):
    """Changes to one's own note, any of its fields (an empty or null title removes it)."""

    content: str | None = Field(default=None, min_length=1, max_length=10_000)
    title: str | None = Field(default=None, max_length=200)
    is_important: bool | None = None
    is_private: bool | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> NoteUpdate:
        # A null title removes the title; a null anything else changes nothing.
        if not any(k == "title" or getattr(self, k) is not None for k in self.model_fields_set):
            raise ValueError("Give at least one of content, title, is_important, is_private.")
        return self


class NoteRead(BaseModel):
    """A recruiter's note on a candidate."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    candidate_id: uuid.UUID
    author_id: uuid.UUID
    title: str | None
    content: str
    is_important: bool
    is_private: bool
    created_at: datetime
    updated_at: datetime


class NoteList(BaseModel):
    """A candidate's notes, oldest first."""

    items: list[NoteRead]
    total: int
    next_cursor: str | None = None


class TagsRequest(BaseModel):
    """Tags to add."""

    tags: list[str] = Field(min_length=1, max_length=20)


class TagsRead(BaseModel):
    """All tags of a candidate."""

    candidate_id: uuid.UUID
    tags: list[str]


MAX_BULK_CANDIDATES = 500
MAX_BULK_RECRUITERS = 50


class ShareCreate(BaseModel):
    """Whom to share with (by id or email) and how far."""

    recruiter_id: uuid.UUID | None = None
    recruiter_email: str | None = Field(default=None, max_length=320)
    permission: SharePermission = SharePermission.VIEW
    can_download: bool = Field(
        default=False,
        description="A view share may download the original files (edit shares always may)",
    )

    @model_validator(mode="after")
    def _names_a_recruiter(self) -> ShareCreate:
        if self.recruiter_id is None and not self.recruiter_email:
            raise ValueError("Give recruiter_id or recruiter_email.")
        return self


class AdminShareCreate(BaseModel):
    """The spec's admin share request: the candidates are in the body. One candidate with
    one recruiter answers the share; lists (``candidate_ids``, ``recruiter_ids``,
    ``recruiter_emails``) share every candidate with every recruiter, all or nothing."""

    candidate_id: uuid.UUID | None = None
    candidate_ids: list[uuid.UUID] = Field(default=[], max_length=MAX_BULK_CANDIDATES)
    recruiter_id: uuid.UUID | None = None
    recruiter_email: str | None = Field(default=None, max_length=320)
    recruiter_ids: list[uuid.UUID] = Field(default=[], max_length=MAX_BULK_RECRUITERS)
    recruiter_emails: list[Annotated[str, Field(max_length=320)]] = Field(
        default=[], max_length=MAX_BULK_RECRUITERS
    )
    permission: SharePermission = SharePermission.VIEW
    can_download: bool = Field(
        default=False,
        description="A view share may download the original files (edit shares always may)",
    )

    @model_validator(mode="after")
    def _names_both_sides(self) -> AdminShareCreate:
        if not self.candidates:
            raise ValueError("Give candidate_id or candidate_ids.")
        if not self.recruiters:
            raise ValueError("Name a recruiter (recruiter_id[s] or recruiter_email[s]).")
        return self

    @property
    def bulk(self) -> bool:
        """Whether the request used the lists (and is answered with a list)."""
        return bool(self.candidate_ids or self.recruiter_ids or self.recruiter_emails)

    @property
    def candidates(self) -> list[uuid.UUID]:
        """Every candidate named, once."""
        named = [self.candidate_id] if self.candidate_id else []
        return list(dict.fromkeys([*named, *self.candidate_ids]))

    @property
    def recruiters(self) -> list[tuple[uuid.UUID | None, str | None]]:
        """Every recruiter named, as (id, email) with one of them set."""
        out: list[tuple[uuid.UUID | None, str | None]] = []
        if self.recruiter_id is not None or self.recruiter_email:
            out.append((self.recruiter_id, self.recruiter_email))
        out += [(rid, None) for rid in self.recruiter_ids]
        out += [(None, email) for email in self.recruiter_emails]
        return out


class ShareRead(BaseModel):
    """A candidate shared with a recruiter."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    candidate_id: uuid.UUID
    recruiter_id: uuid.UUID
    permission: SharePermission
    can_download: bool
    granted_by_id: uuid.UUID | None
    created_at: datetime


class ShareList(BaseModel):
    """A candidate's shares."""

    items: list[ShareRead]
    total: int
    next_cursor: str | None = None


class ActivityRead(BaseModel):
    """One entry of the activity log."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    at: datetime
    actor_id: uuid.UUID | None
    actor_role: str
    action: str
    target_type: str
    target_id: uuid.UUID | None
    candidate_id: uuid.UUID | None
    client_ip: str | None
    detail: dict[str, Any]


class ActivityList(BaseModel):
    """Activity entries, newest first."""

    items: list[ActivityRead]
    total: int
    next_cursor: str | None = None


class DuplicateRead(BaseModel):
    """Two profiles that probably describe the same person."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    candidate_id: uuid.UUID
    duplicate_of_id: uuid.UUID
    reason: str
    score: float
    status: DuplicateStatus
    created_at: datetime


class DuplicateList(BaseModel):
    """Open duplicate flags."""

    items: list[DuplicateRead]
    total: int
    next_cursor: str | None = None


class MergeRequest(BaseModel):
    """Which profile to fold into the one in the path."""

    duplicate_id: uuid.UUID
