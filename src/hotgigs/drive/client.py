"""Drive v3 over HTTP: folder listing with paging, downloads and exports, retries, refresh."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.base_client import OAuthError

from hotgigs.config import Settings
from hotgigs.drive.oauth import oauth_client

FOLDER_MIME = "application/vnd.google-apps.folder"
GOOGLE_DOC_MIME = "application/vnd.google-apps.document"
# Google Docs are exported as DOCX: tables and headings survive for the parser.
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RESUME_MIMES = frozenset(
    {
        "application/pdf",
        DOCX_MIME,
        "application/msword",
        "application/rtf",
        "text/rtf",
        "text/plain",
        GOOGLE_DOC_MIME,
    }
)
RETRYABLE = frozenset({429, 500, 502, 503, 504})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
MAX_ATTEMPTS = 5
MAX_BACKOFF_SECONDS = 16.0
LIST_FIELDS = "nextPageToken, files(id, name, mimeType, md5Checksum, modifiedTime, size)"
FOLDER_ID = re.compile(r"^[A-Za-z0-9_-]{10,200}$")
FOLDER_IN_URL = re.compile(r"(?:/folders/|[?&]id=)([A-Za-z0-9_-]{10,200})")


class DriveError(Exception):
    """Drive refused a request or kept failing; the message is safe to show."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DriveFile:
    """What a listing says about one file."""

    id: str
    name: str
    mime_type: str
    version: str  # md5Checksum, or modifiedTime for Google Docs (which have no checksum)
    size: int | None

    @classmethod
    def of(cls, item: dict[str, Any]) -> DriveFile:
        size = item.get("size")
        return cls(
            id=item["id"],
            name=item.get("name", item["id"]),
            mime_type=item.get("mimeType", ""),
            version=item.get("md5Checksum") or item.get("modifiedTime", ""),
            size=int(size) if size is not None else None,
        )


def folder_id_of(text: str) -> str | None:
    """The folder id in a Drive folder URL, or the text itself when it is an id."""
    text = text.strip()
    if FOLDER_ID.match(text):
        return text
    found = FOLDER_IN_URL.search(text)
    return found.group(1) if found else None


class DriveClient:
    """Calls Drive for one user; refreshes the access token and hands new tokens back."""

    def __init__(
        self,
        settings: Settings,
        token: dict[str, Any],
        on_token: Callable[[dict[str, Any]], None],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.on_token = on_token
        self.sleep = sleep

        def keep(token: dict[str, Any], **_ignored: Any) -> None:
            on_token(dict(token))

        self.http = oauth_client(settings, token=token, update_token=keep)

    def close(self) -> None:
        """Release the connection pool."""
        self.http.close()

    def folder(self, folder_id: str) -> dict[str, Any]:
        """A folder's metadata (DriveError 404 when it is missing or not a folder)."""
        item = self._get(f"/files/{folder_id}", {"fields": "id, name, mimeType"}).json()
        if item.get("mimeType") != FOLDER_MIME:
            raise DriveError(404, f"{item.get('name', folder_id)} is not a folder.")
        return item

    def files(self, folder_id: str, *, recursive: bool) -> Iterator[DriveFile]:
        """Every file in the folder (and its subfolders when recursive), page by page."""
        pending = [folder_id]
        seen = set(pending)
        while pending:
            current = pending.pop()
            for item in self._list(current):
                if item.get("mimeType") == FOLDER_MIME:
                    if recursive and item["id"] not in seen:
                        seen.add(item["id"])
                        pending.append(item["id"])
                    continue
                yield DriveFile.of(item)

    def content(self, file: DriveFile) -> bytes:
        """The file's bytes; a Google Doc exported as DOCX."""
        if file.mime_type == GOOGLE_DOC_MIME:
            return self._get(f"/files/{file.id}/export", {"mimeType": DOCX_MIME}).content
        return self._get(f"/files/{file.id}", {"alt": "media"}).content

    def _list(self, folder_id: str) -> Iterator[dict[str, Any]]:
        params = {
            "q": f"'{folder_id}' in parents and trashed = false",
            "fields": LIST_FIELDS,
            "pageSize": 100,
            "supportsAllDrives": "true",
            "includeItemsFromAllDrives": "true",
        }
        while True:
            page = self._get("/files", params).json()
            yield from page.get("files", [])
            if not page.get("nextPageToken"):
                return
            params = {**params, "pageToken": page["nextPageToken"]}

    def _get(self, path: str, params: dict[str, Any]) -> httpx.Response:
        """GET with a refresh on 401 and exponential backoff on rate limits and 5xx."""
        refreshed = False
        for attempt in range(MAX_ATTEMPTS):
            try:
                response = self.http.get(
                    f"{self.settings.google_drive_api_url}{path}", params=params
                )
            except httpx.TransportError as exc:
                response, failure = None, str(exc)
            if response is not None and response.status_code == 401 and not refreshed:
                self._refresh()
                refreshed = True
                continue
            if response is not None and not _retryable(response):
                if response.is_error:
                    raise DriveError(response.status_code, _message(response))
                return response
            if response is not None:
                failure = _message(response)
            if attempt + 1 < MAX_ATTEMPTS:
                self.sleep(_backoff(response, attempt))
        raise DriveError(503, f"Google Drive kept failing ({failure}); the next run tries again.")

    def _refresh(self) -> None:
        """Get a new access token with the refresh token (Authlib calls on_token with it)."""
        try:
            self.http.refresh_token(self.settings.google_token_url)
        except OAuthError as exc:
            raise DriveError(
                401, f"Google refused to refresh the authorization ({exc}): connect again."
            ) from None


def _retryable(response: httpx.Response) -> bool:
    if response.status_code in RETRYABLE:
        return True
    return response.status_code == 403 and bool(RATE_LIMIT_REASONS & _reasons(response))


def _reasons(response: httpx.Response) -> set[str]:
    try:
        errors = response.json().get("error", {}).get("errors", [])
    except ValueError:
        return set()
    return {e.get("reason", "") for e in errors if isinstance(e, dict)}


def _message(response: httpx.Response) -> str:
    """Google's error message, or the status line."""
    try:
        error = response.json().get("error")
    except ValueError:
        error = None
    if isinstance(error, dict) and error.get("message"):
        return f"{response.status_code}: {error['message']}"
    return f"{response.status_code} {response.reason_phrase}"


def _backoff(response: httpx.Response | None, attempt: int) -> float:
    """Retry-After when Drive gives one, else 1, 2, 4 ... seconds."""
    if response is not None:
        after = response.headers.get("Retry-After", "")
        if after.isdigit():
            return min(float(after), MAX_BACKOFF_SECONDS)
    return min(2.0**attempt, MAX_BACKOFF_SECONDS)
