"""Admins change roles, names and the active flag of accounts; disabling signs the user out."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from hotgigs.auth.models import Role
from tests.conftest import PASSWORD
from tests.support.http_api import bearer


def test_admin_changes_role_and_name(client: TestClient, make_user, login) -> None:
    admin = bearer(login(make_user(Role.ADMIN))["access_token"])
    recruiter = make_user(Role.RECRUITER)
    answer = client.patch(
        f"/api/auth/users/{recruiter.id}",
        json={"role": "admin", "full_name": "  Rae Admin "},
        headers=admin,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["role"], body["full_name"], body["is_active"]) == ("admin", "Rae Admin", True)
    # The new role applies to the user's existing token at once (roles are read per request).
    tokens = login(recruiter)
    assert client.get("/api/admin/stats", headers=bearer(tokens["access_token"])).status_code == 200
    listed = client.get("/api/auth/users", params={"role": "admin"}, headers=admin).json()
    assert str(recruiter.id) in {u["id"] for u in listed["items"]}


def test_only_admins_may_change_accounts(client: TestClient, make_user, auth_headers) -> None:
    target = make_user(Role.RECRUITER)
    for role in (Role.RECRUITER, Role.CANDIDATE):
        answer = client.patch(
            f"/api/auth/users/{target.id}", json={"role": "admin"}, headers=auth_headers(role)
        )
        assert answer.status_code == 403
    assert client.patch(f"/api/auth/users/{target.id}", json={"role": "admin"}).status_code == 401


def test_an_admin_cannot_demote_or_disable_themselves(client: TestClient, make_user, login) -> None:
    me = make_user(Role.ADMIN)
    headers = bearer(login(me)["access_token"])
    demote = client.patch(f"/api/auth/users/{me.id}", json={"role": "recruiter"}, headers=headers)
    assert demote.status_code == 422
    assert "own role" in demote.json()["detail"]
    disable = client.patch(f"/api/auth/users/{me.id}", json={"is_active": False}, headers=headers)
    assert disable.status_code == 422
    assert "own account" in disable.json()["detail"]
    # Renaming oneself, or "changing" to the role one has, is fine.
    same = client.patch(
        f"/api/auth/users/{me.id}", json={"role": "admin", "full_name": "Me"}, headers=headers
    )
    assert same.status_code == 200 and same.json()["full_name"] == "Me"
    assert client.get("/api/auth/me", headers=headers).json()["role"] == "admin"


def test_disabling_ends_every_session_and_enabling_lets_them_back(
    client: TestClient, make_user, login
) -> None:
    admin = bearer(login(make_user(Role.ADMIN))["access_token"])
    user = make_user(Role.RECRUITER)
    first, second = login(user), login(user)
    assert client.get("/api/auth/me", headers=bearer(first["access_token"])).status_code == 200

    answer = client.patch(f"/api/auth/users/{user.id}", json={"is_active": False}, headers=admin)
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    for tokens in (first, second):
        assert client.get("/api/auth/me", headers=bearer(tokens["access_token"])).status_code == 401
    refused = client.post("/api/auth/login", data={"username": user.email, "password": PASSWORD})
    assert refused.status_code == 401

    assert (
        client.patch(
            f"/api/auth/users/{user.id}", json={"is_active": True}, headers=admin
        ).status_code
        == 200
    )
    # Back in with a new login; the sessions that were ended stay ended.
    again = login(user)
    assert client.get("/api/auth/me", headers=bearer(again["access_token"])).status_code == 200
    assert client.get("/api/auth/me", headers=bearer(first["access_token"])).status_code == 401
    reuse = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401


def test_unknown_users_and_bad_bodies_are_refused(client: TestClient, auth_headers) -> None:
    admin = auth_headers(Role.ADMIN)
    missing = client.patch(f"/api/auth/users/{uuid.uuid4()}", json={"role": "admin"}, headers=admin)
    assert missing.status_code == 404
    for body in ({"role": "superuser"}, {"email": "x@example.com"}, {"full_name": "x" * 201}):
        some = client.post(
            "/api/auth/users",
            json={"email": f"{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD},
            headers=admin,
        ).json()
        assert (
            client.patch(f"/api/auth/users/{some['id']}", json=body, headers=admin).status_code
            == 422
        )
