"""Domain errors that mean the same thing in every domain, and their HTTP answers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from kombu.exceptions import OperationalError as QueueUnavailable
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError as DatabaseDataError
from sqlalchemy.exc import InterfaceError as DatabaseInterfaceError
from sqlalchemy.exc import OperationalError as DatabaseUnavailable

QUEUE_UNAVAILABLE = "The job queue is unavailable; try again shortly."
DATABASE_UNAVAILABLE = "The database is unavailable; try again shortly."
# What a client is told to wait before trying again when a service is down.
RETRY_AFTER_SECONDS = 5


class NotFound(LookupError):
    """Nothing with that id is visible to the caller (it may not exist at all).

    Services raise it for records the caller may not see as well as for missing ones, so
    the answer never tells which.
    """


class Forbidden(PermissionError):
    """The caller may see the record but not do this to it."""


class ServiceUnavailable(RuntimeError):
    """A service behind us (such as the file store) cannot be used right now; the client
    gets a 503 with ``public_detail`` (never the internal reason) and may retry."""

    public_detail = "A service this request needs is unavailable; try again shortly."


class Invalid(ValueError):
    """The request is well-formed but asks for something the rules do not allow."""


class ErrorRead(BaseModel):
    """The body of every error answer."""

    detail: str = Field(description="What went wrong, in a sentence")


class FieldError(BaseModel):
    """One field FastAPI found invalid."""

    loc: list[str | int] = Field(description="Where: body, query or path, then the field")
    msg: str
    type: str


class InvalidRead(BaseModel):
    """A 422: the invalid fields FastAPI found, or the sentence of a rule the request breaks."""

    detail: str | list[FieldError]


# What each error status means on this API, for the OpenAPI document.
ERROR_MEANINGS = {
    400: "The request cannot be read (malformed JSON or multipart) or carried out as sent.",
    401: "Not signed in: the token is missing, expired or revoked.",
    403: "Signed in, but not allowed to do this: role, permission or CSRF token.",
    404: "Nothing with that id is visible to you (it may not exist at all).",
    409: "Conflicts with the record's current state.",
    413: "The request, or a file in it, is larger than the limit.",
    415: "The file's type is not one we import.",
    422: "Invalid input: the fields at fault, or the rule the request breaks.",
    429: "Too many attempts: try again after Retry-After seconds.",
    503: "The feature is switched off, or a service it needs (database, job queue) is down.",
}

# Headers that come with some of them.
ERROR_HEADERS = {
    401: {
        "WWW-Authenticate": {
            "description": "How to authenticate: `Bearer`.",
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
        }
    },
    503: {
        "Retry-After": {
            "description": "When a service is down: seconds to wait before trying again.",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the error answers an operation can give."""
    return {
        code: {
            "model": InvalidRead if code == 422 else ErrorRead,
            "description": ERROR_MEANINGS[code],
            **({"headers": ERROR_HEADERS[code]} if code in ERROR_HEADERS else {}),
        }
        for code in codes
    }


def register_error_handlers(app: FastAPI) -> None:
    """Map domain errors to HTTP answers, so routers need no try/except for them."""

    @app.exception_handler(NotFound)
    async def not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(exc)})

    @app.exception_handler(Forbidden)
    async def forbidden(_request: Request, exc: Forbidden) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_403_FORBIDDEN, content={"detail": str(exc)})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Where and why, never the value itself: a value may be a password, and one that is
        # not valid text (a lone surrogate) would fail to encode into the answer.
        fields = [
            {
                "loc": [_printable(part) if isinstance(part, str) else part for part in e["loc"]],
                "msg": _printable(e["msg"]),
                "type": e["type"],
            }
            for e in exc.errors()
        ]
        return JSONResponse(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": fields}
        )

    @app.exception_handler(DatabaseDataError)
    async def unstorable(_request: Request, _exc: DatabaseDataError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            content={"detail": "A value in the request cannot be stored as it is."},
        )

    @app.exception_handler(Invalid)
    async def invalid(_request: Request, exc: Invalid) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": str(exc)}
        )

    # Outages of the services behind us: a clear 503 the client can retry, never a 500.
    @app.exception_handler(QueueUnavailable)
    async def queue_unavailable(_request: Request, _exc: QueueUnavailable) -> JSONResponse:
        return _unavailable(QUEUE_UNAVAILABLE)

    @app.exception_handler(DatabaseUnavailable)
    @app.exception_handler(DatabaseInterfaceError)
    async def database_unavailable(_request: Request, _exc: Exception) -> JSONResponse:
        return _unavailable(DATABASE_UNAVAILABLE)

    @app.exception_handler(ServiceUnavailable)
    async def service_unavailable(_request: Request, exc: ServiceUnavailable) -> JSONResponse:
        return _unavailable(exc.public_detail)


def _printable(text: str) -> str:
    """`text` with anything UTF-8 cannot carry (lone surrogates) written as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _unavailable(detail: str) -> JSONResponse:
    """A 503 that says which service is down and when to try again."""
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"detail": detail},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
