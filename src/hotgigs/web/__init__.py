"""The web UI: server-rendered pages (Jinja2) with small plain JavaScript and CSS of our own."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from hotgigs.errors import Forbidden, Invalid, NotFound
from hotgigs.web import (
    admin_pages,
    auth_pages,
    candidate_pages,
    drive_pages,
    import_pages,
    job_pages,
    notification_pages,
    self_service_pages,
)
from hotgigs.web.deps import HERE, PageForbidden, SignInRequired, render, sign_in_redirect

PAGE_ROUTERS = [
    auth_pages.router,
    import_pages.router,
    notification_pages.router,
    candidate_pages.router,
    job_pages.router,
    self_service_pages.router,
    admin_pages.router,
    drive_pages.router,
]
# Domain errors on a page answer with a page; on the API they keep their JSON answers.
PAGE_ERRORS: dict[type[Exception], int] = {NotFound: 404, Forbidden: 403, Invalid: 422}


def is_page(request: Request) -> bool:
    """Whether the request is for a page rather than the API or a socket."""
    return not request.url.path.startswith(("/api/", "/ws/"))


def install(app: FastAPI) -> None:
    """Add the pages, their static files and their error pages to the app."""
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(SignInRequired)
    async def sign_in(_request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(sign_in_redirect(exc), status_code=303)

    @app.exception_handler(PageForbidden)
    async def forbidden_page(request: Request, _exc: PageForbidden) -> Response:
        message = "Your account's role cannot open this page."
        return render(request, "error.html", status_code=403, title="Not allowed", message=message)

    for error_class, code in PAGE_ERRORS.items():
        api_handler = app.exception_handlers[error_class]

        async def handle(request: Request, exc: Exception, api_handler=api_handler, code=code):
            if not is_page(request):
                return await api_handler(request, exc)
            title = {404: "Not found", 403: "Not allowed", 422: "Cannot do that"}[code]
            return render(request, "error.html", status_code=code, title=title, message=str(exc))

        app.add_exception_handler(error_class, handle)

    api_validation = app.exception_handlers[RequestValidationError]

    @app.exception_handler(RequestValidationError)
    async def bad_address(request: Request, exc: RequestValidationError) -> Response:
        if not is_page(request):
            return await api_validation(request, exc)
        fields = ", ".join(str(error["loc"][-1]) for error in exc.errors())
        message = f"This address has a value the page does not understand ({fields})."
        return render(request, "error.html", status_code=422, title="Bad address", message=message)
