"""ASGI middleware: request ids, access log and metrics; body limits; security headers."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from hotgigs.health import metrics
from hotgigs.logs import redact, request_id

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


REQUEST_ID_HEADER = b"x-request-id"
# A caller's own id is kept (so a proxy's or client's id can be followed through our
# logs) only when it is short and plain; anything else could forge or garble log lines.
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
access_log = logging.getLogger("hotgigs.access")


class RequestContext:
    """Give each request an id (`X-Request-ID`), then log and count it once it is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request with its id set for every log line it causes."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        offered = dict(scope.get("headers") or {}).get(REQUEST_ID_HEADER, b"").decode("latin-1")
        current = offered if _PLAIN_ID.fullmatch(offered) else uuid.uuid4().hex
        token = request_id.set(current)
        target = redact(
            scope["path"]
            + (f"?{scope['query_string'].decode('latin-1')}" if scope.get("query_string") else "")
        )
        if scope["type"] == "websocket":
            # Sockets live for hours: log them as they open.
            access_log.info("websocket %s", target, extra={"fields": {"path": target}})
            try:
                await self.app(scope, receive, send)
            finally:
                request_id.reset(token)
            return
        started = time.perf_counter()
        answered = 500  # what the client gets if the app raises before answering

        async def send_with_id(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.start":
                answered = message["status"]
                headers = [*message.get("headers", []), (REQUEST_ID_HEADER, current.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            metrics.observe_request(
                method=scope["method"], route=route, status=answered, seconds=seconds
            )
            access_log.info(
                "%s %s %s",
                scope["method"],
                target,
                answered,
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": target,
                        "route": route,
                        "status": answered,
                        "duration_ms": round(seconds * 1000, 1),
                        "client": (scope.get("client") or ("-",))[0],
                    }
                },
            )
            request_id.reset(token)


class _Refused(Exception):
    """Raised inside the app's receive() once the body is refused."""


NUL_DETAIL = "A NUL character (\\u0000, %00) cannot be part of a request's text."
# How a NUL character arrives: raw, as a JSON escape, or URL-encoded (forms, queries).
_JSON_NUL = (b"\x00", b"\\u0000")
_FORM_NUL = (b"\x00", b"%00")


SURROGATE_DETAIL = "The request holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text."
# A JSON escape of a high surrogate not followed by a low one, or a low one not preceded by
# a high one: valid JSON, but no UTF-8 text (storing, hashing or logging it would fail).
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _holds(data: bytes, marks: tuple[bytes, ...]) -> bool:
    return any(mark in data for mark in marks)


def _invalid(where: str, reason: str) -> list[dict[str, Any]]:
    """A 422's detail in the shape FastAPI gives its own (and the API documents)."""
    return [{"loc": [where], "msg": reason, "type": "value_error"}]


def _text_refusal(body: bytes, *, form: bool) -> tuple[int, Any] | None:
    """Why a whole body that is not a file upload cannot be taken as text, if it cannot."""
    if _holds(body, _FORM_NUL if form else _JSON_NUL):
        return 422, _invalid("body", NUL_DETAIL)
    if not form and _LONE_SURROGATE.search(body):
        return 422, _invalid("body", SURROGATE_DETAIL)
    return None


def _too_large(limit: int) -> str:
    size = f"{limit / 1024**2:g} MB" if limit >= 1024**2 else f"{limit / 1024:g} KB"
    return f"The request is larger than the {size} limit."


class BodyGuard:
    """Refuse a request while it streams in, before anything parses it or checks its sender:
    a body past the limit for its path (413), or a NUL character in its query or in a body
    that is not a file upload (422): no text field can hold one (PostgreSQL refuses it).

    `limit_for(path)` returns the byte limit, or None for paths without one.
    """

    def __init__(self, app: ASGIApp, *, limit_for: Callable[[str], int | None]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass through, counting and scanning the body as it arrives."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _holds(scope.get("query_string", b""), _FORM_NUL) or "\x00" in scope["path"]:
            await _send_error(send, 422, _invalid("query", NUL_DETAIL))
            return
        limit = self.limit_for(scope["path"])
        headers = dict(scope.get("headers") or {})
        declared = headers.get(b"content-length")
        if limit is not None and declared and declared.isdigit() and int(declared) > limit:
            await _send_error(send, 413, _too_large(limit))
            return
        kind = headers.get(b"content-type", b"").lower()
        form = kind.startswith(b"application/x-www-form-urlencoded")
        # Text bodies are kept (they are small: MAX_BODY_KB) and judged whole once the last
        # part arrives, still before the app parses them; file uploads are not scanned.
        text: list[bytes] | None = None if kind.startswith(b"multipart/") else []
        received = 0
        refusal: tuple[int, Any] | None = None
        response_started = False

        async def guarded_receive() -> Message:
            nonlocal received, refusal
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if limit is not None and received > limit:
                    refusal = (413, _too_large(limit))
                elif text is not None:
                    text.append(chunk)
                    if not message.get("more_body"):
                        refusal = _text_refusal(b"".join(text), form=form)
                if refusal:
                    raise _Refused
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if refusal:
                # The app may turn the error into an answer of its own (FastAPI reports a
                # body it failed to read as 422): the answer is ours, whatever it says.
                if not response_started:
                    response_started = True
                    await _send_error(send, *refusal)
                return
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, guarded_receive, guarded_send)
        except _Refused:
            if not response_started and refusal:
                await _send_error(send, *refusal)


async def _send_error(send: Send, status: int, detail: Any) -> None:
    """A JSON error in the same shape as FastAPI's."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps({"detail": detail}).encode()})


# Our own responses load nothing from elsewhere and run no inline script.
STRICT_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'; connect-src 'self'"
)
# FastAPI's interactive docs load Swagger UI / ReDoc from our own origin (fastapi-offline
# ships them) and start them with an inline script. Rather than allow every inline script
# there ('unsafe-inline'), each docs answer allows exactly the inline scripts it carries, by
# their SHA-256 (filled in below). ReDoc styles itself with <style> elements it writes at
# run time (no hash can name them), so /redoc alone allows inline styles, never scripts.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self' {hashes}; "
    "style-src 'self'{styles}; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
REDOC_PATH = "/redoc"
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", REDOC_PATH})
HSTS = b"max-age=31536000; includeSubDomains"
STATIC_PREFIX = "/static/"  # our own scripts, styles and icons: no personal data


class SecurityHeaders:
    """Security headers on every answer: CSP, no sniffing or framing, no cross-site referrer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers as the response starts; HSTS only on HTTPS requests."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            # same-origin, not no-referrer: with no-referrer, browsers send `Origin: null` on
            # our own form posts, and the sign-in form checks Origin against cross-site posts.
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if scope.get("scheme") == "https":
            added.append((b"strict-transport-security", HSTS))
        if not scope["path"].startswith(STATIC_PREFIX):
            # Pages, API answers, downloads and exports carry personal data: no browser or
            # proxy may keep a copy. An answer that sets its own Cache-Control keeps it.
            added.append((b"cache-control", b"no-store"))

        def with_headers(message: Message, policy: str) -> Message:
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [
                (name, value)
                for name, value in [(b"content-security-policy", policy.encode()), *added]
                if name not in present
            ]
            return {**message, "headers": [*message.get("headers", []), *extra]}

        if scope["path"] in DOCS_PATHS:
            await self._docs(scope, receive, send, with_headers)
            return

        async def strict(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = with_headers(message, STRICT_CSP)
            await send(message)

        await self.app(scope, receive, strict)

    async def _docs(
        self, scope: Scope, receive: Receive, send: Send, with_headers: Callable
    ) -> None:
        """Hold a docs page (a few KB) until its end, then allow its own inline scripts."""
        start: Message | None = None
        body = b""

        async def hold(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                start = message
                return
            body += message.get("body", b"")
            if message.get("more_body"):
                return
            hashes = " ".join(
                f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
                for script in _INLINE_SCRIPT.findall(body)
            )
            styles = " 'unsafe-inline'" if scope["path"] == REDOC_PATH else ""
            await send(with_headers(start, DOCS_CSP.format(hashes=hashes, styles=styles)))
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, hold)
