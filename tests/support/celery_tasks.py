"""The product's Celery app plus a task that only tests need, for `celery -A` in a subprocess."""

from __future__ import annotations

import os
import time
from pathlib import Path

from hotgigs.worker import celery_app

app = celery_app


@celery_app.task(name="tests.record_and_sleep")
def record_and_sleep(marker: str, seconds: float) -> str:
    """Note each start in `marker` (one line per run), then take a while."""
    with Path(marker).open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    time.sleep(seconds)
    return "done"
