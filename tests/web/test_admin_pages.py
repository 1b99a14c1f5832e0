"""Admin pages in-process: overview, master database, users, audit log, and who may open them."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from html import unescape

import pytest

from hotgigs.auth.models import Role, User
from hotgigs.candidates import activity
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import Candidate
from hotgigs.db import new_session, utcnow
from hotgigs.jobs.models import Job, JobStatus
from tests.web.conftest import writes

ADMIN_PAGES = ["/admin", "/admin/candidates", "/admin/users", "/admin/audit"]


def add_candidates(owner: User, *names: str, **fields) -> list[uuid.UUID]:
    """Candidate profiles owned by a recruiter, newest last."""
    with new_session() as session:
        made = [Candidate(owner_id=owner.id, full_name=name, **fields) for name in names]
        session.add_all(made)
        session.commit()
        return [c.id for c in made]


def stat(html: str, name: str) -> str:
    """The big number of an overview stat card."""
    match = re.search(rf'data-stat="{name}">.*?<span class="value">([^<]*)</span>', html, re.S)
    assert match, f"no {name} card"
    return match.group(1).strip()


def rows(html: str, marker: str) -> list[str]:
    """The table rows carrying a data attribute."""
    return re.findall(rf"<tr {marker}=.*?</tr>", html, re.S)


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.CANDIDATE])
def test_other_roles_get_a_403_page(browser_like, role: Role) -> None:
    client, _user, _csrf = browser_like(role)
    for path in ADMIN_PAGES:
        page = client.get(path)
        assert page.status_code == 403, path
        assert "Not allowed" in page.text and "text/html" in page.headers["content-type"]


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    for path in ADMIN_PAGES:
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")


def test_overview_shows_the_sites_figures(browser_like, make_user) -> None:
    client, _admin, _csrf = browser_like(Role.ADMIN)
    owner = make_user(Role.RECRUITER)
    make_user(Role.CANDIDATE)
    add_candidates(owner, "Ada Lovelace", "Grace Hopper", "Alan Turing")
    with new_session() as session:
        session.add_all(
            Job(owner_id=owner.id, title=t, status=s)
            for t, s in [("Data", JobStatus.OPEN), ("Ops", JobStatus.CLOSED)]
        )
        session.commit()
    page = client.get("/admin")
    assert page.status_code == 200
    html = page.text
    assert stat(html, "candidates") == "3"
    assert stat(html, "resumes") == "0"
    assert 'aria-label="recruiters: 1"' in html and 'aria-label="admins: 1"' in html
    assert 'aria-label="candidates: 1"' in html
    assert stat(html, "jobs") == "1"  # open ones
    for link in ("/admin/candidates", "/admin/users", "/admin/audit"):
        assert f'href="{link}"' in html
    assert 'aria-current="page"' in html  # the navigation marks the overview


def test_master_database_lists_owners_filters_and_pages(browser_like, make_user) -> None:
    client, _admin, _csrf = browser_like(Role.ADMIN)
    alice = make_user(Role.RECRUITER, "alice@example.com")
    bob = make_user(Role.RECRUITER, "bob@example.com")
    add_candidates(bob, *(f"Bob Person {i:02d}" for i in range(26)))
    add_candidates(alice, "Priya <script>alert(1)</script> Raman", headline="Data engineer")

    html = client.get("/admin/candidates").text
    assert "27 candidates" in html
    assert len(rows(html, "data-candidate-row")) == 25  # a page
    assert "<script>alert(1)</script>" not in html  # names are text, never markup
    assert "Priya &lt;script&gt;" in html
    assert "alice@example.com" in html and "bob@example.com" in html
    # The share form offers the active recruiters to choose from.
    assert re.search(r'<option value="[^"]+" data-email="alice@example.com">', html)

    following = re.search(r'href="(/admin/candidates\?cursor=[^"]+)"', html)
    assert following, "a next page link"
    second = client.get(unescape(following.group(1))).text
    assert len(rows(second, "data-candidate-row")) == 2
    assert "First page" in second

    only_alice = client.get("/admin/candidates", params={"owner": str(alice.id)}).text
    found = rows(only_alice, "data-candidate-row")
    assert len(found) == 1 and "Priya" in found[0]
    searched = client.get("/admin/candidates", params={"q": "Priya"}).text
    assert len(rows(searched, "data-candidate-row")) == 1
    nothing = client.get("/admin/candidates", params={"q": "Zebulon"}).text
    assert "No candidates match" in nothing
    assert client.get("/admin/candidates", params={"owner": "nobody"}).status_code == 422


def test_sharing_from_the_master_database_shows_on_the_page(browser_like, make_user) -> None:
    client, _admin, csrf = browser_like(Role.ADMIN)
    alice = make_user(Role.RECRUITER, "alice@example.com")
    make_user(Role.RECRUITER, "bob@example.com")
    (priya,) = add_candidates(alice, "Priya Raman")
    assert "Not shared" in client.get("/admin/candidates").text
    # What the page script sends: the admin share route with the recruiter chosen by email.
    shared = client.post(
        "/api/resumes/admin/candidates/share",
        json={
            "candidate_id": str(priya),
            "recruiter_email": "bob@example.com",
            "permission": "edit",
        },
        headers=writes(csrf),
    )
    assert shared.status_code == 201, shared.text
    html = client.get("/admin/candidates").text
    assert "bob@example.com · edit" in html
    owned = client.post(
        "/api/resumes/admin/candidates/share",
        json={"candidate_id": str(priya), "recruiter_email": "alice@example.com"},
        headers=writes(csrf),
    )
    assert owned.status_code == 422  # the page shows this reason next to the share form


def test_empty_master_database_says_so(browser_like) -> None:
    client, _admin, _csrf = browser_like(Role.ADMIN)
    html = client.get("/admin/candidates").text
    assert "No candidates yet" in html
    assert "no active recruiters to share with" in html


def test_users_page_lists_accounts_and_its_controls_work(browser_like, make_user) -> None:
    client, admin, csrf = browser_like(Role.ADMIN)
    rae = make_user(Role.RECRUITER, "rae@example.com")
    make_user(Role.CANDIDATE, "cam@example.com")
    html = client.get("/admin/users").text
    listed = rows(html, "data-user-row")
    assert len(listed) == 3
    mine = next(r for r in listed if admin.email in r)
    assert "disabled" in mine and "Disable" not in mine  # no self-demotion or self-disabling
    theirs = next(r for r in listed if "rae@example.com" in r)
    assert 'aria-label="Disable rae@example.com"' in theirs
    assert f'for="role-{rae.id}">Role of rae@example.com' in theirs

    only = client.get("/admin/users", params={"role": "candidate"}).text
    assert [("cam@example.com" in r) for r in rows(only, "data-user-row")] == [True]

    # The controls call these; the page shows the outcome after reloading.
    headers = writes(csrf)
    created = client.post(
        "/api/auth/users",
        json={
            "email": "new@example.com",
            "password": "long enough phrase",
            "full_name": "New Person",
        },
        headers=headers,
    )
    assert created.status_code == 201
    assert client.patch(
        f"/api/auth/users/{rae.id}", json={"role": "admin"}, headers=headers
    ).is_success
    assert client.patch(
        f"/api/auth/users/{rae.id}", json={"is_active": False}, headers=headers
    ).is_success
    html = client.get("/admin/users").text
    theirs = next(r for r in rows(html, "data-user-row") if "rae@example.com" in r)
    assert 'class="inactive"' in theirs and "Enable rae@example.com" in theirs
    assert re.search(r'<option value="admin" selected>', theirs)
    assert "New Person" in html
    refused = client.patch(
        f"/api/auth/users/{admin.id}", json={"is_active": False}, headers=headers
    )
    assert refused.status_code == 422


# "Since today" and "until today" must not see the day turn between the views and the query.
@pytest.mark.usefixtures("at_fixed_time")
def test_audit_log_shows_who_did_what_with_filters_and_pages(browser_like, make_user) -> None:
    client, admin, csrf = browser_like(Role.ADMIN)
    alice = make_user(Role.RECRUITER, "alice@example.com")
    make_user(Role.RECRUITER, "bob@example.com")
    (priya,) = add_candidates(alice, "Priya Raman")
    client.post(
        "/api/resumes/admin/candidates/share",
        json={"candidate_id": str(priya), "recruiter_email": "bob@example.com"},
        headers=writes(csrf),
    )
    html = client.get("/admin/audit").text
    entry = rows(html, "data-entry")[0]
    assert "Shared" in entry and "with bob@example.com" in entry and "(view)" in entry
    assert admin.email in entry and f'href="/candidates/{priya}"' in entry
    assert "Priya Raman" in entry and "testclient" in entry  # the IP the server saw

    # Sixty views make two pages, newest first.
    with new_session() as session:
        for _ in range(60):
            activity.record(session, actor=alice, action=Action.VIEW, candidate_id=priya)
        session.commit()
    views = client.get("/admin/audit", params={"action": "view"}).text
    assert len(rows(views, "data-entry")) == 50
    assert all('data-action="view"' in r for r in rows(views, "data-entry"))
    older = re.search(r'href="(/admin/audit\?[^"]*before=[^"]+)"', views)
    assert older, "an older entries link"
    rest = client.get(unescape(older.group(1))).text
    assert len(rows(rest, "data-entry")) == 10 and "Newest" in rest

    by_actor = client.get("/admin/audit", params={"actor": str(admin.id)}).text
    assert len(rows(by_actor, "data-entry")) == 1
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    assert "No entries" in client.get("/admin/audit", params={"since": tomorrow}).text
    today = utcnow().date().isoformat()
    dated = client.get("/admin/audit", params={"since": today, "until": today}).text
    assert len(rows(dated, "data-entry")) == 50
    other = client.get("/admin/audit", params={"candidate": str(uuid.uuid4())}).text
    assert "No entries" in other and "Nothing matches these filters" in other
    for bad in ({"candidate": "not-an-id"}, {"action": "launch"}, {"since": "yesterday"}):
        assert client.get("/admin/audit", params=bad).status_code == 422
