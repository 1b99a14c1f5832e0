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


def test_short_lists_take_the_specs_skip_and_limit(client: TestClient, make_user, login) -> None:
    admin = make_user(Role.ADMIN)
    for _ in range(4):
        make_user(Role.RECRUITER)
    headers = {"Authorization": f"Bearer {login(admin)['access_token']}"}
    everyone = client.get("/api/auth/users", headers=headers).json()

    page = client.get("/api/auth/users?skip=1&limit=2", headers=headers).json()

    assert [u["id"] for u in page["items"]] == [u["id"] for u in everyone["items"][1:3]]
    assert page["total"] == everyone["total"] >= 5
    assert client.get("/api/auth/users?limit=0", headers=headers).status_code == 422
    resumes = client.get("/api/resumes?skip=0&limit=5", headers=headers)
    assert resumes.status_code == 200 and resumes.json()["total"] == 0


def test_a_redirect_target_another_service_builds_takes_its_extra_parameters(client: TestClient):
    answer = client.get(
        "/api/google-drive/auth/callback?state=forged&code=abc&scope=drive.readonly&authuser=0"
    )
    # judged on its (forged) state, not refused for the parameters Google adds
    assert answer.status_code == 422
    assert "state" in answer.json()["detail"]
