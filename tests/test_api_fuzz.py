"""Schemathesis fuzzes every API operation as each role: no 5xx, every answer as documented."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, BaseSchema, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from hotgigs.auth.models import Role, User
from hotgigs.config import Settings
from hotgigs.db import new_session
from hotgigs.drive.models import DriveSyncRun
from hotgigs.main import create_app
from tests.candidates.world import build_world
from tests.notifications.test_store_api import stored
from tests.web.test_drive_pages import add_sync

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Generated requests per operation and role: 5 valid ones (just 1 where the operation takes no
# input) and 3 invalid ones where there is input to break. For the 70 operations that makes
# 490 a role, 1,960 for the four roles.
EXAMPLES = {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 3}
FUZZ_SETTINGS = settings(
    derandomize=True,  # the same requests on every run, so CI failures reproduce
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# Operations the fuzzer cannot exercise meaningfully, and why. (The WebSocket /ws/connect and
# the web pages are not in the OpenAPI schema; tests/notifications and tests/web cover them.)
EXCLUDED = {
    "POST /api/auth/logout": "ends the login the fuzzer uses: every later request would be a 401",
}
ROLES = [None, Role.CANDIDATE, Role.RECRUITER, Role.ADMIN]


@pytest.fixture(scope="module")
def api() -> Iterator[BaseSchema]:
    """Our OpenAPI schema, answered in-process by one app through schemathesis's ASGI client."""
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app())
    shutdown_lifespans()


def seed(users: dict[str, User], settings: Settings, fuzzer: User) -> dict[str, Any]:
    """Records every path parameter can name, visible to the role: the ids, by parameter name."""
    world = build_world(users, settings)
    sync_id = add_sync(users["owner"])
    with new_session() as session:
        run_id = session.scalar(
            select(DriveSyncRun.id).where(DriveSyncRun.sync_id == sync_id).limit(1)
        )
    (notification_id,) = stored(fuzzer.id, 1)
    return {
        "candidate_id": world.candidate_id,
        "resume_id": world.resume_id,
        "note_id": world.note_id,
        "share_id": world.share_id,
        "job_id": world.job_id,
        "match_id": world.match_id,
        "tag": "shortlist",
        "sync_id": sync_id,
        "run_id": run_id,
        "notification_id": notification_id,
        "user_id": users["viewer"].id,
    }


def operations(api: BaseSchema) -> list[APIOperation]:
    """Every operation but the excluded ones; deletes last, so the seeded records live longest."""
    found = [result.ok() for result in api.get_all_operations()]
    assert EXCLUDED.keys() <= {op.label for op in found}, "an exclusion names no operation"
    kept = [op for op in found if op.label not in EXCLUDED]
    return sorted(kept, key=lambda op: (op.method.upper() == "DELETE", op.label))


def modes(operation: APIOperation) -> list[GenerationMode]:
    """Positive cases always; negative ones where there is a parameter or body to break."""
    breakable = any(operation.iter_parameters()) or bool(operation.body)
    return list(EXAMPLES) if breakable else [GenerationMode.POSITIVE]


def strategy(operation: APIOperation, mode: GenerationMode, known: dict[str, Any]):
    """Cases for one operation; positive ones name the seeded records half the time."""
    generated = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters]
    if mode is GenerationMode.NEGATIVE or not names or not set(names) <= known.keys():
        return generated
    fixed = {name: str(known[name]) for name in names}
    return st.one_of(generated, operation.as_strategy(generation_mode=mode, path_parameters=fixed))


def fuzz(
    operation: APIOperation,
    mode: GenerationMode,
    known: dict[str, Any],
    headers: dict[str, str],
    answers: Counter[int],
) -> None:
    """Send the operation's generated requests and check each answer against the schema."""

    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES[mode])
    @given(case=strategy(operation, mode, known))
    def check(case: Case) -> None:
        response = case.call(headers=headers)
        answers[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "anonymous")
@pytest.mark.slow
def test_every_operation_answers_as_its_schema_says(
    role: Role | None, api: BaseSchema, make_user, login, settings: Settings
) -> None:
    users = {
        "owner": make_user(Role.RECRUITER),
        "self": make_user(Role.CANDIDATE),
        "viewer": make_user(Role.RECRUITER),
        "editor": make_user(Role.RECRUITER),
        "admin": make_user(Role.ADMIN),
    }
    fuzzer = {Role.CANDIDATE: users["self"], Role.ADMIN: users["admin"]}.get(role, users["owner"])
    known = seed(users, settings, fuzzer)
    headers = {"Authorization": f"Bearer {login(fuzzer)['access_token']}"} if role else {}
    answers: Counter[int] = Counter()
    failures = {}
    for operation in operations(api):
        for mode in modes(operation):
            try:
                fuzz(operation, mode, known, headers, answers)
            except (Exception, FailureGroup) as exc:  # a FailureGroup is a BaseExceptionGroup
                failures[f"{operation.label} [{mode.value}]"] = exc
    print(f"\n{role.value if role else 'anonymous'}: {answers.total()} requests, {answers}")
    assert not failures, "\n\n".join(f"{label}:\n{exc}" for label, exc in failures.items())
    if role is not None:
        # The token held all along (a few 401s answer made-up passwords and refresh tokens)
        # and the seeded records were reached: otherwise the run proved little.
        assert answers[401] < answers.total() / 20 and answers[200] > 0


def test_error_answers_are_documented_with_their_shape(
    api: BaseSchema, client: TestClient, auth_headers
) -> None:
    # Found by the fuzzer: no route documented its 401, 403 or 404, and a 422 saying which
    # rule was broken (a sentence) did not fit the documented 422 (a list of fields).
    recruiter, candidate = auth_headers(Role.RECRUITER), auth_headers(Role.CANDIDATE)
    search = "/api/resumes/candidates"
    answers = [
        ("GET", "/api/jobs", client.get("/api/jobs"), 401),
        (
            "POST",
            "/api/jobs",
            client.post("/api/jobs", json={"title": "x"}, headers=candidate),
            403,
        ),
        (
            "GET",
            "/api/jobs/{job_id}",
            client.get(f"/api/jobs/{uuid.uuid4()}", headers=recruiter),
            404,
        ),
        ("GET", search, client.get(search, params={"cursor": "nonsense"}, headers=recruiter), 422),
        ("GET", search, client.get(search, params={"limit": 0}, headers=recruiter), 422),
    ]
    for method, path, answer, status in answers:
        assert answer.status_code == status, answer.text
        operation = api[path][method]
        assert str(status) in operation.responses.status_codes, f"{method} {path}: {status}"
        operation.validate_response(answer)
