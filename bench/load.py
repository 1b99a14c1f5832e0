"""Load: many signed-in users doing a recruiter's day of requests against `hotgigs serve`.

Usage: python bench/load.py [--users 200] [--duration 60] [--seed-candidates 300]
                            [--recruiters 10] [--think 1.0] [--short] [--json PATH]
                            [--database-url postgresql+psycopg://...] [--redis-url redis://...]

Starts `hotgigs serve` (API, worker and scheduler) on a free port with a fresh HOTGIGS_HOME:
SQLite database and queue by default; with --database-url a scratch PostgreSQL database
made beside it (dropped afterwards), with --redis-url Redis for the queue and live updates
(under a private key prefix, deleted afterwards).

Set-up, over HTTP like any client: an admin (made with `hotgigs users create`) creates the
recruiters; each recruiter bulk-uploads its share of real resumes (the labelled resume texts
rendered to PDF and DOCX) and the worker imports them; each recruiter posts two jobs and the
worker matches them. Then every user signs in once, with a login of its own (users are
spread over the recruiters' accounts, like a team on several devices).

Then the clock starts. Each user repeats: pick a request by the weights of KINDS, wait for
the answer, think (exponentially distributed, --think seconds on average, so about
users / think requests a second are offered), until --duration is over. Uploads are new
resume files that the worker imports while the load runs.

Prints requests, throughput, p50/p95/p99 milliseconds overall and per kind of request, and
errors (any answer that is not 2xx, or no answer at all) by kind and status. The load
generator shares the machine with the server. --short is the test suite's form: 20 users
for 10 s on 30 candidates. --json PATH also writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvloop

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

from import_throughput import DEFAULT_DATA, render  # noqa: E402  (resume files)
from tests.support.databases import create_scratch_database, drop_scratch_database  # noqa: E402
from tests.support.processes import free_port  # noqa: E402

PASSWORD = "load-bench-password"
SHORT = {"users": 20, "duration": 10.0, "seed_candidates": 30, "recruiters": 3}
BULK_CHUNK = 50  # files a bulk upload (the server's default BULK_UPLOAD_LIMIT)
SETUP_CONCURRENCY = 4  # requests at once during set-up (logins hash passwords: CPU-bound)
REQUEST_TIMEOUT = 60.0
QUEUE_IDLE_POLLS = 4  # half a second apart: the last task taken has finished too
UPLOADS_SETTLE_SECONDS = 120.0  # how long to wait for the run's uploads to be imported

# A recruiter's day, by weight: mostly searching and reading profiles, checking a job's
# matches and the bell, now and then a note or a new resume.
KINDS = {
    "search": 32,
    "profile": 27,
    "matches": 15,
    "notifications": 12,
    "jobs": 7,
    "note": 5,
    "upload": 2,
}
SEARCHES = (
    {"q": "java"},
    {"q": "python developer"},
    {"q": "sql server"},
    {"q": "testing"},
    {"q": "oracle"},
    {"q": "software engineer"},
    {"q": "sap"},
    {"q": "network"},
    {"q": "manager"},
    {"q": "jav"},
    {"skills": ["java"]},
    {"any_skills": ["python", "sql"]},
    {"q": "developer", "location": "bengaluru"},
    {"q": "engineer", "min_years": 2},
    {"location": "pune"},
    {"degree": "bachelor", "q": "engineer"},
    {"sort": "date"},
    {"sort": "date", "q": "java"},
    {},
)
JOBS = (
    {
        "title": "Java Developer",
        "description": "Build banking services in Java with Spring and SQL on Oracle.",
        "required_skills": ["Java", "SQL"],
        "preferred_skills": ["Spring", "Oracle", "Hibernate"],
        "min_years": 2,
        "education": "bachelor",
        "location": "Bengaluru, Karnataka",
    },
    {
        "title": "Python Developer",
        "description": "Automate data pipelines in Python; SQL, Linux and AWS a plus.",
        "required_skills": ["Python"],
        "preferred_skills": ["SQL", "Linux", "AWS"],
        "min_years": 1,
        "location": "Pune, Maharashtra",
    },
    {
        "title": "QA Engineer",
        "description": "Manual and automation testing with Selenium; JIRA, SQL.",
        "required_skills": ["Selenium", "Testing"],
        "preferred_skills": ["SQL", "JIRA", "Java"],
        "location": "Hyderabad, Telangana",
    },
    {
        "title": "Oracle Database Administrator",
        "description": "Run Oracle databases: SQL, PL/SQL, backup, performance tuning on Linux.",
        "required_skills": ["Oracle", "SQL"],
        "preferred_skills": ["PL/SQL", "Linux"],
        "min_years": 3,
        "location": "Chennai, Tamil Nadu",
    },
    {
        "title": "SAP Consultant",
        "description": "SAP implementation and support; ABAP, business analysis.",
        "required_skills": ["SAP"],
        "preferred_skills": ["ABAP", "Business Analysis"],
        "remote": True,
    },
)


# ------------------------------------------------------------------------------------ set-up


@dataclass
class Recruiter:
    """A recruiter account and what it owns."""

    email: str
    token: str = ""
    candidate_ids: list[str] = field(default_factory=list)
    job_ids: list[str] = field(default_factory=list)


@dataclass
class User:
    """One simulated person: a login of its own on a recruiter's account, and a client.

    Each user has a client (its own connection, as each person has a browser): one client
    shared by 200 users spent more CPU choosing among its pooled connections than the
    server spent answering.
    """

    number: int
    recruiter: Recruiter
    client: httpx.AsyncClient | None = None


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}


def checked(response: httpx.Response, what: str) -> Any:
    """The JSON of a set-up answer, or stop with what went wrong."""
    if not response.is_success:
        raise RuntimeError(f"set-up failed: {what}: {response.status_code} {response.text[:300]}")
    return response.json() if response.content else None


async def gather_limited(calls: list[Callable[[], Awaitable[Any]]], limit: int) -> list[Any]:
    """Run the calls at most `limit` at a time, in order of the answers' list."""
    gate = asyncio.Semaphore(limit)

    async def run(call: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await call()

    return await asyncio.gather(*(run(call) for call in calls))


async def login(client: httpx.AsyncClient, email: str, paced: Counter) -> str:
    """Sign in, waiting out a 429 (login rate limiting) as long as the server asks."""
    while True:
        response = await client.post(
            "/api/auth/login", data={"username": email, "password": PASSWORD}
        )
        if response.status_code != 429:
            return checked(response, f"login of {email}")["access_token"]
        paced["429"] += 1
        await asyncio.sleep(float(response.headers.get("Retry-After", "1")))


async def seed(
    client: httpx.AsyncClient, admin_token: str, recruiters: list[Recruiter], files: list
) -> None:
    """Recruiters post jobs, then import their share of the resumes, which get matched."""
    paced: Counter = Counter()
    started = time.monotonic()
    for number, recruiter in enumerate(recruiters):
        checked(
            await client.post(
                "/api/auth/users",
                headers=bearer(admin_token),
                json={"email": recruiter.email, "password": PASSWORD, "role": "recruiter"},
            ),
            f"creating {recruiter.email}",
        )
        recruiter.token = await login(client, recruiter.email, paced)
        for job in (JOBS[number % len(JOBS)], JOBS[(number + 1) % len(JOBS)]):
            created = checked(
                await client.post("/api/jobs", headers=bearer(recruiter.token), json=job),
                "posting a job",
            )
            recruiter.job_ids.append(created["id"])
    uploads = []
    for number, recruiter in enumerate(recruiters):
        share = files[number :: len(recruiters)]
        for start in range(0, len(share), BULK_CHUNK):
            chunk = share[start : start + BULK_CHUNK]
            uploads.append((recruiter, [("files", (name, data)) for name, data in chunk]))
    await gather_limited(
        [lambda r=recruiter, f=chunk: _bulk_upload(client, r, f) for recruiter, chunk in uploads],
        SETUP_CONCURRENCY,
    )
    resumes = await _wait_for_imports(client, admin_token, len(files))
    for recruiter in recruiters:
        recruiter.candidate_ids = await _candidate_ids(client, recruiter)
    matched = await _wait_for_matches(client, admin_token, recruiters)
    print(
        f"{len(recruiters)} recruiters posted {sum(len(r.job_ids) for r in recruiters)} jobs and "
        f"imported {resumes['completed']} resumes ({resumes['failed']} failed); "
        f"{matched} matches stored; {time.monotonic() - started:.0f} s",
        flush=True,
    )


async def _bulk_upload(client: httpx.AsyncClient, recruiter: Recruiter, files: list) -> None:
    """One bulk upload of a recruiter's files."""
    checked(
        await client.post("/api/resumes/bulk-upload", headers=bearer(recruiter.token), files=files),
        "bulk upload",
    )


async def _wait_for_imports(client: httpx.AsyncClient, admin_token: str, count: int) -> dict:
    """Poll the admin overview until every resume is completed or failed."""
    deadline = time.monotonic() + max(300, count * 2)
    while time.monotonic() < deadline:
        stats = checked(await client.get("/api/admin/stats", headers=bearer(admin_token)), "stats")
        by_status = stats["resumes"]["by_status"]
        if by_status["completed"] + by_status["failed"] >= count:
            return by_status
        await asyncio.sleep(1)
    raise RuntimeError(f"set-up failed: resumes still importing after the deadline: {by_status}")


async def _candidate_ids(client: httpx.AsyncClient, recruiter: Recruiter) -> list[str]:
    """Every candidate the recruiter owns (the ids its users open)."""
    ids, cursor = [], None
    while True:
        params = {"limit": 200, "sort": "date", **({"cursor": cursor} if cursor else {})}
        page = checked(
            await client.get(
                "/api/resumes/candidates", headers=bearer(recruiter.token), params=params
            ),
            "listing candidates",
        )
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return ids


async def _wait_for_matches(
    client: httpx.AsyncClient, admin_token: str, recruiters: list[Recruiter]
) -> int:
    """Wait until the queue has stayed empty a while (matching done); the matches stored."""
    deadline, idle_polls = time.monotonic() + 300, 0
    while idle_polls < QUEUE_IDLE_POLLS:
        if time.monotonic() > deadline:
            raise RuntimeError("set-up failed: the queue did not empty before the deadline")
        await asyncio.sleep(0.5)
        stats = checked(await client.get("/api/admin/stats", headers=bearer(admin_token)), "stats")
        idle_polls = idle_polls + 1 if stats["queue"].get("waiting") == 0 else 0
    matched = 0
    for recruiter in recruiters:
        for job_id in recruiter.job_ids:
            page = checked(
                await client.get(
                    f"/api/matching/jobs/{job_id}/matches",
                    headers=bearer(recruiter.token),
                    params={"limit": 1},
                ),
                "job matches",
            )
            matched += page["total"]
    return matched


# ------------------------------------------------------------------------------- the load


@dataclass
class Outcome:
    """One request of the run."""

    kind: str
    status: str  # the HTTP status, or the exception's name when there was no answer
    milliseconds: float
    ok: bool


class Workload:
    """The requests a user can make; each returns the answer for the outcome to judge."""

    def __init__(self, uploads: list[tuple[str, bytes]]) -> None:
        self.uploads = itertools.cycle(uploads)  # past the end: the same files again
        self.uploaded: list[str] = []  # resume ids, to follow after the run

    async def search(self, user: User, rng: random.Random) -> httpx.Response:
        """The candidate list with words, filters or a sort, a page of 20."""
        params = {"limit": 20, **rng.choice(SEARCHES)}
        return await user.client.get("/api/resumes/candidates", params=params)

    async def profile(self, user: User, rng: random.Random) -> httpx.Response:
        """Open one of the recruiter's candidates (the view is logged)."""
        candidate_id = rng.choice(user.recruiter.candidate_ids)
        return await user.client.get(f"/api/resumes/candidates/{candidate_id}")

    async def matches(self, user: User, rng: random.Random) -> httpx.Response:
        """The best candidates for one of the recruiter's jobs."""
        job_id = rng.choice(user.recruiter.job_ids)
        return await user.client.get(f"/api/matching/jobs/{job_id}/matches")

    async def notifications(self, user: User, rng: random.Random) -> httpx.Response:
        """The bell's dropdown: the newest notifications and the unread count."""
        return await user.client.get("/api/notifications", params={"limit": 10})

    async def jobs(self, user: User, rng: random.Random) -> httpx.Response:
        """The jobs page."""
        return await user.client.get("/api/jobs")

    async def note(self, user: User, rng: random.Random) -> httpx.Response:
        """A note on a candidate after a call."""
        candidate_id = rng.choice(user.recruiter.candidate_ids)
        return await user.client.post(
            f"/api/resumes/candidates/{candidate_id}/notes",
            json={"content": f"Called on day {rng.randint(1, 30)}: interested, notice 30 days."},
        )

    async def upload(self, user: User, rng: random.Random) -> httpx.Response:
        """A new resume file (a known one again, answered 200, once the new ones run out)."""
        name, data = next(self.uploads)
        response = await user.client.post("/api/resumes/upload", files={"file": (name, data)})
        if response.status_code == 202:
            self.uploaded.append(response.json()["resume_id"])
        return response


async def simulate(
    user: User, workload: Workload, args: argparse.Namespace, until: float, out: list[Outcome]
) -> None:
    """One user's session: request, read, think, until the time is up."""
    rng = random.Random(user.number)
    kinds, weights = list(KINDS), list(KINDS.values())
    # Users start on different kinds, so even the shortest run makes every kind of request.
    kind = kinds[user.number % len(kinds)]
    await asyncio.sleep(rng.uniform(0, args.think))  # people do not all click at once
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await getattr(workload, kind)(user, rng)
            status, ok = str(response.status_code), response.is_success
        except httpx.HTTPError as exc:
            status, ok = type(exc).__name__, False
        out.append(Outcome(kind, status, (time.perf_counter() - started) * 1000, ok))
        kind = rng.choices(kinds, weights)[0]
        await asyncio.sleep(min(rng.expovariate(1 / args.think), until - time.monotonic()))


async def follow_uploads(client: httpx.AsyncClient, admin_token: str, ids: list[str]) -> Counter:
    """After the run: how the resumes uploaded during it ended (waiting a while for them)."""
    deadline = time.monotonic() + UPLOADS_SETTLE_SECONDS
    while True:
        answers = await gather_limited(
            [
                lambda i=resume_id: client.get(
                    f"/api/resumes/{i}/status", headers=bearer(admin_token)
                )
                for resume_id in ids
            ],
            SETUP_CONCURRENCY,
        )
        ends = Counter(checked(a, "resume status")["status"] for a in answers)
        if ends["completed"] + ends["failed"] == len(ids) or time.monotonic() > deadline:
            return ends
        await asyncio.sleep(1)


async def measure(url: str, args: argparse.Namespace, files: dict[str, list]) -> dict:
    """Set up, sign everyone in, run the load, follow the uploads; the figures."""
    async with (
        httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) as client,
        contextlib.AsyncExitStack() as clients,
    ):
        paced: Counter = Counter()
        admin_token = await login(client, "admin@load.example.com", paced)
        recruiters = [Recruiter(f"recruiter{n}@load.example.com") for n in range(args.recruiters)]
        await seed(client, admin_token, recruiters, files["seed"])
        users = [User(n, recruiters[n % len(recruiters)]) for n in range(args.users)]
        started = time.monotonic()
        tokens = await gather_limited(
            [lambda u=user: login(client, u.recruiter.email, paced) for user in users],
            SETUP_CONCURRENCY,
        )
        for user, token in zip(users, tokens, strict=True):
            user.client = await clients.enter_async_context(
                httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT, headers=bearer(token))
            )
        print(
            f"{len(users)} users signed in in {time.monotonic() - started:.1f} s "
            f"(429 answers waited out: {paced['429']}); running for {args.duration:.0f} s",
            flush=True,
        )
        workload = Workload(files["uploads"])
        outcomes: list[Outcome] = []
        load_before = os.getloadavg()
        gc.disable()  # the clients are the instrument: keep their own pauses out of the figures
        try:
            started = time.monotonic()
            until = started + args.duration
            await asyncio.gather(
                *(simulate(user, workload, args, until, outcomes) for user in users)
            )
            elapsed = time.monotonic() - started
        finally:
            gc.enable()
        load_after = os.getloadavg()
        uploads = await follow_uploads(client, admin_token, workload.uploaded)
    return {
        "outcomes": outcomes,
        "elapsed": elapsed,
        "uploads": uploads,
        "load_before": load_before,
        "load_after": load_after,
    }


# ----------------------------------------------------------------------------- reporting


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95 and p99 of milliseconds."""
    if len(values) < 2:
        value = values[0] if values else float("nan")
        return {"p50": value, "p95": value, "p99": value}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def summarise(result: dict, args: argparse.Namespace, mode: str) -> dict:
    """The figures of a run, ready to print or save."""
    outcomes: list[Outcome] = result["outcomes"]
    by_kind: dict[str, list[float]] = {}
    for outcome in outcomes:
        by_kind.setdefault(outcome.kind, []).append(outcome.milliseconds)
    errors = Counter(f"{o.kind} {o.status}" for o in outcomes if not o.ok)
    return {
        "mode": mode,
        "users": args.users,
        "duration": result["elapsed"],
        "think_seconds": args.think,
        "seed_candidates": args.seed_candidates,
        "mix": KINDS,
        "requests": len(outcomes),
        "throughput": len(outcomes) / result["elapsed"],
        "overall": percentiles([o.milliseconds for o in outcomes]),
        "kinds": {
            kind: {"requests": len(values), **percentiles(values)}
            for kind, values in sorted(by_kind.items(), key=lambda item: -len(item[1]))
        },
        "errors": sum(errors.values()),
        "errors_by_kind_and_status": dict(errors.most_common()),
        "uploads_after_run": dict(result["uploads"]),
        "load_average_before": result["load_before"],
        "load_average_after": result["load_after"],
    }


def report(summary: dict) -> None:
    """Print the figures."""
    print(
        f"\n{summary['mode']}: {summary['users']} users, {summary['duration']:.0f} s, think "
        f"{summary['think_seconds']} s on average, {summary['seed_candidates']} seeded candidates"
    )
    print(
        f"requests {summary['requests']}, throughput {summary['throughput']:.1f} req/s, "
        f"errors {summary['errors']}"
    )
    print(f"{'kind':14} {'requests':>8}  {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    rows = [
        *summary["kinds"].items(),
        ("all", {"requests": summary["requests"], **summary["overall"]}),
    ]
    for kind, figures in rows:
        print(
            f"{kind:14} {figures['requests']:8}  {figures['p50']:8.1f} {figures['p95']:8.1f} "
            f"{figures['p99']:8.1f}"
        )
    for what, count in summary["errors_by_kind_and_status"].items():
        print(f"error: {what} x {count}")
    uploads = summary["uploads_after_run"]
    print(f"resumes uploaded during the run, after it: {uploads or 'none uploaded'}")
    print(
        "load average (1, 5, 15 min) before the run "
        + " ".join(f"{v:.2f}" for v in summary["load_average_before"])
        + ", after "
        + " ".join(f"{v:.2f}" for v in summary["load_average_after"])
    )


# -------------------------------------------------------------------------------- server


@contextlib.contextmanager
def running_server(args: argparse.Namespace) -> Iterator[str]:
    """`hotgigs serve` on a free port with its own home (and database, and key prefix)."""
    home = Path(tempfile.mkdtemp(prefix="hotgigs-load-"))
    prefix = f"hotgigs-load-{uuid.uuid4().hex[:8]}:"
    database_url = create_scratch_database(args.database_url, home, "load")
    env = {
        **os.environ,
        "HOTGIGS_HOME": str(home),
        "ENVIRONMENT": "development",
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis_url or "",
        "REDIS_KEY_PREFIX": prefix,
    }
    port = free_port()
    log = home / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "hotgigs", "serve", "--port", str(port)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, server, log)
        subprocess.run(
            [
                *(sys.executable, "-m", "hotgigs", "users", "create", "--role", "admin"),
                *("--email", "admin@load.example.com", "--password", PASSWORD),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        drop_scratch_database(args.database_url, database_url)
        if args.redis_url:
            import redis

            client = redis.Redis.from_url(args.redis_url)
            for key in client.scan_iter(match=f"{prefix}*"):
                client.delete(key)
            client.close()
        shutil.rmtree(home, ignore_errors=True)


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    """Poll the health check until the API answers; stop if the server gave up."""
    deadline = time.monotonic() + 120
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError(f"hotgigs serve did not come up:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


def main() -> None:
    """Render files, start the server, seed, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--seed-candidates", type=int, default=300)
    parser.add_argument("--recruiters", type=int, default=10, help="accounts the users share")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between clicks")
    parser.add_argument("--short", action="store_true", help="20 users, 10 s, 30 candidates")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled resume texts")
    parser.add_argument("--database-url", help="PostgreSQL server to make a scratch database on")
    parser.add_argument("--redis-url", help="Redis for the queue and live updates")
    args = parser.parse_args()
    if args.short:
        for name, value in SHORT.items():
            setattr(args, name, value)

    # Uploads during the run: about users / think clicks a second, KINDS["upload"] of them.
    expected = args.users / args.think * args.duration * KINDS["upload"] / sum(KINDS.values())
    started = time.monotonic()
    files = {
        "seed": render(args.seed_candidates, args.data),
        "uploads": render(int(expected * 1.5) + 10, args.data, offset=args.seed_candidates),
    }
    print(
        f"rendered {len(files['seed'])} + {len(files['uploads'])} resumes (PDF and DOCX) in "
        f"{time.monotonic() - started:.0f} s",
        flush=True,
    )
    mode = (
        "scale-out (PostgreSQL + Redis)"
        if args.database_url and args.redis_url
        else f"{'PostgreSQL' if args.database_url else 'SQLite'} database, "
        f"{'Redis' if args.redis_url else 'SQLite'} queue"
    )
    with running_server(args) as url:
        result = uvloop.run(measure(url, args, files))
    summary = summarise(result, args, mode)
    report(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
