"""The container image's stack works: log in, import a resume over HTTP, see it completed.

Usage: image_smoke.py BASE_URL EMAIL PASSWORD (run by .ci/image against the running image).
"""

from __future__ import annotations

import io
import sys
import time

import httpx
from docx import Document


def resume_docx() -> bytes:
    """A small, real .docx resume."""
    document = Document()
    document.add_heading("Dana Whitfield", level=0)
    document.add_paragraph("dana.whitfield@example.com | +1 415 555 0134 | Oakland, CA")
    document.add_heading("Experience", level=1)
    document.add_paragraph("Senior Data Engineer, Northwind Analytics — 2019 - Present")
    document.add_paragraph("Built streaming pipelines in Python, Kafka and PostgreSQL.")
    document.add_heading("Education", level=1)
    document.add_paragraph("B.S. Computer Science, University of Oregon, 2015")
    document.add_heading("Skills", level=1)
    document.add_paragraph("Python, SQL, Kafka, Airflow, Docker")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def wait_until(check, *, timeout: float, what: str):
    """Call `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
        except httpx.TransportError:
            result = None
        if result:
            return result
        time.sleep(1)
    sys.exit(f"image check: timed out waiting for {what}")


def main(base_url: str, email: str, password: str) -> None:
    """Health, login, upload, completion, parsed data."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        wait_until(
            lambda: client.get("/api/health").json()["worker"]["status"] == "ok",
            timeout=180,
            what="the API to answer and a worker to be alive",
        )
        login = client.post("/api/auth/login", json={"email": email, "password": password})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        upload = client.post(
            "/api/resumes/upload",
            headers=headers,
            files={"file": ("dana-whitfield.docx", resume_docx(), "application/octet-stream")},
        )
        assert upload.status_code == 202, upload.text
        resume_id = upload.json()["resume_id"]

        def finished() -> dict | None:
            body = client.get(f"/api/resumes/{resume_id}/status", headers=headers).json()
            return body if body["status"] in {"completed", "failed"} else None

        status = wait_until(finished, timeout=180, what="the resume to be processed")
        assert status["status"] == "completed", status
        data = client.get(f"/api/resumes/{resume_id}/data", headers=headers)
        data.raise_for_status()
        assert "Dana Whitfield" in data.text, data.text[:500]
        print(f"image check: resume {resume_id} completed and parsed")


if __name__ == "__main__":
    main(*sys.argv[1:4])
