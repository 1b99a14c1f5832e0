"""The optional LLM backend, against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from hotgigs.parsing import parse_text
from hotgigs.parsing.llm import LLMConfig, refine
from tests.support.fake_llm import MODEL_ANSWER

RESUME_TEXT = """Jordan Blake
jordan.blake@example.com

Experience
Worked on many things for years.
"""


def test_model_fills_gaps_and_local_values_win(fake_llm) -> None:
    state, url = fake_llm
    local = parse_text(RESUME_TEXT)
    result = refine(RESUME_TEXT, local, LLMConfig(url=url, model="tiny", api_key="sk-test"))

    basics = result.resume["basics"]
    assert basics["email"] == "jordan.blake@example.com"  # read locally, kept
    assert basics["name"] == local.resume["basics"]["name"]
    assert basics["label"] == "Platform Engineer"  # missing locally, filled
    assert basics["location"]["city"] == "Austin"
    assert [w["name"] for w in result.resume["work"]] == ["Initech", "Globex"]
    assert "startDate" not in result.resume["work"][1]  # "March 2018" is not a contract date
    assert result.resume["work"][1]["endDate"] == "2020"
    assert "unknown_key" not in result.resume
    assert result.meta["llm"] == {"used": True, "model": "tiny"}
    assert result.meta["parser"].endswith("+llm")

    (request,) = state.requests
    assert request["model"] == "tiny"
    assert request["response_format"] == {"type": "json_object"}
    assert request["messages"][1]["content"] == RESUME_TEXT
    assert state.headers[0]["Authorization"] == "Bearer sk-test"


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda s: setattr(s, "status", 500), "HTTP 500"),
        (lambda s: setattr(s, "content", "not json at all"), "not valid JSON Resume"),
        (lambda s: setattr(s, "content", json.dumps({"work": "nope"})), "not valid JSON Resume"),
        (lambda s: setattr(s, "delay", 1.5), "did not answer within 0.5 s"),
    ],
    ids=["server-error", "not-json", "wrong-shape", "timeout"],
)
@pytest.mark.slow
def test_any_failure_falls_back_to_the_local_result(fake_llm, setup, reason: str) -> None:
    state, url = fake_llm
    setup(state)
    local = parse_text(RESUME_TEXT)
    result = refine(RESUME_TEXT, local, LLMConfig(url=url, model="tiny", timeout=0.5))
    assert result.resume == local.resume
    assert result.meta["llm"]["used"] is False
    assert reason in result.meta["llm"]["error"]


def test_unreachable_endpoint_falls_back() -> None:
    local = parse_text(RESUME_TEXT)
    result = refine(RESUME_TEXT, local, LLMConfig(url="http://127.0.0.1:1", model="m", timeout=1))
    assert result.resume == local.resume
    assert "could not be reached" in result.meta["llm"]["error"]


def test_fenced_json_is_accepted_and_endpoint_forms_agree(fake_llm) -> None:
    state, url = fake_llm
    state.content = "```json\n" + json.dumps(MODEL_ANSWER) + "\n```"
    local = parse_text(RESUME_TEXT)
    for base in (url, f"{url}/v1", f"{url}/v1/chat/completions"):
        assert refine(RESUME_TEXT, local, LLMConfig(url=base, model="m")).meta["llm"]["used"]
