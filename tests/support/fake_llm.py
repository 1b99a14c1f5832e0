"""A fake OpenAI-compatible chat-completions server on 127.0.0.1, for LLM backend tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

MODEL_ANSWER = {
    "basics": {
        "name": "Model Says Otherwise",
        "email": "wrong@example.com",
        "label": "Platform Engineer",
        "location": {"city": "Austin", "region": "TX", "countryCode": "US"},
    },
    "work": [
        {
            "name": "Initech",
            "position": "Platform Engineer",
            "startDate": "2020-03",
            "endDate": None,
            "highlights": ["Ran the Kubernetes platform"],
        },
        {"name": "Globex", "position": "SRE", "startDate": "March 2018", "endDate": "2020"},
    ],
    "skills": [{"name": "Kubernetes"}, {"name": "Terraform"}],
    "unknown_key": "dropped",
}


class FakeLLM:
    """Records requests; answers with whatever the test sets."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.status = 200
        self.content: str = json.dumps(MODEL_ANSWER)
        self.delay = 0.0


@pytest.fixture
def fake_llm() -> Iterator[tuple[FakeLLM, str]]:
    """A chat-completions server on a free loopback port."""
    state = FakeLLM()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            state.requests.append(json.loads(self.rfile.read(length)))
            state.headers.append(dict(self.headers))
            time.sleep(state.delay)
            body = json.dumps(
                {"choices": [{"message": {"role": "assistant", "content": state.content}}]}
            ).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
