"""What every page needs: the signed-in user from the session cookie, and template rendering."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from hotgigs.auth import cookies
from hotgigs.auth import service as auth_service
from hotgigs.auth.dependencies import AppSettings, DbSession
from hotgigs.auth.models import Role, User
from hotgigs.candidates.access import Access

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

# Where each role lands after signing in.
HOME_OF = {Role.RECRUITER: "/import", Role.ADMIN: "/admin", Role.CANDIDATE: "/me"}


class SignInRequired(Exception):
    """The page needs a signed-in user; `refresh` when a refresh may still bring one back."""

    def __init__(self, next_path: str, *, refresh: bool) -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.refresh = refresh


class PageForbidden(Exception):
    """The signed-in user's role may not open this page."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a page, with the CSRF token their page scripts send back."""

    principal: auth_service.Principal
    csrf: str

    @property
    def user(self) -> User:
        return self.principal.user


def safe_next(path: str | None) -> str | None:
    """A same-site path to return to after signing in (never another site's address)."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return None


def sign_in_redirect(error: SignInRequired) -> str:
    """Where a page without a usable session sends the browser."""
    target = "/auth/refresh" if error.refresh else "/login"
    return f"{target}?next={quote(error.next_path, safe='/')}"


def get_viewer(request: Request, session: DbSession, settings: AppSettings) -> Viewer:
    """The signed-in user of this page, or SignInRequired."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    token = request.cookies.get(cookies.ACCESS_COOKIE)
    if not token:
        raise SignInRequired(here, refresh=False)
    try:
        principal = auth_service.principal_for_access_token(session, settings=settings, token=token)
    except auth_service.InvalidToken as exc:
        # An expired access token is normal after 30 minutes: the refresh cookie renews it.
        raise SignInRequired(here, refresh="expired" in str(exc)) from None
    return Viewer(principal=principal, csrf=cookies.csrf_token(settings, principal.session_id))


CurrentViewer = Annotated[Viewer, Depends(get_viewer)]


def viewer_with_role(*roles: Role):
    """A page dependency that lets in only these roles (others see a 403 page)."""
    allowed = frozenset(roles)

    def check(viewer: CurrentViewer) -> Viewer:
        if viewer.user.role not in allowed:
            raise PageForbidden
        return viewer

    return check


RecruiterViewer = Annotated[Viewer, Depends(viewer_with_role(Role.RECRUITER, Role.ADMIN))]
AdminViewer = Annotated[Viewer, Depends(viewer_with_role(Role.ADMIN))]
CandidateViewer = Annotated[Viewer, Depends(viewer_with_role(Role.CANDIDATE))]


def render(
    request: Request,
    template: str,
    viewer: Viewer | None = None,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """A page: the template with the viewer, their CSRF token and the current path."""
    return templates.TemplateResponse(
        request,
        template,
        {
            "viewer": viewer,
            "user": viewer.user if viewer else None,
            "csrf": viewer.csrf if viewer else "",
            "path": request.url.path,
            "Role": Role,
            "Access": Access,
            **context,
        },
        status_code=status_code,
    )
