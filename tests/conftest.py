"""Test set-up: a private HOTGIGS_HOME, database and Redis prefix for every run."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tests.support.clock import FIXED_NOW, SHIFTED_CLOCK_PATH
from tests.support.databases import create_scratch_database, drop_scratch_database
from tests.support.shifted_clock.sitecustomize import shift_clock

# HOTGIGS_TEST_CLOCK_SHIFT_DAYS runs the suite, and every process it starts, with the clock
# moved (CI does so a year ahead and three months back): a test that passes only today fails.
shift_clock()
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(SHIFTED_CLOCK_PATH), os.environ.get("PYTHONPATH")])
)

# Settings are read on first use, so the environment is fixed before hotgigs is imported.
RUN_HOME = Path(tempfile.mkdtemp(prefix="hotgigs-test-"))
BASE_DATABASE_URL = os.environ.get("DATABASE_URL") or None

RUN_DATABASE_URL = create_scratch_database(BASE_DATABASE_URL, RUN_HOME, "run")
os.environ.update(
    ENVIRONMENT="test",
    HOTGIGS_HOME=str(RUN_HOME),
    DATABASE_URL=RUN_DATABASE_URL,
    REDIS_KEY_PREFIX=f"hotgigs-test-{uuid.uuid4().hex[:12]}:",
    WORKER_HEARTBEAT_SECONDS="0.5",
    QUEUE_VISIBILITY_TIMEOUT="3",
)

import pytest  # noqa: E402
import time_machine  # noqa: E402

from tests.support.processes import start_test_worker, stop_gracefully, wait_for  # noqa: E402

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from hotgigs.auth.models import Role, User
    from hotgigs.config import Settings

PASSWORD = "correct horse battery"
pytest_plugins = ["tests.support.fake_llm"]

# Pure tests (the parser, the scorers) import no app and touch no database, so a run of them
# alone starts at once: the database is migrated only when the first other test needs it.
PURE_FOLDERS = ("parsing", "evaluation")
TESTS = Path(__file__).parent
# Tests that start real processes (a Celery worker, `hotgigs serve`, Chromium).
PROCESS_FIXTURES = frozenset({"worker", "site", "sign_in", "server", "live_server"})


def pytest_collectstart(collector: pytest.Collector) -> None:
    """Make Hypothesis reproducible before the first test module that uses it is imported.

    Property tests draw the same examples on every run, so a CI failure reproduces locally and
    a new, rarer example cannot fail one run of an unchanged commit. Hypothesis is imported
    only then (it takes half a second), so a run of tests that do not use it starts sooner.
    """
    if isinstance(collector, pytest.Module) and "hypothesis" in collector.path.read_text(
        encoding="utf-8"
    ):
        from hypothesis import settings as hypothesis_settings

        if hypothesis_settings.get_current_profile_name() != "reproducible":
            hypothesis_settings.register_profile("reproducible", derandomize=True, database=None)
            hypothesis_settings.load_profile("reproducible")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier: pure, e2e, worker (the rest are database tests)."""
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0]
        if folder in PURE_FOLDERS:
            item.add_marker(pytest.mark.pure)
        if folder == "e2e":
            item.add_marker(pytest.mark.e2e)
        if PROCESS_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.worker)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Bring the run's database to the newest schema once, unless every test is pure."""
    if all(item.get_closest_marker("pure") for item in session.items):
        return
    from argon2 import PasswordHasher, profiles

    from hotgigs import migrations
    from hotgigs.auth import service as auth_service

    # Passwords hashed and checked in this process use argon2's profile made for tests (well
    # under a millisecond instead of about 0.2 s a hash and a check; tests make thousands).
    # Hashes carry their parameters, so the product's processes still check them, and hash
    # with the real ones.
    auth_service._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    migrations.upgrade()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove everything this run made: its database, its Redis keys, its folder."""
    import sys

    if "hotgigs.db" in sys.modules:  # nothing of the app was loaded by pure tests alone
        from hotgigs.db import dispose_engine

        dispose_engine()
    drop_scratch_database(BASE_DATABASE_URL, RUN_DATABASE_URL)
    if os.environ.get("REDIS_URL"):
        import redis

        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        for key in client.scan_iter(match=f"{os.environ['REDIS_KEY_PREFIX']}*"):
            client.delete(key)
    shutil.rmtree(RUN_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every database test starts from empty tables (pure tests have no database)."""
    if request.node.get_closest_marker("pure"):
        yield
        return
    yield
    from sqlalchemy import delete
    from sqlalchemy.exc import OperationalError

    from hotgigs.db import session_scope
    from hotgigs.models import Base

    # A module's worker may still be filing a resume the test left in flight; on PostgreSQL
    # that can deadlock with these deletes, and one side is aborted: try again.
    for attempt in range(5):
        try:
            with session_scope() as session:
                for table in reversed(Base.metadata.sorted_tables):
                    session.execute(delete(table))
            return
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.5)


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[subprocess.Popen]:
    """A real Celery worker process (the product's app plus test-only tasks) for one module."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    process = start_test_worker(log)
    try:
        wait_for(
            lambda: "celery@" in log.read_text() and " ready." in log.read_text(),
            timeout=60,
            what="the worker to be ready",
        )
        yield process
    finally:
        stop_gracefully(process)


@pytest.fixture
def at_fixed_time() -> Iterator[None]:
    """This process's clock starts at `FIXED_NOW` and ticks: for outcomes that count time up
    to "now" (years of experience in "2023 - Present" jobs, "today" filters)."""
    from hotgigs.matching import pool as match_pool

    # The clock jumps, there and back: drop what this process keeps by update time (the
    # matching matrix, brought up to date by "changed since"), as a restart would.
    match_pool.forget_cached_pool()
    try:
        with time_machine.travel(FIXED_NOW, tick=True):
            yield
    finally:
        match_pool.forget_cached_pool()


@pytest.fixture
def settings() -> Settings:
    """The run's settings."""
    from hotgigs.config import get_settings

    return get_settings()


@pytest.fixture
def client() -> Iterator[TestClient]:
    """An HTTP client talking to a fresh app."""
    from fastapi.testclient import TestClient

    from hotgigs.main import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def make_user():
    """Create a user of a role directly in the database; returns it."""
    from hotgigs.auth import service as auth_service
    from hotgigs.db import new_session

    def make(role: Role, email: str | None = None) -> User:
        with new_session() as session:
            return auth_service.create_user(
                session,
                email=email or f"{role.value}-{uuid.uuid4().hex[:8]}@example.com",
                password=PASSWORD,
                role=role,
                full_name=f"Test {role.value.title()}",
            )

    return make


@pytest.fixture
def recruiter(make_user) -> User:
    """A recruiter account (one of the run's users, made directly in the database)."""
    from hotgigs.auth.models import Role

    return make_user(Role.RECRUITER)


@pytest.fixture
def login(client: TestClient):
    """Log a user in through the API; returns the token response body."""

    def do_login(user: User) -> dict:
        response = client.post(
            "/api/auth/login", data={"username": user.email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        return response.json()

    return do_login


@pytest.fixture
def bearer_headers(login):
    """Bearer headers for a user, signed in through the API."""

    from tests.support.http_api import bearer

    def headers(user: User) -> dict[str, str]:
        return bearer(login(user)["access_token"])

    return headers


@pytest.fixture
def auth_headers(make_user, bearer_headers):
    """Bearer headers for a new user of the given role."""
    return lambda role: bearer_headers(make_user(role))


RESUME_FINISHED = {"completed", "failed"}


@pytest.fixture
def finished(client: TestClient):
    """Wait until a resume completes or fails; returns its status body."""

    def wait(headers: dict, resume_id: str, timeout: float = 60) -> dict:
        def done():
            body = client.get(f"/api/resumes/{resume_id}/status", headers=headers).json()
            return body if body["status"] in RESUME_FINISHED else None

        return wait_for(done, timeout=timeout, what=f"resume {resume_id} to finish")

    return wait
