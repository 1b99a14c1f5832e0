"""Reusable FastAPI dependencies: who is calling, and may they."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hotgigs.auth import cookies, throttle
from hotgigs.auth import service as auth_service
from hotgigs.auth.models import Role, User
from hotgigs.config import Settings, get_settings
from hotgigs.db import get_session, new_session

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/login", auto_error=False)

DbSession = Annotated[Session, Depends(get_session)]


async def app_settings() -> Settings:
    """The settings, as a dependency (async: a sync one costs each request a thread hop)."""
    return get_settings()


AppSettings = Annotated[Settings, Depends(app_settings)]


def unauthorized(detail: str) -> HTTPException:
    """A 401 that tells clients to authenticate with a bearer token."""
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def get_principal(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> auth_service.Principal:
    """The caller behind the bearer token or, from our own pages, the session cookie; else 401."""
    by_cookie = not token
    token = token or request.cookies.get(cookies.ACCESS_COOKIE)
    if not token:
        raise unauthorized("Not authenticated.")
    try:
        principal = auth_service.principal_for_access_token(session, settings=settings, token=token)
    except auth_service.InvalidToken as exc:
        raise unauthorized(str(exc)) from None
    if by_cookie and request.method not in cookies.SAFE_METHODS:
        presented = request.headers.get(cookies.CSRF_HEADER)
        if not cookies.same_origin(request) or not cookies.csrf_valid(
            settings, principal.session_id, presented
        ):
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail="Missing or wrong CSRF token: reload the page and try again.",
            )
    return principal


CurrentPrincipal = Annotated[auth_service.Principal, Depends(get_principal)]


async def get_current_user(principal: CurrentPrincipal) -> User:
    """The authenticated user."""
    return principal.user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency that lets through only users with one of `roles` (403 otherwise)."""
    allowed = frozenset(roles)

    async def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            names = ", ".join(sorted(role.value for role in allowed))
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"This action requires the role: {names}.",
            )
        return user

    return check


AdminUser = Annotated[User, Depends(require_role(Role.ADMIN))]
RecruiterUser = Annotated[User, Depends(require_role(Role.RECRUITER, Role.ADMIN))]


async def get_client_ip(request: Request) -> str | None:
    """The caller's address as the server saw it (the activity log records it)."""
    return request.client.host if request.client else None


ClientIP = Annotated[str | None, Depends(get_client_ip)]


def _address_delay(address: str | None) -> float:
    """The wait the throttle asks of a sign-in from `address` (its own short session)."""
    with new_session() as session:
        return throttle.address_delay(session, settings=get_settings(), address=address)


async def pace_sign_in(client_ip: ClientIP) -> None:
    """A sign-in from an address with many recent failures waits before it is checked.

    Every attempt from it waits, right or wrong, so the wait tells nothing; the wait is
    spent in the event loop, holding no thread that other requests need.
    """
    delay = await run_in_threadpool(_address_delay, client_ip)
    if delay:
        await pause(delay)


# Indirection so tests can see the waits without spending them.
pause = asyncio.sleep
SignInPace = Depends(pace_sign_in)
