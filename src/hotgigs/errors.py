"""Domain errors that mean the same thing in every domain, and their HTTP answers."""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse


class NotFound(LookupError):
    """Nothing with that id is visible to the caller (it may not exist at all).

    Services raise it for records the caller may not see as well as for missing ones, so
    the answer never tells which.
    """


class Forbidden(PermissionError):
    """The caller may see the record but not do this to it."""


class Invalid(ValueError):
    """The request is well-formed but asks for something the rules do not allow."""


def register_error_handlers(app: FastAPI) -> None:
    """Map domain errors to HTTP answers, so routers need no try/except for them."""

    @app.exception_handler(NotFound)
    async def not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(exc)})

    @app.exception_handler(Forbidden)
    async def forbidden(_request: Request, exc: Forbidden) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_403_FORBIDDEN, content={"detail": str(exc)})

    @app.exception_handler(Invalid)
    async def invalid(_request: Request, exc: Invalid) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": str(exc)}
        )
