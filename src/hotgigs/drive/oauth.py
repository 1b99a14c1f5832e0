"""OAuth 2.0 with Google: authorization code + PKCE, a state bound to the login, stored tokens."""

from __future__ import annotations

import contextlib
import json
import uuid
from datetime import timedelta
from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from cryptography.fernet import InvalidToken as UndecryptableToken
from httpx import HTTPError
from sqlalchemy import delete
from sqlalchemy.orm import Session

from hotgigs.auth import service as auth_service
from hotgigs.auth.models import User
from hotgigs.config import Settings, encryption_keys
from hotgigs.db import utcnow
from hotgigs.drive.models import DriveAuthRequest, DriveConnection
from hotgigs.errors import Invalid, NotFound

DRIVE_SCOPE = "https://www.googleapis.com/auth/drive.readonly"
AUTH_REQUEST_TTL = timedelta(minutes=10)
HTTP_TIMEOUT_SECONDS = 20.0


class NotConfigured(Invalid):
    """GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET are not set."""


class InvalidState(Invalid):
    """The callback's state is unknown, used, expired, or its login has ended."""


class AuthorizationFailed(Invalid):
    """Google refused the code (or could not be reached)."""


class NotConnected(NotFound):
    """The user has not connected Google Drive."""


def oauth_client(
    settings: Settings, token: dict[str, Any] | None = None, **options
) -> OAuth2Client:
    """An Authlib client for Google's endpoints (the settings may point them elsewhere)."""
    if not settings.google_client_id or not settings.google_client_secret:
        raise NotConfigured(
            "Google Drive sync needs GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET "
            "(see the README: creating the Google OAuth client)."
        )
    return OAuth2Client(
        client_id=settings.google_client_id,
        client_secret=settings.google_client_secret,
        scope=DRIVE_SCOPE,
        redirect_uri=settings.drive_redirect_uri,
        code_challenge_method="S256",
        token=token,
        token_endpoint=settings.google_token_url,
        timeout=HTTP_TIMEOUT_SECONDS,
        **options,
    )


def authorization_url(
    session: Session, *, settings: Settings, user: User, session_id: uuid.UUID
) -> str:
    """The Google consent URL for this user; its state is remembered for this login only."""
    verifier = generate_token(64)
    url, state = oauth_client(settings).create_authorization_url(
        settings.google_auth_url,
        code_verifier=verifier,
        access_type="offline",  # a refresh token, so scheduled syncs work while nobody is online
        prompt="consent",
        include_granted_scopes="true",
    )
    stale = utcnow() - AUTH_REQUEST_TTL
    session.execute(delete(DriveAuthRequest).where(DriveAuthRequest.created_at < stale))
    session.add(
        DriveAuthRequest(
            state=state,
            user_id=user.id,
            session_id=session_id,
            code_verifier=verifier,
            created_at=utcnow(),
        )
    )
    session.commit()
    return url


def complete_authorization(
    session: Session, *, settings: Settings, state: str, code: str
) -> DriveConnection:
    """Trade the callback's code for tokens and keep them, encrypted, for the state's user."""
    request = session.get(DriveAuthRequest, state) if state else None
    if request is None:
        raise InvalidState("Unknown or already used state: start again from the authorization URL.")
    session.delete(request)  # single use, whatever happens next
    session.commit()
    if request.created_at < utcnow() - AUTH_REQUEST_TTL:
        raise InvalidState("The authorization took too long: start again.")
    if request.session_id not in auth_service.open_sessions(session, {request.session_id}):
        raise InvalidState("The login that started this authorization has ended.")
    try:
        token = oauth_client(settings).fetch_token(
            settings.google_token_url, code=code, code_verifier=request.code_verifier
        )
    except (OAuthError, HTTPError) as exc:
        raise AuthorizationFailed(f"Google did not accept the authorization: {exc}") from None
    connection = session.get(DriveConnection, request.user_id)
    if connection is None:
        connection = DriveConnection(user_id=request.user_id)
        session.add(connection)
    connection.scope = str(token.get("scope", DRIVE_SCOPE))
    connection.connected_at = utcnow()
    store_token(connection, dict(token), settings=settings)
    session.commit()
    return connection


def store_token(connection: DriveConnection, token: dict[str, Any], *, settings: Settings) -> None:
    """Encrypt a token set onto the connection (a refresh keeps the earlier refresh token)."""
    if "refresh_token" not in token and connection.token_ciphertext:
        token["refresh_token"] = read_token(connection, settings=settings).get("refresh_token")
    keys = encryption_keys(settings.file_encryption_key or "")
    connection.token_ciphertext = keys.encrypt(json.dumps(token).encode()).decode()


def read_token(connection: DriveConnection, *, settings: Settings) -> dict[str, Any]:
    """The decrypted token set."""
    keys = encryption_keys(settings.file_encryption_key or "")
    try:
        return json.loads(keys.decrypt(connection.token_ciphertext.encode()))
    except UndecryptableToken:
        raise NotConnected(
            "The stored Google authorization cannot be decrypted: connect Google Drive again."
        ) from None


def get_connection(session: Session, *, user_id: uuid.UUID) -> DriveConnection:
    """The user's connection, or NotConnected."""
    connection = session.get(DriveConnection, user_id)
    if connection is None:
        raise NotConnected("Google Drive is not connected: open the authorization URL first.")
    return connection


def disconnect(session: Session, *, settings: Settings, user_id: uuid.UUID) -> None:
    """Revoke the authorization at Google and forget the tokens (they go even if Google fails)."""
    connection = get_connection(session, user_id=user_id)
    token = read_token(connection, settings=settings)
    # The tokens are deleted here whatever Google answers; it expires unused ones anyway.
    with contextlib.suppress(OAuthError, HTTPError):
        oauth_client(settings, token=token).revoke_token(
            settings.google_revoke_url, token=token.get("refresh_token") or token["access_token"]
        )
    session.delete(connection)
    session.commit()
