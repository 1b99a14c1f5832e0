"""The notification center page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from hotgigs.auth.dependencies import DbSession
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.schemas import NotificationRead
from hotgigs.notifications.types import LABELS, NotificationType
from hotgigs.web.deps import CurrentViewer, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25


@router.get("/notifications")
def notification_center(
    request: Request,
    viewer: CurrentViewer,
    session: DbSession,
    cursor: Annotated[int | None, Query(ge=0)] = None,
    unread_only: bool = False,
    type: NotificationType | None = None,
) -> Response:
    """Everything the user was told, newest first, with filters and per-type preferences."""
    page = notifications_service.list_page(
        session,
        user_id=viewer.user.id,
        limit=PAGE_SIZE,
        cursor=cursor,
        unread_only=unread_only,
        type=type,
    )
    preferences = notifications_service.preferences(session, user_id=viewer.user.id)
    return render(
        request,
        "notifications/center.html",
        viewer,
        page=page,
        items=[NotificationRead.of(n) for n in page.items],
        unread_only=unread_only,
        chosen_type=type.value if type else "",
        types=[(t.value, LABELS[t]) for t in preferences],
        preferences=[(t.value, LABELS[t], channels) for t, channels in preferences.items()],
    )
