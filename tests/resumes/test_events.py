"""Progress is written as notifications the status endpoint and live channels read."""

from __future__ import annotations

import pytest

from hotgigs.auth.models import Role
from hotgigs.db import session_scope
from hotgigs.notifications.bus import message_of
from hotgigs.notifications.service import about_subject
from tests.support import documents
from tests.support.processes import wait_for
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


def test_a_bulk_upload_is_announced_once_when_its_last_file_finishes(
    client, auth_headers, finished
) -> None:
    from sqlalchemy import select

    from hotgigs.notifications.models import Notification

    headers = auth_headers(Role.RECRUITER)
    known = ("files", ("known.txt", documents.make_txt(sample_resume(name="Known Person"))))
    first = client.post("/api/resumes/bulk-upload", headers=headers, files=[known]).json()
    finished(headers, first["items"][0]["resume_id"])
    files = [
        ("files", ("one.pdf", documents.make_pdf(sample_resume()))),
        (
            "files",
            (
                "two.txt",
                documents.make_txt(
                    sample_resume(name="Li Wei", email="li@x.org", phone="+44 20 7946 0958")
                ),
            ),
        ),
        ("files", ("locked.pdf", documents.make_encrypted_pdf(sample_resume()))),
        known,  # known already: not processed again
        ("files", ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100)),  # refused at the door
    ]
    bulk = client.post("/api/resumes/bulk-upload", headers=headers, files=files).json()
    outcomes = [
        finished(headers, item["resume_id"])["status"]
        for item in bulk["items"]
        if item["resume_id"] and not item["duplicate"]
    ]

    def announced() -> dict[str, dict]:
        with session_scope() as session:
            query = select(Notification).where(Notification.type == "bulk_upload_completed")
            return {str(n.subject_id): n.data for n in session.scalars(query)}

    wait_for(lambda: len(announced()) == 2, timeout=30, what="both batches announced")
    assert announced()[bulk["batch_id"]] == {
        "batch_id": bulk["batch_id"],
        "total": len(outcomes),
        "completed": outcomes.count("completed"),
        "failed": outcomes.count("failed"),
        "candidates": outcomes.count("completed"),
    }
    assert len(outcomes) == 3 and outcomes.count("completed") >= 2
    # Nothing in this bulk upload needed processing: no batch, nothing to announce.
    again = client.post("/api/resumes/bulk-upload", headers=headers, files=[known]).json()
    assert again["batch_id"] is None
    assert len(announced()) == 2
