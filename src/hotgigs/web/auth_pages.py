"""Sign in, register, sign out and session renewal for the browser."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from hotgigs.auth import cookies
from hotgigs.auth import service as auth_service
from hotgigs.auth.dependencies import AppSettings, ClientIP, DbSession, SignInPace
from hotgigs.auth.schemas import REGISTRATION_RECEIVED, UserRegister
from hotgigs.web.deps import HOME_OF, CurrentViewer, render, safe_next

router = APIRouter(include_in_schema=False)


def _signed_in(request: Request, pair: auth_service.TokenPair, settings, target: str) -> Response:
    """Send the browser on with a fresh session in its cookies."""
    response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    return cookies.set_session(
        response, pair, settings=settings, secure=cookies.is_secure(request, settings)
    )


def _refuse_other_sites(request: Request) -> Response | None:
    """Forms that sign in or out are only taken from our own pages."""
    if cookies.same_origin(request):
        return None
    return Response("Cross-site form submissions are refused.", status_code=403)


@router.get("/")
def home(request: Request, session: DbSession, settings: AppSettings) -> Response:
    """Signed in: the role's start page. Otherwise the sign-in page."""
    token = request.cookies.get(cookies.ACCESS_COOKIE)
    if token:
        try:
            principal = auth_service.principal_for_access_token(
                session, settings=settings, token=token
            )
            return RedirectResponse(HOME_OF[principal.user.role])
        except auth_service.InvalidToken:
            return RedirectResponse("/auth/refresh?next=/")
    return RedirectResponse("/login")


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    """The sign-in form."""
    return render(request, "auth/login.html", next=safe_next(next) or "", error=None, email="")


@router.post("/login", dependencies=[SignInPace])
def login(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    client_ip: ClientIP,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the credentials and start a browser session."""
    if refused := _refuse_other_sites(request):
        return refused
    try:
        user = auth_service.authenticate(
            session, settings=settings, email=email, password=password, client_address=client_ip
        )
    except (auth_service.InvalidCredentials, auth_service.TooManyAttempts) as exc:
        locked = isinstance(exc, auth_service.TooManyAttempts)
        response = render(
            request,
            "auth/login.html",
            status_code=status.HTTP_429_TOO_MANY_REQUESTS
            if locked
            else status.HTTP_401_UNAUTHORIZED,
            next=safe_next(next) or "",
            error=str(exc),
            email=email,
        )
        if locked:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    pair = auth_service.open_session(session, settings=settings, user=user)
    return _signed_in(request, pair, settings, safe_next(next) or HOME_OF[user.role])


@router.get("/register")
def register_page(request: Request) -> Response:
    """The candidate sign-up form."""
    return render(request, "auth/register.html", errors=[], form={})


@router.post("/register")
def register(
    request: Request,
    session: DbSession,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    full_name: Annotated[str, Form()] = "",
) -> Response:
    """Create a candidate account, then ask for a sign-in: a taken email looks the same."""
    if refused := _refuse_other_sites(request):
        return refused
    form = {"email": email, "full_name": full_name}
    try:
        body = UserRegister(email=email, password=password, full_name=full_name)
    except ValidationError as exc:
        errors = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return render(request, "auth/register.html", status_code=422, errors=errors, form=form)
    auth_service.register_candidate(
        session, email=body.email, password=body.password, full_name=body.full_name
    )
    return render(
        request,
        "auth/login.html",
        next="",
        error=None,
        notice=REGISTRATION_RECEIVED,
        email=auth_service.normalize_email(body.email),
    )


@router.post("/logout")
def logout(
    request: Request,
    viewer: CurrentViewer,
    session: DbSession,
    settings: AppSettings,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """End the login (its tokens stop working everywhere) and clear the cookies."""
    if not cookies.csrf_valid(settings, viewer.principal.session_id, csrf):
        return Response("Missing or wrong CSRF token.", status_code=403)
    auth_service.logout(session, session_id=viewer.principal.session_id)
    return cookies.clear_session(RedirectResponse("/login", status_code=303))


def _renew(request: Request, session: DbSession, settings: AppSettings):
    """A new pair for the refresh cookie, or None when the login cannot be renewed."""
    refresh_token = request.cookies.get(cookies.REFRESH_COOKIE)
    if not refresh_token:
        return None
    try:
        return auth_service.refresh(session, settings=settings, refresh_token=refresh_token)
    except auth_service.InvalidToken:
        return None


@router.get("/auth/refresh")
def refresh_and_return(
    request: Request, session: DbSession, settings: AppSettings, next: str | None = None
) -> Response:
    """Renew an expired access token, then go back to the page that needed it."""
    target = safe_next(next) or "/"
    pair = _renew(request, session, settings)
    if pair is None:
        return cookies.clear_session(RedirectResponse(f"/login?next={quote(target, safe='/')}"))
    return _signed_in(request, pair, settings, target)


@router.post("/auth/refresh", status_code=status.HTTP_204_NO_CONTENT)
def refresh(request: Request, session: DbSession, settings: AppSettings) -> Response:
    """Page scripts renew the session here when the API answers 401."""
    if refused := _refuse_other_sites(request):
        return refused
    pair = _renew(request, session, settings)
    if pair is None:
        return cookies.clear_session(Response(status_code=status.HTTP_401_UNAUTHORIZED))
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    return cookies.set_session(
        response, pair, settings=settings, secure=cookies.is_secure(request, settings)
    )


@router.get("/account")
def account(request: Request, viewer: CurrentViewer) -> Response:
    """The signed-in user's account: who they are, and changing the password."""
    return render(request, "auth/account.html", viewer)
