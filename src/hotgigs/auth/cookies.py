"""Browser sessions: the token pair in HttpOnly cookies, and the CSRF token that goes with it.

The web UI never lets page scripts see a token. The access token and the refresh token
live in HttpOnly, SameSite=Strict cookies; requests that change something and
authenticate by cookie must also carry `X-CSRF-Token`, an HMAC of the login's session
id that the page reads from a `<meta>` tag. A request from another site can neither
read that value nor (SameSite) send the cookies.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from starlette.requests import HTTPConnection
from starlette.responses import Response

from hotgigs.auth.service import TokenPair
from hotgigs.config import Settings

ACCESS_COOKIE = "hotgigs_access"
REFRESH_COOKIE = "hotgigs_refresh"
CSRF_HEADER = "x-csrf-token"
# Only the routes that trade it for a new pair (or end the login) ever see the refresh token.
REFRESH_COOKIE_PATH = "/auth"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(settings: Settings, session_id: uuid.UUID) -> str:
    """The CSRF token of one login: stable for the login, useless for any other."""
    key = (settings.secret_key or "").encode()
    return hmac.new(key, f"csrf:{session_id}".encode(), hashlib.sha256).hexdigest()


def csrf_valid(settings: Settings, session_id: uuid.UUID, presented: str | None) -> bool:
    """Whether the presented CSRF token belongs to this login."""
    return bool(presented) and hmac.compare_digest(csrf_token(settings, session_id), presented)


def is_secure(connection: HTTPConnection, settings: Settings) -> bool:
    """Mark cookies Secure when the site is served over HTTPS."""
    return connection.url.scheme in {"https", "wss"} or settings.public_url.startswith("https:")


def set_session(
    response: Response, pair: TokenPair, *, settings: Settings, secure: bool
) -> Response:
    """Put a fresh token pair in the browser's cookies."""
    response.set_cookie(
        ACCESS_COOKIE,
        pair.access_token,
        max_age=settings.refresh_token_expire_days * 86400,
        httponly=True,
        secure=secure,
        samesite="strict",
        path="/",
    )
    response.set_cookie(
        REFRESH_COOKIE,
        pair.refresh_token,
        max_age=settings.refresh_token_expire_days * 86400,
        httponly=True,
        secure=secure,
        samesite="strict",
        path=REFRESH_COOKIE_PATH,
    )
    return response


def clear_session(response: Response) -> Response:
    """Remove the session cookies."""
    response.delete_cookie(ACCESS_COOKIE, path="/")
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH)
    return response


def same_origin(connection: HTTPConnection) -> bool:
    """Whether a cookie-authenticated request comes from our own pages.

    Browsers send `Origin` on cross-site requests and on every WebSocket handshake; a
    request without one did not come from another site's page.
    """
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    host = connection.headers.get("host", "")
    return origin.split("://", 1)[-1] == host
