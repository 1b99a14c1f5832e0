"""A fake Google OAuth 2.0 + Drive v3 server on 127.0.0.1, for Drive import tests."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest

FOLDER = "application/vnd.google-apps.folder"
GOOGLE_DOC = "application/vnd.google-apps.document"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GOOGLE_APPS = "application/vnd.google-apps."
# Google's reason, status name and message for each code a test is likely to see or inject.
_ERRORS = {
    400: ("badRequest", "INVALID_ARGUMENT", "Bad Request"),
    401: ("authError", "UNAUTHENTICATED", "Request had invalid authentication credentials."),
    403: ("forbidden", "PERMISSION_DENIED", "The caller does not have permission"),
    404: ("notFound", "NOT_FOUND", "Not Found"),
    429: ("rateLimitExceeded", "RESOURCE_EXHAUSTED", "Rate Limit Exceeded"),
    500: ("backendError", "INTERNAL", "Internal Error"),
    503: ("backendError", "UNAVAILABLE", "The service is currently unavailable."),
}
# The clauses a Drive client joins with "and" to list one folder.
_CLAUSE = re.compile(
    r"'([^']+)' in parents|trashed\s*=\s*(true|false)|mimeType\s*(!=|=)\s*'([^']*)'"
)

Response = tuple[int, dict[str, str], bytes]


def _new_id() -> str:
    """A Drive-like id: 28 url-safe characters."""
    return secrets.token_urlsafe(21)


def _rfc3339(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds and Z, as Drive writes times."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON response."""
    content_type = {"Content-Type": "application/json; charset=UTF-8"}
    return status, {**content_type, **(headers or {})}, json.dumps(body).encode()


def _error(
    status: int,
    message: str | None = None,
    reason: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: str,
) -> Response:
    """A Google API error body: {"error": {code, message, status, errors: [...]}}."""
    default_reason, name, default_message = _ERRORS.get(status, ("unknownError", "UNKNOWN", ""))
    message = message or default_message
    detail = {"message": message, "domain": "global", "reason": reason or default_reason, **extra}
    error = {"code": status, "message": message, "status": name, "errors": [detail]}
    return _json(status, {"error": error}, headers)


def _oauth_error(status: int, error: str, description: str) -> Response:
    """An OAuth token-endpoint error body."""
    return _json(status, {"error": error, "error_description": description})


def _docx(text: str) -> bytes | None:
    """The text as a .docx, or None when python-docx is not installed."""
    try:
        import docx
    except ImportError:
        return None
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass
class _File:
    """One Drive item; a Google Doc keeps its text as UTF-8 content."""

    id: str
    name: str
    mime_type: str
    parent: str
    modified: datetime
    content: bytes = b""
    trashed: bool = False

    def resource(self) -> dict[str, Any]:
        """The Drive v3 file resource."""
        item: dict[str, Any] = {
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime_type,
            "parents": [self.parent],
            "modifiedTime": _rfc3339(self.modified),
            "trashed": self.trashed,
        }
        # Drive gives no size or checksum for folders and Docs Editors files.
        if not self.mime_type.startswith(GOOGLE_APPS):
            item["size"] = str(len(self.content))
            item["md5Checksum"] = hashlib.md5(self.content, usedforsecurity=False).hexdigest()
        return item


@dataclass
class _Failure:
    """A failure injected by fail_next."""

    fragment: str
    status: int
    remaining: int


class FakeGoogle:
    """OAuth clients, tokens and a Drive, served over HTTP; test-control methods are locked."""

    client_id = "fake-client-id.apps.googleusercontent.com"
    client_secret = "fake-client-secret"

    def __init__(self) -> None:
        self.url = ""
        self.root_id = _new_id()
        self.requests: list[tuple[str, str]] = []
        self.downloads: list[str] = []
        self.revoked: list[str] = []
        self.refreshes = 0
        # The server answers from several threads while the test changes the Drive.
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._files: dict[str, _File] = {}
        self._codes: dict[str, tuple[str, str, str, str]] = {}
        self._access: dict[str, str | None] = {}  # access token -> the refresh token behind it
        self._refresh: dict[str, str] = {}  # refresh token -> granted scope
        self._pages: dict[str, tuple[str, int]] = {}  # page token -> (q, offset)
        self._failures: list[_Failure] = []
        self._now = datetime.now(UTC)

    # -- test control -------------------------------------------------------------------------

    def add_folder(self, name: str, parent: str | None = None) -> str:
        """Add a folder (under My Drive's root by default); returns its id."""
        return self._add(name, FOLDER, parent, b"")

    def add_file(self, name: str, content: bytes, mime_type: str, parent: str | None = None) -> str:
        """Add a binary file; returns its id."""
        return self._add(name, mime_type, parent, content)

    def add_google_doc(self, name: str, text: str, parent: str | None = None) -> str:
        """Add a Google Doc, downloadable only through export; returns its id."""
        return self._add(name, GOOGLE_DOC, parent, text.encode())

    def change_file(self, file_id: str, content: bytes) -> None:
        """Replace a file's content: new md5Checksum, size and a newer modifiedTime."""
        with self._lock:
            file = self._files[file_id]
            file.content, file.modified = content, self._tick()

    def delete_file(self, file_id: str, *, trash: bool = False) -> None:
        """Delete a file for good (then 404), or with trash=True move it to the trash."""
        with self._lock:
            if trash:
                file = self._files[file_id]
                file.trashed, file.modified = True, self._tick()
            else:
                del self._files[file_id]

    def expire_access_tokens(self) -> None:
        """Make every access token issued so far invalid; refresh tokens still work."""
        with self._lock:
            self._access.clear()

    def fail_next(self, path_fragment: str, status: int, times: int = 1) -> None:
        """Fail the next `times` requests whose path (with query) contains the fragment."""
        with self._lock:
            self._failures.append(_Failure(path_fragment, status, times))

    def _add(self, name: str, mime_type: str, parent: str | None, content: bytes) -> str:
        """Store a new item under an existing folder."""
        with self._lock:
            parent = parent or self.root_id
            if parent != self.root_id and self._files[parent].mime_type != FOLDER:
                raise ValueError(f"{parent} is not a folder")
            file = _File(_new_id(), name, mime_type, parent, self._tick(), content)
            self._files[file.id] = file
            return file.id

    def _tick(self) -> datetime:
        """Now to the millisecond, strictly later than the last time handed out."""
        now = datetime.now(UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        self._now = max(now, self._now + timedelta(milliseconds=1))
        return self._now

    # -- server -------------------------------------------------------------------------------

    def start(self) -> FakeGoogle:
        """Serve on a free loopback port from a daemon thread; sets url."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                auth = self.headers.get("Authorization", "")
                status, headers, payload = fake.handle(self.command, self.path, auth, body)
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(payload))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def handle(self, method: str, target: str, authorization: str, body: bytes) -> Response:
        """Answer one request; the whole answer is computed under the lock."""
        with self._lock:
            self.requests.append((method, target))
            for failure in self._failures:
                if failure.fragment in target:
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self._failures.remove(failure)
                    retry = {"Retry-After": "0"} if failure.status == 429 else None
                    return _error(failure.status, headers=retry)
            parts = urlsplit(target)
            query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
            form = {key: values[-1] for key, values in parse_qs(body.decode()).items()}
            if method == "GET" and parts.path == "/o/oauth2/v2/auth":
                return self._authorize(query)
            if method == "POST" and parts.path == "/token":
                return self._token(form, authorization)
            if method == "POST" and parts.path == "/revoke":
                return self._revoke({**query, **form}.get("token", ""))
            match = re.fullmatch(r"/drive/v3/files(?:/([^/]+)(/export)?)?", parts.path)
            if method == "GET" and match:
                if authorization.removeprefix("Bearer ") not in self._access:
                    # Google says how to recover in WWW-Authenticate as well as the body.
                    headers = {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'}
                    return _error(401, headers=headers, location="Authorization")
                if match[1] is None:
                    return self._list(query)
                return self._get(match[1], bool(match[2]), query)
            return _error(404, f"Not found: {method} {parts.path}")

    # -- OAuth --------------------------------------------------------------------------------

    def _authorize(self, query: dict[str, str]) -> Response:
        """Consent at once: redirect back with a single-use code, the state and the scope."""
        expected = {
            "client_id": self.client_id,
            "response_type": "code",
            "code_challenge_method": "S256",
        }
        for key, value in expected.items():
            if query.get(key) != value:
                message = f"Error 400: invalid_request ({key}={query.get(key)!r})"
                return 400, {"Content-Type": "text/plain"}, message.encode()
        redirect_uri, challenge = query.get("redirect_uri", ""), query.get("code_challenge", "")
        if not redirect_uri or not challenge:
            message = b"Error 400: invalid_request (redirect_uri and code_challenge are required)"
            return 400, {"Content-Type": "text/plain"}, message
        # Real codes start "4/" so the client must decode the query string properly.
        code = "4/0fake" + secrets.token_urlsafe(32)
        scope = query.get("scope", "")
        self._codes[code] = (self.client_id, redirect_uri, challenge, scope)
        params = {"state": query["state"]} if "state" in query else {}
        params |= {"code": code, "scope": scope}
        separator = "&" if "?" in redirect_uri else "?"
        return 302, {"Location": redirect_uri + separator + urlencode(params)}, b""

    def _token(self, form: dict[str, str], authorization: str) -> Response:
        """The token endpoint: authorization_code (with PKCE) and refresh_token grants."""
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            try:
                decoded = base64.b64decode(authorization[6:], validate=True).decode()
            except ValueError:
                decoded = ""
            # RFC 6749 2.3.1: both halves are form-urlencoded before joining.
            client_id, _, secret = (unquote(part) for part in decoded.partition(":"))
        if (client_id, secret) != (self.client_id, self.client_secret):
            return _oauth_error(401, "invalid_client", "The OAuth client was not found.")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            stored = self._codes.pop(form.get("code", ""), None)  # single-use, even on failure
            if stored is None:
                return _oauth_error(400, "invalid_grant", "Malformed auth code.")
            _client, redirect_uri, challenge, scope = stored
            if form.get("redirect_uri") != redirect_uri:
                return _oauth_error(400, "invalid_grant", "redirect_uri does not match.")
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != challenge:
                return _oauth_error(400, "invalid_grant", "Invalid code verifier.")
            refresh = "1//0fake" + secrets.token_urlsafe(32)
            self._refresh[refresh] = scope
            return _json(200, self._issue(refresh) | {"refresh_token": refresh})
        if grant == "refresh_token":
            refresh = form.get("refresh_token", "")
            if refresh not in self._refresh:
                return _oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
            self.refreshes += 1
            return _json(200, self._issue(refresh))
        return _oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant}")

    def _issue(self, refresh: str) -> dict[str, Any]:
        """A new access token born of the refresh token, as a token response."""
        access = "ya29.fake" + secrets.token_urlsafe(32)
        self._access[access] = refresh
        scope = self._refresh[refresh]
        return {"access_token": access, "expires_in": 3599, "scope": scope, "token_type": "Bearer"}

    def _revoke(self, token: str) -> Response:
        """Revoke a token; like Google, revoking either token of a grant revokes the grant."""
        if token in self._refresh:
            grant: str | None = token
        elif token in self._access:
            grant = self._access[token]
        else:
            return _oauth_error(400, "invalid_token", "Token expired or revoked")
        self._access.pop(token, None)
        if grant is not None:
            self._refresh.pop(grant, None)
            self._access = {key: value for key, value in self._access.items() if value != grant}
        self.revoked.append(token)
        return _json(200, {})

    # -- Drive --------------------------------------------------------------------------------

    def _matcher(self, q: str) -> Callable[[_File], bool] | None:
        """A predicate for q of the form "'<folder>' in parents and trashed = false ..."."""
        parent, tests = None, []
        for clause in re.split(r"\s+and\s+", q.strip()):
            match = _CLAUSE.fullmatch(clause)
            if match is None:
                return None
            folder, trashed, operator, mime_type = match.groups()
            if folder:
                parent = self.root_id if folder == "root" else folder
            elif trashed:
                tests.append(lambda f, wanted=trashed == "true": f.trashed == wanted)
            else:
                tests.append(lambda f, m=mime_type, eq=operator == "=": (f.mime_type == m) == eq)
        if parent is None:
            return None
        return lambda f: f.parent == parent and all(test(f) for test in tests)

    def _list(self, query: dict[str, str]) -> Response:
        """files.list over one folder, ordered by name then id, in pages."""
        q = query.get("q", "")
        matcher = self._matcher(q)
        if matcher is None:
            return _error(400, "Invalid Value", "invalid", location="q", locationType="parameter")
        raw_size = query.get("pageSize", "100")
        size = int(raw_size) if raw_size.isdigit() else 0
        if not 1 <= size <= 1000:
            message = f"Invalid value '{raw_size}'. Values must be within the range: [1, 1000]"
            return _error(400, message, "invalid", location="pageSize")
        offset = 0
        if "pageToken" in query:
            # A token only continues the listing it was issued for.
            if self._pages.get(query["pageToken"], ("", 0))[0] != q:
                return _error(400, "Invalid Value", "invalid", location="pageToken")
            offset = self._pages[query["pageToken"]][1]
        found = sorted(filter(matcher, self._files.values()), key=lambda f: (f.name, f.id))
        page = found[offset : offset + size]
        body: dict[str, Any] = {"kind": "drive#fileList", "incompleteSearch": False}
        body["files"] = [file.resource() for file in page]
        if offset + size < len(found):
            token = secrets.token_urlsafe(24)
            self._pages[token] = (q, offset + size)
            body["nextPageToken"] = token
        return _json(200, body)

    def _get(self, file_id: str, export: bool, query: dict[str, str]) -> Response:
        """files.get (metadata or alt=media) and files.export."""
        file = self._files.get(file_id)
        if file is None:
            return _error(404, f"File not found: {file_id}.", location="fileId")
        if export:
            return self._export(file, query.get("mimeType", ""))
        if query.get("alt") != "media":
            return _json(200, file.resource())
        if file.mime_type.startswith(GOOGLE_APPS):
            message = (
                "Only files with binary content can be downloaded. "
                "Use Export with Docs Editors files."
            )
            return _error(403, message, "fileNotDownloadable", location="alt")
        self.downloads.append(file.id)
        return 200, {"Content-Type": file.mime_type}, file.content

    def _export(self, file: _File, mime_type: str) -> Response:
        """files.export of a Google Doc as text/plain or .docx."""
        if file.mime_type != GOOGLE_DOC:
            return _error(403, "Export only supports Docs Editors files.", "fileNotExportable")
        if mime_type == "text/plain":
            # Drive's plain-text export of a Doc starts with a UTF-8 byte order mark.
            data: bytes | None = b"\xef\xbb\xbf" + file.content
        else:
            data = _docx(file.content.decode()) if mime_type == DOCX else None
        if data is None:
            message = "The requested conversion is not supported."
            return _error(400, message, "badRequest", location="convertTo")
        self.downloads.append(file.id)
        return 200, {"Content-Type": mime_type}, data


@pytest.fixture
def fake_google() -> Iterator[FakeGoogle]:
    """A started FakeGoogle on a free loopback port, stopped after the test."""
    with FakeGoogle() as google:
        yield google
