"""Admin pages: overview, master database (and its cross-recruiter duplicates), users, audit log."""

from __future__ import annotations

import contextlib
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.responses import Response

from hotgigs.auth import service as auth_service
from hotgigs.auth.dependencies import AppSettings, DbSession
from hotgigs.auth.models import Role, User
from hotgigs.candidates import activity
from hotgigs.candidates import duplicates as duplicates_service
from hotgigs.candidates import search as search_service
from hotgigs.candidates.access import visible_to
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import Candidate, CandidateShare, SharePermission
from hotgigs.errors import Invalid
from hotgigs.health import router as health_router
from hotgigs.web.deps import AdminViewer, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
# Groups on a page of people imported by several recruiters.
DUPLICATES_PAGE_SIZE = 20
ROLES = [Role.RECRUITER, Role.ADMIN, Role.CANDIDATE]
AUDIT_PAGE_SIZE = 50
# Resume stages in the order a resume goes through them (the overview's bars).
RESUME_STAGES = ["queued", "extracting", "parsing", "indexing", "completed", "failed"]
# How each activity action reads in the audit log.
ACTION_LABELS = {
    Action.CREATE: "Created",
    Action.VIEW: "Viewed",
    Action.UPDATE: "Edited",
    Action.SHARE: "Shared",
    Action.UNSHARE: "Stopped sharing",
    Action.NOTE_ADD: "Added a note",
    Action.NOTE_EDIT: "Edited a note",
    Action.NOTE_DELETE: "Deleted a note",
    Action.TAG_ADD: "Added tags",
    Action.TAG_REMOVE: "Removed a tag",
    Action.DOWNLOAD: "Downloaded a resume",
    Action.EXPORT: "Exported (GDPR)",
    Action.MERGE: "Merged profiles",
    Action.ERASE: "Erased (GDPR)",
}


def _bars(counts: dict[str, int], names: list[str], whole: int) -> list[tuple[str, int, int]]:
    """(label, count, width in percent of whole) for each name, in the order given."""
    return [
        (name, counts.get(name, 0), round(100 * counts.get(name, 0) / whole) if whole else 0)
        for name in names
    ]


# --------------------------------------------------------------------------- overview


@router.get("/admin")
def overview(
    request: Request, viewer: AdminViewer, session: DbSession, settings: AppSettings
) -> Response:
    """Stat cards: candidates, resumes by status, queue, workers, users, syncs, jobs."""
    stats = health_router.overview(session, settings)
    resumes, users = stats["resumes"], stats["users"]
    resume_bars = _bars(resumes["by_status"], RESUME_STAGES, resumes["total"])
    user_bars = _bars(users["by_role"], [r.value for r in ROLES], users["total"])
    return render(
        request,
        "admin/overview.html",
        viewer,
        stats=stats,
        resume_bars=resume_bars,
        user_bars=user_bars,
        drive_enabled=settings.enable_google_drive_sync,
    )


# --------------------------------------------------------------------------- master database


class MasterQuery(BaseModel):
    """Search box, owner filter, view and page of the master database (query parameters)."""

    q: str | None = Field(default=None, max_length=500)
    owner: str | None = Field(default=None, max_length=40)
    cursor: str | None = Field(default=None, max_length=500)
    # "duplicates": people imported by several recruiters, grouped, paged by `offset`.
    view: Literal["all", "duplicates"] = "all"
    offset: int = Field(default=0, ge=0, le=1_000_000)


def _owner_id(value: str | None) -> uuid.UUID | None:
    """The owner filter's id; an empty choice means everyone."""
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Invalid("Choose an owner from the list.") from None


def _shares_of(session: DbSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[CandidateShare]]:
    """The shares of these candidates, oldest first, by candidate."""
    shares: dict[uuid.UUID, list[CandidateShare]] = {}
    if ids:
        query = select(CandidateShare).where(CandidateShare.candidate_id.in_(ids))
        for share in session.scalars(query.order_by(CandidateShare.created_at)):
            shares.setdefault(share.candidate_id, []).append(share)
    return shares


@router.get("/admin/candidates")
def master_database(
    request: Request,
    viewer: AdminViewer,
    session: DbSession,
    params: Annotated[MasterQuery, Query()],
) -> Response:
    """Every recruiter's candidates with their owner and shares; share them from here.

    `view=duplicates` lists the people imported by several recruiters instead, grouped.
    """
    # Owners to filter by: everyone who may own candidates (not candidate accounts).
    staff = [u for u in auth_service.list_users(session) if u.role is not Role.CANDIDATE]
    recruiters = [u for u in staff if u.role is Role.RECRUITER and u.is_active]
    if params.view == "duplicates":
        duplicates = duplicates_service.cross_owner_groups(
            session, limit=DUPLICATES_PAGE_SIZE, offset=params.offset
        )
        shares = _shares_of(session, [p.id for g in duplicates.groups for p in g.profiles])
        following = params.offset + DUPLICATES_PAGE_SIZE
        return render(
            request,
            "admin/duplicates.html",
            viewer,
            duplicates=duplicates,
            recruiters=recruiters,
            shares=shares,
            people=auth_service.users_by_id(
                session, {s.recruiter_id for v in shares.values() for s in v}
            ),
            previous=max(params.offset - DUPLICATES_PAGE_SIZE, 0) if params.offset else None,
            following=following if following < duplicates.total else None,
        )
    owner_id = _owner_id(params.owner)
    q = (params.q or "").strip() or None
    try:
        page = search_service.search(
            session,
            scope=visible_to(user=viewer.user),
            params=search_service.SearchParams(
                q=q,
                owner_id=owner_id,
                sort="relevance" if q else "date",
                cursor=params.cursor or None,
                limit=PAGE_SIZE,
                facets=False,
            ),
        )
    except search_service.InvalidSearch as exc:
        raise Invalid(str(exc)) from None
    shares = _shares_of(session, [c.id for c in page.items])
    people = auth_service.users_by_id(
        session,
        {c.owner_id for c in page.items} | {s.recruiter_id for v in shares.values() for s in v},
    )
    # Only the number of groups, for the link to them.
    duplicates = duplicates_service.cross_owner_groups(session, limit=0)
    kept = {k: v for k, v in {"q": q, "owner": str(owner_id) if owner_id else None}.items() if v}
    return render(
        request,
        "admin/candidates.html",
        viewer,
        duplicates=duplicates,
        page=page,
        people=people,
        shares=shares,
        staff=staff,
        recruiters=recruiters,
        q=q or "",
        owner=str(owner_id) if owner_id else "",
        first=f"/admin/candidates?{urlencode(kept)}" if kept else "/admin/candidates",
        next_href=(
            f"/admin/candidates?{urlencode({**kept, 'cursor': page.next_cursor})}"
            if page.next_cursor
            else None
        ),
        paged=bool(params.cursor),
        permissions=list(SharePermission),
    )


# --------------------------------------------------------------------------- users


@router.get("/admin/users")
def users_page(
    request: Request, viewer: AdminViewer, session: DbSession, role: Role | None = None
) -> Response:
    """Accounts and roles: create one, change a role, disable or enable."""
    users = auth_service.list_users(session, role=role)
    everyone = users if role is None else auth_service.list_users(session)
    counts = {r.value: sum(1 for u in everyone if u.role is r) for r in Role}
    return render(
        request,
        "admin/users.html",
        viewer,
        users=users,
        role=role.value if role else "",
        roles=ROLES,
        counts=counts,
        total=len(everyone),
    )


# --------------------------------------------------------------------------- audit log

UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def _describe(detail: dict[str, Any], people: dict[str, User]) -> list[str]:
    """Short phrases for an entry's detail; bare ids are left out (they mean nothing here)."""
    phrases = []
    for key, value in (detail or {}).items():
        if key == "recruiter_id":
            person = people.get(str(value))
            phrases.append(f"with {person.email if person else 'a deleted user'}")
        elif key == "permission":
            phrases.append(f"({value})")
        elif key == "source":
            phrases.append(f"from {value}")
        elif isinstance(value, list):
            phrases.append(f"{key.replace('_', ' ')}: {', '.join(map(str, value))}")
        elif isinstance(value, bool) or value is None or UUID_TEXT.match(str(value)):
            continue
        elif isinstance(value, int | float | str):
            phrases.append(f"{key.replace('_', ' ')}: {value}")
    return phrases


class AuditQuery(BaseModel):
    """The audit log's filters and page (query parameters); dates are whole UTC days."""

    actor: str | None = Field(default=None, max_length=40)
    action: str | None = Field(default=None, max_length=40)
    candidate: str | None = Field(default=None, max_length=40)
    since: str | None = Field(default=None, max_length=10)
    until: str | None = Field(default=None, max_length=10)
    before: str | None = Field(default=None, max_length=40)


def _day(value: str | None, *, end: bool = False) -> datetime | None:
    """The start of a YYYY-MM-DD day in UTC (`end`: the start of the next day)."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{value!r} is not a date (YYYY-MM-DD).") from None
    return datetime.combine(day + timedelta(days=1 if end else 0), time(), tzinfo=UTC)


def _audit_filter(params: AuditQuery) -> activity.ActivityFilter:
    """What the form asks for, as the activity log's filter (bad values are a 422 page)."""
    try:
        actor_id = uuid.UUID(params.actor) if params.actor else None
        candidate_id = uuid.UUID(params.candidate.strip()) if params.candidate else None
        before = datetime.fromisoformat(params.before) if params.before else None
    except ValueError:
        raise Invalid("The filters hold a value that is not an id or a time.") from None
    if params.action and params.action not in {a.value for a in Action}:
        raise Invalid(f"Unknown action {params.action!r}.")
    until = _day(params.until, end=True)
    # "Older entries" pages on from the oldest entry shown (the log is newest first).
    if before is not None:
        until = min(until, before) if until else before
    return activity.ActivityFilter(
        actor_id=actor_id,
        action=params.action or None,
        candidate_id=candidate_id,
        since=_day(params.since),
        until=until,
    )


@router.get("/admin/audit")
def audit_log(
    request: Request,
    viewer: AdminViewer,
    session: DbSession,
    params: Annotated[AuditQuery, Query()],
) -> Response:
    """Who did what to which candidate, when and from where; filtered, newest first."""
    where = _audit_filter(params)
    entries = activity.search_log(session, where=where, limit=AUDIT_PAGE_SIZE + 1)
    more = len(entries) > AUDIT_PAGE_SIZE
    entries = entries[:AUDIT_PAGE_SIZE]
    recruiter_ids = set()
    for entry in entries:
        named = (entry.detail or {}).get("recruiter_id")
        if named:
            with contextlib.suppress(ValueError):
                recruiter_ids.add(uuid.UUID(named))
    # Keyed by the id as text: the entry's detail names recruiters by text ids.
    people = {
        str(k): v
        for k, v in auth_service.users_by_id(
            session, {e.actor_id for e in entries} | recruiter_ids
        ).items()
    }
    candidate_ids = {e.candidate_id for e in entries if e.candidate_id}
    names = (
        dict(
            session.execute(
                select(Candidate.id, Candidate.full_name).where(Candidate.id.in_(candidate_ids))
            ).all()
        )
        if candidate_ids
        else {}
    )
    staff = [u for u in auth_service.list_users(session) if u.role is not Role.CANDIDATE]
    filters = {k: v for k, v in params.model_dump(exclude={"before"}).items() if v}
    older = None
    if more and entries:
        older = "/admin/audit?" + urlencode({**filters, "before": entries[-1].at.isoformat()})
    return render(
        request,
        "admin/audit.html",
        viewer,
        entries=entries,
        details={e.id: _describe(e.detail, people) for e in entries},
        people=people,
        names=names,
        staff=staff,
        actions=[(a.value, ACTION_LABELS.get(a, a.value)) for a in Action],
        labels={a.value: ACTION_LABELS.get(a, a.value) for a in Action},
        filters=filters,
        newest="/admin/audit" + (f"?{urlencode(filters)}" if filters else ""),
        paged=bool(params.before),
        older=older,
    )
