"""The product's Celery app plus what only tests need, for `celery -A` in a subprocess.

With HOTGIGS_TEST_SLOW_PARSE set to a file path, parsing notes its start in that file and
then stalls, so a test can kill the worker while a resume is mid-way.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from hotgigs import parsing
from hotgigs.worker import celery_app

app = celery_app


@celery_app.task(name="tests.record_and_sleep")
def record_and_sleep(marker: str, seconds: float) -> str:
    """Note each start in `marker` (one line per run), then take a while."""
    with Path(marker).open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    time.sleep(seconds)
    return "done"


if slow_marker := os.environ.get("HOTGIGS_TEST_SLOW_PARSE"):
    real_parse_text = parsing.parse_text

    def stalled_parse_text(text: str, **kwargs):
        """Record that parsing began, then stall until the test kills this worker."""
        Path(slow_marker).write_text(str(os.getpid()))
        time.sleep(300)
        return real_parse_text(text, **kwargs)

    parsing.parse_text = stalled_parse_text
