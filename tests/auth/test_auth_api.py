"""Registration, login, refresh rotation, reuse detection, expiry, logout and roles."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
import time_machine
from fastapi.testclient import TestClient

from hotgigs.auth.models import Role
from hotgigs.auth.schemas import REGISTRATION_RECEIVED
from hotgigs.db import utcnow
from tests.conftest import PASSWORD
from tests.support.http_api import bearer


def test_register_creates_candidate_and_login_returns_tokens(client: TestClient) -> None:
    response = client.post(
        "/api/auth/register",
        json={"email": "Ada@Example.com", "password": "s3cret-pass-phrase", "full_name": "Ada L"},
    )
    assert response.status_code == 202, response.text
    assert response.json() == {"email": "ada@example.com", "detail": REGISTRATION_RECEIVED}

    login = client.post(
        "/api/auth/login", data={"username": "ADA@example.com", "password": "s3cret-pass-phrase"}
    )
    assert login.status_code == 200
    tokens = login.json()
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 30 * 60
    me = client.get("/api/auth/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.com"


def test_register_refuses_role_escalation_and_a_taken_email_answers_the_same(
    client: TestClient,
) -> None:
    body = {"email": "eve@example.com", "password": "s3cret-pass-phrase", "role": "admin"}
    first = client.post("/api/auth/register", json=body)
    signed_in = client.post(
        "/api/auth/login", data={"username": body["email"], "password": body["password"]}
    )
    me = client.get("/api/auth/me", headers=bearer(signed_in.json()["access_token"])).json()
    assert me["role"] == "candidate"

    again = client.post(
        "/api/auth/register", json={"email": "EVE@example.com", "password": "an0ther-pass-phrase"}
    )
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    # Nothing changed: the first password still signs in, the second does not.
    assert (
        client.post(
            "/api/auth/login", data={"username": body["email"], "password": body["password"]}
        ).status_code
        == 200
    )
    assert (
        client.post(
            "/api/auth/login", data={"username": body["email"], "password": "an0ther-pass-phrase"}
        ).status_code
        == 401
    )
    # The owner hears of it in the notification center.
    headers = bearer(signed_in.json()["access_token"])
    (notice,) = client.get("/api/notifications", headers=headers).json()["items"]
    assert notice["type"] == "registration_attempted"
    assert "Someone tried to create a new account with your email" in notice["title"]


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email", "password": "s3cret-pass-phrase"},
        {"email": "a@example.com", "password": "short"},
        {"email": "a@example.com", "password": "x" * 129},
        {"password": "s3cret-pass-phrase"},
    ],
)
def test_register_validates_input(client: TestClient, body: dict) -> None:
    assert client.post("/api/auth/register", json=body).status_code == 422


def test_bad_credentials_are_401_and_do_not_say_which_part_was_wrong(
    client: TestClient, make_user
) -> None:
    user = make_user(Role.RECRUITER)
    wrong_password = client.post(
        "/api/auth/login", data={"username": user.email, "password": "wrong-password"}
    )
    unknown_email = client.post(
        "/api/auth/login", data={"username": "nobody@example.com", "password": PASSWORD}
    )
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.headers["www-authenticate"] == "Bearer"


def test_a_disabled_account_is_told_so_but_only_with_the_right_password(
    client: TestClient, make_user
) -> None:
    from hotgigs.auth.models import User
    from hotgigs.db import session_scope

    user = make_user(Role.RECRUITER)
    with session_scope() as session:
        session.get(User, user.id).is_active = False
    response = client.post("/api/auth/login", data={"username": user.email, "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "This account is disabled. Ask an administrator to enable it."
    )
    guess = client.post("/api/auth/login", data={"username": user.email, "password": "a-guess-1"})
    assert guess.status_code == 401
    assert guess.json()["detail"] == "Incorrect email or password."


def test_refresh_rotates_and_old_token_reuse_revokes_the_family(
    client: TestClient, make_user, login
) -> None:
    first = login(make_user(Role.RECRUITER))
    second = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert client.get("/api/auth/me", headers=bearer(second["access_token"])).status_code == 200

    # The first token was used already: presenting it again is theft, and ends the session.
    reuse = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    assert "reuse" in reuse.json()["detail"]
    # Every token of the family is dead now, including the newest pair.
    after = client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    assert client.get("/api/auth/me", headers=bearer(second["access_token"])).status_code == 401


def test_reuse_in_one_session_does_not_touch_another_login(
    client: TestClient, make_user, login
) -> None:
    user = make_user(Role.RECRUITER)
    stolen, other = login(user), login(user)
    client.post("/api/auth/refresh", json={"refresh_token": stolen["refresh_token"]})
    client.post("/api/auth/refresh", json={"refresh_token": stolen["refresh_token"]})
    assert client.get("/api/auth/me", headers=bearer(other["access_token"])).status_code == 200


def test_unknown_refresh_token_is_401(client: TestClient) -> None:
    response = client.post("/api/auth/refresh", json={"refresh_token": "made-up"})
    assert response.status_code == 401


def test_access_token_expires_after_30_minutes(client: TestClient, make_user, login) -> None:
    tokens = login(make_user(Role.RECRUITER))
    headers = bearer(tokens["access_token"])
    with time_machine.travel(utcnow() + timedelta(minutes=29), tick=False):
        assert client.get("/api/auth/me", headers=headers).status_code == 200
    with time_machine.travel(utcnow() + timedelta(minutes=31), tick=False):
        expired = client.get("/api/auth/me", headers=headers)
        assert expired.status_code == 401
        assert expired.json()["detail"] == "Access token expired."
        # The refresh token still works, and the new access token is good.
        renewed = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert renewed.status_code == 200
        fresh = bearer(renewed.json()["access_token"])
        assert client.get("/api/auth/me", headers=fresh).status_code == 200


def test_refresh_token_expires(client: TestClient, make_user, login, settings) -> None:
    tokens = login(make_user(Role.RECRUITER))
    later = utcnow() + timedelta(days=settings.refresh_token_expire_days, minutes=1)
    with time_machine.travel(later, tick=False):
        response = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 401
    assert response.json()["detail"] == "Refresh token expired."


def test_logout_ends_access_and_refresh_tokens(client: TestClient, make_user, login) -> None:
    tokens = login(make_user(Role.CANDIDATE))
    headers = bearer(tokens["access_token"])
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/auth/me", headers=headers).status_code == 401
    refresh = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "a.b.c",
        jwt.encode({"sub": "x", "sid": "y", "type": "access"}, "wrong-key-" * 4, "HS256"),
    ],
)
def test_malformed_tokens_are_401(client: TestClient, token: str) -> None:
    response = client.get("/api/auth/me", headers=bearer(token))
    assert response.status_code == 401


def test_token_signed_with_another_key_or_algorithm_is_refused(
    client: TestClient, make_user, login, settings
) -> None:
    tokens = login(make_user(Role.ADMIN))
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    forged = jwt.encode(claims, "another-secret-that-is-long-enough!!", algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    for token in (forged, unsigned):
        assert client.get("/api/auth/me", headers=bearer(token)).status_code == 401
    # A genuine token whose signature was altered fails too.
    tampered = tokens["access_token"].rsplit(".", 1)[0] + ".AAAA"
    assert client.get("/api/auth/me", headers=bearer(tampered)).status_code == 401


def test_missing_token_is_401_with_bearer_challenge(client: TestClient) -> None:
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.CANDIDATE, 403), (Role.RECRUITER, 403), (Role.ADMIN, 200)],
)
def test_only_admins_list_users(client: TestClient, auth_headers, role: Role, status: int) -> None:
    assert client.get("/api/auth/users", headers=auth_headers(role)).status_code == status


def test_admin_creates_recruiter_who_can_log_in(client: TestClient, auth_headers) -> None:
    created = client.post(
        "/api/auth/users",
        headers=auth_headers(Role.ADMIN),
        json={"email": "rita@example.com", "password": "recruit-me-please", "role": "recruiter"},
    )
    assert created.status_code == 201
    assert created.json()["role"] == "recruiter"
    login = client.post(
        "/api/auth/login", data={"username": "rita@example.com", "password": "recruit-me-please"}
    )
    assert login.status_code == 200
    listed = client.get("/api/auth/users?role=recruiter", headers=auth_headers(Role.ADMIN))
    assert [u["email"] for u in listed.json()["items"]] == ["rita@example.com"]


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.RECRUITER])
def test_non_admins_cannot_create_users(client: TestClient, auth_headers, role: Role) -> None:
    response = client.post(
        "/api/auth/users",
        headers=auth_headers(role),
        json={"email": "x@example.com", "password": "recruit-me-please", "role": "admin"},
    )
    assert response.status_code == 403
    assert "admin" in response.json()["detail"]


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("exp", "9999999999"),  # PyJWT takes a numeric string as a time
        ("exp", 10**30),  # past any date
        ("sid", 5),
        ("sid", ["x"]),
        ("sid", "not-a-uuid"),
    ],
)
def test_a_signed_token_with_claims_of_the_wrong_type_is_refused_not_a_crash(
    client: TestClient, make_user, login, settings, claim: str, value: object
) -> None:
    token = login(make_user(Role.RECRUITER))["access_token"]
    claims = jwt.decode(token, settings.secret_key, algorithms=["HS256"], issuer="hotgigs")
    forged = jwt.encode({**claims, claim: value}, settings.secret_key, algorithm="HS256")
    answer = client.get("/api/auth/me", headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Malformed or invalid access token."


def test_login_takes_a_json_body_as_the_spec_documents_it(client: TestClient, make_user) -> None:
    user = make_user(Role.RECRUITER)

    login = client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    me = client.get("/api/auth/me", headers=bearer(login.json()["access_token"]))
    assert me.json()["email"] == user.email

    wrong = client.post("/api/auth/login", json={"email": user.email, "password": "nope"})
    assert wrong.status_code == 401


@pytest.mark.parametrize(
    ("kwargs", "missing"),
    [
        ({"json": {"email": "a@example.com"}}, "password"),
        ({"data": {"password": "whatever"}}, "username"),
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, None),
    ],
)
def test_a_login_missing_a_field_is_a_422_naming_it(client: TestClient, kwargs, missing) -> None:
    answer = client.post("/api/auth/login", **kwargs)
    assert answer.status_code == 422, answer.text
    if missing is not None:
        assert missing in answer.text


def test_the_api_documents_both_ways_to_sign_in(client: TestClient) -> None:
    body = client.get("/openapi.json").json()["paths"]["/api/auth/login"]["post"]["requestBody"]
    assert set(body["content"]) == {"application/x-www-form-urlencoded", "application/json"}
