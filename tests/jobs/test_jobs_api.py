"""Job postings through the API: create, read skills from the text, edit, close, delete, privacy."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.models import Role
from hotgigs.parsing.jobs import read_job_skills

DESCRIPTION = """Senior Backend Engineer

We build APIs in Python and Django on AWS.
Requirements:
- 5+ years with Python, PostgreSQL
- Kubernetes (k8s) in production
Nice to have:
- Terraform
- React
Python required, Go a plus.
"""


def test_description_skills_split_into_required_and_preferred() -> None:
    read = read_job_skills(DESCRIPTION)
    assert read.required == ["Python", "Django", "AWS", "PostgreSQL", "Kubernetes"]
    assert read.preferred == ["Terraform", "React", "Go"]
    assert read_job_skills("") == read_job_skills("We are a friendly team.")
    assert read_job_skills("").required == [] and read_job_skills("").preferred == []


@pytest.fixture
def people(auth_headers):
    """Bearer headers of two recruiters, an admin and a candidate."""
    roles = {
        "owner": Role.RECRUITER,
        "other": Role.RECRUITER,
        "admin": Role.ADMIN,
        "candidate": Role.CANDIDATE,
    }
    return {name: auth_headers(role) for name, role in roles.items()}


def test_create_reads_skills_and_canonicalises_given_ones(client: TestClient, people) -> None:
    read = client.post(
        "/api/jobs",
        json={"title": "  Backend Engineer ", "description": DESCRIPTION, "min_years": 5},
        headers=people["owner"],
    )
    assert read.status_code == 201, read.text
    job = read.json()
    assert job["title"] == "Backend Engineer" and job["status"] == "open"
    assert job["required_skills"][:2] == ["Python", "Django"]
    assert "Terraform" in job["preferred_skills"]
    given = client.post(
        "/api/jobs",
        json={
            "title": "Platform",
            "description": DESCRIPTION,
            "required_skills": ["k8s", "JS", "k8s", "Underwater Basket Weaving"],
            "preferred_skills": [],
            "education": "bachelor",
            "location": "Pune",
            "remote": True,
        },
        headers=people["owner"],
    ).json()
    assert given["required_skills"] == ["Kubernetes", "JavaScript", "Underwater Basket Weaving"]
    assert given["preferred_skills"] == []
    assert (given["education"], given["location"], given["remote"]) == ("bachelor", "Pune", True)


def test_editing_the_description_rereads_only_skills_that_came_from_it(
    client: TestClient, people
) -> None:
    auto = client.post(
        "/api/jobs", json={"title": "A", "description": "Java and Spring"}, headers=people["owner"]
    ).json()
    manual = client.post(
        "/api/jobs",
        json={"title": "B", "description": "Java", "required_skills": ["Rust"]},
        headers=people["owner"],
    ).json()
    for job in (auto, manual):
        client.patch(
            f"/api/jobs/{job['id']}", json={"description": "Go and Docker"}, headers=people["owner"]
        )
    assert client.get(f"/api/jobs/{auto['id']}", headers=people["owner"]).json()[
        "required_skills"
    ] == ["Go", "Docker"]
    assert client.get(f"/api/jobs/{manual['id']}", headers=people["owner"]).json()[
        "required_skills"
    ] == ["Rust"]


@pytest.mark.parametrize(
    "body",
    [
        {"description": "no title"},
        {"title": ""},
        {"title": "x", "education": "wizard"},
        {"title": "x", "min_years": -1},
        {"title": "x", "owner_id": str(uuid.uuid4())},
        {"title": "x", "required_skills": "Python"},
    ],
)
def test_bad_job_bodies_are_refused(client: TestClient, people, body) -> None:
    assert client.post("/api/jobs", json=body, headers=people["owner"]).status_code == 422


def test_list_limits_outside_the_range_are_refused(client: TestClient, people) -> None:
    # Found by the API fuzzer: a negative limit reached the database (PostgreSQL: a 500).
    for limit in (-5, 0, 501):
        answer = client.get("/api/jobs", params={"limit": limit}, headers=people["owner"])
        assert answer.status_code == 422
    assert client.get("/api/jobs", params={"limit": 1}, headers=people["owner"]).status_code == 200


def test_who_sees_and_changes_jobs(client: TestClient, people) -> None:
    job = client.post("/api/jobs", json={"title": "Owned"}, headers=people["owner"]).json()
    url = f"/api/jobs/{job['id']}"
    missing = f"/api/jobs/{uuid.uuid4()}"
    # the owner and admins read and change it; another recruiter gets what a missing job gets
    for who in ("owner", "admin"):
        assert client.get(url, headers=people[who]).status_code == 200
    assert client.get(url, headers=people["other"]).status_code == 404
    assert client.patch(url, json={"title": "x"}, headers=people["other"]).status_code == 404
    assert client.patch(missing, json={"title": "x"}, headers=people["other"]).status_code == 404
    assert client.delete(url, headers=people["other"]).status_code == 404
    assert [j["id"] for j in client.get("/api/jobs", headers=people["other"]).json()["items"]] == []
    # candidates see open jobs, cannot post or change any, and lose sight of closed ones
    assert client.get(url, headers=people["candidate"]).status_code == 200
    assert (
        client.post("/api/jobs", json={"title": "x"}, headers=people["candidate"]).status_code
        == 403
    )
    assert client.patch(url, json={"title": "x"}, headers=people["candidate"]).status_code == 403
    closed = client.patch(url, json={"status": "closed"}, headers=people["admin"])
    assert closed.json()["status"] == "closed"
    assert client.get(url, headers=people["candidate"]).status_code == 404
    assert client.get("/api/jobs", headers=people["candidate"]).json()["total"] == 0
    owner_view = client.get(
        "/api/jobs", params={"status_filter": "closed"}, headers=people["owner"]
    ).json()
    assert [j["id"] for j in owner_view["items"]] == [job["id"]]
    assert client.get(url, headers={}).status_code == 401
    assert client.delete(url, headers=people["owner"]).status_code == 204
    assert client.get(url, headers=people["owner"]).status_code == 404
