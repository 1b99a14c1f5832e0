"""A real `hotgigs serve` and Debian's Chromium driven by Playwright, for the browser tests.

Screenshots go to `E2E_ARTEFACTS` (default `test-artefacts/screenshots`), one PNG a page.
Every page a test opens is watched: an uncaught script error or a Content-Security-Policy
violation fails the test.

One server and one browser serve every module of this package (starting and stopping a
server costs about 15 s); a module that needs a server of its own (other settings, another
clock) defines its own `site` and runs before the others, so two servers never share the
database and the queue at once.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from hotgigs.auth.models import Role, User
from tests.conftest import PASSWORD
from tests.support.documents import make_pdf
from tests.support.processes import free_port, start, stop_gracefully, wait_for
from tests.support.sample_resumes import sample_resume

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(os.environ.get("E2E_ARTEFACTS", "test-artefacts/screenshots"))
LAPTOP = {"width": 1360, "height": 900}
PHONE = {"width": 390, "height": 844}

if not CHROMIUM.exists():
    pytest.skip(
        "Browser tests need Debian's chromium (apt-get install chromium).", allow_module_level=True
    )

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@dataclass
class Site:
    """The running product and what its pages reported."""

    url: str
    log: Path
    problems: list[str] = field(default_factory=list)


@contextmanager
def served(log: Path, *, port: int | None = None, env: dict[str, str] | None = None):
    """Run `hotgigs serve` (API, worker and scheduler) until the block ends; yields the Site."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    process = start(
        ["serve", "--port", str(port)], log=log, env={"LOG_LEVEL": "info", **(env or {})}
    )

    def ready() -> bool:
        try:
            health = httpx.get(f"{url}/api/health", timeout=1).json()
        except (httpx.HTTPError, ValueError):
            return False
        return health["worker"]["status"] == "ok"

    try:
        wait_for(ready, timeout=90, what=f"hotgigs serve with a worker (log: {log})")
        yield Site(url=url, log=log)
    finally:
        # SIGTERM: serve stops its API, worker and scheduler before it exits.
        stop_gracefully(process)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests of modules with a server of their own first, then those sharing one."""
    slots = [i for i, item in enumerate(items) if Path(item.path).parent == Path(__file__).parent]
    ordered = sorted((items[i] for i in slots), key=lambda item: "site" not in vars(item.module))
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`hotgigs serve` on a free port, shared by the package's modules."""
    with served(tmp_path_factory.mktemp("serve") / "serve.log") as running:
        yield running


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; Playwright never downloads a browser of its own."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_page(site: Site, browser: Browser) -> Iterator[Callable[..., Page]]:
    """New browser windows (own cookies each) whose script errors fail the test."""
    contexts = []
    problems: list[str] = []

    def open_window(*, viewport: dict | None = None, permissions: list[str] | None = None) -> Page:
        context = browser.new_context(
            base_url=site.url, viewport=viewport or LAPTOP, permissions=permissions or []
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield open_window
    for context in contexts:
        context.close()
    assert not problems, problems


def sign_in_as(page: Page, user: User) -> Page:
    """Sign an existing user in through the sign-in form in this window."""
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/(import|admin|me)$"))
    return page


@pytest.fixture
def sign_in(open_page, make_user) -> Callable[..., tuple[Page, User]]:
    """A new user of a role, signed in through the sign-in form in a window of their own."""

    def sign_in_new(role: Role, *, viewport: dict | None = None, **window) -> tuple[Page, User]:
        user = make_user(role, f"{role.value}-{uuid.uuid4().hex[:8]}@example.com")
        return sign_in_as(open_page(viewport=viewport, **window), user), user

    return sign_in_new


@pytest.fixture
def api_as(site: Site) -> Iterator[Callable[[User], httpx.Client]]:
    """An API client for a user (bearer token), to set up data the way an integration would."""
    clients = []

    def client_for(user: User) -> httpx.Client:
        tokens = httpx.post(
            f"{site.url}/api/auth/login", data={"username": user.email, "password": PASSWORD}
        ).json()
        client = httpx.Client(
            base_url=site.url,
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
            timeout=30,
        )
        clients.append(client)
        return client

    yield client_for
    for client in clients:
        client.close()


def import_resumes(api: httpx.Client, files: dict[str, tuple[str, bytes, str]]) -> dict[str, str]:
    """Upload resumes as an integration would and wait until each is a candidate; their ids.

    `files` maps a key of the caller's choice to (file name, content, content type).
    """
    pending = {}
    for key, upload in files.items():
        answer = api.post("/api/resumes/upload", files={"file": upload})
        assert answer.status_code in (200, 202), answer.text
        pending[key] = answer.json()["resume_id"]
    ids: dict[str, str] = {}

    def all_filed() -> bool:
        for key, resume_id in list(pending.items()):
            status = api.get(f"/api/resumes/{resume_id}/status").json()
            assert status["status"] != "failed", status
            if status["status"] == "completed":
                ids[key] = status["candidate_id"]
                del pending[key]
        return not pending

    # Generous: the machine may be busy; these tests are about pages, not import speed.
    wait_for(all_filed, timeout=300, what=f"resumes to be imported: {sorted(pending)}")
    return ids


def import_resume(
    api: httpx.Client, filename: str, lines: list[str] | None = None, **facts: str
) -> str:
    """Upload one resume and wait for its candidate; the candidate id.

    The resume is a PDF of `lines`, else of the sample resume with these facts.
    """
    upload = (filename, make_pdf(lines or sample_resume(**facts)), "application/pdf")
    return import_resumes(api, {"one": upload})["one"]


def too_wide(page: Page) -> list[str]:
    """Elements that stick out past the right edge of the window (a sideways scroll)."""
    return page.evaluate(
        """() => [...document.querySelectorAll("main *")]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .map((e) => `${e.tagName}.${e.className}: ${e.getBoundingClientRect().right}`)"""
    )


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as an artefact named `name`.png."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    # From the top, so the sticky top bar is drawn where it belongs.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    return path
