"""Sign-in lockout: per account and per client address, with doubling backoff."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import select

from hotgigs.auth import dependencies
from hotgigs.auth.models import LoginThrottle, Role
from hotgigs.db import new_session, utcnow
from hotgigs.main import create_app
from tests.conftest import PASSWORD
from tests.web.conftest import SAME_ORIGIN


def sign_in(client: TestClient, email: str, password: str):
    """One API sign-in attempt."""
    return client.post("/api/auth/login", data={"username": email, "password": password})


def fail(client: TestClient, email: str, times: int) -> None:
    """`times` wrong passwords, each refused as plain bad credentials."""
    for _ in range(times):
        assert sign_in(client, email, "wrong-password").status_code == 401


def later(seconds: float):
    """Travel `seconds` ahead of now; time stands still there, so waits come out exact."""
    return time_machine.travel(utcnow() + timedelta(seconds=seconds), tick=False)


def test_five_failures_lock_the_account_even_for_the_right_password(
    client: TestClient, make_user
) -> None:
    user = make_user(Role.RECRUITER)
    with later(0):
        fail(client, user.email, 5)
        locked = sign_in(client, user.email, PASSWORD)
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "30"
    assert locked.json()["detail"] == "Too many failed sign-ins. Try again in 30 seconds."

    with later(31):
        assert sign_in(client, user.email, PASSWORD).status_code == 200


def test_each_further_failure_doubles_the_lock_up_to_the_cap(client: TestClient, make_user) -> None:
    user = make_user(Role.RECRUITER)
    fail(client, user.email, 5)
    waited, lock = 0, 30
    for expected in (60, 120, 240, 480, 900, 900):
        waited += lock + 1
        lock = expected
        with later(waited):
            fail(client, user.email, 1)
            locked = sign_in(client, user.email, PASSWORD)
            assert locked.status_code == 429
            assert locked.headers["retry-after"] == str(expected)


def test_a_successful_sign_in_clears_the_accounts_count(client: TestClient, make_user) -> None:
    user = make_user(Role.RECRUITER)
    fail(client, user.email, 4)
    assert sign_in(client, user.email, PASSWORD).status_code == 200
    fail(client, user.email, 4)
    assert sign_in(client, user.email, PASSWORD).status_code == 200


def test_failures_older_than_the_window_are_forgotten(
    client: TestClient, make_user, settings
) -> None:
    user = make_user(Role.RECRUITER)
    fail(client, user.email, 4)
    with later(settings.login_failure_window_seconds + 1):
        fail(client, user.email, 4)
        assert sign_in(client, user.email, PASSWORD).status_code == 200


def test_unknown_emails_lock_alike_so_lockouts_reveal_no_accounts(
    client: TestClient, make_user
) -> None:
    user = make_user(Role.RECRUITER)
    with later(0):
        fail(client, user.email, 5)
        fail(client, "nobody@example.com", 5)
        known = sign_in(client, user.email, "wrong-password")
        unknown = sign_in(client, "NOBODY@example.com", "wrong-password")
    assert known.status_code == unknown.status_code == 429
    assert known.json() == unknown.json()


@pytest.mark.slow
def test_an_address_guessing_across_accounts_is_slowed_but_never_locked_out(
    client: TestClient, make_user, monkeypatch
) -> None:
    waits: list[float] = []

    async def note_wait(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(dependencies, "pause", note_wait)
    victim = make_user(Role.RECRUITER)
    for number in range(20):
        fail(client, f"guess-{number}@example.com", 1)
    assert waits == []  # up to the address's limit nobody waits
    # Behind one NAT with a guesser: the right password still signs in, after a wait.
    assert sign_in(client, victim.email, PASSWORD).status_code == 200
    assert waits == [1.0]
    # Wrong ones are still refused as plain bad credentials, each waiting twice as long...
    fail(client, "guess-20@example.com", 5)
    assert waits == [1.0, 1.0, 2.0, 4.0, 8.0, 8.0]  # ...up to LOGIN_ADDRESS_DELAY_MAX_SECONDS
    with TestClient(create_app(), client=("203.0.113.9", 40000)) as elsewhere:
        assert sign_in(elsewhere, victim.email, PASSWORD).status_code == 200
    assert len(waits) == 6  # another address never waits


@pytest.mark.slow
def test_the_sign_in_page_waits_alike_for_a_slowed_address(make_user, monkeypatch) -> None:
    waits: list[float] = []

    async def note_wait(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(dependencies, "pause", note_wait)
    user = make_user(Role.RECRUITER)
    with TestClient(create_app(), follow_redirects=False) as browser:
        for number in range(20):
            assert sign_in(browser, f"guess-{number}@example.com", "wrong").status_code == 401
        page = browser.post(
            "/login", data={"email": user.email, "password": PASSWORD}, headers=SAME_ORIGIN
        )
    assert page.status_code == 303 and waits == [1.0]


def test_concurrent_failures_are_all_counted(client: TestClient, make_user) -> None:
    user = make_user(Role.RECRUITER)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: sign_in(client, user.email, "wrong"), range(8)))
    assert {answer.status_code for answer in answers} <= {401, 429}
    with new_session() as session:
        failures = session.scalar(
            select(LoginThrottle.failures).where(LoginThrottle.key == f"account:{user.email}")
        )
    # Attempts that arrived while already locked are refused before counting.
    assert failures == sum(answer.status_code == 401 for answer in answers) >= 5


@pytest.mark.parametrize("password", ["wrong-password", PASSWORD])
def test_the_sign_in_page_says_when_to_try_again(make_user, password: str) -> None:
    user = make_user(Role.RECRUITER)
    with TestClient(create_app(), follow_redirects=False) as browser, later(0):
        for _ in range(5):
            browser.post("/login", data={"email": user.email, "password": "x"}, headers=SAME_ORIGIN)
        page = browser.post(
            "/login", data={"email": user.email, "password": password}, headers=SAME_ORIGIN
        )
    assert page.status_code == 429
    assert page.headers["retry-after"] == "30"
    assert "Too many failed sign-ins. Try again in 30 seconds." in page.text
