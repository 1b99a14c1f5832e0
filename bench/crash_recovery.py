"""SIGKILL the worker again and again during a bulk import: what is lost, duplicated, delayed.

Usage: python bench/crash_recovery.py [--count 100] [--kills 3] [--concurrency 2]
                                      [--visibility-timeout 10]
Embedded mode by default (SQLite database and queue in a throw-away HOTGIGS_HOME); with
DATABASE_URL / REDIS_URL set, a scratch PostgreSQL database beside DATABASE_URL and Redis.

Uploads COUNT resumes of distinct people in bulk batches of 50, runs `hotgigs worker`, and
each time another 1/(KILLS+1) of the import has completed SIGKILLs the worker's whole process
group and starts a new one at once (as `hotgigs serve` would). Prints, per kill, the resumes
that were mid-way and how long until they completed; then the totals and every invariant:
all completed, one profile a person, one completion notice a resume, one notice a batch.
A message held by the killed worker comes back after QUEUE_VISIBILITY_TIMEOUT, which bounds
the time to recover (600 s by default in production; --visibility-timeout here).
Exits 1 when anything was lost or duplicated.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BATCH = 50
# A running worker with nothing left to redeliver finishes a resume well within this.
STALL_SECONDS = 60


@dataclass
class Kill:
    """One SIGKILL: when, and what it interrupted."""

    at: float
    completed_before: int
    # Resume id -> its attempts when the worker died, for those this kill caught mid-way
    # (a resume still waiting for redelivery after an earlier kill is not counted again).
    interrupted: dict[uuid.UUID, int]
    # Seconds from the SIGKILL until the next resume completed (a new worker took over) ...
    resumed_after: float | None = None
    # ... and until every resume it interrupted had completed.
    recovered_after: float | None = None


def main() -> None:
    """Set up, import under repeated kills, check and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100, help="resumes (at most 100)")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--visibility-timeout", type=int, default=10)
    args = parser.parse_args()

    from tests.support.databases import create_scratch_database, drop_scratch_database

    home = Path(tempfile.mkdtemp(prefix="hotgigs-bench-"))
    base_url = os.environ.get("DATABASE_URL") or None
    os.environ.update(
        HOTGIGS_HOME=str(home),
        ENVIRONMENT="development",
        DATABASE_URL=create_scratch_database(base_url, home, "crash"),
        REDIS_KEY_PREFIX=f"hotgigs-bench-{uuid.uuid4().hex[:8]}:",
        QUEUE_VISIBILITY_TIMEOUT=str(args.visibility_timeout),
        WORKER_HEARTBEAT_SECONDS="1",
    )
    try:
        ok = run(args, home)
    finally:
        from hotgigs.db import dispose_engine

        dispose_engine()
        drop_scratch_database(base_url, os.environ["DATABASE_URL"])
        clear_redis_keys()
        shutil.rmtree(home, ignore_errors=True)
    sys.exit(0 if ok else 1)


def run(args: argparse.Namespace, home: Path) -> bool:
    """The import under kills; True when nothing was lost or duplicated."""
    from sqlalchemy import func, select
    from tests.support.people import resume_files
    from tests.support.processes import kill_group, start, stop_gracefully

    from hotgigs import migrations
    from hotgigs.auth import service as auth_service
    from hotgigs.auth.models import Role
    from hotgigs.candidates.models import Candidate, DuplicateFlag
    from hotgigs.config import get_settings
    from hotgigs.db import session_scope
    from hotgigs.notifications.models import Notification
    from hotgigs.notifications.types import NotificationType
    from hotgigs.resumes import flows
    from hotgigs.resumes import service as resumes_service
    from hotgigs.resumes.models import FINISHED, Resume, ResumeSource, ResumeStatus

    working = (ResumeStatus.EXTRACTING, ResumeStatus.PARSING, ResumeStatus.INDEXING)

    def count(*statuses: ResumeStatus) -> int:
        with session_scope() as session:
            query = select(func.count()).select_from(Resume).where(Resume.status.in_(statuses))
            return session.scalar(query)

    def mid_way(earlier: list[Kill]) -> dict[uuid.UUID, int]:
        with session_scope() as session:
            rows = session.execute(
                select(Resume.id, Resume.attempts).where(Resume.status.in_(working))
            )
            seen = {pair for kill in earlier for pair in kill.interrupted.items()}
            return {id_: attempts for id_, attempts in rows if (id_, attempts) not in seen}

    def statuses_of(ids: set[uuid.UUID]) -> set[ResumeStatus]:
        with session_scope() as session:
            return set(session.scalars(select(Resume.status).where(Resume.id.in_(ids))))

    def notices(kind: NotificationType) -> Counter[uuid.UUID]:
        with session_scope() as session:
            query = select(Notification.subject_id).where(Notification.type == kind.value)
            return Counter(session.scalars(query))

    settings = get_settings()
    print(f"rendering {args.count} resumes of distinct people ...", flush=True)
    files = resume_files(args.count)
    migrations.upgrade()
    with session_scope() as session:
        owner = auth_service.create_user(
            session, email="bench@example.com", password="bench-password", role=Role.RECRUITER
        )
    batch_ids = []
    with session_scope() as session:
        for first in range(0, args.count, BATCH):
            batch = resumes_service.open_batch(session, owner=owner, source=ResumeSource.BULK)
            for name, data in files[first : first + BATCH]:
                flows.submit(
                    session,
                    settings=settings,
                    uploader=owner,
                    data=data,
                    filename=name,
                    source=ResumeSource.BULK,
                    batch_id=batch.id,
                )
            resumes_service.seal_batch(session, batch_id=batch.id)
            batch_ids.append(batch.id)

    worker_args = ["worker", "--concurrency", str(args.concurrency)]
    workers = [start(worker_args, log=home / "worker-0.log")]
    kills: list[Kill] = []
    targets = [args.count * n // (args.kills + 1) for n in range(1, args.kills + 1)]
    started = last_progress = time.perf_counter()
    finished_before = 0
    try:
        # One polling loop: kill when the next target is reached, and time each recovery.
        while count(*FINISHED) < args.count or len(
            notices(NotificationType.BULK_UPLOAD_COMPLETED)
        ) < len(batch_ids):
            completed = count(ResumeStatus.COMPLETED)
            now = time.perf_counter()
            if count(*FINISHED) > finished_before:
                finished_before, last_progress = count(*FINISHED), now
            elif now - last_progress > STALL_SECONDS + args.visibility_timeout:
                print(f"no progress for {STALL_SECONDS + args.visibility_timeout} s: giving up")
                break
            for kill in kills:
                if kill.resumed_after is None and completed > kill.completed_before:
                    kill.resumed_after = now - kill.at
                if kill.recovered_after is None and statuses_of(set(kill.interrupted)) <= set(
                    FINISHED
                ):
                    kill.recovered_after = now - kill.at
            if targets and completed >= targets[0]:
                targets.pop(0)
                kill_group(workers[-1])
                caught = mid_way(kills)
                kills.append(Kill(time.perf_counter(), count(ResumeStatus.COMPLETED), caught))
                workers.append(start(worker_args, log=home / f"worker-{len(kills)}.log"))
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        for kill in kills:  # what finished in the loop's last round
            kill.resumed_after = kill.resumed_after or time.perf_counter() - kill.at
            kill.recovered_after = kill.recovered_after or time.perf_counter() - kill.at
    finally:
        for worker in workers[:-1]:
            kill_group(worker)
        stop_gracefully(workers[-1])

    with session_scope() as session:
        resumes = list(session.scalars(select(Resume)))
        candidates = list(session.scalars(select(Candidate)))
        flags = session.scalar(select(func.count()).select_from(DuplicateFlag))
    failed = [r for r in resumes if r.status is ResumeStatus.FAILED]
    lost = [r for r in resumes if r.status not in FINISHED]
    profiles_per_email = Counter(c.email for c in candidates)
    duplicate_profiles = sum(n - 1 for n in profiles_per_email.values())
    completions = notices(NotificationType.RESUME_COMPLETED)
    extra_completions = sum(n - 1 for n in completions.values()) + args.count - len(completions)
    batch_notices = notices(NotificationType.BULK_UPLOAD_COMPLETED)
    # Each resume caught mid-way was run again after the kill.
    final_attempts = {r.id: r.attempts for r in resumes}
    not_rerun = [
        id_
        for kill in kills
        for id_, attempts in kill.interrupted.items()
        if final_attempts[id_] <= attempts
    ]

    mode = "scale-out (PostgreSQL + Redis)" if settings.redis_url else "embedded (SQLite)"
    if not settings.redis_url and not settings.is_sqlite:
        mode = "PostgreSQL + SQLite queue"
    print(
        f"mode: {mode}; worker concurrency {args.concurrency}; "
        f"visibility timeout {args.visibility_timeout} s"
    )
    for number, kill in enumerate(kills, 1):
        print(
            f"kill {number}: after {kill.completed_before} completed, "
            f"{len(kill.interrupted)} mid-way; next completion {kill.resumed_after:.1f} s, "
            f"interrupted ones completed {kill.recovered_after:.1f} s after the SIGKILL"
        )
    print(
        f"resumes: {len(resumes)}  completed: {len(resumes) - len(failed) - len(lost)}  "
        f"failed: {len(failed)}  never finished (lost): {len(lost)}  kills: {len(kills)}"
    )
    attempts = dict(sorted(Counter(r.attempts for r in resumes).items()))
    print(f"total time: {elapsed:.1f} s; resumes by attempts: {attempts}")
    print(
        f"candidates: {len(candidates)}  duplicates: {duplicate_profiles}  "
        f"duplicate flags: {flags}  extra completion notices: {extra_completions}  "
        f"batch notices: {sorted(batch_notices.values())} for {len(batch_ids)} batches"
    )
    ok = (
        not failed
        and not lost
        and len(resumes) == args.count
        and len(candidates) == args.count
        and duplicate_profiles == 0
        and flags == 0
        and extra_completions == 0
        and batch_notices == Counter(batch_ids)
        and not not_rerun
    )
    print("OK: nothing lost, nothing duplicated" if ok else "FAILED: see the figures above")
    return ok


def clear_redis_keys() -> None:
    """Remove this run's Redis keys, if it used Redis."""
    from hotgigs.config import get_settings

    settings = get_settings()
    if settings.redis_url:
        import redis

        client = redis.Redis.from_url(settings.redis_url)
        for key in client.scan_iter(match=f"{settings.redis_key_prefix}*"):
            client.delete(key)


if __name__ == "__main__":
    main()
