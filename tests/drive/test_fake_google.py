"""The fake Google OAuth + Drive server behaves like the real one where clients care."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support import fake_google as fake_google_support
from tests.support.fake_google import DOCX, FakeGoogle

# Bound by assignment, not import, so ruff's F811 does not flag the fixture arguments.
fake_google = fake_google_support.fake_google

REDIRECT = "http://127.0.0.1:9/api/drive/callback"
SCOPE = "https://www.googleapis.com/auth/drive.readonly"


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """A client that never goes through a proxy from the environment."""
    with httpx.Client(trust_env=False, timeout=5) as client:
        yield client


def authorize(google: FakeGoogle, http: httpx.Client, verifier: str) -> str:
    """Run the consent redirect; returns the code."""
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    params = {
        "client_id": google.client_id,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": SCOPE,
        "state": "xyz",
        "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
        "access_type": "offline",
        "prompt": "consent",
    }
    response = http.get(f"{google.url}/o/oauth2/v2/auth", params=params)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    query = parse_qs(location.query)
    assert location.path == "/api/drive/callback"
    assert query["state"] == ["xyz"] and query["scope"] == [SCOPE]
    return query["code"][0]


def exchange(google: FakeGoogle, http: httpx.Client, code: str, verifier: str) -> httpx.Response:
    """Trade a code for tokens, authenticating with HTTP Basic."""
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    auth = (google.client_id, google.client_secret)
    return http.post(f"{google.url}/token", data=form | {"code_verifier": verifier}, auth=auth)


def tokens(google: FakeGoogle, http: httpx.Client) -> dict:
    """A fresh access and refresh token."""
    verifier = secrets.token_urlsafe(48)
    response = exchange(google, http, authorize(google, http, verifier), verifier)
    assert response.status_code == 200
    return response.json()


def drive(
    google: FakeGoogle, http: httpx.Client, token: str, path: str, **params: str | int
) -> httpx.Response:
    """GET a Drive v3 path with a bearer token."""
    headers = {"Authorization": f"Bearer {token}"}
    return http.get(f"{google.url}/drive/v3/{path}", params=params, headers=headers)


def test_pkce_exchange_is_checked_and_codes_are_single_use(fake_google, http):
    verifier = secrets.token_urlsafe(48)
    code = authorize(fake_google, http, verifier)
    assert exchange(fake_google, http, code, "wrong" + verifier).json()["error"] == "invalid_grant"
    assert exchange(fake_google, http, code, verifier).status_code == 400  # burnt by the try
    code = authorize(fake_google, http, verifier)
    body = exchange(fake_google, http, code, verifier).json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3599
    assert body["scope"] == SCOPE and body["refresh_token"] and body["access_token"]
    assert exchange(fake_google, http, code, verifier).json()["error"] == "invalid_grant"
    bad = http.get(f"{fake_google.url}/o/oauth2/v2/auth", params={"client_id": "nope"})
    assert bad.status_code == 400


def test_refresh_with_client_secret_post_then_revoke(fake_google, http):
    issued = tokens(fake_google, http)
    form = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
    wrong = http.post(f"{fake_google.url}/token", data=form | {"client_id": "x"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    form |= {"client_id": fake_google.client_id, "client_secret": fake_google.client_secret}
    refreshed = http.post(f"{fake_google.url}/token", data=form).json()
    assert "refresh_token" not in refreshed and fake_google.refreshes == 1
    assert drive(fake_google, http, refreshed["access_token"], "files/nope").status_code == 404
    revoke = http.post(f"{fake_google.url}/revoke", data={"token": issued["refresh_token"]})
    assert revoke.status_code == 200 and fake_google.revoked == [issued["refresh_token"]]
    for access in (issued["access_token"], refreshed["access_token"]):
        assert drive(fake_google, http, access, "files", q="'root' in parents").status_code == 401
    assert http.post(f"{fake_google.url}/token", data=form).json()["error"] == "invalid_grant"
    again = http.post(f"{fake_google.url}/revoke", params={"token": issued["refresh_token"]})
    assert again.json()["error"] == "invalid_token"


def test_listing_pages_by_name_and_skips_trash_and_subfolders(fake_google, http):
    folder = fake_google.add_folder("Resumes")
    for name in ["e.pdf", "c.pdf", "a.pdf", "d.pdf", "b.pdf"]:
        fake_google.add_file(name, name.encode(), "application/pdf", folder)
    sub = fake_google.add_folder("Old", folder)
    fake_google.add_file("z.pdf", b"z", "application/pdf", sub)
    trashed = fake_google.add_file("gone.pdf", b"", "application/pdf", folder)
    fake_google.delete_file(trashed, trash=True)
    access, names, pages = tokens(fake_google, http)["access_token"], [], 0
    params = {"q": f"'{folder}' in parents and trashed=false", "pageSize": 2}
    while True:
        body = drive(fake_google, http, access, "files", **params).json()
        names += [item["name"] for item in body["files"]]
        pages += 1
        if "nextPageToken" not in body:
            break
        params["pageToken"] = body["nextPageToken"]
    assert names == ["Old", "a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf"] and pages == 3
    assert drive(fake_google, http, access, "files", q="name contains 'x'").status_code == 400


def test_download_change_and_export(fake_google, http):
    access = tokens(fake_google, http)["access_token"]
    file_id = fake_google.add_file("cv.pdf", b"%PDF-1", "application/pdf")
    before = drive(fake_google, http, access, f"files/{file_id}").json()
    assert before["md5Checksum"] == hashlib.md5(b"%PDF-1").hexdigest() and before["size"] == "6"
    media = drive(fake_google, http, access, f"files/{file_id}", alt="media")
    assert media.content == b"%PDF-1" and media.headers["Content-Type"] == "application/pdf"
    fake_google.change_file(file_id, b"%PDF-2")
    after = drive(fake_google, http, access, f"files/{file_id}").json()
    assert after["md5Checksum"] != before["md5Checksum"]
    assert after["modifiedTime"] > before["modifiedTime"] and after["modifiedTime"].endswith("Z")
    doc = fake_google.add_google_doc("CV", "Ada Lovelace\nEngineer")
    refused = drive(fake_google, http, access, f"files/{doc}", alt="media")
    assert refused.json()["error"]["errors"][0]["reason"] == "fileNotDownloadable"
    text = drive(fake_google, http, access, f"files/{doc}/export", mimeType="text/plain")
    assert text.content.decode("utf-8-sig") == "Ada Lovelace\nEngineer"
    docx = drive(fake_google, http, access, f"files/{doc}/export", mimeType=DOCX)
    assert docx.content[:2] == b"PK"  # a zip, as every .docx is
    unknown = drive(fake_google, http, access, f"files/{doc}/export", mimeType="x/y")
    assert unknown.status_code == 400
    fake_google.delete_file(file_id)
    gone = drive(fake_google, http, access, f"files/{file_id}")
    assert gone.json()["error"]["message"] == f"File not found: {file_id}."
    assert fake_google.downloads == [file_id, doc, doc]


def test_expired_tokens_and_injected_failures(fake_google, http):
    issued = tokens(fake_google, http)
    file_id = fake_google.add_file("cv.pdf", b"x", "application/pdf")
    fake_google.expire_access_tokens()
    expired = drive(fake_google, http, issued["access_token"], f"files/{file_id}")
    assert expired.status_code == 401 and expired.json()["error"]["status"] == "UNAUTHENTICATED"
    form = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
    auth = (fake_google.client_id, fake_google.client_secret)
    access = http.post(f"{fake_google.url}/token", data=form, auth=auth).json()["access_token"]
    fake_google.fail_next("alt=media", 429)
    limited = drive(fake_google, http, access, f"files/{file_id}", alt="media")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "0"
    assert drive(fake_google, http, access, f"files/{file_id}", alt="media").content == b"x"
    assert fake_google.requests[-1] == ("GET", f"/drive/v3/files/{file_id}?alt=media")
