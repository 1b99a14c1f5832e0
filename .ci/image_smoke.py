"""The container image's stack works: log in, import a resume over HTTP, see it completed.

Usage: PYTHONPATH=. image_smoke.py BASE_URL EMAIL PASSWORD (run by .ci/image against the
running image; it uses the tests' helpers).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import httpx
from tests.support.documents import make_docx
from tests.support.processes import wait_for

RESUME = [
    "Dana Whitfield",
    "dana.whitfield@example.com | +1 415 555 0134 | Oakland, CA",
    "Experience",
    "Senior Data Engineer, Northwind Analytics — 2019 - Present",
    "Built streaming pipelines in Python, Kafka and PostgreSQL.",
    "Education",
    "B.S. Computer Science, University of Oregon, 2015",
    "Skills",
    "Python, SQL, Kafka, Airflow, Docker",
]


def answered(check: Callable[[], object]) -> Callable[[], object]:
    """`check`, counting a server that does not answer yet as not ready."""

    def attempt() -> object:
        try:
            return check()
        except httpx.TransportError:
            return None

    return attempt


def main(base_url: str, email: str, password: str) -> None:
    """Health, login, upload, completion, parsed data."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        wait_for(
            answered(lambda: client.get("/api/health").json()["worker"]["status"] == "ok"),
            timeout=180,
            what="the API to answer and a worker to be alive",
        )
        login = client.post("/api/auth/login", json={"email": email, "password": password})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        upload = client.post(
            "/api/resumes/upload",
            headers=headers,
            files={"file": ("dana-whitfield.docx", make_docx(RESUME), "application/octet-stream")},
        )
        assert upload.status_code == 202, upload.text
        resume_id = upload.json()["resume_id"]

        def finished() -> dict | None:
            body = client.get(f"/api/resumes/{resume_id}/status", headers=headers).json()
            return body if body["status"] in {"completed", "failed"} else None

        status = wait_for(finished, timeout=180, what="the resume to be processed")
        assert status["status"] == "completed", status
        data = client.get(f"/api/resumes/{resume_id}/data", headers=headers)
        data.raise_for_status()
        assert "Dana Whitfield" in data.text, data.text[:500]
        print(f"image check: resume {resume_id} completed and parsed")


if __name__ == "__main__":
    main(*sys.argv[1:4])
