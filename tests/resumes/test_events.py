"""Progress is written as notifications the status endpoint and live channels read."""

from __future__ import annotations

import uuid

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


def test_a_single_upload_is_told_on_its_own(client, auth_headers, upload, finished) -> None:
    headers = auth_headers(Role.RECRUITER)
    resume_id = upload(headers, documents.make_pdf(sample_resume())).json()["resume_id"]
    status = finished(headers, resume_id)
    center = client.get("/api/notifications", headers=headers).json()
    assert [(n["type"], n["data"]["candidate_id"]) for n in center["items"]] == [
        ("resume_completed", status["candidate_id"]),
        ("candidate_added", status["candidate_id"]),
    ]


def test_a_bulk_upload_is_told_once_with_its_counts_and_duplicates(
    client, auth_headers, upload, finished
) -> None:
    headers = auth_headers(Role.RECRUITER)
    # Known before the batch: a file sent again, and a person the batch has a look-alike of.
    known = ("known.txt", documents.make_txt(sample_resume(name="Known Person")))
    finished(headers, upload(headers, known[1], known[0]).json()["resume_id"])
    priya = upload(headers, documents.make_pdf(sample_resume()), "priya.pdf").json()
    finished(headers, priya["resume_id"])
    before = client.get("/api/notifications", headers=headers).json()["items"][0]["id"]

    good = [
        ("li.txt", sample_resume(name="Li Wei", email="li@x.org", phone="+44 20 7946 0958")),
        ("sam.txt", sample_resume(name="Sam Rivera", email="sam@x.org", phone="+1 312 555 0177")),
        ("pria.txt", sample_resume(name="Pria Raman", email="pria@x.org", phone="+1 303 555 0111")),
    ]
    files = [("files", (name, documents.make_txt(lines))) for name, lines in good]
    files += [
        ("files", ("locked.pdf", documents.make_encrypted_pdf(sample_resume(name="Lock Ed")))),
        ("files", ("broken.pdf", documents.make_truncated_pdf())),
        ("files", known),  # known already: not processed again
        ("files", ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100)),  # refused at the door
    ]
    bulk = client.post("/api/resumes/bulk-upload", headers=headers, files=files).json()
    processed = [item for item in bulk["items"] if item["resume_id"] and not item["duplicate"]]
    outcomes = [finished(headers, item["resume_id"])["status"] for item in processed]
    assert outcomes == ["completed"] * 3 + ["failed"] * 2

    def told() -> list[dict]:
        page = client.get("/api/notifications", params={"after": before}, headers=headers)
        return page.json()["items"]

    wait_for(told, timeout=30, what="the batch to be announced")
    (summary,) = told()  # each file's own news was committed before its batch could finish
    flagged = client.get("/api/resumes/duplicates", headers=headers).json()["items"]
    assert len(flagged) == 1
    assert summary["type"] == "bulk_upload_completed"
    assert summary["data"] == {
        "batch_id": bulk["batch_id"],
        "total": 5,
        "completed": 3,
        "failed": 2,
        "candidates": 3,
        "duplicates": 1,
        "candidate_id": flagged[0]["candidate_id"],
    }
    assert summary["title"] == (
        "Bulk upload finished: 3 imported, 2 failed; 1 possible duplicate to review"
    )
    assert summary["browser"] is True
    # Each file still told its progress live, to the pages following it, and nothing more.
    with session_scope() as session:
        for item in processed:
            events = about_subject(session, uuid.UUID(item["resume_id"]))
            assert events[-1].type in ("resume_completed", "resume_failed")
            assert not any(e.in_app or e.browser for e in events)
    # Nothing in this bulk upload needed processing: no batch, nothing to announce.
    again = client.post("/api/resumes/bulk-upload", headers=headers, files=[("files", known)])
    assert again.json()["batch_id"] is None
    assert len(told()) == 1
