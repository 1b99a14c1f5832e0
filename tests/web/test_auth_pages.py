"""Browser sessions: sign in, register, sign out, renewal, CSRF and page access by role."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import time_machine
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from hotgigs.auth import cookies
from hotgigs.auth.models import Role
from hotgigs.auth.schemas import REGISTRATION_RECEIVED
from hotgigs.main import create_app
from hotgigs.notifications.hub import Hub
from tests.conftest import PASSWORD
from tests.web.conftest import SAME_ORIGIN, csrf_of


def new_browser() -> TestClient:
    """A client that behaves like a fresh browser (keeps cookies, shows redirects)."""
    return TestClient(create_app(), follow_redirects=False)


def test_sign_in_sets_httponly_strict_cookies_and_lands_on_the_role_page(make_user):
    user = make_user(Role.RECRUITER)
    with new_browser() as browser:
        answer = browser.post(
            "/login", data={"email": user.email, "password": PASSWORD}, headers=SAME_ORIGIN
        )
        assert answer.status_code == 303
        assert answer.headers["location"] == "/import"
        set_cookies = answer.headers.get_list("set-cookie")
        for name in (cookies.ACCESS_COOKIE, cookies.REFRESH_COOKIE):
            (line,) = [c for c in set_cookies if c.startswith(f"{name}=")]
            assert "HttpOnly" in line
            assert "SameSite=strict" in line
        (refresh_line,) = [c for c in set_cookies if c.startswith(cookies.REFRESH_COOKIE)]
        assert "Path=/auth" in refresh_line
        page = browser.get("/import")
        assert page.status_code == 200
        assert user.email in page.text
        assert browser.get("/").headers["location"] == "/import"


def test_wrong_password_shows_the_reason_and_keeps_the_email(make_user):
    user = make_user(Role.RECRUITER)
    with new_browser() as browser:
        answer = browser.post(
            "/login", data={"email": user.email, "password": "wrong"}, headers=SAME_ORIGIN
        )
        assert answer.status_code == 401
        assert "Incorrect email or password." in answer.text
        assert f'value="{user.email}"' in answer.text
        assert cookies.ACCESS_COOKIE not in browser.cookies


def test_sign_in_from_another_site_is_refused(make_user):
    user = make_user(Role.RECRUITER)
    with new_browser() as browser:
        answer = browser.post(
            "/login",
            data={"email": user.email, "password": PASSWORD},
            headers={"Origin": "https://evil.example"},
        )
        assert answer.status_code == 403
        assert cookies.ACCESS_COOKIE not in browser.cookies


def test_next_returns_to_the_page_but_never_to_another_site(make_user):
    user = make_user(Role.RECRUITER)
    with new_browser() as browser:
        assert browser.get("/notifications").headers["location"] == "/login?next=/notifications"
        back = browser.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "next": "/notifications"},
            headers=SAME_ORIGIN,
        )
        assert back.headers["location"] == "/notifications"
    with new_browser() as browser:
        for hostile in ("//evil.example/x", "https://evil.example", "/\\evil.example"):
            away = browser.post(
                "/login",
                data={"email": user.email, "password": PASSWORD, "next": hostile},
                headers=SAME_ORIGIN,
            )
            assert away.headers["location"] == "/import"


def test_register_creates_a_candidate_and_a_taken_email_looks_the_same(client):
    with new_browser() as browser:
        answer = browser.post(
            "/register",
            data={"email": "new.person@example.com", "password": PASSWORD, "full_name": "New P"},
            headers=SAME_ORIGIN,
        )
        assert answer.status_code == 200
        assert REGISTRATION_RECEIVED in html.unescape(answer.text)
        assert 'value="new.person@example.com"' in answer.text  # the sign-in form, filled in
        signed_in = browser.post(
            "/login",
            data={"email": "new.person@example.com", "password": PASSWORD},
            headers=SAME_ORIGIN,
        )
        assert signed_in.headers["location"] == "/me"
        me = browser.get("/api/auth/me").json()
        assert me["role"] == "candidate"
        assert me["full_name"] == "New P"
    with new_browser() as browser:
        taken = browser.post(
            "/register",
            data={"email": "new.person@example.com", "password": "an-other-pass-phrase-9"},
            headers=SAME_ORIGIN,
        )
        assert taken.status_code == answer.status_code
        assert taken.text == answer.text  # nothing tells a taken email from a new one
        weak = browser.post(
            "/register", data={"email": "x@example.com", "password": "short"}, headers=SAME_ORIGIN
        )
        assert weak.status_code == 422
        assert "password" in weak.text


def test_the_api_takes_the_cookie_but_changes_need_the_csrf_token(browser_like):
    browser, user, csrf = browser_like(Role.RECRUITER)
    assert browser.get("/api/auth/me").json()["email"] == user.email
    url = "/api/notifications/read-all"
    assert browser.post(url, headers=SAME_ORIGIN).status_code == 403
    wrong = {**SAME_ORIGIN, "X-CSRF-Token": "0" * 64}
    assert browser.post(url, headers=wrong).status_code == 403
    cross_site = {"Origin": "https://evil.example", "X-CSRF-Token": csrf}
    assert browser.post(url, headers=cross_site).status_code == 403
    assert browser.post(url, headers={**SAME_ORIGIN, "X-CSRF-Token": csrf}).status_code == 200


def test_another_logins_csrf_token_does_not_work(browser_like):
    first, _user, _csrf = browser_like(Role.RECRUITER)
    _second, _other, other_csrf = browser_like(Role.RECRUITER)
    headers = {**SAME_ORIGIN, "X-CSRF-Token": other_csrf}
    assert first.post("/api/notifications/read-all", headers=headers).status_code == 403


def test_sign_out_ends_the_login_everywhere(browser_like):
    browser, _user, csrf = browser_like(Role.RECRUITER)
    stolen_access = browser.cookies[cookies.ACCESS_COOKIE]
    assert browser.post("/logout", data={"csrf": "nope"}).status_code == 403
    answer = browser.post("/logout", data={"csrf": csrf})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"
    assert cookies.ACCESS_COOKIE not in browser.cookies
    assert browser.get("/import").headers["location"].startswith("/login")
    with new_browser() as other:
        other.cookies.set(cookies.ACCESS_COOKIE, stolen_access)
        assert other.get("/api/auth/me").status_code == 401


def test_an_expired_access_cookie_is_renewed_from_the_refresh_cookie(browser_like, settings):
    browser, user, _csrf = browser_like(Role.RECRUITER)
    later = settings.access_token_expire_minutes + 1
    with _later(later):
        away = browser.get("/notifications")
        assert away.status_code == 303
        assert away.headers["location"] == "/auth/refresh?next=/notifications"
        renewed = browser.get(away.headers["location"])
        assert renewed.status_code == 303
        assert renewed.headers["location"] == "/notifications"
        assert browser.get("/notifications").status_code == 200
        # Page scripts renew through POST /auth/refresh when the API answers 401.
        assert browser.post("/auth/refresh", headers=SAME_ORIGIN).status_code == 204
        assert browser.get("/api/auth/me").json()["email"] == user.email


def _later(minutes: int):
    """Move the clock forward by `minutes` while the block runs."""
    return time_machine.travel(datetime.now(UTC) + timedelta(minutes=minutes), tick=True)


def test_a_used_refresh_cookie_cannot_renew_again(browser_like, settings):
    browser, _user, _csrf = browser_like(Role.RECRUITER)
    old_refresh = browser.cookies[cookies.REFRESH_COOKIE]
    assert browser.post("/auth/refresh", headers=SAME_ORIGIN).status_code == 204
    with new_browser() as thief:
        thief.cookies.set(cookies.REFRESH_COOKIE, old_refresh, path="/auth")
        assert thief.post("/auth/refresh", headers=SAME_ORIGIN).status_code == 401
    # Reuse revokes the whole login, the rightful browser's too.
    assert browser.get("/api/auth/me").status_code == 401


def test_pages_are_shown_by_role(browser_like):
    candidate, _user, _csrf = browser_like(Role.CANDIDATE)
    refused = candidate.get("/import")
    assert refused.status_code == 403
    assert "cannot open this page" in refused.text
    recruiter, _user, _csrf = browser_like(Role.RECRUITER)
    nav = recruiter.get("/import").text
    for href in ("/import/bulk", "/candidates", "/jobs", "/matching", "/drive"):
        assert f'href="{href}"' in nav
    assert 'href="/admin/users"' not in nav


def test_the_socket_takes_the_session_cookie_only_from_our_own_pages(browser_like, settings):
    browser, user, _csrf = browser_like(Role.RECRUITER)
    # Only the handshake is under test (tests/notifications covers delivery over each bus).
    # A Redis subscription started inside this client's short-lived event loop could hang
    # that loop's shutdown on the PostgreSQL + Redis run, so this app follows the table.
    browser.app.state.hub = Hub(settings.model_copy(update={"notification_bus": "database"}))
    with browser.websocket_connect("/ws/connect", headers=SAME_ORIGIN) as socket:
        hello = socket.receive_json()
        assert hello["type"] == "connected"
        assert hello["data"]["user_id"] == str(user.id)
    with browser.websocket_connect(
        "/ws/connect", headers={"Origin": "https://evil.example"}
    ) as socket:
        try:
            socket.receive_json()
            raise AssertionError("a cross-site socket was accepted")
        except WebSocketDisconnect as closed:
            assert closed.code == 4401


def test_signed_in_pages_carry_the_csrf_token_and_no_inline_script(browser_like):
    browser, _user, csrf = browser_like(Role.RECRUITER)
    html = browser.get("/import").text
    assert csrf_of(html) == csrf
    assert "<script>" not in html
    assert " onclick=" not in html
    assert " style=" not in html
