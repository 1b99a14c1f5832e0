"""A query parameter no API route takes is a 422 naming it, not a silently wrong answer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotgigs.auth.models import Role


def _headers(make_user, login) -> dict[str, str]:
    return {"Authorization": f"Bearer {login(make_user(Role.RECRUITER))['access_token']}"}


def test_a_misspelt_search_parameter_is_named_in_a_422(client: TestClient, make_user, login):
    headers = _headers(make_user, login)

    answer = client.get("/api/resumes/candidates?serach=python&limit=5", headers=headers)

    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {"loc": ["query", "serach"], "msg": "Unknown query parameter", "type": "extra_forbidden"}
    ]


def test_every_parameter_a_route_declares_is_accepted(client: TestClient, make_user, login):
    headers = _headers(make_user, login)

    # fields of a query model (the search's), plain parameters and a dependency's alike
    assert (
        client.get("/api/resumes/candidates?q=python&limit=5", headers=headers).status_code == 200
    )
    assert client.get("/api/notifications?limit=5", headers=headers).status_code == 200
    assert client.get("/api/health").status_code == 200
    assert client.get("/api/health?verbose=1").status_code == 422


def test_pages_keep_their_own_parameters(client: TestClient) -> None:
    assert client.get("/login?next=/candidates&utm_source=mail").status_code == 200
