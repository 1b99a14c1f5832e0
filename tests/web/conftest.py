"""Pages through the real app in-process: a browser-like client signed in by session cookie."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.models import Role, User
from hotgigs.main import create_app
from tests.conftest import PASSWORD

# What a browser sends with a form from our own pages.
SAME_ORIGIN = {"Origin": "http://testserver"}
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


def writes(csrf: str) -> dict[str, str]:
    """Headers a page script sends with a change: the CSRF token and our own origin."""
    return {"X-CSRF-Token": csrf, **SAME_ORIGIN}


def csrf_of(html: str) -> str:
    """The CSRF token a page hands its scripts."""
    match = CSRF_META.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def browser_like(make_user):
    """A new user of a role, signed in through the sign-in form; (client, user, csrf token)."""
    clients = []

    def sign_in(role: Role = Role.RECRUITER) -> tuple[TestClient, User, str]:
        user = make_user(role)
        client = TestClient(create_app(), follow_redirects=False)
        clients.append(client)
        response = client.post(
            "/login", data={"email": user.email, "password": PASSWORD}, headers=SAME_ORIGIN
        )
        assert response.status_code == 303, response.text
        # Every role may open the notification center, so it serves the CSRF token here.
        return client, user, csrf_of(client.get("/notifications").text)

    yield sign_in
    for client in clients:
        client.close()
