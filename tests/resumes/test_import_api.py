"""Upload -> real queue -> real worker -> candidate, for every format and failure."""

from __future__ import annotations

import hashlib
import shutil
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.models import Role
from tests.support import documents
from tests.support.sample_resumes import sample_resume

pytestmark = pytest.mark.usefixtures("worker")

FORMATS = {
    "pdf": lambda lines: documents.make_pdf(lines),
    "docx": lambda lines: documents.make_docx(lines),
    "rtf": lambda lines: documents.make_rtf(lines),
    "odt": lambda lines: documents.make_odt(lines),
    "html": lambda lines: documents.make_html(lines),
    "txt": lambda lines: documents.make_txt(lines),
}


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_every_format_becomes_a_candidate(
    kind: str, client: TestClient, auth_headers, upload, finished
) -> None:
    headers = auth_headers(Role.RECRUITER)
    data = FORMATS[kind](sample_resume(email=f"{kind}@example.com"))
    accepted = upload(headers, data, filename=f"cv.{kind}")
    assert accepted.status_code == 202, accepted.text
    body = accepted.json()
    assert body["status"] == "queued" and body["duplicate"] is False

    status = finished(headers, body["resume_id"])
    assert status["status"] == "completed", status
    assert status["progress"] == 100
    assert status["candidate_id"]
    assert status["timings"]["processing_ms"] >= 0

    parsed = client.get(f"/api/resumes/{body['resume_id']}/data", headers=headers).json()
    assert parsed["status"] == "completed"
    assert parsed["resume"]["basics"]["email"] == f"{kind}@example.com"
    assert parsed["meta"]["extraction"]["kind"] == kind
    candidate = client.get(
        f"/api/resumes/candidates/{status['candidate_id']}", headers=headers
    ).json()
    assert candidate["email"] == f"{kind}@example.com"


@pytest.mark.skipif(not shutil.which("antiword"), reason="Debian package antiword not installed")
def test_doc_becomes_a_candidate(auth_headers, upload, finished) -> None:
    headers = auth_headers(Role.RECRUITER)
    try:
        data = documents.make_doc(sample_resume(email="doc@example.com"))
    except documents.GeneratorUnavailable as exc:
        pytest.skip(str(exc))
    status = finished(headers, upload(headers, data, filename="cv.doc").json()["resume_id"])
    assert status["status"] == "completed", status


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (lambda: documents.make_encrypted_pdf(sample_resume(), "s3cret"), "encrypted", "password"),
        (documents.make_zip_bomb_docx, "zip_bomb", ""),
        (documents.make_truncated_pdf, "corrupt", ""),
    ],
    ids=["encrypted-pdf", "zip-bomb-docx", "truncated-pdf"],
)
def test_bad_files_fail_with_a_reason_and_create_nothing(
    make, code: str, words: str, client: TestClient, auth_headers, upload, finished
) -> None:
    headers = auth_headers(Role.RECRUITER)
    accepted = upload(headers, make(), filename="bad.pdf")
    assert accepted.status_code == 202, accepted.text
    status = finished(headers, accepted.json()["resume_id"])
    assert status["status"] == "failed"
    assert status["error_code"] == code
    assert words in status["error"].lower()
    assert status["candidate_id"] is None
    assert client.get("/api/resumes/candidates", headers=headers).json()["total"] == 0
    # The worker survived: a good file right after still imports.
    good = upload(headers, documents.make_txt(sample_resume()), filename="ok.txt").json()
    assert finished(headers, good["resume_id"])["status"] == "completed"


def test_uploading_a_failed_file_again_retries_it(auth_headers, upload, finished) -> None:
    headers = auth_headers(Role.RECRUITER)
    data = documents.make_truncated_pdf()
    first = upload(headers, data).json()
    assert finished(headers, first["resume_id"])["status"] == "failed"
    again = upload(headers, data)
    assert again.status_code == 202
    assert again.json()["resume_id"] == first["resume_id"]
    assert again.json()["status"] == "queued" and again.json()["duplicate"] is False
    retried = finished(headers, first["resume_id"])
    assert retried["status"] == "failed" and retried["attempts"] == 2
    assert retried["error_code"] == "corrupt"


def test_upload_refuses_empty_unsupported_and_oversized(auth_headers, upload) -> None:
    headers = auth_headers(Role.RECRUITER)
    empty = upload(headers, b"", filename="empty.pdf")
    assert empty.status_code == 400 and "empty" in empty.json()["detail"]
    exe = upload(headers, b"MZ\x90\x00" + b"\x00" * 200, filename="resume.pdf")
    assert exe.status_code == 415 and "not supported" in exe.json()["detail"]
    huge = upload(headers, b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), filename="big.pdf")
    assert huge.status_code == 413 and "10 MB" in huge.json()["detail"]


def test_type_comes_from_content_not_name(client: TestClient, auth_headers, upload, finished):
    headers = auth_headers(Role.RECRUITER)
    body = upload(headers, documents.make_docx(sample_resume()), filename="looks-like.pdf").json()
    assert finished(headers, body["resume_id"])["status"] == "completed"
    download = client.get(f"/api/resumes/{body['resume_id']}/download", headers=headers)
    assert download.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_download_returns_original_bytes_under_a_safe_name(
    client: TestClient, auth_headers, upload
) -> None:
    headers = auth_headers(Role.RECRUITER)
    data = documents.make_pdf(sample_resume())
    hostile = '../../etc/passwd\r\nX-Evil: 1"; Renée Müller.pdf'
    body = upload(headers, data, filename=hostile).json()
    assert "/" not in body["filename"] and "\n" not in body["filename"]
    response = client.get(f"/api/resumes/{body['resume_id']}/download", headers=headers)
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == hashlib.sha256(data).hexdigest()
    disposition = response.headers["content-disposition"]
    assert "x-evil" not in {k.lower() for k in response.headers}
    assert disposition.startswith("attachment;")
    exact = unquote(disposition.split("filename*=UTF-8''")[1])
    assert exact == body["filename"] and exact.endswith("Renée Müller.pdf")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_same_file_twice_points_at_the_existing_resume(auth_headers, upload, finished) -> None:
    headers = auth_headers(Role.RECRUITER)
    data = documents.make_pdf(sample_resume())
    first = upload(headers, data).json()
    again = upload(headers, data, filename="renamed.pdf")
    assert again.status_code == 200
    assert again.json()["resume_id"] == first["resume_id"]
    assert again.json()["duplicate"] is True
    # Another recruiter's database is separate: they get their own copy.
    other_headers = auth_headers(Role.RECRUITER)
    other = upload(other_headers, data)
    assert other.status_code == 202 and other.json()["resume_id"] != first["resume_id"]
    assert finished(other_headers, other.json()["resume_id"])["status"] == "completed"
    assert finished(headers, first["resume_id"])["status"] == "completed"


@pytest.mark.parametrize("shared", ["email", "phone"])
def test_same_person_becomes_a_new_version_not_a_second_candidate(
    shared: str, client: TestClient, auth_headers, upload, finished
) -> None:
    headers = auth_headers(Role.RECRUITER)
    first = sample_resume(email="same@example.com", phone="+1 415 555 0100")
    second = sample_resume(
        title="Staff Data Engineer",
        email="same@example.com" if shared == "email" else "new@example.com",
        phone="+1 415 555 0100" if shared == "phone" else "+1 212 555 0199",
    )
    one = finished(headers, upload(headers, documents.make_pdf(first)).json()["resume_id"])
    two = finished(headers, upload(headers, documents.make_docx(second)).json()["resume_id"])
    assert one["candidate_id"] == two["candidate_id"]
    candidates = client.get("/api/resumes/candidates", headers=headers).json()
    assert candidates["total"] == 1
    assert candidates["items"][0]["headline"] == "Staff Data Engineer"  # newest version shows
    assert candidates["items"][0]["current_resume_id"] == two["resume_id"]


def test_look_alike_is_flagged_then_merged_on_request(
    client: TestClient, auth_headers, upload, finished
) -> None:
    headers = auth_headers(Role.RECRUITER)
    a = sample_resume(email="priya@example.com", phone="+1 415 555 0101")
    b = sample_resume(email="p.raman@example.org", phone="+1 650 555 0102")
    one = finished(headers, upload(headers, documents.make_pdf(a)).json()["resume_id"])
    two = finished(headers, upload(headers, documents.make_pdf(b)).json()["resume_id"])
    assert one["candidate_id"] != two["candidate_id"]  # never merged silently
    flags = client.get("/api/resumes/duplicates", headers=headers).json()["items"]
    assert len(flags) == 1
    assert flags[0]["candidate_id"] == two["candidate_id"]
    assert flags[0]["duplicate_of_id"] == one["candidate_id"]
    assert "Acme Analytics" in flags[0]["reason"] or "acme analytics" in flags[0]["reason"]

    merged = client.post(
        f"/api/resumes/candidates/{one['candidate_id']}/merge",
        headers=headers,
        json={"duplicate_id": two["candidate_id"]},
    )
    assert merged.status_code == 200
    gone = client.get(f"/api/resumes/candidates/{two['candidate_id']}", headers=headers)
    assert gone.status_code == 404
    moved = client.get(f"/api/resumes/{two['resume_id']}/status", headers=headers).json()
    assert moved["candidate_id"] == one["candidate_id"]
    assert client.get("/api/resumes/duplicates", headers=headers).json()["total"] == 0


def test_upload_can_attach_a_version_to_a_chosen_candidate(auth_headers, upload, finished) -> None:
    headers = auth_headers(Role.RECRUITER)
    one = finished(
        headers, upload(headers, documents.make_pdf(sample_resume())).json()["resume_id"]
    )
    other_person = sample_resume(
        name="Someone Else", email="else@example.com", phone="+1 212 555 0100"
    )
    two = upload(headers, documents.make_txt(other_person), candidate_id=one["candidate_id"])
    assert finished(headers, two.json()["resume_id"])["candidate_id"] == one["candidate_id"]
    foreign = upload(
        auth_headers(Role.RECRUITER),
        documents.make_txt(other_person),
        candidate_id=one["candidate_id"],
    )
    assert foreign.status_code == 404


def test_candidate_uploads_to_their_own_profile(client: TestClient, auth_headers, upload, finished):
    headers = auth_headers(Role.CANDIDATE)
    one = finished(
        headers, upload(headers, documents.make_pdf(sample_resume())).json()["resume_id"]
    )
    newer = sample_resume(email="changed@example.com", phone="+1 212 555 0111")
    two = finished(headers, upload(headers, documents.make_txt(newer)).json()["resume_id"])
    assert one["candidate_id"] == two["candidate_id"]
    me = client.get("/api/auth/me", headers=headers).json()
    profile = client.get(f"/api/resumes/candidates/{one['candidate_id']}", headers=headers).json()
    assert profile["owner_id"] == me["id"]


def test_others_cannot_see_a_resume_but_admins_can(
    client: TestClient, auth_headers, upload, finished
) -> None:
    owner = auth_headers(Role.RECRUITER)
    body = upload(owner, documents.make_pdf(sample_resume())).json()
    status = finished(owner, body["resume_id"])
    paths = [
        f"/api/resumes/{body['resume_id']}/status",
        f"/api/resumes/{body['resume_id']}/data",
        f"/api/resumes/{body['resume_id']}/download",
        f"/api/resumes/candidates/{status['candidate_id']}",
    ]
    for intruder in (auth_headers(Role.RECRUITER), auth_headers(Role.CANDIDATE)):
        for path in paths:
            response = client.get(path, headers=intruder)
            assert response.status_code == 404, path
            assert "priya" not in response.text.lower()
    admin = auth_headers(Role.ADMIN)
    assert all(client.get(path, headers=admin).status_code == 200 for path in paths)
    for path in paths:
        assert client.get(path).status_code == 401


def test_bulk_upload_bad_file_fails_alone(client: TestClient, auth_headers, finished) -> None:
    headers = auth_headers(Role.RECRUITER)
    files = [
        (
            "files",
            (
                f"cv{i}.txt",
                documents.make_txt(
                    sample_resume(
                        name=f"Person Number{i}",
                        email=f"p{i}@example.com",
                        phone=f"+1 415 555 01{i:02d}",
                    )
                ),
                "text/plain",
            ),
        )
        for i in range(3)
    ]
    files.append(
        ("files", ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/octet-stream"))
    )
    response = client.post("/api/resumes/bulk-upload", headers=headers, files=files)
    assert response.status_code == 202
    body = response.json()
    assert (body["total"], body["accepted"], body["failed"]) == (4, 3, 1)
    bad = body["items"][3]
    assert bad["error_code"] == "unsupported_type" and bad["resume_id"] is None
    for item in body["items"][:3]:
        assert finished(headers, item["resume_id"])["status"] == "completed"


def test_bulk_upload_over_the_limit_is_413_naming_it(client: TestClient, auth_headers) -> None:
    files = [("files", (f"{i}.txt", b"resume text " * 5, "text/plain")) for i in range(51)]
    response = client.post(
        "/api/resumes/bulk-upload", headers=auth_headers(Role.RECRUITER), files=files
    )
    assert response.status_code == 413
    assert "50" in response.json()["detail"]


def test_request_body_over_the_limit_is_refused_before_reading(
    client: TestClient, auth_headers
) -> None:
    response = client.post(
        "/api/resumes/upload",
        headers={**auth_headers(Role.RECRUITER), "content-length": str(200 * 1024 * 1024)},
        content=b"x" * 10,
    )
    assert response.status_code == 413


def test_configured_llm_refines_the_parse_and_its_failure_changes_nothing(
    fake_llm, settings
) -> None:
    from hotgigs.resumes.flows import parse_resume_text

    state, url = fake_llm
    text = "\n".join(sample_resume())
    with_llm = settings.model_copy(update={"hotgigs_llm_url": url, "hotgigs_llm_model": "m"})
    refined = parse_resume_text(text, with_llm)
    assert refined.meta["llm"]["used"] is True
    assert refined.resume["basics"]["email"] == "priya.raman@example.com"  # local wins
    state.status = 503
    assert parse_resume_text(text, with_llm).resume == parse_resume_text(text, settings).resume


def test_listed_skills_are_the_profiles_and_prose_skills_still_count_for_search(
    client: TestClient, auth_headers, upload, finished
) -> None:
    headers = auth_headers(Role.RECRUITER)
    # The sample lists Python, Kafka, ...; Snowflake appears only in a sentence of a job.
    accepted = upload(headers, documents.make_pdf(sample_resume()), filename="cv.pdf")
    status = finished(headers, accepted.json()["resume_id"])
    assert status["status"] == "completed", status
    data = client.get(f"/api/resumes/{status['resume_id']}/data", headers=headers).json()
    listed = [skill["name"] for skill in data["resume"]["skills"]]
    assert "Apache Spark" in listed and "Kubernetes" in listed
    assert "Snowflake" not in listed
    assert "Snowflake" in [m["name"] for m in data["meta"]["skill_mentions"]]

    def found(**filters) -> list[str]:
        answer = client.get("/api/resumes/candidates", params=filters, headers=headers)
        assert answer.status_code == 200, answer.text
        return [item["id"] for item in answer.json()["items"]]

    assert found(skills=["Snowflake", "Kafka"]) == [status["candidate_id"]]
    assert found(skills=["Snowflake", "Fortran"]) == []
