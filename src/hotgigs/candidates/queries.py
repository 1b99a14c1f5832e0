"""Reading candidates as allowed: search pages, profile views and resume lists.

The JSON API (candidates/router.py) and the pages (web/candidate_pages.py) both read
through here and only shape the results; who may see what is decided in access.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotgigs.auth.models import Role, User
from hotgigs.candidates import activity, annotations
from hotgigs.candidates import search as search_service
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.access import Access, access_map, access_of, visible_to
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import Candidate
from hotgigs.resumes.models import Resume


@dataclass(frozen=True)
class SearchItem:
    """One candidate of a search page, with its tags and how the searcher reaches it."""

    candidate: Candidate
    tags: list[str]
    access: Access
    owner_email: str | None  # shown to admins only; None for everyone else


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: its items, the size of the whole result, facets and cursor."""

    items: list[SearchItem]
    total: int
    next_cursor: str | None
    facets: dict[str, list[tuple[str, int]]]
    facets_exact: bool


@dataclass(frozen=True)
class ProfileView:
    """A candidate profile as one viewer opened it: access level and tags."""

    candidate: Candidate
    access: Access
    tags: list[str]


def search_page(session: Session, *, user: User, params: search_service.SearchParams) -> SearchPage:
    """One page of the candidates `user` may see that match `params` (InvalidSearch if bad)."""
    found = search_service.search(session, scope=visible_to(user=user), params=params)
    ids = [c.id for c in found.items]
    tags = annotations.tags_by_candidate(session, ids)
    levels = access_map(session, user=user, ids=ids)
    owners = (
        emails_of(session, ids={c.owner_id for c in found.items}) if user.role is Role.ADMIN else {}
    )
    items = [
        SearchItem(
            candidate=c,
            tags=tags.get(c.id, []),
            access=levels.get(c.id, Access.NONE),
            owner_email=owners.get(c.owner_id),
        )
        for c in found.items
    ]
    return SearchPage(
        items=items,
        total=found.total,
        next_cursor=found.next_cursor,
        facets=found.facets,
        facets_exact=found.facets_exact,
    )


def any_visible(session: Session, *, user: User) -> bool:
    """Whether `user` may see any candidate at all."""
    query = select(func.count()).select_from(visible_to(user=user).limit(1).subquery())
    return bool(session.scalar(query))


def emails_of(session: Session, *, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The email addresses of these users, by id (unknown ids left out)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.email).where(User.id.in_(wanted))).all())


def view_profile(
    session: Session, *, user: User, candidate_id: uuid.UUID, client_ip: str | None
) -> ProfileView:
    """Open one visible candidate's profile; every view is logged (CandidateNotFound if not)."""
    candidate = candidates_service.get_visible(session, user=user, candidate_id=candidate_id)
    activity.record(
        session, actor=user, action=Action.VIEW, candidate_id=candidate.id, client_ip=client_ip
    )
    session.commit()
    return ProfileView(
        candidate=candidate,
        access=access_of(session, user=user, candidate=candidate),
        tags=annotations.tags_of(session, candidate_id=candidate.id),
    )


def candidate_resumes(session: Session, *, user: User, candidate_id: uuid.UUID) -> list[Resume]:
    """The resumes filed under a candidate `user` may see, newest first."""
    candidate = candidates_service.get_visible(session, user=user, candidate_id=candidate_id)
    return resumes_of(session, candidate=candidate)


def resumes_of(session: Session, *, candidate: Candidate) -> list[Resume]:
    """A candidate's resumes, newest first (a visible candidate's resumes are all visible)."""
    query = (
        select(Resume).where(Resume.candidate_id == candidate.id).order_by(Resume.created_at.desc())
    )
    return list(session.scalars(query))


def current_resume(candidate: Candidate, resumes: list[Resume]) -> Resume | None:
    """The resume a profile shows (its current one, else the newest of `resumes`), if any."""
    current = next((r for r in resumes if r.id == candidate.current_resume_id), None)
    return resumes[0] if current is None and resumes else current
