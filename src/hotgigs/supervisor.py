"""Runs the API, the worker and the scheduler as child processes, restarts them, stops them."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

# A child that dies this soon after starting, this many times in a row, is broken, not unlucky.
QUICK_EXIT_SECONDS = 5.0
QUICK_EXITS_ALLOWED = 3
MAX_BACKOFF_SECONDS = 30.0
PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def _prepare_child(parent_pid: int, nice: int) -> Callable[[], None]:
    """Run in the child before exec: lower its priority by `nice`; on Linux, SIGTERM it
    when the supervisor dies, even by SIGKILL.

    Without the latter, a supervisor killed outright would leave its API still holding the
    port and its worker still taking tasks, with nobody to stop them.
    """

    def arrange() -> None:
        if nice:
            os.nice(nice)
        if not sys.platform.startswith("linux"):
            return
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent_pid:  # the supervisor died before prctl took effect
            os._exit(1)

    return arrange


@dataclass
class Child:
    """One supervised program."""

    name: str
    argv: Sequence[str]
    # Added to the child's niceness: background work gives way to answering requests.
    nice: int = 0
    # Added to the environment it inherits.
    env: Mapping[str, str] | None = None
    # Open descriptors it inherits (a listening socket shared by several API processes).
    pass_fds: tuple[int, ...] = ()
    # Called with the pid of each of its processes that has ended (to clean up after it).
    on_exit: Callable[[int], None] | None = None
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    quick_exits: int = 0
    restart_at: float | None = None

    def start(self) -> None:
        """Start it in a session of its own, so a terminal's Ctrl-C reaches only us."""
        self.process = subprocess.Popen(
            self.argv,
            env={**os.environ, **self.env} if self.env else None,
            pass_fds=self.pass_fds,
            start_new_session=True,
            preexec_fn=_prepare_child(os.getpid(), self.nice) if os.name == "posix" else None,
        )
        self.started_at = time.monotonic()
        self.restart_at = None

    def ended(self) -> None:
        """Tell `on_exit` that the process has ended."""
        if self.on_exit is not None and self.process is not None:
            self.on_exit(self.process.pid)


class Supervisor:
    """Keeps every child running until told to stop, then stops them all."""

    def __init__(
        self,
        children: Sequence[Child],
        *,
        say: Callable[[str], None] = print,
        stop_timeout: float = 20.0,
    ) -> None:
        self.children = list(children)
        self.say = say
        self.stop_timeout = stop_timeout
        self.stopping = False
        self.failed: str | None = None

    def run(self, *, on_tick: Callable[[], None] | None = None) -> int:
        """Start everything, supervise until a signal arrives, return the exit code."""
        previous = {
            sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for child in self.children:
                child.start()
                self.say(f"started {child.name} (pid {child.process.pid})")
            while not self.stopping:
                self._check_children()
                if on_tick is not None:
                    on_tick()
                time.sleep(0.2)
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.failed:
            self.say(self.failed)
            return 1
        return 0

    def _request_stop(self, signum: int, _frame) -> None:
        self.say(f"received {signal.Signals(signum).name}, stopping")
        self.stopping = True

    def _check_children(self) -> None:
        """Restart a child that exited, with backoff; give up on one that cannot start."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.start()
                    self.say(f"restarted {child.name} (pid {child.process.pid})")
                continue
            code = child.process.poll()
            if code is None:
                continue
            child.ended()
            if now - child.started_at < QUICK_EXIT_SECONDS:
                child.quick_exits += 1
            else:
                child.quick_exits = 0
            if child.quick_exits >= QUICK_EXITS_ALLOWED:
                self.failed = (
                    f"{child.name} exited {child.quick_exits} times right after starting "
                    f"(last exit code {code}); stopping everything."
                )
                self.stopping = True
                return
            delay = min(2.0**child.quick_exits, MAX_BACKOFF_SECONDS)
            self.say(f"{child.name} exited with code {code}; restarting in {delay:.0f}s")
            child.restart_at = now + delay

    def _stop_all(self) -> None:
        """SIGTERM every child, wait, then SIGKILL whatever is left."""
        running = [c for c in self.children if c.process and c.process.poll() is None]
        for child in running:
            child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{child.name} did not stop in time; killing it")
                child.process.kill()
                child.process.wait()
            child.ended()
        self.say("all stopped")


def hotgigs_command(*args: str) -> list[str]:
    """The argv that runs `hotgigs ARGS` with this same interpreter."""
    return [sys.executable, "-m", "hotgigs", *args]
