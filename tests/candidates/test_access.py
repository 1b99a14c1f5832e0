"""The candidate access policy itself (candidates/access.py), asked directly.

The world (tests/candidates/world.py) is a candidate owned by `owner`, shared to view with
`viewer` and to edit with `editor`, and linked to the candidate account `self`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from hotgigs.auth.models import User
from hotgigs.candidates.access import Access, access_map, access_of, viewers_of, visible_to
from hotgigs.candidates.models import Candidate, CandidateShare, SharePermission
from hotgigs.db import new_session
from tests.candidates.world import build_world

# What each of the `people` reaches of the world's candidate.
EXPECTED = {
    "owner": Access.OWNER,
    "admin": Access.ADMIN,
    "viewer": Access.VIEW,
    "editor": Access.EDIT,
    "other": Access.NONE,
    "self": Access.SELF,
    "other_candidate": Access.NONE,
}
LEVELS = [Access.VIEW, Access.EDIT, Access.SELF, Access.OWNER, Access.ADMIN]


@pytest.fixture
def world_people(people, settings) -> tuple[dict[str, User], uuid.UUID]:
    """The people and the id of the world's candidate."""
    users, _ = people
    return users, build_world(users, settings).candidate_id


@pytest.fixture
def session() -> Iterator[Session]:
    """A session of the run's database."""
    with new_session() as db:
        yield db


def _visible_ids(session: Session, user: User, at_least: Access) -> set[uuid.UUID]:
    """Ids of the candidates `user` reaches at `at_least`."""
    query = visible_to(user=user, at_least=at_least).with_only_columns(Candidate.id)
    return set(session.scalars(query))


def _mixed(session: Session, users: dict[str, User], world_id: uuid.UUID) -> list[uuid.UUID]:
    """The world's candidate and profiles of other owners, shared in other ways."""
    by_other = Candidate(owner_id=users["other"].id, full_name="Bo Other")
    by_editor = Candidate(owner_id=users["editor"].id, full_name="Cy Editor")
    by_admin = Candidate(owner_id=users["admin"].id, full_name="Di Admin")
    own = Candidate(
        owner_id=users["other_candidate"].id,
        user_id=users["other_candidate"].id,
        full_name="Ed Account",
    )
    session.add_all([by_other, by_editor, by_admin, own])
    session.flush()
    session.add_all(
        [
            # the owner and the viewer swap roles on the editor's profile
            CandidateShare(
                candidate_id=by_editor.id,
                recruiter_id=users["viewer"].id,
                permission=SharePermission.EDIT,
            ),
            CandidateShare(
                candidate_id=by_editor.id,
                recruiter_id=users["owner"].id,
                permission=SharePermission.VIEW,
            ),
            # a share naming a candidate account reaches nothing (shares are for recruiters)
            CandidateShare(
                candidate_id=by_other.id,
                recruiter_id=users["self"].id,
                permission=SharePermission.EDIT,
            ),
        ]
    )
    session.commit()
    return [world_id, by_other.id, by_editor.id, by_admin.id, own.id]


def test_levels_are_ordered_and_keep_their_words() -> None:
    assert sorted(Access) == [
        Access.NONE,
        Access.VIEW,
        Access.EDIT,
        Access.SELF,
        Access.OWNER,
        Access.ADMIN,
    ]
    assert [a.label for a in Access] == ["none", "view", "edit", "self", "owner", "admin"]
    assert f"{Access.EDIT}" == str(Access.EDIT) == "edit"
    assert Access.of_share(SharePermission.VIEW) is Access.VIEW
    assert Access.of_share(SharePermission.EDIT) is Access.EDIT


def test_each_kind_of_caller_reaches_the_candidate_at_its_level(world_people, session) -> None:
    users, world_id = world_people
    candidate = session.get(Candidate, world_id)
    got = {name: access_of(session, user=user, candidate=candidate) for name, user in users.items()}
    assert got == EXPECTED


def test_visible_to_is_every_candidate_reached_at_that_level(world_people, session) -> None:
    users, world_id = world_people
    for name, user in users.items():
        for at_least in LEVELS:
            seen = world_id in _visible_ids(session, user, at_least)
            assert seen == (EXPECTED[name] >= at_least), (name, at_least)


def test_visible_to_at_edit_leaves_out_view_shares(world_people, session) -> None:
    users, world_id = world_people
    assert world_id in _visible_ids(session, users["viewer"], Access.VIEW)
    assert world_id not in _visible_ids(session, users["viewer"], Access.EDIT)
    assert world_id in _visible_ids(session, users["editor"], Access.EDIT)
    # the candidate itself may correct its profile, but manages nothing
    assert world_id in _visible_ids(session, users["self"], Access.EDIT)
    assert world_id not in _visible_ids(session, users["self"], Access.OWNER)


def test_access_map_equals_access_of_row_by_row(world_people, session) -> None:
    users, world_id = world_people
    ids = _mixed(session, users, world_id)
    unknown = uuid.uuid4()
    for name, user in users.items():
        levels = access_map(session, user=user, ids=[*ids, unknown])
        one_by_one = {
            cid: access_of(session, user=user, candidate=session.get(Candidate, cid)) for cid in ids
        }
        assert levels == one_by_one, name
        # and agrees with the query: visible means at least VIEW
        assert {c for c, a in levels.items() if a >= Access.VIEW} == (
            _visible_ids(session, user, Access.VIEW) & set(ids)
        ), name
    assert access_map(session, user=users["owner"], ids=[]) == {}


def test_access_map_asks_once_for_a_whole_page(world_people, session) -> None:
    users, world_id = world_people
    ids = _mixed(session, users, world_id)
    statements: list[str] = []
    engine = session.get_bind()

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        levels = access_map(session, user=users["viewer"], ids=ids)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert levels[world_id] is Access.VIEW
    assert levels[ids[2]] is Access.EDIT  # the editor's profile, shared to edit


def test_viewers_of_is_visible_to_turned_around(world_people, session) -> None:
    users, world_id = world_people
    ids = _mixed(session, users, world_id)
    everyone = {user.id: name for name, user in users.items()}
    for cid in ids:
        candidate = session.get(Candidate, cid)
        for at_least in LEVELS:
            query = select(User.id).where(
                User.id.in_(everyone), viewers_of(candidate=candidate, at_least=at_least)
            )
            viewers = {everyone[uid] for uid in session.scalars(query)}
            expected = {
                name
                for name, user in users.items()
                if access_of(session, user=user, candidate=candidate) >= at_least
            }
            assert viewers == expected, (candidate.full_name, at_least)


def test_the_api_prints_the_same_words(client: TestClient, people, settings) -> None:
    users, headers = people
    world = build_world(users, settings)
    one = f"/api/resumes/candidates/{world.candidate_id}"
    for name in ("owner", "admin", "viewer", "editor", "self"):
        label = EXPECTED[name].label
        assert client.get(one, headers=headers[name]).json()["access"] == label, name
        listed = client.get("/api/resumes/candidates", headers=headers[name]).json()["items"]
        assert [c["access"] for c in listed if c["id"] == str(world.candidate_id)] == [label]
