"""Passwords: 12+ characters and hard to guess; change your own, an admin or the CLI resets."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from hotgigs.auth.models import Role
from hotgigs.auth.passwords import weakness
from hotgigs.cli import app
from tests.conftest import PASSWORD

NEW_PASSWORD = "seven mossy lanterns drift"


@pytest.mark.parametrize(
    "password",
    [
        "password",
        "12345678",
        " " * 8,
        " " * 12,
        "passwordpassword",
        "qwertyuiopasdf",
        "iloveyou1234",
    ],
)
def test_short_and_common_passwords_are_refused(client: TestClient, password: str) -> None:
    answer = client.post(
        "/api/auth/register", json={"email": "sam@example.com", "password": password}
    )
    assert answer.status_code == 422
    (problem,) = answer.json()["detail"]
    assert problem["loc"] == ["body", "password"]
    assert "12 characters" in problem["msg"] or "too easy to guess" in problem["msg"]


def test_a_password_made_of_the_accounts_own_email_or_name_is_refused() -> None:
    assert weakness("jonathan.harker1897!", email="jonathan.harker1897@example.com")
    assert weakness("Mina Murray Mina", full_name="Mina Murray")
    assert weakness("the best of mina murray", full_name="Mina Murray")
    assert weakness(NEW_PASSWORD, email="jonathan@example.com", full_name="Jonathan") is None


def sign_in(client: TestClient, email: str, password: str) -> dict[str, str]:
    """Bearer headers of a fresh login."""
    answer = client.post("/api/auth/login", data={"username": email, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_changing_my_password_ends_my_other_logins_only(client: TestClient, make_user) -> None:
    user = make_user(Role.RECRUITER)
    here, elsewhere = sign_in(client, user.email, PASSWORD), sign_in(client, user.email, PASSWORD)
    change = "/api/auth/me/password"

    wrong = client.post(
        change, json={"current_password": "not it", "new_password": NEW_PASSWORD}, headers=here
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"] == "The current password is not correct."
    weak = client.post(
        change,
        json={"current_password": PASSWORD, "new_password": "passwordpassword"},
        headers=here,
    )
    assert weak.status_code == 422
    own_email = client.post(
        change, json={"current_password": PASSWORD, "new_password": user.email}, headers=here
    )
    assert own_email.json() == {
        "detail": "Do not build the password from your email address or name."
    }

    done = client.post(
        change, json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}, headers=here
    )
    assert done.status_code == 204
    assert client.get("/api/auth/me", headers=here).status_code == 200
    assert client.get("/api/auth/me", headers=elsewhere).status_code == 401
    refused = client.post("/api/auth/login", data={"username": user.email, "password": PASSWORD})
    assert refused.status_code == 401
    sign_in(client, user.email, NEW_PASSWORD)


def test_an_admin_resets_a_password_and_every_login_of_the_account_ends(
    client: TestClient, make_user
) -> None:
    admin, user = make_user(Role.ADMIN), make_user(Role.RECRUITER)
    admin_headers, user_headers = (
        sign_in(client, admin.email, PASSWORD),
        sign_in(client, user.email, PASSWORD),
    )
    reset = f"/api/auth/users/{user.id}/password"
    assert (
        client.post(reset, json={"password": NEW_PASSWORD}, headers=user_headers).status_code == 403
    )
    assert client.post(reset, json={"password": "short"}, headers=admin_headers).status_code == 422
    assert (
        client.post(reset, json={"password": NEW_PASSWORD}, headers=admin_headers).status_code
        == 204
    )
    assert client.get("/api/auth/me", headers=user_headers).status_code == 401
    sign_in(client, user.email, NEW_PASSWORD)


def test_the_cli_resets_a_password(client: TestClient, make_user) -> None:
    user = make_user(Role.RECRUITER)
    before = sign_in(client, user.email, PASSWORD)
    runner = CliRunner()
    weak = runner.invoke(
        app, ["users", "reset-password", "--email", user.email, "--password", "password1234"]
    )
    assert weak.exit_code == 2 and "too easy to guess" in weak.output
    unknown = runner.invoke(
        app,
        ["users", "reset-password", "--email", "nobody@example.com", "--password", NEW_PASSWORD],
    )
    assert unknown.exit_code == 1
    done = runner.invoke(
        app, ["users", "reset-password", "--email", user.email.upper(), "--password", NEW_PASSWORD]
    )
    assert done.exit_code == 0, done.output
    assert client.get("/api/auth/me", headers=before).status_code == 401
    sign_in(client, user.email, NEW_PASSWORD)


@pytest.mark.slow
def test_the_product_hashes_with_argon2s_recommended_parameters() -> None:
    """The tests hash cheaply in their own process (tests/conftest.py); the product, in a
    process of its own, uses argon2id with RFC 9106's low-memory parameters."""
    script = "from hotgigs.auth.service import hash_password; print(hash_password('x' * 16))"
    hashed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
