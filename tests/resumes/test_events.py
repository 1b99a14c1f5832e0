"""Progress is written as notifications the status endpoint and live channels read."""

from __future__ import annotations

import pytest

from hotgigs.auth.models import Role
from hotgigs.db import session_scope
from hotgigs.notifications.bus import message_of
from hotgigs.notifications.service import about_subject
from tests.support import documents
from tests.support.sample_resumes import sample_resume

pytestmark = pytest.mark.usefixtures("worker")


def test_stages_are_emitted_in_order_with_progress(auth_headers, upload, finished) -> None:
    import uuid

    headers = auth_headers(Role.RECRUITER)
    resume_id = upload(headers, documents.make_pdf(sample_resume())).json()["resume_id"]
    status = finished(headers, resume_id)
    with session_scope() as session:
        stored = about_subject(session, uuid.UUID(resume_id))
        messages = [message_of(event) for event in stored]
        candidate_events = about_subject(session, uuid.UUID(status["candidate_id"]))
    stages = [(m["data"]["status"], m["data"]["progress"]) for m in messages]
    assert stages == [
        ("queued", 0),
        ("extracting", 10),
        ("parsing", 40),
        ("indexing", 70),
        ("completed", 100),
    ]
    assert [m["type"] for m in messages][-1] == "resume_completed"
    assert messages[-1]["data"]["candidate_id"] == status["candidate_id"]
    assert {"type", "id", "created_at", "data"} <= set(messages[0])
    assert [e.type for e in candidate_events] == ["candidate_added"]
