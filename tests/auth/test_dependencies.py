"""The reusable role dependencies every later router relies on."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.dependencies import AdminUser, CurrentUser, RecruiterUser
from hotgigs.auth.models import Role
from hotgigs.main import create_app
from tests.conftest import PASSWORD


@pytest.fixture
def guarded_client() -> TestClient:
    """The real app plus three routes guarded the way domain routers guard theirs."""
    app = create_app()

    @app.get("/test/any")
    def any_user(user: CurrentUser) -> dict:
        return {"role": user.role.value}

    @app.get("/test/recruiter")
    def recruiter_only(user: RecruiterUser) -> dict:
        return {"role": user.role.value}

    @app.get("/test/admin")
    def admin_only(user: AdminUser) -> dict:
        return {"role": user.role.value}

    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.CANDIDATE, {"/test/any": 200, "/test/recruiter": 403, "/test/admin": 403}),
        (Role.RECRUITER, {"/test/any": 200, "/test/recruiter": 200, "/test/admin": 403}),
        (Role.ADMIN, {"/test/any": 200, "/test/recruiter": 200, "/test/admin": 200}),
    ],
)
def test_role_matrix(guarded_client: TestClient, make_user, role: Role, expected: dict) -> None:
    user = make_user(role)
    token = guarded_client.post(
        "/api/auth/login", data={"username": user.email, "password": PASSWORD}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    seen = {path: guarded_client.get(path, headers=headers).status_code for path in expected}
    assert seen == expected


def test_anonymous_gets_401_everywhere(guarded_client: TestClient) -> None:
    for path in ("/test/any", "/test/recruiter", "/test/admin"):
        assert guarded_client.get(path).status_code == 401
