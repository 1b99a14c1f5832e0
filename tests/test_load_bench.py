"""The load benchmark's short form: many signed-in users on a real `hotgigs serve`, no errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hotgigs.config import get_settings
from tests.support.databases import is_postgres
from tests.support.people import people
from tests.support.sample_resumes import sample_resume

pytestmark = pytest.mark.worker  # starts real processes of its own

LOAD_SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "load.py"
# The suite's quick timeouts suit its own workers, not a server doing the product's work.
SUITE_ONLY_SETTINGS = ("QUEUE_VISIBILITY_TIMEOUT", "WORKER_HEARTBEAT_SECONDS")


def test_short_load_run_answers_every_kind_of_request_without_an_error(tmp_path: Path) -> None:
    """20 users for 10 s: every request is answered 2xx and every upload is imported."""
    summary_file = tmp_path / "load.json"
    # The suite's own resumes, so it needs no data from outside the repository.
    texts = tmp_path / "resumes.jsonl"
    texts.write_text(
        "".join(
            json.dumps(
                {"text": "\n".join(sample_resume(name=p.name, email=p.email, phone=p.phone))}
            )
            + "\n"
            for p in people(40)
        )
    )
    command = [sys.executable, str(LOAD_SCRIPT), "--short", "--json", str(summary_file)]
    command += ["--data", str(texts)]
    # On the PostgreSQL + Redis run, the benchmark's server runs on them too.
    if is_postgres(os.environ.get("DATABASE_URL")):
        command += ["--database-url", os.environ["DATABASE_URL"]]
    if get_settings().redis_url:
        command += ["--redis-url", get_settings().redis_url]
    env = {k: v for k, v in os.environ.items() if k not in SUITE_ONLY_SETTINGS}
    finished = subprocess.run(command, capture_output=True, text=True, env=env, timeout=240)
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]

    summary = json.loads(summary_file.read_text())
    assert summary["errors"] == 0, summary["errors_by_kind_and_status"]
    exercised = {kind for kind, figures in summary["kinds"].items() if figures["requests"]}
    assert exercised == set(summary["mix"])
    uploads = summary["uploads_after_run"]
    assert set(uploads) == {"completed"}, uploads
