"""`hotgigs serve`'s API processes: one listening socket, and metrics counted across them."""

from __future__ import annotations

import shutil
import socket

from prometheus_client import multiprocess

from hotgigs.config import Settings
from hotgigs.supervisor import Child, hotgigs_command

# Connections waiting to be accepted, across the API processes (uvicorn's default).
API_BACKLOG = 2048
# Set in the API processes' environment: prometheus_client then keeps every metric in files
# there, which any process's /metrics adds up (see health/metrics.py).
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def listen(host: str, port: int) -> socket.socket:
    """The one listening socket every API process accepts from (OSError when it cannot be)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=API_BACKLOG)


def api_children(settings: Settings, listener: socket.socket) -> list[Child]:
    """`API_PROCESSES` API processes accepting from `listener`, counting metrics in one folder.

    The socket is bound once, by serve, and inherited by every API process (and each one
    restarted): the kernel hands a new connection to whichever process accepts first, so an
    idle process takes what a busy one cannot, and the port stays open during a restart.
    """
    # Emptied at start, so nothing of a previous run (or of processes long gone) is counted.
    metrics_dir = settings.hotgigs_home / "api-metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)

    def forget(pid: int) -> None:
        # Its counts stay in the totals; its share of live values (open sockets) goes.
        multiprocess.mark_process_dead(pid, str(metrics_dir))

    count = settings.api_processes
    fd = listener.fileno()
    return [
        Child(
            "api" if count == 1 else f"api-{number}",
            hotgigs_command("api", "--fd", str(fd)),
            env={MULTIPROCESS_ENV: str(metrics_dir)},
            pass_fds=(fd,),
            on_exit=forget,
        )
        for number in range(1, count + 1)
    ]
