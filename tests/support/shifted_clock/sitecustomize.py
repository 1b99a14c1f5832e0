"""Moves this process's clock when HOTGIGS_TEST_CLOCK_SHIFT_DAYS is set (tests only).

The test suite puts this folder on PYTHONPATH, so every Python process a test starts
(`hotgigs serve`, workers, the CLI) imports it at start-up, and the suite's own process
calls `shift_clock()` from its conftest. Each process moves its clock by the same number of
days from the real clock, so all of them agree on the time, which keeps ticking. Only the
wall clock moves: ``time.monotonic`` (timeouts, backoff) stays real.
"""

from __future__ import annotations

import os

SHIFT_VARIABLE = "HOTGIGS_TEST_CLOCK_SHIFT_DAYS"


def shift_clock() -> None:
    """Start travelling by the shift the environment asks for, once per process."""
    days = float(os.environ.get(SHIFT_VARIABLE, "").strip() or 0)
    if not days:
        return
    import datetime as dt

    import time_machine

    if time_machine.escape_hatch.is_travelling():
        return
    real_now = dt.datetime.now(dt.UTC)  # not travelling yet: the real clock
    time_machine.travel(real_now + dt.timedelta(days=days), tick=True).start()
    # A travelling clock starts ticking at its first reading, not at start(): read it now,
    # or a process that first asks the time seconds later would lag the others by as much.
    dt.datetime.now(dt.UTC)


if __name__ == "sitecustomize":
    shift_clock()
