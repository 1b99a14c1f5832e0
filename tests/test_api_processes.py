"""`hotgigs serve`, two API processes: one port, metrics added up, sockets in each, restarts."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families
from websockets.sync.client import connect

from hotgigs.auth.models import Role
from hotgigs.config import get_settings
from hotgigs.db import new_session
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.types import NotificationType
from tests.notifications.conftest import receive
from tests.support.http_api import answers
from tests.support.processes import free_port, kill_group, start, wait_for

API_PROCESSES = 2
STATUS_ROUTE = "/api/resumes/{resume_id}/status"


@dataclass
class Served:
    """A running `hotgigs serve`, its API processes and where they keep their metrics."""

    url: str
    api_pids: list[int]
    metrics_dir: Path
    log: Path

    def of_process(self, pid: int, kind: str, name: str, **labels: str) -> float:
        """One API process's own share of a metric, read from its file (0 before it has one)."""
        path = self.metrics_dir / f"{kind}_{pid}.db"
        if not path.exists():
            return 0.0
        return sum(
            sample.value
            for metric in MultiProcessCollector.merge([str(path)])
            for sample in metric.samples
            if sample.name == name and labels.items() <= sample.labels.items()
        )

    def scraped(self, name: str, **labels: str) -> float:
        """A metric as /metrics reports it (whichever process answers)."""
        answer = httpx.get(f"{self.url}/metrics", timeout=10)
        assert answer.status_code == 200, answer.text
        return sum(
            sample.value
            for family in text_string_to_metric_families(answer.text)
            for sample in family.samples
            if sample.name == name and labels.items() <= sample.labels.items()
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`hotgigs serve` with API_PROCESSES=2 on a free port."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    process = start(
        ["serve", "--host", "127.0.0.1", "--port", str(port)],
        log=log,
        env={"API_PROCESSES": str(API_PROCESSES)},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=2) as http:
            wait_for(lambda: answers(http), timeout=90, what=f"serve to answer (log: {log})")
        pids = [int(pid) for pid in re.findall(r"started api-\d+ \(pid (\d+)\)", log.read_text())]
        assert len(pids) == API_PROCESSES
        yield Served(url, pids, get_settings().hotgigs_home / "api-metrics", log)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        kill_group(process)


def test_both_processes_answer_on_one_port_and_metrics_add_up(server: Served) -> None:
    sent = 0

    def answered(pid: int) -> float:
        return server.of_process(
            pid, "counter", "hotgigs_http_requests_total", route=STATUS_ROUTE, status="401"
        )

    def both_answered() -> bool:
        nonlocal sent
        for _ in range(5):
            # A new connection each time: the kernel hands it to whichever process accepts.
            answer = httpx.get(f"{server.url}/api/resumes/{uuid.uuid4()}/status", timeout=10)
            assert answer.status_code == 401
            sent += 1
        return all(answered(pid) for pid in server.api_pids)

    def timed() -> float:
        return sum(
            server.of_process(
                pid, "histogram", "hotgigs_http_request_duration_seconds_count", route=STATUS_ROUTE
            )
            for pid in server.api_pids
        )

    wait_for(both_answered, timeout=60, what="requests answered by each API process")
    # A process counts a request just after answering it (its latency last): wait for the
    # last ones, then every process's count adds up to what was sent, and so does a scrape.
    wait_for(lambda: timed() == sent, timeout=10, what="every request counted")
    assert sum(answered(pid) for pid in server.api_pids) == sent
    scraped = server.scraped("hotgigs_http_requests_total", route=STATUS_ROUTE, status="401")
    assert scraped == sent
    latencies = server.scraped("hotgigs_http_request_duration_seconds_count", route=STATUS_ROUTE)
    assert latencies == sent


def tell(user_id: uuid.UUID) -> int:
    """Store and commit a notification in this process, as a worker would; its id."""
    with new_session() as session:
        notification = notifications_service.emit(
            session, type=NotificationType.CANDIDATE_ADDED, user_id=user_id, data={"name": "Ada"}
        )
        session.commit()
        return notification.id


def test_a_socket_on_each_process_gets_the_notification(server: Served, make_user, login) -> None:
    user = make_user(Role.RECRUITER)
    token = login(user)["access_token"]
    ws_url = server.url.replace("http://", "ws://") + f"/ws/connect?token={token}"

    def open_sockets(pid: int) -> float:
        return server.of_process(pid, "gauge_livesum", "hotgigs_websocket_connections")

    with contextlib.ExitStack() as stack:
        sockets = []

        def one_on_each() -> bool:
            socket_ = stack.enter_context(connect(ws_url, open_timeout=10))
            assert receive(socket_)["type"] == "connected"
            sockets.append(socket_)
            return all(open_sockets(pid) for pid in server.api_pids)

        wait_for(one_on_each, timeout=60, what="a socket on each API process")
        # The open sockets of every live process, whichever one is scraped.
        assert server.scraped("hotgigs_websocket_connections") == len(sockets)
        sent = tell(user.id)
        for socket_ in sockets:
            message = receive(socket_)
            assert (message["id"], message["type"]) == (sent, "candidate_added")


def test_a_killed_api_process_is_replaced_and_its_live_share_dropped(server: Served) -> None:
    victim = server.api_pids[0]
    # Each process has counted open sockets (the test above): its live file is there.
    live_file = server.metrics_dir / f"gauge_livesum_{victim}.db"
    assert live_file.exists()
    counted = server.scraped("hotgigs_http_requests_total")
    os.kill(victim, signal.SIGKILL)
    restarted = wait_for(
        lambda: re.search(r"restarted api-1 \(pid (\d+)\)", server.log.read_text()),
        timeout=30,
        what="the killed API process to be restarted",
    )
    replacement = int(restarted.group(1))
    assert not live_file.exists()

    def replacement_answers() -> bool:
        assert httpx.get(f"{server.url}/api/health", timeout=10).status_code == 200
        return server.of_process(replacement, "counter", "hotgigs_http_requests_total") > 0

    # The port stays open throughout, and the replacement takes connections from it too.
    wait_for(replacement_answers, timeout=60, what="the replacement to answer")
    # What the dead process answered still counts.
    assert server.scraped("hotgigs_http_requests_total") > counted
