"""End-to-end import throughput: render resumes to PDF/DOCX, import through the real queue.

Usage: python bench/import_throughput.py [--count 300] [--data PATH]
Embedded mode by default (SQLite database and queue in a throw-away HOTGIGS_HOME); set
DATABASE_URL / REDIS_URL to measure the scale-out stack. Prints resumes per minute and the
p50/p95 time from upload to completed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "resumes-labelled" / "dotin-train.jsonl"


def one_at_a_time(flows, settings, owner, files: list[tuple[str, bytes]]) -> list[float]:
    """Upload -> completed in ms for resumes sent one by one to an idle worker."""
    from hotgigs.db import session_scope
    from hotgigs.resumes.models import Resume, ResumeSource, ResumeStatus

    timings = []
    for name, data in files:
        started = time.perf_counter()
        with session_scope() as session:
            resume_id = flows.submit(
                session,
                settings=settings,
                uploader=owner,
                data=data,
                filename=name,
                source=ResumeSource.UPLOAD,
            ).resume.id
        while True:
            with session_scope() as session:
                if session.get(Resume, resume_id).status in (
                    ResumeStatus.COMPLETED,
                    ResumeStatus.FAILED,
                ):
                    break
            time.sleep(0.005)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def render(count: int, data: Path, *, offset: int = 0) -> list[tuple[str, bytes]]:
    """`count` documents, alternating PDF and DOCX, from the labelled resume texts."""
    sys.path.insert(0, str(REPO))
    from tests.support import documents

    texts = [json.loads(line)["text"] for line in data.read_text().splitlines() if line.strip()]
    files = []
    for i in range(offset, offset + count):
        lines = [*texts[i % len(texts)].splitlines(), f"Reference {i}"]  # unique content
        if i % 2:
            files.append((f"resume-{i}.docx", documents.make_docx(lines)))
        else:
            files.append((f"resume-{i}.pdf", documents.make_pdf(lines)))
    return files


def main() -> None:
    """Render, import, wait, report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="hotgigs-bench-"))
    os.environ.setdefault("HOTGIGS_HOME", str(home))
    os.environ.setdefault("ENVIRONMENT", "development")

    from sqlalchemy import select

    from hotgigs import migrations
    from hotgigs.auth import service as auth_service
    from hotgigs.auth.models import Role
    from hotgigs.config import get_settings
    from hotgigs.db import session_scope
    from hotgigs.resumes import flows
    from hotgigs.resumes.models import Resume, ResumeSource, ResumeStatus

    print(f"rendering {args.count} resumes (PDF and DOCX) ...", flush=True)
    files = render(args.count, args.data)
    settings = get_settings()
    migrations.upgrade()
    with session_scope() as session:
        owner = auth_service.create_user(
            session, email="bench@example.com", password="bench-password", role=Role.RECRUITER
        )
    worker = subprocess.Popen(
        [sys.executable, "-m", "hotgigs", "worker", "--concurrency", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(3)  # let the worker connect before the clock starts
        started = time.perf_counter()
        with session_scope() as session:
            for name, data in files:
                flows.submit(
                    session,
                    settings=settings,
                    uploader=owner,
                    data=data,
                    filename=name,
                    source=ResumeSource.BULK,
                )
        submitted = time.perf_counter() - started
        finished = (ResumeStatus.COMPLETED, ResumeStatus.FAILED)
        while True:
            with session_scope() as session:
                resumes = list(session.scalars(select(Resume)))
            if all(r.status in finished for r in resumes):
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        idle_ms = one_at_a_time(flows, settings, owner, render(20, args.data, offset=args.count))
    finally:
        worker.terminate()
        worker.wait(timeout=60)

    failed = [r for r in resumes if r.status is ResumeStatus.FAILED]
    latency = sorted((r.completed_at - r.created_at).total_seconds() * 1000 for r in resumes)
    processing = sorted((r.completed_at - r.started_at).total_seconds() * 1000 for r in resumes)
    q_latency = statistics.quantiles(latency, n=100)
    q_processing = statistics.quantiles(processing, n=100)
    reasons = {}
    for resume in failed:
        reasons[resume.error_code] = reasons.get(resume.error_code, 0) + 1
    mode = "scale-out" if settings.redis_url else "embedded (SQLite database and queue)"
    print(f"mode: {mode}; worker concurrency 2; {len(resumes)} resumes, {len(failed)} failed")
    if reasons:
        print(f"failures by reason: {reasons}; e.g. {failed[0].error}")
    print(f"uploads stored and queued in {submitted:.1f} s")
    print(f"throughput: {len(resumes) / elapsed * 60:.0f} resumes/minute end to end")
    print(f"burst, upload -> completed ms: p50 {q_latency[49]:.0f}  p95 {q_latency[94]:.0f}")
    q_idle = statistics.quantiles(idle_ms, n=20)
    print(f"one at a time, upload -> completed ms: p50 {q_idle[9]:.0f}  p95 {q_idle[18]:.0f}")
    print(f"processing per resume ms: p50 {q_processing[49]:.0f}  p95 {q_processing[94]:.0f}")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
