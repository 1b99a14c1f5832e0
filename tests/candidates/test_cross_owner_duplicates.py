"""People imported by several recruiters: the admin's grouped view, by API and on the page."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from hotgigs.auth.models import Role, User
from hotgigs.candidates.duplicates import _shared_employer
from hotgigs.candidates.models import Candidate
from hotgigs.db import new_session
from hotgigs.main import create_app
from tests.conftest import PASSWORD
from tests.web.conftest import SAME_ORIGIN

URL = "/api/resumes/admin/duplicates"


def add_profile(owner: User, name: str, **fields: Any) -> uuid.UUID:
    """A profile owned by `owner`; `employers` become the resume's work entries."""
    work = [{"name": e, "position": "Engineer"} for e in fields.pop("employers", [])]
    with new_session() as session:
        candidate = Candidate(owner_id=owner.id, full_name=name, resume={"work": work}, **fields)
        session.add(candidate)
        session.commit()
        return candidate.id


@pytest.fixture
def people(make_user) -> dict[str, User]:
    """Two recruiters, an admin, and a candidate with an account."""
    return {
        "alice": make_user(Role.RECRUITER, f"alice-{uuid.uuid4().hex[:6]}@example.com"),
        "bob": make_user(Role.RECRUITER, f"bob-{uuid.uuid4().hex[:6]}@example.com"),
        "admin": make_user(Role.ADMIN),
        "cam": make_user(Role.CANDIDATE),
    }


@pytest.fixture
def as_user(client: TestClient, login):
    """Bearer headers for one of the people."""
    return lambda user: {"Authorization": f"Bearer {login(user)['access_token']}"}


def groups_of(client: TestClient, headers: dict, **params: Any) -> dict:
    """The admin route's answer (asserting it is a 200)."""
    answer = client.get(URL, params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def members(group: dict) -> set[uuid.UUID]:
    """The profile ids of a group."""
    return {uuid.UUID(p["id"]) for p in group["profiles"]}


def test_profiles_of_different_owners_are_grouped_by_email_and_by_phone(
    client: TestClient, people, as_user
) -> None:
    alice, bob = people["alice"], people["bob"]
    ada_a = add_profile(alice, "Ada Lovelace", email="ada@example.org")
    ada_b = add_profile(bob, "Ada King", email="  ADA@Example.org ")
    sam_a = add_profile(alice, "Sam Rivera", phone="+1 312-555-0177")
    sam_b = add_profile(bob, "Samuel Rivera", phone="(312) 555 0177")
    # Alice's own two profiles of one person are hers to merge: not a cross-owner group.
    add_profile(alice, "Li Wei", email="li@example.org")
    add_profile(alice, "Li Wei", email="li@example.org", phone="+44 20 7946 0958")
    # Too few digits to mean anything, and a candidate's own account: neither counts.
    add_profile(alice, "Short One", phone="12-34")
    add_profile(bob, "Short Two", phone="1234")
    add_profile(people["cam"], "Ada Lovelace", email="ada@example.org")

    body = groups_of(client, as_user(people["admin"]))
    assert body["total"] == 2 and body["weak_total"] == 0
    by_reason = {g["reason"]: g for g in body["groups"]}
    email, phone = by_reason["same email"], by_reason["same phone"]
    assert members(email) == {ada_a, ada_b} and email["key"] == "ada@example.org"
    assert members(phone) == {sam_a, sam_b} and phone["key"] == "3125550177"
    assert not email["weak"] and not phone["weak"]
    owners = {p["owner_email"] for p in email["profiles"]}
    assert owners == {alice.email, bob.email}
    profile = next(p for p in email["profiles"] if p["owner_id"] == str(bob.id))
    assert profile["full_name"] == "Ada King" and profile["updated_at"]
    # Strong groups come first, in the order of their keys.
    assert [g["reason"] for g in body["groups"]] == ["same phone", "same email"]


def test_one_person_linked_by_email_and_phone_is_one_group(
    client: TestClient, people, as_user
) -> None:
    alice, bob, carol = people["alice"], people["bob"], people["admin"]
    first = add_profile(alice, "Ada Lovelace", email="ada@example.org", phone="+1 312 555 0100")
    second = add_profile(bob, "Ada Lovelace", email="ada@example.org")
    third = add_profile(carol, "A. Lovelace", phone="312.555.0100")
    (group,) = groups_of(client, as_user(people["admin"]))["groups"]
    assert members(group) == {first, second, third}
    assert group["reason"] == "same email" and group["reasons"] == ["same email", "same phone"]


def test_a_near_identical_name_and_a_shared_employer_is_a_weak_group(
    client: TestClient, people, as_user
) -> None:
    alice, bob = people["alice"], people["bob"]
    priya_a = add_profile(alice, "Priya Raman", employers=["Infosys Ltd", "Acme"])
    priya_b = add_profile(bob, "Raman, Priya", employers=["INFOSYS LTD."])
    # A name alone, an employer alone, or one word of a name is not enough.
    add_profile(alice, "Jordan Blake", employers=["Globex"])
    add_profile(bob, "Jordan Blake", employers=["Initech"])
    add_profile(alice, "Sam Lee", employers=["Umbrella"])
    add_profile(bob, "Kim Park", employers=["Umbrella"])
    add_profile(alice, "Madonna", employers=["Sony"])
    add_profile(bob, "Madonna", employers=["Sony"])
    # Linked by email already: not listed again as a look-alike.
    add_profile(alice, "Grace Hopper", email="grace@example.org", employers=["Navy"])
    add_profile(bob, "Grace Hopper", email="grace@example.org", employers=["Navy"])

    body = groups_of(client, as_user(people["admin"]))
    assert body["total"] == 2 and body["weak_total"] == 1
    strong, weak = body["groups"]
    assert strong["reason"] == "same email" and not strong["weak"]
    assert weak["weak"] is True and weak["reason"] == "similar name and employer"
    assert members(weak) == {priya_a, priya_b}
    assert weak["key"] == "priya raman · infosys ltd"


def test_near_identical_spellings_are_found_without_comparing_every_pair(
    client: TestClient, people, as_user
) -> None:
    alice, bob = people["alice"], people["bob"]
    for i in range(26):  # more than a window of names that sort between the two spellings
        add_profile(alice, f"Jonathan Smith Zz{chr(97 + i)}", employers=[f"Co {i}"])
    one = add_profile(alice, "Jonathan Smith", employers=["Northwind Traders"])
    other = add_profile(bob, "Jonathon Smith", employers=["Northwind Traders"])
    (group,) = groups_of(client, as_user(people["admin"]))["groups"]
    assert members(group) == {one, other} and group["weak"]


def test_only_admins_may_see_the_groups(client: TestClient, people, as_user) -> None:
    add_profile(people["alice"], "Ada", email="ada@example.org")
    add_profile(people["bob"], "Ada", email="ada@example.org")
    for role in ("alice", "bob", "cam"):
        assert client.get(URL, headers=as_user(people[role])).status_code == 403
    assert client.get(URL).status_code == 401


def test_groups_come_in_pages_and_follow_changes(client: TestClient, people, as_user) -> None:
    alice, bob = people["alice"], people["bob"]
    ids = {}
    for i in range(5):
        email = f"person{i}@example.org"
        ids[email] = (add_profile(alice, f"P {i}", email=email), add_profile(bob, "X", email=email))
    headers = as_user(people["admin"])
    first = groups_of(client, headers, limit=2)
    assert (first["total"], len(first["groups"]), first["offset"]) == (5, 2, 0)
    last = groups_of(client, headers, limit=2, offset=4)
    assert [g["key"] for g in last["groups"]] == ["person4@example.org"]
    assert groups_of(client, headers, offset=10)["groups"] == []
    for bad in ({"limit": 0}, {"limit": 201}, {"offset": -1}):
        assert client.get(URL, params=bad, headers=headers).status_code == 422

    # A correction that separates two profiles takes them out at once (no stale answer).
    with new_session() as session:
        session.execute(
            update(Candidate)
            .where(Candidate.id == ids["person0@example.org"][1])
            .values(email="someone-else@example.org")
        )
        session.commit()
    assert groups_of(client, headers)["total"] == 4


def test_the_master_database_page_links_to_the_grouped_view(people) -> None:
    alice, bob = people["alice"], people["bob"]
    ada_a = add_profile(alice, "Ada <b>Lovelace</b>", email="ada@example.org")
    ada_b = add_profile(bob, "Ada Lovelace", email="ada@example.org")
    add_profile(alice, "Li Wei", email="li@example.org")
    with TestClient(create_app(), follow_redirects=False) as page:
        signed_in = page.post(
            "/login",
            data={"email": people["admin"].email, "password": PASSWORD},
            headers=SAME_ORIGIN,
        )
        assert signed_in.status_code == 303
        html = page.get("/admin/candidates").text
        assert re.search(r"People imported by several recruiters <span[^>]*>\(1\)</span>", html)
        assert "1 person was imported by more than one recruiter" in html
        grouped = page.get("/admin/candidates", params={"view": "duplicates"}).text
        groups = re.findall(r"<section [^>]*data-duplicate-group.*?</section>", grouped, re.S)
        assert len(groups) == 1 and 'data-reason="same email"' in groups[0]
        for profile_id, owner in ((ada_a, alice), (ada_b, bob)):
            assert f'href="/candidates/{profile_id}"' in groups[0]
            assert owner.email in groups[0]
        assert "Ada &lt;b&gt;Lovelace&lt;/b&gt;" in groups[0]  # names are text, never markup
        assert "Li Wei" not in grouped
        assert "nothing is merged across owners" in grouped
        assert page.get("/admin/candidates", params={"view": "merged"}).status_code == 422
        beyond = page.get("/admin/candidates", params={"view": "duplicates", "offset": 20}).text
        assert "No groups on this page" in beyond and "data-duplicate-group" not in beyond


def test_without_duplicates_the_grouped_view_says_so(people) -> None:
    add_profile(people["alice"], "Ada Lovelace", email="ada@example.org")
    add_profile(people["alice"], "Ada Lovelace", email="ada@example.org")
    with TestClient(create_app(), follow_redirects=False) as page:
        page.post(
            "/login",
            data={"email": people["admin"].email, "password": PASSWORD},
            headers=SAME_ORIGIN,
        )
        html = page.get("/admin/candidates").text
        assert "People imported by several recruiters <span" in html and "(0)" in html
        assert "data-duplicates-notice" not in html
        grouped = page.get("/admin/candidates", params={"view": "duplicates"}).text
        assert "No one was imported twice" in grouped


def test_a_recruiter_cannot_open_the_grouped_view(people) -> None:
    with TestClient(create_app(), follow_redirects=False) as page:
        page.post(
            "/login",
            data={"email": people["alice"].email, "password": PASSWORD},
            headers=SAME_ORIGIN,
        )
        assert page.get("/admin/candidates", params={"view": "duplicates"}).status_code == 403


def test_the_shared_employer_is_spelled_the_same_whichever_profile_comes_first() -> None:
    mine, theirs = ["infosys ltd", "acme"], ["infosys ltd."]
    assert _shared_employer(mine, theirs) == _shared_employer(theirs, mine) == "infosys ltd"
    assert _shared_employer(["globex"], ["initech"]) is None
