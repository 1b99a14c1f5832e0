"""The candidate read side (candidates/queries.py), asked directly against the run's database.

The world (tests/candidates/world.py) is a candidate owned by `owner` with one resume and
the tag "shortlist", shared to view with `viewer` and to edit with `editor`, and linked to
the candidate account `self`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotgigs.auth.models import User
from hotgigs.candidates import queries
from hotgigs.candidates import search as search_service
from hotgigs.candidates.access import Access
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import ActivityEntry, Candidate
from hotgigs.candidates.service import CandidateNotFound
from hotgigs.db import new_session
from hotgigs.resumes.models import Resume
from tests.candidates.conftest import ROLES
from tests.candidates.test_service import stored_resume
from tests.candidates.world import World, build_world


@pytest.fixture
def users(make_user) -> dict[str, User]:
    """One user per kind of caller (no sign-in needed: queries take the user)."""
    return {name: make_user(role) for name, role in ROLES.items()}


@pytest.fixture
def world(users, settings) -> World:
    """The world's candidate, resume, shares and tag."""
    return build_world(users, settings)


@pytest.fixture
def session() -> Iterator[Session]:
    """A session of the run's database."""
    with new_session() as db:
        yield db


def test_search_page_carries_tags_access_and_owner_email_for_admins(users, world, session) -> None:
    params = search_service.SearchParams(q="Ada")
    for name, expected in (
        ("owner", Access.OWNER),
        ("viewer", Access.VIEW),
        ("editor", Access.EDIT),
        ("admin", Access.ADMIN),
        ("self", Access.SELF),
    ):
        page = queries.search_page(session, user=users[name], params=params)
        assert page.total == 1, name
        (item,) = page.items
        assert item.candidate.id == world.candidate_id
        assert item.access is expected, name
        assert item.tags == ["shortlist"], name
        # only an admin is told whose profile it is
        assert item.owner_email == (users["owner"].email if name == "admin" else None), name
        assert page.next_cursor is None
        assert page.facets_exact
        assert ("shortlist", 1) in page.facets["tags"]


def test_search_page_finds_nothing_for_those_who_may_not_see(users, world, session) -> None:
    for name in ("other", "other_candidate"):
        page = queries.search_page(session, user=users[name], params=search_service.SearchParams())
        assert (page.total, page.items) == (0, []), name
        assert not queries.any_visible(session, user=users[name]), name
    assert queries.any_visible(session, user=users["viewer"])


def test_search_page_refuses_what_search_refuses(users, session) -> None:
    with pytest.raises(search_service.InvalidSearch):
        queries.search_page(
            session,
            user=users["owner"],
            params=search_service.SearchParams(cursor="x", offset=5),
        )


def test_view_profile_logs_the_view_and_reads_access_and_tags(users, world, session) -> None:
    view = queries.view_profile(
        session, user=users["editor"], candidate_id=world.candidate_id, client_ip="203.0.113.9"
    )
    assert view.candidate.id == world.candidate_id
    assert view.access is Access.EDIT
    assert view.tags == ["shortlist"]
    logged = session.scalars(
        select(ActivityEntry).where(
            ActivityEntry.candidate_id == world.candidate_id,
            ActivityEntry.action == str(Action.VIEW),
        )
    ).all()
    assert [(e.actor_id, e.client_ip) for e in logged] == [(users["editor"].id, "203.0.113.9")]


def test_view_profile_of_an_unseen_candidate_is_not_found_and_not_logged(
    users, world, session
) -> None:
    with pytest.raises(CandidateNotFound):
        queries.view_profile(
            session, user=users["other"], candidate_id=world.candidate_id, client_ip=None
        )
    views = select(ActivityEntry).where(ActivityEntry.action == str(Action.VIEW))
    assert session.scalars(views).all() == []


def test_candidate_resumes_newest_first_and_only_when_visible(users, world, session) -> None:
    older = session.get(Resume, world.resume_id)
    newer = stored_resume(session, users["owner"])
    newer.candidate_id = world.candidate_id
    newer.created_at = older.created_at + timedelta(minutes=5)
    session.commit()
    listed = queries.candidate_resumes(
        session, user=users["viewer"], candidate_id=world.candidate_id
    )
    assert [r.id for r in listed] == [newer.id, world.resume_id]
    with pytest.raises(CandidateNotFound):
        queries.candidate_resumes(session, user=users["other"], candidate_id=world.candidate_id)


def test_current_resume_is_the_profiles_own_else_the_newest() -> None:
    newest, older = Resume(id=uuid.uuid4()), Resume(id=uuid.uuid4())
    candidate = Candidate(id=uuid.uuid4(), current_resume_id=older.id)
    assert queries.current_resume(candidate, [newest, older]) is older
    candidate.current_resume_id = None
    assert queries.current_resume(candidate, [newest, older]) is newest
    assert queries.current_resume(candidate, []) is None


def test_emails_of_reads_each_user_once_and_leaves_unknown_ids_out(users, session) -> None:
    owner, viewer = users["owner"], users["viewer"]
    found = queries.emails_of(session, ids=[owner.id, viewer.id, owner.id, uuid.uuid4()])
    assert found == {owner.id: owner.email, viewer.id: viewer.email}
    assert queries.emails_of(session, ids=[]) == {}
