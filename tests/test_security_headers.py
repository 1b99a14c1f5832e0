"""Every HTTP answer carries the security headers; CORS is closed unless configured."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from hotgigs.config import get_settings
from hotgigs.main import create_app
from hotgigs.middleware import DOCS_CSP, STRICT_CSP

PREFLIGHT = {
    "Origin": "https://evil.example",
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "authorization",
}


def test_answers_carry_a_strict_policy_and_no_framing(client: TestClient) -> None:
    for path in ("/api/health", "/api/notifications", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == STRICT_CSP
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in headers  # plain HTTP: HSTS would be ignored


@pytest.mark.parametrize("path", ["/docs", "/docs/oauth2-redirect", "/redoc"])
def test_docs_pages_allow_only_the_inline_scripts_they_carry(client: TestClient, path: str) -> None:
    page = client.get(path)
    policy = page.headers["content-security-policy"]
    script_policy = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_policy
    styles = " 'unsafe-inline'" if path == "/redoc" else ""  # ReDoc writes its <style>s
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.S)
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in inline
    ]
    assert policy == DOCS_CSP.format(hashes=" ".join(hashes), styles=styles)
    assert len(page.content) == int(page.headers["content-length"])
    if path == "/docs":
        assert len(hashes) == 1  # Swagger UI's start-up script, and nothing else


def test_https_requests_get_hsts() -> None:
    with TestClient(create_app(), base_url="https://testserver") as secure:
        assert (
            secure.get("/api/health")
            .headers["strict-transport-security"]
            .startswith("max-age=31536000")
        )


def test_cors_is_closed_by_default_and_opens_only_to_configured_origins(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = client.options("/api/health", headers=PREFLIGHT)
    assert "access-control-allow-origin" not in refused.headers
    monkeypatch.setenv("CORS_ORIGINS", '["https://ats.example"]')
    get_settings.cache_clear()
    try:
        with TestClient(create_app()) as configured:
            allowed = configured.options(
                "/api/health", headers={**PREFLIGHT, "Origin": "https://ats.example"}
            )
            assert allowed.headers["access-control-allow-origin"] == "https://ats.example"
            other = configured.options("/api/health", headers=PREFLIGHT)
            assert "access-control-allow-origin" not in other.headers
    finally:
        monkeypatch.delenv("CORS_ORIGINS")
        get_settings.cache_clear()


def test_answers_with_personal_data_are_never_stored_but_static_files_may_be(
    client: TestClient, make_user, login, settings
) -> None:
    from hotgigs.auth.models import Role
    from tests.candidates.world import build_world

    owner = make_user(Role.RECRUITER)
    users = {
        "owner": owner,
        "viewer": make_user(Role.RECRUITER),
        "editor": make_user(Role.RECRUITER),
        "self": make_user(Role.CANDIDATE),
    }
    world = build_world(users, settings)
    bearer = {"Authorization": f"Bearer {login(owner)['access_token']}"}
    personal = [
        f"/api/resumes/candidates/{world.candidate_id}",
        f"/api/resumes/{world.resume_id}/download",
        f"/api/resumes/candidates/{world.candidate_id}/export",
        "/api/auth/me",
        "/login",
    ]
    for path in personal:
        answer = client.get(path, headers=bearer)
        assert answer.status_code == 200, (path, answer.text)
        assert answer.headers["cache-control"] == "no-store", path
    static = client.get("/static/app.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("cache-control", "")
