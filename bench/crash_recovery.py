"""Kill the worker, or take Redis away, again and again during a bulk import: what is lost,
duplicated, delayed.

Usage: python bench/crash_recovery.py [--count 100] [--kills 3] [--outages 0]
                                      [--outage-seconds 20] [--concurrency 2]
                                      [--visibility-timeout 600] [--consumer-timeout 30]
Embedded mode by default (SQLite database and queue in a throw-away HOTGIGS_HOME); with
DATABASE_URL / REDIS_URL set, a scratch PostgreSQL database beside DATABASE_URL and Redis.
With --outages, the queue is a private Redis of the bench's own (append-only file, so it
comes back with what it held, as a restarted or failed-over Redis does) and REDIS_URL must
be set.

Uploads COUNT resumes of distinct people in bulk batches of 50, runs `hotgigs worker`, and
each time another share of the import has completed disrupts it: a kill SIGKILLs the
worker's whole process group and starts a new one at once (as `hotgigs serve` would); an
outage SIGKILLs Redis and starts it again OUTAGE_SECONDS later, the worker living on. Prints,
per disruption, the resumes whose task the worker held (delivered, unacknowledged: running
or prefetched) and how long after the worker (or Redis) was back they had all completed; then
the totals and every invariant: all completed, one profile a person, one completion notice a
resume, one notice a batch. A held task comes back once its worker has been silent for
QUEUE_CONSUMER_TIMEOUT, long before QUEUE_VISIBILITY_TIMEOUT (600 s, as in production).
Exits 1 when anything was lost or duplicated, or a held resume took over 60 s to complete.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BATCH = 50
# A running worker with nothing left to redeliver finishes a resume well within this.
STALL_SECONDS = 60
# The target: every held resume completes within this of the worker (or Redis) being back.
RECOVERY_TARGET_SECONDS = 60


@dataclass
class Disruption:
    """One kill or outage: when, and what the worker held then."""

    kind: str  # "kill" or "outage"
    at: float
    completed_before: int
    # Resumes whose task the worker held (delivered, not acknowledged) when it was disrupted.
    held: set[uuid.UUID]
    # Resume id -> its attempts then, for those caught mid-way (a resume still waiting for
    # redelivery after an earlier disruption is not counted again).
    interrupted: dict[uuid.UUID, int]
    # When the new worker started (kill) or Redis answered again (outage).
    back_at: float | None = None
    # Seconds from back_at until the next resume completed ...
    resumed_after: float | None = None
    # ... and until every held resume had completed.
    recovered_after: float | None = None
    notes: list[str] = field(default_factory=list)


def main() -> None:
    """Set up, import under repeated kills, check and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100, help="resumes (at most 100)")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--outages", type=int, default=0, help="Redis outages (needs REDIS_URL)")
    parser.add_argument("--outage-seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--visibility-timeout", type=int, default=600)
    parser.add_argument("--consumer-timeout", type=float, default=30)
    args = parser.parse_args()
    if args.outages and not os.environ.get("REDIS_URL"):
        parser.error("--outages takes Redis away: set REDIS_URL (the bench runs its own Redis)")

    from tests.support.databases import create_scratch_database, drop_scratch_database
    from tests.support.services import private_redis

    home = Path(tempfile.mkdtemp(prefix="hotgigs-bench-"))
    base_url = os.environ.get("DATABASE_URL") or None
    os.environ.update(
        HOTGIGS_HOME=str(home),
        ENVIRONMENT="development",
        DATABASE_URL=create_scratch_database(base_url, home, "crash"),
        REDIS_KEY_PREFIX=f"hotgigs-bench-{uuid.uuid4().hex[:8]}:",
        QUEUE_VISIBILITY_TIMEOUT=str(args.visibility_timeout),
        QUEUE_CONSUMER_TIMEOUT=str(args.consumer_timeout),
        WORKER_HEARTBEAT_SECONDS="1",
    )
    ok = False
    try:
        with private_redis(persistent=True) if args.outages else contextlib.nullcontext() as redis:
            if redis is not None:
                os.environ["REDIS_URL"] = redis.url
            ok = run(args, home, redis)
    finally:
        from hotgigs.db import dispose_engine

        dispose_engine()
        drop_scratch_database(base_url, os.environ["DATABASE_URL"])
        clear_redis_keys()
        if ok:
            shutil.rmtree(home, ignore_errors=True)
        else:
            print(f"the workers' logs are kept in {home}")
    sys.exit(0 if ok else 1)


def run(args: argparse.Namespace, home: Path, redis_server) -> bool:
    """The import under disruptions; True when nothing was lost or duplicated, in time."""
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

    def mid_way(earlier: list[Disruption]) -> dict[uuid.UUID, int]:
        with session_scope() as session:
            rows = session.execute(
                select(Resume.id, Resume.attempts).where(Resume.status.in_(working))
            )
            seen = {pair for event in earlier for pair in event.interrupted.items()}
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
    # The scheduler runs beside the workers, as `hotgigs serve` runs it (the stranded sweep).
    beat = start(["beat"], log=home / "beat.log")
    events: list[Disruption] = []
    # Kills and outages take turns.
    turns = itertools.zip_longest(["kill"] * args.kills, ["outage"] * args.outages)
    plan = [kind for pair in turns for kind in pair if kind]
    targets = [args.count * n // (len(plan) + 1) for n in range(1, len(plan) + 1)]
    redis_back_at: float | None = None
    started = last_progress = time.perf_counter()
    finished_before = 0
    try:
        # One polling loop: disrupt when the next target is reached, and time each recovery.
        while count(*FINISHED) < args.count or len(
            notices(NotificationType.BULK_UPLOAD_COMPLETED)
        ) < len(batch_ids):
            completed = count(ResumeStatus.COMPLETED)
            now = time.perf_counter()
            if redis_back_at is not None and now >= redis_back_at:
                redis_server.start()
                events[-1].back_at, redis_back_at = time.perf_counter(), None
            if count(*FINISHED) > finished_before or redis_back_at is not None:
                finished_before, last_progress = count(*FINISHED), now
            elif now - last_progress > STALL_SECONDS + args.consumer_timeout:
                print(f"no progress for {STALL_SECONDS + args.consumer_timeout} s: giving up")
                break
            for event in events:
                if event.back_at is None:
                    continue
                if event.resumed_after is None and completed > event.completed_before:
                    event.resumed_after = now - event.back_at
                if event.recovered_after is None and statuses_of(event.held) <= set(FINISHED):
                    event.recovered_after = now - event.back_at
            # An outage waits for every recovery before it, and a kill for an outage's, so each
            # is timed on its own; kills may overlap (each starts a worker of its own).
            pending = {event.kind for event in events if event.recovered_after is None}
            free = not pending or (plan and plan[0] == "kill" and pending == {"kill"})
            if targets and completed >= targets[0] and redis_back_at is None and free:
                targets.pop(0)
                kind = plan.pop(0)
                held = held_resumes()
                if kind == "kill":
                    kill_group(workers[-1])
                else:
                    redis_server.kill()
                at = time.perf_counter()
                caught = mid_way(events)
                event = Disruption(kind, at, count(ResumeStatus.COMPLETED), held, caught)
                events.append(event)
                if kind == "kill":
                    workers.append(start(worker_args, log=home / f"worker-{len(events)}.log"))
                    event.back_at = time.perf_counter()
                else:
                    redis_back_at = at + args.outage_seconds
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        for event in events:  # what finished in the loop's last round
            back = event.back_at or time.perf_counter()
            event.resumed_after = event.resumed_after or time.perf_counter() - back
            event.recovered_after = event.recovered_after or time.perf_counter() - back
    finally:
        kill_group(beat)
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
    # Each resume caught mid-way by a kill was run again after it.
    final_attempts = {r.id: r.attempts for r in resumes}
    not_rerun = [
        id_
        for event in events
        if event.kind == "kill"
        for id_, attempts in event.interrupted.items()
        if final_attempts[id_] <= attempts
    ]

    mode = "scale-out (PostgreSQL + Redis)" if settings.redis_url else "embedded (SQLite)"
    if not settings.redis_url and not settings.is_sqlite:
        mode = "PostgreSQL + SQLite queue"
    print(
        f"mode: {mode}; worker concurrency {args.concurrency}; visibility timeout "
        f"{args.visibility_timeout} s; consumer timeout {args.consumer_timeout:g} s"
    )
    for number, event in enumerate(events, 1):
        what = (
            "SIGKILL of the worker"
            if event.kind == "kill"
            else (f"Redis down {args.outage_seconds:g} s")
        )
        print(
            f"{number}. {what} after {event.completed_before} completed: it held "
            f"{len(event.held)} resumes ({len(event.interrupted)} mid-way); after the "
            f"{'new worker started' if event.kind == 'kill' else 'Redis was back'}, the next "
            f"completion came in {event.resumed_after:.1f} s and the held ones had all "
            f"completed in {event.recovered_after:.1f} s"
        )
    if plan:
        print(f"the import ended before {len(plan)} more disruptions (--concurrency 1 is slower)")
    slowest = max((event.recovered_after for event in events), default=0.0)
    print(
        f"resumes: {len(resumes)}  completed: {len(resumes) - len(failed) - len(lost)}  "
        f"failed: {len(failed)}  never finished (lost): {len(lost)}  disruptions: {len(events)}"
    )
    attempts = dict(sorted(Counter(r.attempts for r in resumes).items()))
    print(f"total time: {elapsed:.1f} s; resumes by attempts: {attempts}")
    print(
        f"candidates: {len(candidates)}  duplicates: {duplicate_profiles}  "
        f"duplicate flags: {flags}  extra completion notices: {extra_completions}  "
        f"batch notices: {sorted(batch_notices.values())} for {len(batch_ids)} batches"
    )
    print(f"slowest recovery: {slowest:.1f} s (target: {RECOVERY_TARGET_SECONDS} s)")
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
    if slowest > RECOVERY_TARGET_SECONDS:
        print(f"FAILED: a held resume waited over {RECOVERY_TARGET_SECONDS} s")
    return ok and slowest <= RECOVERY_TARGET_SECONDS


def held_resumes() -> set[uuid.UUID]:
    """Resumes whose task is delivered to a worker and not yet acknowledged, as the queue
    itself says (what the stranded-resume sweep asks too)."""
    from hotgigs import background

    return {uuid.UUID(arg) for arg in background.held_task_arguments(background.PROCESS_RESUME)}


def clear_redis_keys() -> None:
    """Remove this run's Redis keys, if it used Redis."""
    from hotgigs.config import get_settings

    settings = get_settings()
    if settings.redis_url:
        import redis

        client = redis.Redis.from_url(settings.redis_url)
        with contextlib.suppress(redis.ConnectionError):  # the bench's own Redis is gone
            for key in client.scan_iter(match=f"{settings.redis_key_prefix}*"):
                client.delete(key)


if __name__ == "__main__":
    main()
