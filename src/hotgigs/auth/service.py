"""Accounts, password checks, JWT access tokens and rotating refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from hotgigs.auth import passwords, throttle
from hotgigs.auth.models import AuthSession, RefreshToken, Role, User
from hotgigs.config import Settings
from hotgigs.db import utcnow
from hotgigs.errors import Invalid, NotFound
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.types import NotificationType

Owned = TypeVar("Owned")  # any model with an `owner_id` column
JWT_ALGORITHM = "HS256"
JWT_ISSUER = "hotgigs"
_hasher = PasswordHasher()
# Verified against when the email is unknown, so a miss costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AuthError(Exception):
    """Base of the errors this module raises; the message is safe to show to the caller."""


class EmailTaken(AuthError):
    """Another account already uses the email."""


class InvalidCredentials(AuthError):
    """Unknown email or wrong password (deliberately not told apart)."""


class AccountDisabled(InvalidCredentials):
    """The right password for an account an admin disabled: said so, since the caller knows
    the password already."""


class TooManyAttempts(AuthError):
    """Sign-in is locked for this account or address after repeated failures."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many failed sign-ins. Try again in {retry_after} seconds.")
        self.retry_after = retry_after


class InvalidToken(AuthError):
    """A token that is malformed, expired, revoked or reused."""


class UserNotFound(NotFound):
    """No account with that id."""


class SelfLockout(Invalid):
    """An admin tried to demote or disable their own account."""


class PasswordRefused(Invalid):
    """A new password that is too short or too easy to guess, or a wrong current one."""


@dataclass(frozen=True)
class TokenPair:
    """What a successful login or refresh hands out."""

    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class Principal:
    """The caller behind a valid access token."""

    user: User
    session_id: uuid.UUID
    expires_at: datetime


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively."""
    return email.strip().lower()


def owned_by(model: type[Owned], user: User) -> Select[tuple[Owned]]:
    """Rows of `model` the user may see by ownership: admins all, others their own."""
    query = select(model)
    if user.role is not Role.ADMIN:
        query = query.where(model.owner_id == user.id)
    return query


def user_by_email(session: Session, *, email: str) -> User | None:
    """The account with this email (compared normalised), if any."""
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def create_user(
    session: Session, *, email: str, password: str, role: Role, full_name: str = ""
) -> User:
    """Create an account; raises EmailTaken when the email is in use."""
    email = normalize_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken(f"An account with email {email} already exists.")
    user = User(
        email=email, password_hash=hash_password(password), role=role, full_name=full_name.strip()
    )
    session.add(user)
    session.commit()
    return user


def register_candidate(
    session: Session, *, email: str, password: str, full_name: str = ""
) -> User | None:
    """Self-registration that tells the caller nothing about other accounts.

    A free email gets a candidate account. A taken one changes nothing: its owner is told
    in the notification center, and the password is hashed all the same, so the answer takes
    as long either way. Returns the new account, or None.
    """
    try:
        return create_user(
            session, email=email, password=password, role=Role.CANDIDATE, full_name=full_name
        )
    except EmailTaken:
        hash_password(password)
    owner = user_by_email(session, email=email)
    if owner is not None:
        notifications_service.emit(
            session, type=NotificationType.REGISTRATION_ATTEMPTED, user_id=owner.id, data={}
        )
        session.commit()
    return None


def list_users(session: Session, *, role: Role | None = None) -> list[User]:
    """All accounts, oldest first, optionally of one role."""
    query = select(User).order_by(User.created_at, User.email)
    if role is not None:
        query = query.where(User.role == role)
    return list(session.scalars(query))


def users_by_id(session: Session, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, User]:
    """The accounts behind a set of ids (None and missing ids are simply absent)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))}


def update_user(
    session: Session,
    *,
    actor: User,
    user_id: uuid.UUID,
    role: Role | None = None,
    is_active: bool | None = None,
    full_name: str | None = None,
) -> User:
    """Change an account's role, active flag or name; disabling it ends all its logins.

    Admins may not demote or disable themselves, so the site always keeps the admin
    who is making changes (and nobody locks themselves out by a slip of the mouse).
    """
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound(f"User {user_id} not found.")
    if user.id == actor.id:
        if role is not None and role is not Role.ADMIN:
            raise SelfLockout("You cannot change your own role: ask another admin.")
        if is_active is False:
            raise SelfLockout("You cannot disable your own account: ask another admin.")
    if role is not None:
        user.role = role
    if full_name is not None:
        user.full_name = full_name.strip()
    if is_active is not None:
        user.is_active = is_active
    if is_active is False:
        end_sessions(session, user_id=user.id, reason="account_disabled")
    session.commit()
    return user


def end_sessions(
    session: Session, *, user_id: uuid.UUID, reason: str, keep: uuid.UUID | None = None
) -> int:
    """Sign a user out everywhere (but the login `keep`), in the caller's transaction; how
    many logins ended."""
    open_ids = [
        session_id
        for session_id in session.scalars(
            select(AuthSession.id).where(
                AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
            )
        )
        if session_id != keep
    ]
    _close(session, open_ids, reason=reason)
    return len(open_ids)


def _set_password(user: User, password: str) -> None:
    """Store an acceptable new password's hash; PasswordRefused says why one is not."""
    if problem := passwords.weakness(password, email=user.email, full_name=user.full_name):
        raise PasswordRefused(problem)
    user.password_hash = hash_password(password)


def change_password(
    session: Session,
    *,
    user: User,
    current_password: str,
    new_password: str,
    session_id: uuid.UUID,
) -> int:
    """A user's own change, proven by the current password: every other login of theirs
    ends (whoever knew the old password is signed out); how many ended."""
    try:
        _hasher.verify(user.password_hash, current_password)
    except (VerificationError, InvalidHashError):
        raise PasswordRefused("The current password is not correct.") from None
    _set_password(user, new_password)
    ended = end_sessions(session, user_id=user.id, reason="password_changed", keep=session_id)
    session.commit()
    return ended


def reset_password(session: Session, *, user_id: uuid.UUID, password: str) -> User:
    """An admin's (or the CLI's) new password for an account: all its logins end."""
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound(f"User {user_id} not found.")
    _set_password(user, password)
    end_sessions(session, user_id=user.id, reason="password_reset")
    session.commit()
    return user


def authenticate(
    session: Session, *, settings: Settings, email: str, password: str, client_address: str | None
) -> User:
    """The active user with these credentials; InvalidCredentials, or TooManyAttempts if locked."""
    keys = throttle.ThrottleKeys.of(email=normalize_email(email), address=client_address)
    # While locked the password is not even checked, so guessing on gains nothing.
    if (wait := throttle.retry_after(session, keys)) is not None:
        raise TooManyAttempts(wait)
    user = user_by_email(session, email=email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        if user is None:
            raise VerificationError
    except (VerificationError, InvalidHashError):
        throttle.record_failure(session, settings=settings, keys=keys)
        raise InvalidCredentials("Incorrect email or password.") from None
    if not user.is_active:
        raise AccountDisabled("This account is disabled. Ask an administrator to enable it.")
    throttle.forget_account(session, keys)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.commit()
    return user


def login(
    session: Session, *, settings: Settings, email: str, password: str, client_address: str | None
) -> TokenPair:
    """Check credentials and open a new session with its first token pair."""
    user = authenticate(
        session, settings=settings, email=email, password=password, client_address=client_address
    )
    return open_session(session, settings=settings, user=user)


def open_session(session: Session, *, settings: Settings, user: User) -> TokenPair:
    """Open a login for a user whose identity is already established; its first token pair."""
    auth_session = AuthSession(user_id=user.id)
    session.add(auth_session)
    session.flush()
    return _issue_pair(session, settings=settings, user=user, auth_session=auth_session)


def refresh(session: Session, *, settings: Settings, refresh_token: str) -> TokenPair:
    """Trade a refresh token for a new pair; presenting a used one revokes the whole session."""
    token = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == _digest(refresh_token))
    )
    if token is None:
        raise InvalidToken("Unknown refresh token.")
    auth_session = token.session
    if auth_session.revoked_at is not None:
        raise InvalidToken("This session has been signed out.")
    now = utcnow()
    if token.used_at is not None:
        # A used token coming back means it was copied: end every token of this login.
        _revoke(session, auth_session, reason="refresh_token_reuse")
        raise InvalidToken("Refresh token reuse detected; the session has been revoked.")
    if token.expires_at <= now:
        raise InvalidToken("Refresh token expired.")
    if not auth_session.user.is_active:
        raise InvalidToken("Account disabled.")
    token.used_at = now
    return _issue_pair(
        session, settings=settings, user=auth_session.user, auth_session=auth_session
    )


def logout(session: Session, *, session_id: uuid.UUID) -> None:
    """End a login: its access and refresh tokens stop working at once."""
    target = session.get(AuthSession, session_id)
    if target is not None and target.revoked_at is None:
        _revoke(session, target, reason="logout")


def principal_for_access_token(session: Session, *, settings: Settings, token: str) -> Principal:
    """Who an access token speaks for, if its session is still open and the user active."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[JWT_ALGORITHM],
            issuer=JWT_ISSUER,
            options={"require": ["exp", "iat", "sub", "sid", "type"]},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("Access token expired.") from None
    except jwt.InvalidTokenError:
        raise InvalidToken("Malformed or invalid access token.") from None
    if claims["type"] != "access":
        raise InvalidToken("Not an access token.")
    # PyJWT accepts a numeric string as `exp`, and a signed token may carry any JSON value
    # in any claim: only the types we issue are read further.
    exp, sid = claims["exp"], claims["sid"]
    if not isinstance(sid, str) or not isinstance(exp, int):
        raise InvalidToken("Malformed or invalid access token.")
    try:
        session_id = uuid.UUID(sid)
        expires_at = datetime.fromtimestamp(exp, UTC)
    except (ValueError, OverflowError, OSError):
        raise InvalidToken("Malformed or invalid access token.") from None
    auth_session = session.get(AuthSession, session_id)
    if auth_session is None or auth_session.revoked_at is not None:
        raise InvalidToken("This session has been signed out.")
    user = auth_session.user
    if str(user.id) != claims["sub"] or not user.is_active:
        raise InvalidToken("Malformed or invalid access token.")
    return Principal(user=user, session_id=session_id, expires_at=expires_at)


def open_sessions(session: Session, session_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these logins are still signed in, with an active account."""
    if not session_ids:
        return set()
    query = (
        select(AuthSession.id)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.id.in_(session_ids), AuthSession.revoked_at.is_(None), User.is_active)
    )
    return set(session.scalars(query))


def purge_expired_tokens(session: Session) -> int:
    """Delete refresh tokens past expiry and sessions left with none; returns tokens removed."""
    now = utcnow()
    removed = session.execute(delete(RefreshToken).where(RefreshToken.expires_at <= now)).rowcount
    live_sessions = select(RefreshToken.session_id).distinct()
    session.execute(delete(AuthSession).where(AuthSession.id.not_in(live_sessions)))
    session.commit()
    return removed or 0


def _issue_pair(
    session: Session, *, settings: Settings, user: User, auth_session: AuthSession
) -> TokenPair:
    """Sign an access token and store a fresh refresh token for this session."""
    now = utcnow()
    expires_in = settings.access_token_expire_minutes * 60
    access = jwt.encode(
        {
            "iss": JWT_ISSUER,
            "sub": str(user.id),
            "sid": str(auth_session.id),
            "role": user.role.value,
            "type": "access",
            "iat": now,
            "exp": now + timedelta(seconds=expires_in),
            "jti": uuid.uuid4().hex,
        },
        settings.secret_key,
        algorithm=JWT_ALGORITHM,
    )
    refresh_token = secrets.token_urlsafe(48)
    session.add(
        RefreshToken(
            session_id=auth_session.id,
            token_hash=_digest(refresh_token),
            issued_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_expire_days),
        )
    )
    session.commit()
    return TokenPair(access_token=access, refresh_token=refresh_token, expires_in=expires_in)


def _revoke(session: Session, auth_session: AuthSession, *, reason: str) -> None:
    """Close one session and commit."""
    _close(session, [auth_session.id], reason=reason)
    session.commit()


def _close(session: Session, session_ids: list[uuid.UUID], *, reason: str) -> None:
    """Mark sessions revoked and their unused refresh tokens used: no token of theirs works."""
    if not session_ids:
        return
    now = utcnow()
    session.execute(
        update(AuthSession)
        .where(AuthSession.id.in_(session_ids))
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.session_id.in_(session_ids), RefreshToken.used_at.is_(None))
        .values(used_at=now)
    )


def _digest(token: str) -> str:
    """Refresh tokens are stored as SHA-256 so a database leak does not leak sessions."""
    return hashlib.sha256(token.encode()).hexdigest()
