"""Optional LLM backend: any OpenAI-compatible chat endpoint refines the local parse.

The local result always comes first and is the fallback: on any error, timeout or invalid
answer the caller gets it unchanged (with the reason in `meta["llm"]`). The model's answer
is validated against the JSON Resume shape we use and merged field by field; values the
local parser read with evidence (email, phone, skills from the taxonomy) are kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from hotgigs.parsing.api import ParseResult

# Resumes are short; anything longer is cut so one huge file cannot run up a bill.
MAX_PROMPT_CHARS = 24_000
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
SYSTEM_PROMPT = (
    "You extract resumes into JSON Resume (jsonresume.org). Answer with one JSON object with "
    "the keys basics (name, label, email, phone, url, location {city, region, countryCode}), "
    "work (name, position, location, startDate, endDate, highlights), education "
    "(institution, studyType, area, startDate, endDate), skills (name, keywords), languages "
    "(language, fluency), certificates (name, issuer, date), projects (name, description). "
    "Dates are YYYY-MM or YYYY; endDate is null for a current role. Only include what the "
    "resume says; never invent values."
)


@dataclass(frozen=True)
class LLMConfig:
    """Where the OpenAI-compatible endpoint is and how to call it."""

    url: str
    model: str
    api_key: str | None = None
    timeout: float = 20.0

    @property
    def endpoint(self) -> str:
        """The chat-completions URL, whether `url` is the server root or its `/v1`."""
        base = self.url.rstrip("/")
        if base.endswith("/chat/completions"):
            return base
        if not base.endswith("/v1"):
            base += "/v1"
        return f"{base}/chat/completions"


class _Lenient(BaseModel):
    """Unknown keys are dropped; wrong types fail validation."""

    model_config = ConfigDict(extra="ignore")


class _Location(_Lenient):
    city: str | None = None
    region: str | None = None
    countryCode: str | None = None


class _Basics(_Lenient):
    name: str | None = None
    label: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    location: _Location | None = None


def _valid_date(value: Any) -> str | None:
    """Keep dates in the contract's shapes; drop anything else rather than fail the answer."""
    return value if isinstance(value, str) and _DATE.match(value) else None


class _Dated(_Lenient):
    startDate: str | None = None
    endDate: str | None = None

    @field_validator("startDate", "endDate", mode="before")
    @classmethod
    def _date(cls, value: Any) -> str | None:
        return _valid_date(value)


class _Work(_Dated):
    name: str | None = None
    position: str | None = None
    location: str | None = None
    highlights: list[str] = []


class _Education(_Dated):
    institution: str | None = None
    studyType: str | None = None
    area: str | None = None


class _Skill(_Lenient):
    name: str
    keywords: list[str] = []


class _Resume(_Lenient):
    basics: _Basics = _Basics()
    work: list[_Work] = []
    education: list[_Education] = []
    skills: list[_Skill] = []
    languages: list[dict[str, Any]] = []
    certificates: list[dict[str, Any]] = []
    projects: list[dict[str, Any]] = []


class LLMError(RuntimeError):
    """The endpoint failed or answered something unusable."""


def refine(
    text: str, local: ParseResult, config: LLMConfig, *, client: httpx.Client | None = None
) -> ParseResult:
    """The local result merged with the model's reading, or the local result on any failure."""
    try:
        answer = _ask(text, config, client=client)
    except LLMError as exc:
        return _with_llm_meta(local, {"used": False, "model": config.model, "error": str(exc)})
    merged = merge(local.resume, answer)
    meta = {**local.meta, "parser": f"{local.meta.get('parser', 'local')}+llm"}
    return _with_llm_meta(
        replace(local, resume=merged, meta=meta), {"used": True, "model": config.model}
    )


def merge(local: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """Local values win; the model fills what the local parser missed."""
    merged = dict(local)
    basics = dict(local.get("basics", {}))
    for key, value in answer.get("basics", {}).items():
        if value and _less_complete(basics.get(key), value):
            basics[key] = value
    if basics:
        merged["basics"] = basics
    for section in ("work", "education", "languages", "certificates", "projects"):
        if not local.get(section) and answer.get(section):
            merged[section] = answer[section]
    known = {s["name"].lower() for s in local.get("skills", [])}
    extra = [s for s in answer.get("skills", []) if s["name"].lower() not in known]
    if extra:
        merged["skills"] = [*local.get("skills", []), *extra]
    return merged


def _less_complete(mine: Any, theirs: Any) -> bool:
    """Whether the local value is missing, or is a part-filled object the model knows more of.

    Objects (a location) are taken whole so that their parts stay consistent.
    """
    if not mine:
        return True
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return sum(bool(v) for v in mine.values()) < sum(bool(v) for v in theirs.values())
    return False


def _ask(text: str, config: LLMConfig, *, client: httpx.Client | None) -> dict[str, Any]:
    """Call the endpoint and return the validated JSON Resume it answered."""
    headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
    body = {
        "model": config.model,
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": text[:MAX_PROMPT_CHARS]},
        ],
    }
    owned = client is None
    client = client or httpx.Client(timeout=config.timeout)
    try:
        response = client.post(config.endpoint, json=body, headers=headers)
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
    except httpx.TimeoutException:
        raise LLMError(f"The LLM did not answer within {config.timeout:g} s.") from None
    except httpx.HTTPStatusError as exc:
        raise LLMError(f"The LLM endpoint answered HTTP {exc.response.status_code}.") from None
    except httpx.HTTPError as exc:
        raise LLMError(f"The LLM endpoint could not be reached ({type(exc).__name__}).") from None
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMError("The LLM endpoint's answer is not a chat completion.") from None
    finally:
        if owned:
            client.close()
    try:
        parsed = _Resume.model_validate(json.loads(_strip_fences(content)))
    except (ValueError, TypeError, ValidationError):
        raise LLMError("The LLM's answer is not valid JSON Resume.") from None
    return parsed.model_dump(exclude_none=True, exclude_defaults=True)


def _strip_fences(content: Any) -> str:
    """Models sometimes wrap JSON in a ``` block despite being asked not to."""
    if not isinstance(content, str):
        raise TypeError("content is not text")
    stripped = content.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[-1].rsplit("```", 1)[0]
    return stripped


def _with_llm_meta(result: ParseResult, llm: dict[str, Any]) -> ParseResult:
    """The result with what happened to the LLM call recorded beside it."""
    return replace(result, meta={**result.meta, "llm": llm})
