"""Real child processes for tests: started with the test environment, always cleaned up."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def start(args: list[str], *, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `python -m hotgigs ARGS` in its own process group, output to `log`."""
    handle = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "hotgigs", *args],
        stdout=handle,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> object:
    """Poll until `condition()` is truthy; fail the test with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL a process and everything it started (also what outlived it)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def is_running(pid: int) -> bool:
    """Whether a process with this pid still exists (and is not a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def start_test_worker(log: Path, *, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A worker running the product's Celery app plus the test-only tasks."""
    handle = log.open("ab")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.support.celery_tasks",
            "worker",
            "--concurrency=1",
            "--loglevel=INFO",
            "--queues=hotgigs,hotgigs.matching",
        ],
        stdout=handle,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )


def stop_gracefully(process: subprocess.Popen) -> None:
    """SIGTERM the group's leader (a worker finishes its task, hands back the rest), or kill."""
    if process.poll() is None:
        # The leader only: a Celery pool process that gets SIGTERM itself dies mid-task.
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    kill_group(process)
