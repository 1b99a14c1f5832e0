"""Private, throw-away PostgreSQL clusters and Redis servers that a test may stop and start.

The shared PostgreSQL and Redis on this machine serve other test runs, so fault tests
never restart those: they make their own on a free port and remove it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.support.processes import free_port, wait_for

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_SERVER = Path("/usr/bin/redis-server")
# PostgreSQL refuses to run as root; as root we run it as this system user.
POSTGRES_USER = "postgres"


class PrivateRedis:
    """A redis-server on a free port, killed and started at will; without persistence it
    comes back empty, with it (an append-only file written at every command) as it was."""

    def __init__(self, folder: Path, *, persistent: bool = False) -> None:
        self.folder = folder
        self.port = free_port()
        self.persistent = persistent
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Where clients reach it."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server (again, on the same port) and wait until it answers."""
        self.process = subprocess.Popen(
            [
                str(REDIS_SERVER),
                *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)),
                *("--save", "", "--appendonly", "yes" if self.persistent else "no"),
                *("--appendfsync", "always"),
            ],
            stdout=(self.folder / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        wait_for(lambda: _answers(client), timeout=20, what="the private Redis to answer")

    def kill(self) -> None:
        """SIGKILL the server: clients see connections refused, as after a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait(timeout=10)


def _answers(client: redis.Redis) -> bool:
    with contextlib.suppress(redis.RedisError):
        return bool(client.ping())
    return False


@contextlib.contextmanager
def private_redis(*, persistent: bool = False) -> Iterator[PrivateRedis]:
    """A running private Redis for one test (skips when redis-server is not installed)."""
    if not REDIS_SERVER.exists():
        pytest.skip(f"{REDIS_SERVER} is not installed (apt-get install redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="hotgigs-redis-"))
    server = PrivateRedis(folder, persistent=persistent)
    try:
        server.start()
        yield server
    finally:
        server.kill()
        shutil.rmtree(folder, ignore_errors=True)


class PrivateCluster:
    """A PostgreSQL 15 cluster in a temporary folder, on a free port, trust authentication."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()

    @property
    def url(self) -> str:
        """SQLAlchemy URL of its `postgres` database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        """Run a PostgreSQL program as the cluster's owner; fail with its output."""
        command = [str(POSTGRES_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", POSTGRES_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise AssertionError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    def init(self) -> None:
        """Create the cluster (no fsync: it is thrown away)."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        log = self.folder / "postgres.log"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(log), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: `fast` ends every session at once, as an operator's restart does."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        """Whether the postmaster is up."""
        return (self.data / "postmaster.pid").exists()


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivateCluster]:
    """A running private PostgreSQL cluster for one test (skips when it cannot be made)."""
    if not (POSTGRES_BIN / "initdb").exists():
        pytest.skip(
            f"PostgreSQL 15 binaries are not in {POSTGRES_BIN} (apt-get install postgresql)"
        )
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam(POSTGRES_USER)
        except KeyError:
            pytest.skip(f"running as root and there is no {POSTGRES_USER!r} user to run PostgreSQL")
        if shutil.which("runuser") is None:
            pytest.skip("running as root and `runuser` is missing to run PostgreSQL as postgres")
    # Not under pytest's tmp_path: that folder is private to root, and the server needs it.
    folder = Path(tempfile.mkdtemp(prefix="hotgigs-pg-"))
    if os.geteuid() == 0:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    cluster = PrivateCluster(folder)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        if cluster.is_running():
            cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
