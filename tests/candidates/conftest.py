"""Fixtures shared by the candidate tests."""

from __future__ import annotations

import pytest

from hotgigs.auth.models import Role, User

# One user per kind of caller: the world's owner (tests/candidates/world.py), a recruiter
# nothing is shared with, the recipients of its view and edit shares, an admin, the
# candidate account linked to the profile, and another candidate account.
ROLES = {
    "owner": Role.RECRUITER,
    "other": Role.RECRUITER,
    "viewer": Role.RECRUITER,
    "editor": Role.RECRUITER,
    "admin": Role.ADMIN,
    "self": Role.CANDIDATE,
    "other_candidate": Role.CANDIDATE,
}


@pytest.fixture
def people(make_user, bearer_headers) -> tuple[dict[str, User], dict[str, dict[str, str]]]:
    """One signed-in user per kind of caller, and their API headers ("anonymous": none)."""
    users = {name: make_user(role) for name, role in ROLES.items()}
    headers = {name: bearer_headers(user) for name, user in users.items()}
    headers["anonymous"] = {}
    return users, headers
