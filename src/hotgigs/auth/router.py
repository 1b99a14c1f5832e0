"""HTTP routes for registration, login, token refresh and user administration."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from hotgigs.auth import service as auth_service
from hotgigs.auth.dependencies import (
    AdminUser,
    AppSettings,
    ClientIP,
    CurrentPrincipal,
    CurrentUser,
    DbSession,
    SignInPace,
    unauthorized,
)
from hotgigs.auth.models import Role
from hotgigs.auth.schemas import (
    LoginRequest,
    PasswordChange,
    PasswordReset,
    RefreshRequest,
    RegistrationReceived,
    TokenResponse,
    UserCreate,
    UserList,
    UserRead,
    UserRegister,
    UserUpdate,
)
from hotgigs.errors import responses
from hotgigs.params import ListWindow

router = APIRouter(prefix="/api/auth", tags=["auth"])


def _create(session: DbSession, body: UserRegister, role: Role) -> UserRead:
    """Create an account, mapping a taken email to 409."""
    try:
        user = auth_service.create_user(
            session, email=body.email, password=body.password, role=role, full_name=body.full_name
        )
    except auth_service.EmailTaken as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    return UserRead.model_validate(user)


def _tokens(pair: auth_service.TokenPair) -> TokenResponse:
    """The wire form of a token pair."""
    return TokenResponse(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@router.post("/register", status_code=status.HTTP_202_ACCEPTED, responses=responses(400, 422))
def register(body: UserRegister, session: DbSession) -> RegistrationReceived:
    """Create a candidate account for oneself; a taken email gets the same answer."""
    auth_service.register_candidate(
        session, email=body.email, password=body.password, full_name=body.full_name
    )
    return RegistrationReceived(email=auth_service.normalize_email(body.email))


@router.post("/users", status_code=status.HTTP_201_CREATED, responses=responses(400, 401, 403, 409))
def create_user(body: UserCreate, session: DbSession, _admin: AdminUser) -> UserRead:
    """Admins create accounts of any role (recruiters, other admins)."""
    return _create(session, body, body.role)


@router.get("/users", responses=responses(401, 403))
def list_users(
    session: DbSession, _admin: AdminUser, window: ListWindow, role: Role | None = None
) -> UserList:
    """Admins list accounts, optionally of one role."""
    users = auth_service.list_users(session, role=role)
    return UserList(items=[UserRead.model_validate(u) for u in window.of(users)], total=len(users))


@router.patch("/users/{user_id}", responses=responses(400, 401, 403, 404, 422))
def update_user(
    user_id: uuid.UUID, body: UserUpdate, session: DbSession, admin: AdminUser
) -> UserRead:
    """Admins change a role, disable or re-enable an account (disabling signs it out)."""
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    user = auth_service.update_user(session, actor=admin, user_id=user_id, **changes)
    return UserRead.model_validate(user)


async def _credentials(request: Request) -> LoginRequest:
    """Email and password from a JSON body ``{"email", "password"}`` or, as OAuth2's password
    flow sends them, a form with ``username`` (the email) and ``password``."""
    if request.headers.get("content-type", "").split(";")[0].strip() == "application/json":
        try:
            return LoginRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None
    form = await request.form()
    fields = {"email": form.get("username"), "password": form.get("password")}
    try:
        return LoginRequest.model_validate(fields)
    except ValidationError as exc:
        missing = [{**e, "loc": ("body", "username" if e["loc"] == ("email",) else e["loc"][0])}
                   for e in exc.errors(include_url=False)]  # fmt: skip
        raise RequestValidationError(missing) from None


_LOGIN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "username": {"type": "string", "description": "The email."},
                        "password": {"type": "string", "format": "password"},
                    },
                }
            },
            "application/json": {"schema": LoginRequest.model_json_schema()},
        },
    }
}


@router.post(
    "/login",
    responses=responses(400, 401, 422, 429),
    dependencies=[SignInPace],
    openapi_extra=_LOGIN_BODY,
)
def login(
    credentials: Annotated[LoginRequest, Depends(_credentials)],
    session: DbSession,
    settings: AppSettings,
    client_ip: ClientIP,
) -> TokenResponse:
    """Sign in with the OAuth2 password form (`username` is the email) or a JSON body
    `{"email", "password"}`."""
    try:
        pair = auth_service.login(
            session,
            settings=settings,
            email=credentials.email,
            password=credentials.password,
            client_address=client_ip,
        )
    except auth_service.InvalidCredentials as exc:
        raise unauthorized(str(exc)) from None
    except auth_service.TooManyAttempts as exc:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=str(exc),
            headers={"Retry-After": str(exc.retry_after)},
        ) from None
    return _tokens(pair)


@router.post("/refresh", responses=responses(400, 401))
def refresh(body: RefreshRequest, session: DbSession, settings: AppSettings) -> TokenResponse:
    """Trade a refresh token for a new pair; each refresh token works once."""
    try:
        pair = auth_service.refresh(session, settings=settings, refresh_token=body.refresh_token)
    except auth_service.InvalidToken as exc:
        raise unauthorized(str(exc)) from None
    return _tokens(pair)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=responses(401, 403))
def logout(principal: CurrentPrincipal, session: DbSession) -> Response:
    """End the caller's login: its access and refresh tokens stop working."""
    auth_service.logout(session, session_id=principal.session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", responses=responses(401))
def me(user: CurrentUser) -> UserRead:
    """The authenticated user."""
    return UserRead.model_validate(user)


@router.post(
    "/me/password", status_code=status.HTTP_204_NO_CONTENT, responses=responses(400, 401, 422)
)
def change_password(
    body: PasswordChange, principal: CurrentPrincipal, session: DbSession
) -> Response:
    """Change my password (the current one proves it is me); my other logins end."""
    auth_service.change_password(
        session,
        user=principal.user,
        current_password=body.current_password,
        new_password=body.new_password,
        session_id=principal.session_id,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/users/{user_id}/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(400, 401, 403, 404, 422),
)
def reset_password(
    user_id: uuid.UUID, body: PasswordReset, session: DbSession, _admin: AdminUser
) -> Response:
    """Admins set a new password for an account; every login of that account ends."""
    auth_service.reset_password(session, user_id=user_id, password=body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
