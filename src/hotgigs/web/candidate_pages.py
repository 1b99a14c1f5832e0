"""Candidate database pages: search and the candidate profile."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from hotgigs.auth import service as auth_service
from hotgigs.auth.dependencies import AppSettings, ClientIP, DbSession
from hotgigs.auth.models import User
from hotgigs.candidates import activity, annotations, gdpr, queries, sharing
from hotgigs.candidates import search as search_service
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.access import Access
from hotgigs.candidates.activity import Action
from hotgigs.candidates.corrections import BASICS_KEYS, ENTRY_KEYS, LOCATION_KEYS
from hotgigs.candidates.models import Candidate, ParseCorrection
from hotgigs.candidates.overlay import basic_value
from hotgigs.candidates.schemas import MAX_CURSOR_CHARS, SearchQuery
from hotgigs.resumes.models import ResumeData, ResumeSource
from hotgigs.web import job_pages, resume_view
from hotgigs.web.deps import RecruiterViewer, render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
TOP_SKILLS = 6
ACTIVITY_SHOWN = 30
YEARS_CHOICES = (1, 3, 5, 10, 15)
ACTION_WORDS = {
    Action.CREATE: "imported the profile",
    Action.VIEW: "viewed the profile",
    Action.UPDATE: "updated the profile",
    Action.SHARE: "shared the profile",
    Action.UNSHARE: "withdrew a share",
    Action.NOTE_ADD: "added a note",
    Action.NOTE_EDIT: "edited a note",
    Action.NOTE_DELETE: "deleted a note",
    Action.TAG_ADD: "added tags",
    Action.TAG_REMOVE: "removed a tag",
    Action.DOWNLOAD: "downloaded a resume",
    Action.EXPORT: "exported the data",
    Action.MERGE: "merged a duplicate profile",
    Action.ERASE: "erased the profile",
    Action.CORRECT: "corrected the parsed resume",
}
# The parts of a profile people may correct (overlay keys, see candidates/overlay.py), in
# the order and the words the profile lists them.
CORRECTED_WORDS = {
    "name": "name",
    "label": "headline",
    "email": "email",
    "phone": "phone",
    "location.city": "city",
    "location.region": "region",
    "location.countryCode": "country code",
    "work": "experience",
    "education": "education",
    "skills": "skills",
}


# --------------------------------------------------------------------------- search


@dataclass
class Filters:
    """The search form's values, read leniently from the query string."""

    q: str = ""
    skills: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    location: str = ""
    min_years: float | None = None
    degree: search_service.DegreeLevel | None = None
    source: str = ""
    imported_from: date | None = None
    imported_to: date | None = None
    sort: str = "relevance"
    cursor: str | None = None
    page: int = 1

    @property
    def narrowed(self) -> bool:
        """Whether anything but the order narrows the result."""
        return bool(
            self.q
            or self.skills
            or self.tags
            or self.location
            or self.min_years is not None
            or self.degree
            or self.source
            or self.imported_from
            or self.imported_to
        )

    def query(self, **changes: Any) -> str:
        """The query string of this search with some values changed (a new search: page 1)."""
        changed = replace(self, **{"cursor": None, "page": 1, **changes})
        pairs: list[tuple[str, Any]] = [
            ("q", changed.q),
            *(("skills", s) for s in changed.skills),
            *(("tags", t) for t in changed.tags),
            ("location", changed.location),
            ("min_years", _number(changed.min_years)),
            ("degree", changed.degree.value if changed.degree else ""),
            ("source", changed.source),
            ("imported_from", changed.imported_from.isoformat() if changed.imported_from else ""),
            ("imported_to", changed.imported_to.isoformat() if changed.imported_to else ""),
            ("sort", "" if changed.sort == "relevance" else changed.sort),
            ("cursor", changed.cursor or ""),
            ("page", changed.page if changed.page > 1 else ""),
        ]
        text = urlencode([(k, v) for k, v in pairs if v not in ("", None)])
        return f"?{text}" if text else ""


def _active(filters: Filters) -> list[tuple[str, str]]:
    """The narrowing filters in force, each with the link that drops it."""
    chips = []
    if filters.q:
        chips.append((f"“{filters.q}”", filters.query(q="")))
    chips += [
        (f"Skill: {s}", filters.query(skills=_toggle(filters.skills, s))) for s in filters.skills
    ]
    chips += [(f"Tag: {t}", filters.query(tags=_toggle(filters.tags, t))) for t in filters.tags]
    if filters.location:
        chips.append((f"Location: {filters.location}", filters.query(location="")))
    if filters.min_years is not None:
        chips.append((f"{_number(filters.min_years)}+ years", filters.query(min_years=None)))
    if filters.degree:
        chips.append((f"{filters.degree.value.title()} or higher", filters.query(degree=None)))
    if filters.source:
        chips.append((f"Source: {filters.source}", filters.query(source="")))
    if filters.imported_from:
        chips.append((f"From {filters.imported_from:%d %b %Y}", filters.query(imported_from=None)))
    if filters.imported_to:
        chips.append((f"Until {filters.imported_to:%d %b %Y}", filters.query(imported_to=None)))
    return chips


def when(moment: datetime | None) -> str:
    """A timestamp as the page prints it before the browser shows it in local time."""
    return f"{moment:%d %b %Y, %H:%M} UTC" if moment else ""


def day_of(moment: datetime | None) -> str:
    """The day of a timestamp ("12 Mar 2025")."""
    return f"{moment:%d %b %Y}".lstrip("0") if moment else ""


def _number(value: float | None) -> str:
    """A number for a URL or a form field, without a needless ".0"."""
    if value is None:
        return ""
    value = round(float(value), 1)
    return str(int(value)) if value.is_integer() else str(value)


def _read_filters(request: Request) -> tuple[Filters, list[str]]:
    """The filters in the query string, and what could not be understood in it.

    A page reads them itself: a hand-edited URL gets the page with a note, not a JSON error.
    """
    args = request.query_params
    problems: list[str] = []

    def text(name: str, limit: int = 200) -> str:
        return " ".join(args.get(name, "").split())[:limit]

    def values(name: str) -> list[str]:
        kept = (" ".join(v.split()) for v in args.getlist(name))
        return list(dict.fromkeys(v for v in kept if v))[: search_service.MAX_FILTER_VALUES]

    def day(name: str, label: str) -> date | None:
        raw = text(name, 40)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            problems.append(f"{label} is not a date (YYYY-MM-DD); it was left out.")
            return None

    filters = Filters(
        q=text("q", search_service.MAX_QUERY_CHARS),
        skills=values("skills"),
        tags=[t.casefold() for t in values("tags")],
        location=text("location"),
        source=text("source", 20),
        imported_from=day("imported_from", "Imported from"),
        imported_to=day("imported_to", "Imported until"),
        sort="date" if args.get("sort") == "date" else "relevance",
        # an over-long cursor is cut to the form's limit: it then fails as an unknown cursor
        cursor=args.get("cursor", "")[:MAX_CURSOR_CHARS] or None,
    )
    if raw := text("min_years", 20):
        try:
            filters.min_years = min(max(float(raw), 0.0), 80.0)
        except ValueError:
            problems.append("Years of experience must be a number; it was left out.")
    if raw := text("degree", 20):
        try:
            filters.degree = search_service.DegreeLevel(raw)
        except ValueError:
            problems.append(f"There is no degree level {raw!r}; it was left out.")
    if (raw := text("page", 10)).isdigit() and filters.cursor:
        filters.page = max(1, int(raw))
    return filters, problems


def _midnight(day: date) -> datetime:
    """The start of a day in UTC."""
    return datetime.combine(day, time(), tzinfo=UTC)


def _run_search(session: Session, user: User, filters: Filters) -> queries.SearchPage:
    """The search the API's GET /api/candidates runs, for these filters."""
    form = SearchQuery(
        q=filters.q or None,
        skills=filters.skills,
        min_years=filters.min_years,
        location=filters.location or None,
        degree=filters.degree,
        tags=filters.tags,
        source=filters.source or None,
        imported_from=_midnight(filters.imported_from) if filters.imported_from else None,
        # "until" a day includes that day
        imported_to=(
            _midnight(filters.imported_to + timedelta(days=1)) if filters.imported_to else None
        ),
        sort=filters.sort,
        cursor=filters.cursor,
        limit=PAGE_SIZE,
    )
    # The API counts facets on the first page only; the page keeps its sidebar on every
    # page, so it counts them each time.
    return queries.search_page(session, user=user, params=form.to_params(facets=True))


@dataclass
class FacetValue:
    """One facet value as the sidebar shows it."""

    value: str
    count: int | None
    selected: bool
    href: str


def _toggle(chosen: list[str], value: str) -> list[str]:
    """`chosen` with `value` added, or removed if it was there (ignoring case)."""
    kept = [c for c in chosen if c.casefold() != value.casefold()]
    return kept if len(kept) < len(chosen) else [*chosen, value]


def _facets(filters: Filters, facets: dict[str, list[tuple[str, int]]]) -> dict[str, list]:
    """Facet values with counts, whether chosen, and the link that toggles each."""
    out: dict[str, list[FacetValue]] = {}
    for name, chosen in (("skills", filters.skills), ("tags", filters.tags)):
        listed = facets.get(name, [])
        folded = {c.casefold() for c in chosen}
        items = [
            FacetValue(
                value,
                count,
                value.casefold() in folded,
                filters.query(**{name: _toggle(chosen, value)}),
            )
            for value, count in listed
        ]
        # A chosen value beyond the top few still shows, so it can be unticked.
        seen = {v.casefold() for v, _ in listed}
        items += [
            FacetValue(c, None, True, filters.query(**{name: _toggle(chosen, c)}))
            for c in chosen
            if c.casefold() not in seen
        ]
        out[name] = items
    here = filters.location.casefold()
    out["locations"] = [
        FacetValue(
            value,
            count,
            value.casefold() == here,
            filters.query(location="" if value.casefold() == here else value),
        )
        for value, count in facets.get("locations", [])
    ]
    return out


@dataclass
class ResultRow:
    """One candidate in the result list."""

    id: uuid.UUID
    name: str
    headline: str
    location: str
    years: float | None
    skills: list[str]
    matched_skills: set[str]
    tags: list[str]
    access: Access
    owner_email: str | None
    updated_at: datetime


def _skill_names(resume: dict[str, Any]) -> list[str]:
    """The skill names of a JSON Resume, in its order, without blanks."""
    names = (s.get("name") for s in resume.get("skills") or [] if isinstance(s, dict))
    return list(dict.fromkeys(n.strip() for n in names if isinstance(n, str) and n.strip()))


def _rows(filters: Filters, items: list[queries.SearchItem]) -> list[ResultRow]:
    """The result list's rows: key facts, tags and how the viewer reaches each candidate."""
    wanted = {s.casefold() for s in filters.skills} | {w.casefold() for w in filters.q.split()}
    rows = []
    for item in items:
        candidate = item.candidate
        skills = _skill_names(candidate.resume or {})
        # Skills the search asked for come first, so the row shows why it matched.
        skills.sort(key=lambda s: s.casefold() not in wanted)
        rows.append(
            ResultRow(
                id=candidate.id,
                name=candidate.full_name,
                headline=candidate.headline,
                location=candidate.location,
                years=candidate.total_years_experience,
                skills=skills[:TOP_SKILLS],
                matched_skills={s for s in skills if s.casefold() in wanted},
                tags=item.tags,
                access=item.access,
                owner_email=item.owner_email,
                updated_at=candidate.updated_at,
            )
        )
    return rows


@router.get("/candidates")
def candidates_page(request: Request, viewer: RecruiterViewer, session: DbSession) -> Response:
    """The candidate database: search, filters with facet counts, results a page at a time."""
    filters, problems = _read_filters(request)
    user = viewer.user
    try:
        page = _run_search(session, user, filters)
    except search_service.InvalidSearch as exc:
        problems.append(str(exc))
        return render(
            request,
            "candidates/list.html",
            viewer,
            status_code=422,
            filters=filters,
            problems=problems,
            page=None,
            rows=[],
            facets={},
            active=_active(filters),
            has_any=True,
            **_choices(),
        )
    has_any = page.total > 0 or queries.any_visible(session, user=user)
    return render(
        request,
        "candidates/list.html",
        viewer,
        filters=filters,
        problems=problems,
        page=page,
        rows=_rows(filters, page.items),
        facets=_facets(filters, page.facets),
        active=_active(filters),
        has_any=has_any,
        next_href=(
            filters.query(cursor=page.next_cursor, page=filters.page + 1)
            if page.next_cursor
            else None
        ),
        first_href=filters.query() or "?",
        **_choices(),
    )


def _choices() -> dict[str, Any]:
    """Options of the filter form's selects, and the formatting helpers of the templates."""
    return {
        "when": when,
        "day_of": day_of,
        "number": _number,
        "years_choices": YEARS_CHOICES,
        "degree_choices": [
            (level.value, level.value.title() + (" or higher" if level.rank < 5 else ""))
            for level in search_service.DegreeLevel
        ],
        "source_choices": [
            (
                s.value,
                {"cli": "Command line", "drive": "Google Drive"}.get(s.value, s.value.title()),
            )
            for s in ResumeSource
        ],
    }


# --------------------------------------------------------------------------- profile


@dataclass
class ProfileHead:
    """The identifying part of a profile, or its anonymised stand-ins."""

    name: str
    email: str | None
    phone: str | None
    headline: str
    location: str
    resume: dict[str, Any]
    anonymised: bool


def _head(candidate: Candidate, *, anonymised: bool) -> ProfileHead:
    """What the API's candidate read shows, anonymised like GET ...?anonymised=true."""
    if not anonymised:
        return ProfileHead(
            name=candidate.full_name,
            email=candidate.email,
            phone=candidate.phone,
            headline=candidate.headline,
            location=candidate.location,
            resume=candidate.resume or {},
            anonymised=False,
        )
    anonymous = gdpr.anonymised_profile(candidate)
    return ProfileHead(
        name=anonymous.label,
        email=None,
        phone=None,
        headline=(anonymous.resume.get("basics") or {}).get("label") or "",
        location=anonymous.location,
        resume=anonymous.resume,
        anonymised=True,
    )


def _safe_link(url: str) -> str | None:
    """A resume's link if it is a web address (never javascript: or data:)."""
    if url.startswith(("https://", "http://")):
        return url
    if url.startswith("www."):
        return f"https://{url}"
    return None


def _form_text(value: Any) -> str:
    """A resume value as a form field shows it (parsers may put odd types anywhere)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value).strip()


def _correction_form(resume: dict[str, Any]) -> dict[str, Any]:
    """The values the correction forms start from, read from the stored JSON Resume.

    Each list entry keeps its index in the stored list as ``origin`` (what the corrections
    API refers to); the display's ``sections`` may skip entries, so it cannot be used.
    """
    basics = resume.get("basics") if isinstance(resume.get("basics"), dict) else {}
    location = basics.get("location") if isinstance(basics.get("location"), dict) else {}
    form: dict[str, Any] = {key: _form_text(basics.get(key)) for key in BASICS_KEYS}
    form.update({key: _form_text(location.get(key)) for key in LOCATION_KEYS})
    for section, keys in ENTRY_KEYS.items():
        items = resume.get(section) if isinstance(resume.get(section), list) else []
        entries = []
        for origin, entry in enumerate(items):
            if not isinstance(entry, dict):
                continue
            values = {key: _form_text(entry.get(key)) for key in keys}
            if "endDate" in keys and "endDate" in entry and entry["endDate"] is None:
                values["endDate"] = "Present"  # JSON Resume's null end date: it goes on
            entries.append({"origin": origin, **values})
        form[section] = entries
    return form


def _corrected(session: Session, candidate: Candidate) -> dict[str, Any]:
    """What people corrected that the profile still shows, and the latest correction."""
    overlay = candidate.corrected or {}
    resume = candidate.resume or {}
    kept = overlay.get("basics") or {}
    keys = {
        key
        for key, value in kept.items()
        if isinstance(value, dict) and basic_value(resume, key) == value.get("value")
    }
    current = str(candidate.current_resume_id) if candidate.current_resume_id else None
    if overlay.get("resume_id") == current:  # a new file's sections replace corrected ones
        keys |= set(overlay.get("sections") or {}) & set(ENTRY_KEYS)
    last = session.scalars(
        select(ParseCorrection)
        .where(ParseCorrection.candidate_id == candidate.id)
        .order_by(ParseCorrection.created_at.desc())
        .limit(1)
    ).first()
    return {
        "keys": keys,
        "words": [word for key, word in CORRECTED_WORDS.items() if key in keys],
        "last": last,
    }


def _field_words(fields: list[Any]) -> str:
    """Corrected field paths ("basics.location.city", "work.name") in the profile's words."""
    words = []
    for path in fields:
        key = str(path).removeprefix("basics.")
        words.append(CORRECTED_WORDS.get(key) or CORRECTED_WORDS.get(key.split(".")[0], key))
    return ", ".join(dict.fromkeys(words))


def _names(session: Session, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Display names (name or email) of users, by id."""
    return {
        uid: user.full_name or user.email
        for uid, user in auth_service.users_by_id(session, ids).items()
    }


def _activity(session: Session, candidate: Candidate, viewer_id: uuid.UUID) -> list[dict]:
    """The candidate's recent activity, in words (as GET .../activity lists it)."""
    entries = activity.for_candidate(session, candidate_id=candidate.id, limit=ACTIVITY_SHOWN)
    people = {e.actor_id for e in entries}
    for entry in entries:
        if rid := entry.detail.get("recruiter_id"):
            with contextlib.suppress(ValueError):
                people.add(uuid.UUID(rid))
    names = _names(session, people)
    items = []
    for entry in entries:
        who = (
            "You"
            if entry.actor_id == viewer_id
            else names.get(entry.actor_id, "System" if entry.actor_id is None else "A former user")
        )
        what = ACTION_WORDS.get(entry.action, entry.action)
        detail = entry.detail or {}
        extra = ""
        if rid := detail.get("recruiter_id"):
            try:
                extra = names.get(uuid.UUID(rid), "")
            except ValueError:
                extra = ""
            if detail.get("permission"):
                extra = f"{extra} ({detail['permission']})".strip()
            extra = f"with {extra}" if entry.action == Action.SHARE else f"from {extra}"
        elif (fields := detail.get("fields")) and entry.action == Action.CORRECT:
            extra = _field_words(fields)
        elif fields := detail.get("fields"):
            extra = ", ".join(str(f).replace("_", " ") for f in fields)
        elif (count := detail.get("count")) and entry.action == Action.TAG_ADD:
            what = "added a tag" if count == 1 else f"added {count} tags"
        last = items[-1] if items else None
        # Views pile up (every page open is one); a run of the same line shows once, counted.
        if last and (last["who"], last["what"], last["extra"]) == (who, what, extra):
            last["times"] += 1
        else:
            items.append({"who": who, "what": what, "extra": extra, "at": entry.at, "times": 1})
    return items


def _duplicates(session: Session, user: User, candidate: Candidate) -> list[dict]:
    """Open duplicate flags that involve this profile, with the other profile's name."""
    flags = [
        f
        for f in candidates_service.open_duplicates(session, user=user)
        if candidate.id in (f.candidate_id, f.duplicate_of_id)
    ]
    out = []
    for flag in flags:
        other_id = flag.duplicate_of_id if flag.candidate_id == candidate.id else flag.candidate_id
        other = session.get(Candidate, other_id)
        if other is not None:
            out.append({"flag": flag, "other": other})
    return out


def _parse_id(raw: str) -> uuid.UUID:
    """A candidate id from the path; anything else is a page that does not exist."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise candidates_service.CandidateNotFound(f"Candidate {raw[:60]} not found.") from None


@router.get("/candidates/{candidate_id}")
def profile_page(
    request: Request,
    candidate_id: str,
    viewer: RecruiterViewer,
    session: DbSession,
    client_ip: ClientIP,
    settings: AppSettings,
    view: str = "",
) -> Response:
    """One candidate: parsed resume, files, notes, tags, shares, matches and activity."""
    user = viewer.user
    # Every view is logged, as the API's GET /api/candidates/{id} logs it.
    profile = queries.view_profile(
        session, user=user, candidate_id=_parse_id(candidate_id), client_ip=client_ip
    )
    candidate, access = profile.candidate, profile.access
    resumes = queries.resumes_of(session, candidate=candidate)
    anonymised = view == "anonymised"
    can_edit = access >= Access.EDIT
    can_manage = access >= Access.OWNER
    head = _head(candidate, anonymised=anonymised)
    sections = resume_view.sections(head.resume)
    for p in sections["profiles"]:
        p["href"] = _safe_link(p["url"])
    current = queries.current_resume(candidate, resumes)
    extracted = None
    if current is not None and not anonymised:
        data = session.get(ResumeData, current.id)
        extracted = data.text if data else None
    # Important notes first, each group oldest first; others' private notes never come.
    notes = sorted(
        annotations.notes_of(session, actor=user, candidate_id=candidate.id),
        key=lambda note: not note.is_important,
    )
    shares = sharing.shares_of(session, actor=user, candidate_id=candidate.id) if can_manage else []
    withheld = sharing.download_withheld(session, user=user, candidate=candidate)
    # Editors correct what the parser read, in place (never in the anonymised view).
    edits = can_edit and not anonymised
    corrected = _corrected(session, candidate) if edits else None
    last_author = corrected["last"].author_id if corrected and corrected["last"] else None
    names = _names(
        session,
        {n.author_id for n in notes}
        | {s.recruiter_id for s in shares}
        | {candidate.owner_id, last_author, withheld.granted_by_id if withheld else None},
    )
    emails = queries.emails_of(session, ids=[s.recruiter_id for s in shares])
    return render(
        request,
        "candidates/profile.html",
        viewer,
        candidate=candidate,
        head=head,
        sections=sections,
        website=_safe_link(sections["url"]),
        access=access,
        can_edit=can_edit,
        can_manage=can_manage,
        edits=edits,
        fix=_correction_form(candidate.resume or {}) if edits else None,
        corrected=corrected,
        owner_name="You" if candidate.owner_id == user.id else names.get(candidate.owner_id, ""),
        tags=profile.tags,
        notes=notes,
        names=names,
        can_download=withheld is None,
        sharer_name=names.get(withheld.granted_by_id, "") if withheld else "",
        shares=shares,
        share_emails=emails,
        history=_activity(session, candidate, user.id) if can_manage else [],
        resumes=resumes,
        current=current,
        extracted=extracted,
        duplicates=[] if anonymised else _duplicates(session, user, candidate),
        # The anonymised view shows no matches: job titles and evidence could identify.
        match_section=(
            None
            if anonymised
            else job_pages.candidate_matches(session, user, candidate.id, settings)
        ),
        when=when,
        day_of=day_of,
        number=_number,
        segment=lambda value: quote(value, safe=""),
    )
