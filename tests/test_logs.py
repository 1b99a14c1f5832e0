"""Logs are JSON lines with request ids, from the API through to the worker, and never secret."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.models import Role
from hotgigs.logs import configure_logging, request_id
from tests.conftest import PASSWORD
from tests.support import documents
from tests.support.processes import (
    free_port,
    kill_group,
    start,
    start_test_worker,
    stop_gracefully,
    wait_for,
)
from tests.support.sample_resumes import sample_resume


def json_lines(log: Path) -> list[dict]:
    """The JSON objects among a log file's lines (a worker also prints its banner as text)."""
    lines = []
    for line in log.read_text().splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


@pytest.fixture
def root_logging() -> Iterator[None]:
    """Put the root logger back as pytest had it after a test configures logging."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_every_answer_carries_a_request_id(client: TestClient) -> None:
    generated = client.get("/api/health").headers["x-request-id"]
    assert len(generated) == 32 and int(generated, 16) >= 0
    assert client.get("/api/health").headers["x-request-id"] != generated
    # A caller's own plain id is kept, so it can be followed through our logs.
    kept = client.get("/api/health", headers={"X-Request-ID": "lb-7f3a.2"})
    assert kept.headers["x-request-id"] == "lb-7f3a.2"
    # Anything that could forge or garble a log line is replaced.
    for hostile in ('a"b', "x" * 65, "a b", "ü"):
        answer = client.get("/api/health", headers={"X-Request-ID": hostile.encode()})
        assert answer.headers["x-request-id"] != hostile
    assert client.get("/no/such/page").headers["x-request-id"]


def test_configured_logging_writes_json_lines_without_secrets(
    root_logging, settings, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(settings.model_copy(update={"log_format": "json"}))
    token = request_id.set("req-42")
    try:
        logging.getLogger("hotgigs.test").info(
            "GET %s?token=%s", "/ws/connect", "eyJ.secret.jwt", extra={"fields": {"status": 101}}
        )
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("hotgigs.test").exception("failed")
    finally:
        request_id.reset(token)
    first, second = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert first["message"] == "GET /ws/connect?token=[redacted]"
    assert first["request_id"] == "req-42" and first["status"] == 101
    assert first["level"] == "info" and first["logger"] == "hotgigs.test"
    assert second["level"] == "error" and "ValueError: boom" in second["exception"]


def test_text_format_keeps_the_request_id(root_logging, settings, capsys) -> None:
    configure_logging(settings.model_copy(update={"log_format": "text"}))
    logging.getLogger("hotgigs.test").warning("plain")
    assert capsys.readouterr().err.rstrip().endswith("WARNING hotgigs.test [-] plain")


@pytest.mark.worker
def test_a_request_and_the_task_it_queued_log_under_one_id(tmp_path: Path, make_user) -> None:
    user = make_user(Role.RECRUITER)
    port = free_port()
    api_log, worker_log = tmp_path / "api.log", tmp_path / "worker.log"
    api = start(["api", "--port", str(port)], log=api_log)
    worker = start_test_worker(worker_log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: "Application startup complete" in api_log.read_text(),
            timeout=60,
            what="the API",
        )
        with httpx.Client(base_url=url, timeout=30) as http:
            tokens = http.post(
                "/api/auth/login", data={"username": user.email, "password": PASSWORD}
            )
            headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
            upload = http.post(
                "/api/resumes/upload",
                headers={**headers, "X-Request-ID": "trace-upload-1"},
                files={"file": ("cv.pdf", documents.make_pdf(sample_resume()), "application/pdf")},
            )
            assert upload.headers["x-request-id"] == "trace-upload-1"

        def worker_finished_it() -> bool:
            return any(
                line.get("request_id") == "trace-upload-1" and "succeeded" in line["message"]
                for line in json_lines(worker_log)
            )

        wait_for(worker_finished_it, timeout=90, what=f"the task's log line ({worker_log})")
        access = [line for line in json_lines(api_log) if line["logger"] == "hotgigs.access"]
        traced = next(line for line in access if line["request_id"] == "trace-upload-1")
        assert traced["route"] == "/api/resumes/upload" and traced["status"] == 202
        assert traced["duration_ms"] > 0
        assert tokens.json()["access_token"] not in api_log.read_text() + worker_log.read_text()
    finally:
        kill_group(api)
        stop_gracefully(worker)
