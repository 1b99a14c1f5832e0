"""Note titles, important and private notes; shares that may or may not download the files."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.models import User
from hotgigs.main import create_app
from tests.candidates.world import World, build_world
from tests.conftest import PASSWORD
from tests.web.conftest import SAME_ORIGIN

SHARED, OWNER_SECRET, EDITOR_SECRET = "Strong on Python", "Owner's hunch", "Editor's hunch"
# Who lists which of the world's notes once the owner and the editor each wrote a private one.
EXPECTED_NOTES = {
    "owner": {SHARED, OWNER_SECRET},
    "editor": {SHARED, EDITOR_SECRET},
    "viewer": {SHARED},
    "admin": {SHARED},
}


@pytest.fixture
def pages() -> Iterator:
    """Browser-like clients signed in by session cookie, one per user asked for."""
    clients: list[TestClient] = []

    def signed_in(user: User) -> TestClient:
        client = TestClient(create_app(), follow_redirects=False)
        clients.append(client)
        answer = client.post(
            "/login", data={"email": user.email, "password": PASSWORD}, headers=SAME_ORIGIN
        )
        assert answer.status_code == 303, answer.text
        return client

    yield signed_in
    for client in clients:
        client.close()


def with_private_notes(client: TestClient, headers: dict, world: World) -> dict[str, str]:
    """The owner and the editor each add an important private note; their ids by author."""
    url = f"/api/resumes/candidates/{world.candidate_id}/notes"
    ids = {}
    for author, content in (("owner", OWNER_SECRET), ("editor", EDITOR_SECRET)):
        added = client.post(
            url,
            json={"content": content, "title": "Private", "is_important": True, "is_private": True},
            headers=headers[author],
        )
        assert added.status_code == 201, added.text
        ids[author] = added.json()["id"]
    return ids


def test_notes_carry_a_title_and_important_and_private_flags(
    client: TestClient, people, settings
) -> None:
    users, headers = people
    world = build_world(users, settings)
    url = f"/api/resumes/candidates/{world.candidate_id}/notes"
    plain = client.get(url, headers=headers["owner"]).json()["items"][0]
    assert (plain["title"], plain["is_important"], plain["is_private"]) == (None, False, False)
    added = client.post(
        url,
        json={"content": " Offer  ", "title": "  Next   step ", "is_important": True},
        headers=headers["editor"],
    )
    assert added.status_code == 201, added.text
    note = added.json()
    assert (note["title"], note["content"], note["is_important"], note["is_private"]) == (
        "Next step",
        "Offer",
        True,
        False,
    )
    # PATCH changes only what it names; an empty or null title removes the title
    patch = f"{url}/{note['id']}"
    changed = client.patch(patch, json={"is_important": False}, headers=headers["editor"]).json()
    assert (changed["title"], changed["content"], changed["is_important"]) == (
        "Next step",
        "Offer",
        False,
    )
    changed = client.patch(patch, json={"title": "", "is_private": True}, headers=headers["editor"])
    assert (changed.json()["title"], changed.json()["is_private"]) == (None, True)
    client.patch(patch, json={"title": "Again"}, headers=headers["editor"])
    assert (
        client.patch(patch, json={"title": None}, headers=headers["editor"]).json()["title"] is None
    )
    # bad requests say why
    for body in ({}, {"content": None}, {"title": "x" * 201}, {"content": ""}):
        refused = client.patch(patch, json=body, headers=headers["editor"])
        assert refused.status_code == 422, body
    assert "at least one of" in client.patch(patch, json={}, headers=headers["editor"]).text
    too_long = client.post(url, json={"content": "x", "title": "t" * 201}, headers=headers["owner"])
    assert too_long.status_code == 422


def test_a_private_note_is_listed_for_its_author_alone(
    client: TestClient, people, settings
) -> None:
    users, headers = people
    world = build_world(users, settings)
    with_private_notes(client, headers, world)
    url = f"/api/resumes/candidates/{world.candidate_id}/notes"
    for actor, expected in EXPECTED_NOTES.items():
        listed = client.get(url, headers=headers[actor])
        assert listed.status_code == 200, actor
        assert {n["content"] for n in listed.json()["items"]} == expected, actor
        assert listed.json()["total"] == len(expected), actor
    # a recruiter without access and the candidate itself read no notes at all
    assert client.get(url, headers=headers["other"]).status_code == 404
    assert client.get(url, headers=headers["self"]).status_code == 403
    profile = client.get(f"/api/resumes/candidates/{world.candidate_id}", headers=headers["self"])
    assert profile.status_code == 200 and "hunch" not in profile.text


def test_someone_elses_private_note_answers_as_if_it_did_not_exist(
    client: TestClient, people, settings
) -> None:
    users, headers = people
    world = build_world(users, settings)
    ids = with_private_notes(client, headers, world)
    url = f"/api/resumes/candidates/{world.candidate_id}/notes"
    missing = client.patch(
        f"{url}/{world.candidate_id}", json={"content": "x"}, headers=headers["admin"]
    )
    assert missing.status_code == 404
    for actor in ("owner", "admin", "viewer"):
        patched = client.patch(
            f"{url}/{ids['editor']}", json={"content": "x"}, headers=headers[actor]
        )
        deleted = client.delete(f"{url}/{ids['editor']}", headers=headers[actor])
        assert (patched.status_code, deleted.status_code) == (404, 404), actor
        assert "hunch" not in patched.text + deleted.text
    # a shared note of someone else is still 403: it is there, just not yours
    shared = client.patch(f"{url}/{world.note_id}", json={"content": "x"}, headers=headers["admin"])
    assert shared.status_code == 403
    # the author still has it, unchanged, and may delete it
    mine = client.get(url, headers=headers["editor"]).json()["items"]
    assert EDITOR_SECRET in {n["content"] for n in mine}
    assert client.delete(f"{url}/{ids['editor']}", headers=headers["editor"]).status_code == 204


def test_a_note_made_private_later_disappears_for_the_others(
    client: TestClient, people, settings
) -> None:
    users, headers = people
    world = build_world(users, settings)
    url = f"/api/resumes/candidates/{world.candidate_id}/notes"
    assert client.get(url, headers=headers["viewer"]).json()["total"] == 1
    hidden = client.patch(
        f"{url}/{world.note_id}", json={"is_private": True}, headers=headers["owner"]
    )
    assert hidden.json()["is_private"] is True
    for actor in ("viewer", "editor", "admin"):
        assert client.get(url, headers=headers[actor]).json()["total"] == 0, actor
    assert client.get(url, headers=headers["owner"]).json()["total"] == 1
    client.patch(f"{url}/{world.note_id}", json={"is_private": False}, headers=headers["owner"])
    assert client.get(url, headers=headers["viewer"]).json()["total"] == 1


def test_the_export_holds_private_notes_of_its_reader_only(
    client: TestClient, people, settings
) -> None:
    users, headers = people
    world = build_world(users, settings)
    with_private_notes(client, headers, world)
    for reader, expected in (("owner", {SHARED, OWNER_SECRET}), ("admin", {SHARED})):
        exported = client.get(
            f"/api/resumes/candidates/{world.candidate_id}/export", headers=headers[reader]
        )
        assert exported.status_code == 200
        with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
            text = archive.read("candidate.json").decode()
        notes = json.loads(text)["notes"]
        assert {n["content"] for n in notes} == expected, reader
        assert EDITOR_SECRET not in text
        assert all(n["is_private"] == (n["content"] == OWNER_SECRET) for n in notes)


@pytest.mark.slow
def test_profile_pages_show_private_notes_to_their_author_alone(
    client: TestClient, people, settings, pages
) -> None:
    users, headers = people
    world = build_world(users, settings)
    with_private_notes(client, headers, world)
    client.post(
        f"/api/resumes/candidates/{world.candidate_id}/notes",
        json={"content": "Shared and important", "is_important": True},
        headers=headers["owner"],
    )
    for actor in ("owner", "editor", "viewer", "admin"):
        html = pages(users[actor]).get(f"/candidates/{world.candidate_id}").text
        secrets = {OWNER_SECRET, EDITOR_SECRET}
        own = {"owner": OWNER_SECRET, "editor": EDITOR_SECRET}.get(actor)
        for secret in secrets:
            assert (secret.replace("'", "&#39;") in html) == (secret == own), (actor, secret)
        # important notes come first, each marked; the author's private one is marked too
        assert html.index("Shared and important") < html.index(SHARED)
        assert html.count('<span class="pill important">Important</span>') == 1 + bool(own)
        assert ('<span class="pill private"' in html) == bool(own), actor
    form = pages(users["owner"]).get(f"/candidates/{world.candidate_id}").text
    for field in ('name="title"', 'name="is_important"', 'name="is_private"'):
        assert field in form, field
    assert "Private (only you)" in form


def test_view_shares_download_only_when_the_sharer_allowed_it(
    client: TestClient, people, settings
) -> None:
    users, headers = people
    world = build_world(users, settings)
    download = f"/api/resumes/{world.resume_id}/download"
    shares = f"/api/resumes/candidates/{world.candidate_id}/shares"
    refused = client.get(download, headers=headers["viewer"])
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "The recruiter who shared this candidate with you did not allow downloading the "
        "original resume file."
    )
    # yet the view share reads the profile, the parsed resume and its status
    for path in (
        f"/api/resumes/candidates/{world.candidate_id}",
        f"/api/resumes/{world.resume_id}/data",
        f"/api/resumes/{world.resume_id}/status",
    ):
        assert client.get(path, headers=headers["viewer"]).status_code == 200, path
    for actor in ("owner", "editor", "admin", "self"):
        assert client.get(download, headers=headers[actor]).status_code == 200, actor
    listed = {
        s["recruiter_id"]: s for s in client.get(shares, headers=headers["owner"]).json()["items"]
    }
    assert listed[str(users["viewer"].id)]["can_download"] is False
    assert listed[str(users["editor"].id)]["can_download"] is True
    # the sharer allows it: the same share now downloads; sharing again without it withdraws it
    allowed = client.post(
        shares,
        json={"recruiter_id": str(users["viewer"].id), "permission": "view", "can_download": True},
        headers=headers["owner"],
    )
    assert allowed.status_code == 201 and allowed.json()["can_download"] is True
    assert allowed.json()["id"] == str(world.share_id)
    assert client.get(download, headers=headers["viewer"]).status_code == 200
    client.post(shares, json={"recruiter_id": str(users["viewer"].id)}, headers=headers["owner"])
    assert client.get(download, headers=headers["viewer"]).status_code == 403
    # an edit share may always download, whatever the request says; the admin route agrees
    edit = client.post(
        "/api/resumes/admin/candidates/share",
        json={
            "candidate_id": str(world.candidate_id),
            "recruiter_id": str(users["other"].id),
            "permission": "edit",
            "can_download": False,
        },
        headers=headers["admin"],
    )
    assert edit.status_code == 201 and edit.json()["can_download"] is True
    assert client.get(download, headers=headers["other"]).status_code == 200
    view = client.post(
        "/api/resumes/admin/candidates/share",
        json={
            "candidate_id": str(world.candidate_id),
            "recruiter_id": str(users["other"].id),
            "permission": "view",
            "can_download": True,
        },
        headers=headers["admin"],
    )
    assert view.json()["can_download"] is True
    assert client.get(download, headers=headers["other"]).status_code == 200
    # every grant is in the activity log with its download right
    log = client.get(
        f"/api/resumes/candidates/{world.candidate_id}/activity", headers=headers["owner"]
    ).json()["items"]
    grants = [e["detail"]["can_download"] for e in reversed(log) if e["action"] == "share"]
    assert grants == [False, True, True, False, True, True]


@pytest.mark.slow
def test_profile_page_offers_downloads_only_where_allowed(
    client: TestClient, people, settings, pages
) -> None:
    users, headers = people
    world = build_world(users, settings)
    link = f'href="/api/resumes/{world.resume_id}/download"'
    viewer = pages(users["viewer"])
    html = viewer.get(f"/candidates/{world.candidate_id}").text
    assert link not in html
    assert f"{users['owner'].full_name} did not allow downloading the original file" in html
    assert "Ada Example" in html and "ada.txt" in html  # the profile and the resume stay
    for actor in ("owner", "editor", "admin"):
        page = pages(users[actor]).get(f"/candidates/{world.candidate_id}").text
        assert link in page and "did not allow downloading" not in page, actor
    owner_page = pages(users["owner"]).get(f"/candidates/{world.candidate_id}").text
    assert "Allow downloading the original file" in owner_page
    assert owner_page.count('<span class="pill warn">no download</span>') == 1
    assert owner_page.count('<span class="pill">can download</span>') == 1
    client.post(
        f"/api/resumes/candidates/{world.candidate_id}/shares",
        json={"recruiter_id": str(users["viewer"].id), "can_download": True},
        headers=headers["owner"],
    )
    html = viewer.get(f"/candidates/{world.candidate_id}").text
    assert link in html and "did not allow downloading" not in html


def test_the_admin_shares_several_candidates_with_several_recruiters_at_once(
    client: TestClient, people, settings
) -> None:
    users, headers = people
    first, second = build_world(users, settings), build_world(users, settings)
    url = "/api/resumes/admin/candidates/share"
    body = {
        "candidate_ids": [str(first.candidate_id), str(second.candidate_id)],
        "recruiter_ids": [str(users["other"].id)],
        "recruiter_emails": [users["viewer"].email],
        "permission": "edit",
    }

    answer = client.post(url, json=body, headers=headers["admin"])

    assert answer.status_code == 201, answer.text
    pairs = {
        (s["candidate_id"], s["recruiter_id"], s["permission"]) for s in answer.json()["items"]
    }
    assert pairs == {
        (str(c), str(users[r].id), "edit")
        for c in (first.candidate_id, second.candidate_id)
        for r in ("other", "viewer")
    }
    for candidate in (first.candidate_id, second.candidate_id):
        seen = client.get(f"/api/resumes/candidates/{candidate}", headers=headers["other"])
        assert seen.status_code == 200 and seen.json()["access"] == "edit"


def test_a_bulk_share_with_one_bad_name_changes_nothing(client: TestClient, people, settings):
    users, headers = people
    world = build_world(users, settings)
    body = {
        "candidate_ids": [str(world.candidate_id)],
        "recruiter_ids": [str(users["other"].id)],
        "recruiter_emails": ["nobody@example.com"],
    }

    answer = client.post("/api/resumes/admin/candidates/share", json=body, headers=headers["admin"])

    assert answer.status_code == 422 and "No active recruiter" in answer.text
    seen = client.get(f"/api/resumes/candidates/{world.candidate_id}", headers=headers["other"])
    assert seen.status_code == 404  # the other recruiter got nothing
    nobody = client.post(
        "/api/resumes/admin/candidates/share",
        json={"candidate_ids": [str(world.candidate_id)]},
        headers=headers["admin"],
    )
    assert nobody.status_code == 422
