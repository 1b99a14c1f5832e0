"""Clocks for child processes: start `hotgigs serve` or a worker at a chosen instant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import time_machine

from tests.support.shifted_clock.sitecustomize import SHIFT_VARIABLE

# On PYTHONPATH for every process the suite starts (see tests/conftest.py).
SHIFTED_CLOCK_PATH = Path(__file__).parent / "shifted_clock"
# A weekday at noon, mid-month and mid-year: no day, month or year turns during a test.
FIXED_NOW = dt.datetime(2026, 6, 17, 12, tzinfo=dt.UTC)


def real_now() -> dt.datetime:
    """The machine's clock, also while this process travels in time."""
    if time_machine.escape_hatch.is_travelling():
        return dt.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), dt.UTC)
    return dt.datetime.now(dt.UTC)


def clock_at(instant: dt.datetime) -> dict[str, str]:
    """Environment that starts a child process's ticking clock at `instant`."""
    days = (instant - real_now()).total_seconds() / 86400
    return {SHIFT_VARIABLE: f"{days:.9f}"}
