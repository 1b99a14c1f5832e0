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


class _BodyTooLarge(Exception):
    """Raised inside the app's receive() once the body passes the limit."""


class BodySizeLimit:
    """Answer 413 as soon as a request body passes the limit for its path, without buffering it.

    `limit_for(path)` returns the byte limit, or None for paths without one.
    """

    def __init__(self, app: ASGIApp, *, limit_for: Callable[[str], int | None]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass through, counting body bytes on limited paths."""
        limit = self.limit_for(scope["path"]) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or {}).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_413(send, limit)
            return
        received = 0
        exceeded = False
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if exceeded:
                # The app may turn the error into an answer of its own (FastAPI reports a
                # body it failed to read as 422): the answer is 413, whatever it says.
                if not response_started:
                    response_started = True
                    await _send_413(send, limit)
                return
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _BodyTooLarge:
            if not response_started:
                await _send_413(send, limit)


async def _send_413(send: Send, limit: int) -> None:
    """A JSON 413 in the same shape as FastAPI's errors."""
    size = f"{limit / 1024**2:g} MB" if limit >= 1024**2 else f"{limit / 1024:g} KB"
    body = json.dumps({"detail": f"The request is larger than the {size} limit."})
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


# Our own responses load nothing from elsewhere and run no inline script.
STRICT_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'; connect-src 'self'"
)
# FastAPI's interactive docs load Swagger UI / ReDoc from jsDelivr and start them with an
# inline script. Rather than allow every inline script there ('unsafe-inline'), each docs
# answer allows exactly the inline scripts it carries, by their SHA-256 (filled in below).
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data: https://fastapi.tiangolo.com; "
    "script-src 'self' {hashes} https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
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
            await send(with_headers(start, DOCS_CSP.format(hashes=hashes)))
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, hold)
