"""Query parameters every API route shares: a parameter no route declares is a client's typo
and gets a 422 naming it, never a silent answer to a question the client did not ask
(``?serach=python`` is not "everyone"); short lists take the spec's ``skip`` and ``limit``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def _names(dependant: Dependant) -> frozenset[str]:
    """The query parameters a route (or any dependency of it) reads, by their wire names (a
    model read from the query contributes its fields)."""
    names: set[str] = set()
    for param in dependant.query_params:
        model = param.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            names |= {field.alias or name for name, field in model.model_fields.items()}
        else:
            names.add(param.alias)
    for sub in dependant.dependencies:
        names |= _names(sub)
    return frozenset(names)


def open_query(endpoint: F) -> F:
    """Mark a route that must take query parameters it does not read: a redirect target
    another service builds (Google's OAuth callback adds ``scope``, ``iss``, ``authuser``)."""
    endpoint.__hotgigs_open_query__ = True  # type: ignore[attr-defined]
    return endpoint


def _known(route: APIRoute) -> frozenset[str]:
    """The route's query parameters, worked out once and kept on the route."""
    known = getattr(route, "_hotgigs_query_names", None)
    if known is None:
        known = _names(route.dependant)
        route._hotgigs_query_names = known  # type: ignore[attr-defined]
    return known


async def reject_unknown_query(request: Request) -> None:
    """Refuse a request whose query names a parameter its route does not take."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or getattr(route.endpoint, "__hotgigs_open_query__", False):
        return
    unknown = sorted(set(request.query_params) - _known(route))
    if unknown:
        problem = {"msg": "Unknown query parameter", "type": "extra_forbidden"}
        raise RequestValidationError([{"loc": ("query", name), **problem} for name in unknown])


KnownQueryOnly = Depends(reject_unknown_query)


MAX_SKIP = 1_000_000
MAX_WINDOW = 1000


@dataclass(frozen=True, slots=True)
class Window:
    """The part of a short list a client asked for with the spec's ``skip`` and ``limit``
    (no limit: everything after ``skip``)."""

    skip: int = 0
    limit: int | None = None

    def of(self, items: Sequence[T]) -> list[T]:
        """The asked-for slice of `items`."""
        end = None if self.limit is None else self.skip + self.limit
        return list(items[self.skip : end])


def _window(
    skip: Annotated[int, Query(ge=0, le=MAX_SKIP, description="Items to pass over.")] = 0,
    limit: Annotated[
        int | None, Query(ge=1, le=MAX_WINDOW, description="At most this many items.")
    ] = None,
) -> Window:
    return Window(skip, limit)


ListWindow = Annotated[Window, Depends(_window)]
