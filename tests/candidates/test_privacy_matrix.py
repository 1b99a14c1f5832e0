"""Every candidate, resume, note, tag, share, download and match route, by every kind of caller.

A cell passes when the caller gets exactly the expected status, and a refusal never tells
more than a request for a candidate that does not exist would: a caller who may not see
the candidate gets the same status for it as for a random id.
"""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.candidates.world import build_world

ACTORS = ("owner", "other", "viewer", "editor", "admin", "self", "other_candidate", "anonymous")

OK, GONE, DENIED, ANON = "ok", 404, 403, 401


def expect(**cells: object) -> dict[str, object]:
    """A full row of the matrix: unnamed actors default to GONE (they may not see it)."""
    row = dict.fromkeys(ACTORS, GONE)
    row["anonymous"] = ANON
    row.update(cells)
    return row


# Reads anyone who can see the candidate may do.
SEE = {"owner": OK, "viewer": OK, "editor": OK, "admin": OK, "self": OK}
# Recruiter-side routes: candidate accounts are refused by role, whatever the id.
RECRUITER_SEE = {**SEE, "self": DENIED, "other_candidate": DENIED}
# Changes: the owner, an edit share and an admin; a view share may look but not touch.
CHANGE = {**RECRUITER_SEE, "viewer": DENIED}
# Managing (shares, activity, export, erase): the owner and admins only.
MANAGE = {**CHANGE, "editor": DENIED}
# A note is changed only by its author (the owner wrote it).
AUTHOR = {**CHANGE, "editor": DENIED, "admin": DENIED}
# The owner's open job: its owner and admins, and (open jobs) candidate accounts.
JOB_SEE = {"owner": OK, "admin": OK, "self": OK, "other_candidate": OK}
# Rematching a job: its owner or an admin; candidate accounts are refused by role.
JOB_MANAGE = {"owner": OK, "admin": OK, "self": DENIED, "other_candidate": DENIED}
# A match: whoever may see both its candidate and its job.
MATCH_SEE = {"owner": OK, "admin": OK, "self": OK}

ROUTES: list[tuple[str, str, dict | None, dict[str, object]]] = [
    ("GET", "/api/resumes/candidates/{cid}", None, expect(**SEE)),
    (
        "PATCH",
        "/api/resumes/candidates/{cid}",
        {"headline": "Lead"},
        expect(**{**SEE, "viewer": DENIED}),
    ),
    ("GET", "/api/resumes/candidates/{cid}/resumes", None, expect(**SEE)),
    ("GET", "/api/resumes/candidates/{cid}/activity", None, expect(**MANAGE)),
    ("GET", "/api/resumes/candidates/{cid}/export", None, expect(**MANAGE)),
    ("GET", "/api/resumes/candidates/{cid}/notes", None, expect(**RECRUITER_SEE)),
    ("POST", "/api/resumes/candidates/{cid}/notes", {"content": "Called"}, expect(**CHANGE)),
    (
        "PATCH",
        "/api/resumes/candidates/{cid}/notes/{nid}",
        {"content": "Edited"},
        expect(**AUTHOR),
    ),
    ("DELETE", "/api/resumes/candidates/{cid}/notes/{nid}", None, expect(**AUTHOR)),
    ("GET", "/api/resumes/candidates/{cid}/tags", None, expect(**RECRUITER_SEE)),
    ("POST", "/api/resumes/candidates/{cid}/tags", {"tags": ["java"]}, expect(**CHANGE)),
    ("DELETE", "/api/resumes/candidates/{cid}/tags/shortlist", None, expect(**CHANGE)),
    ("GET", "/api/resumes/candidates/{cid}/shares", None, expect(**MANAGE)),
    (
        "POST",
        "/api/resumes/candidates/{cid}/shares",
        {"recruiter_email": "{other_email}", "permission": "view"},
        expect(**MANAGE),
    ),
    ("DELETE", "/api/resumes/candidates/{cid}/shares/{sid}", None, expect(**MANAGE)),
    ("DELETE", "/api/resumes/candidates/{cid}", None, expect(**MANAGE)),
    ("GET", "/api/resumes/{rid}/status", None, expect(**SEE)),
    ("GET", "/api/resumes/{rid}/data", None, expect(**SEE)),
    # the world's view share was not allowed downloads (tests/candidates/test_notes_and_shares)
    ("GET", "/api/resumes/{rid}/download", None, expect(**{**SEE, "viewer": DENIED})),
    ("GET", "/api/matching/candidates/{cid}/matches", None, expect(**SEE)),
    ("POST", "/api/matching/candidates/{cid}/rematch", None, expect(**SEE)),
    ("GET", "/api/matching/jobs/{jid}/matches", None, expect(**JOB_SEE)),
    ("POST", "/api/matching/jobs/{jid}/rematch", None, expect(**JOB_MANAGE)),
    ("GET", "/api/matching/matches/{mid}", None, expect(**MATCH_SEE)),
    ("POST", "/api/matching/matches/{mid}/viewed", None, expect(**MATCH_SEE)),
    ("GET", "/api/matching/stats/candidate/{cid}", None, expect(**SEE)),
    ("GET", "/api/matching/stats/job/{jid}", None, expect(**JOB_SEE)),
]


def _fill(template: object, values: dict[str, str]) -> object:
    """The template (path or JSON body) with {placeholders} filled in."""
    if isinstance(template, str):
        return template.format(**values)
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    return template


def _status_class(status: int) -> object:
    return OK if 200 <= status < 300 else status


@pytest.mark.parametrize(
    ("method", "path", "body", "row"), ROUTES, ids=[f"{m} {p}" for m, p, _b, _r in ROUTES]
)
def test_route_matrix(client: TestClient, people, settings, method, path, body, row) -> None:
    users, headers = people
    leaks = []
    for actor in ACTORS:
        world = build_world(users, settings)  # fresh: earlier cells may have changed it
        values = {
            "cid": str(world.candidate_id),
            "rid": str(world.resume_id),
            "nid": str(world.note_id),
            "sid": str(world.share_id),
            "jid": str(world.job_id),
            "mid": str(world.match_id),
            "other_email": users["other"].email,
        }
        response = client.request(
            method, _fill(path, values), json=_fill(body, values), headers=headers[actor]
        )
        got = _status_class(response.status_code)
        if got != row[actor]:
            leaks.append(f"{actor}: expected {row[actor]}, got {response.status_code}")
            continue
        if got in (GONE, DENIED, ANON):
            # the same request about things that do not exist must answer alike
            missing = {key: str(uuid.uuid4()) for key in ("cid", "rid", "nid", "sid", "jid", "mid")}
            probe = client.request(
                method,
                _fill(path, {**values, **missing}),
                json=_fill(body, values),
                headers=headers[actor],
            )
            if got != DENIED and probe.status_code != response.status_code:
                leaks.append(
                    f"{actor}: {response.status_code} for the real id but "
                    f"{probe.status_code} for a missing one"
                )
            assert "Ada Example" not in response.text
    assert not leaks, f"{method} {path}:\n" + "\n".join(leaks)


def test_lists_show_only_what_each_caller_may_see(client: TestClient, people, settings) -> None:
    users, headers = people
    world = build_world(users, settings)
    cid = str(world.candidate_id)
    for actor in ACTORS:
        response = client.get("/api/resumes/candidates", headers=headers[actor])
        if actor == "anonymous":
            assert response.status_code == 401
            continue
        listed = {item["id"] for item in response.json()["items"]}
        assert (cid in listed) == (actor in SEE), actor
        resumes = client.get("/api/resumes", headers=headers[actor]).json()["items"]
        assert (str(world.resume_id) in {r["resume_id"] for r in resumes}) == (actor in SEE)
        duplicates = client.get("/api/resumes/duplicates", headers=headers[actor]).json()
        assert all(d["candidate_id"] != cid for d in duplicates["items"]) or actor in SEE


def test_admin_routes_are_for_admins_only(client: TestClient, people, settings) -> None:
    users, headers = people
    world = build_world(users, settings)
    share = {
        "candidate_id": str(world.candidate_id),
        "recruiter_id": str(users["other"].id),
        "permission": "view",
    }
    for actor in ACTORS:
        master = client.get("/api/resumes/admin/candidates", headers=headers[actor])
        shared = client.post(
            "/api/resumes/admin/candidates/share", json=share, headers=headers[actor]
        )
        log = client.get("/api/resumes/admin/activity", headers=headers[actor])
        expected = 200 if actor == "admin" else 401 if actor == "anonymous" else 403
        assert master.status_code == expected, actor
        assert shared.status_code == (201 if actor == "admin" else expected), actor
        assert log.status_code == expected, actor
    master = client.get("/api/resumes/admin/candidates", headers=headers["admin"]).json()
    row = next(item for item in master["items"] if item["id"] == str(world.candidate_id))
    assert row["owner_email"] == users["owner"].email


def test_match_lists_show_a_match_only_to_who_sees_candidate_and_job(
    client: TestClient, people, settings
) -> None:
    users, headers = people
    world = build_world(users, settings)
    for actor in ("owner", "viewer", "editor", "admin", "self", "other_candidate"):
        by_candidate = client.get(
            f"/api/matching/candidates/{world.candidate_id}/matches", headers=headers[actor]
        )
        by_job = client.get(f"/api/matching/jobs/{world.job_id}/matches", headers=headers[actor])
        stats = client.get(f"/api/matching/stats/job/{world.job_id}", headers=headers[actor])
        listed = set()
        for response in (by_candidate, by_job):
            if response.status_code == 200:
                listed |= {item["id"] for item in response.json()["items"]}
        assert (str(world.match_id) in listed) == (actor in MATCH_SEE), actor
        if stats.status_code == 200:
            assert stats.json()["total_matches"] == (1 if actor in MATCH_SEE else 0), actor


def test_a_private_note_exists_for_its_author_alone(client: TestClient, people, settings) -> None:
    users, headers = people
    world = build_world(users, settings)
    base = f"/api/resumes/candidates/{world.candidate_id}/notes"
    added = client.post(
        base, json={"content": "Private hunch", "is_private": True}, headers=headers["owner"]
    )
    note_id = added.json()["id"]
    for actor in ACTORS:
        listed = client.get(base, headers=headers[actor])
        if actor == "owner":
            assert "Private hunch" in listed.text
            continue
        assert "Private hunch" not in listed.text, actor
        if RECRUITER_SEE.get(actor) == OK:
            assert [n["id"] for n in listed.json()["items"]] == [str(world.note_id)], actor
        # changing it answers exactly as for a note that does not exist
        for method, body in (("PATCH", {"content": "x"}), ("DELETE", None)):
            real = client.request(method, f"{base}/{note_id}", json=body, headers=headers[actor])
            missing = client.request(
                method, f"{base}/{uuid.uuid4()}", json=body, headers=headers[actor]
            )
            assert real.status_code == missing.status_code, (actor, method)
            assert "Private hunch" not in real.text
    assert client.get(base, headers=headers["owner"]).json()["total"] == 2
