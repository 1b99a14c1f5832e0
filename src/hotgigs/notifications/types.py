"""The notification types clients receive, their default channels and their one-line titles."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class NotificationType(enum.StrEnum):
    """Wire names of every notification (`{"type": ...}` on the WebSocket)."""

    RESUME_PROGRESS = "resume_progress"
    RESUME_COMPLETED = "resume_completed"
    RESUME_FAILED = "resume_failed"
    BULK_UPLOAD_COMPLETED = "bulk_upload_completed"
    CANDIDATE_ADDED = "candidate_added"
    CANDIDATE_DUPLICATE_FLAGGED = "candidate_duplicate_flagged"
    CANDIDATE_SHARED = "candidate_shared"
    CANDIDATE_UNSHARED = "candidate_unshared"
    MATCH_FOUND = "match_found"
    DRIVE_SYNC_COMPLETED = "drive_sync_completed"
    REGISTRATION_ATTEMPTED = "registration_attempted"


@dataclass(frozen=True)
class Channels:
    """Where a notification shows: the notification center, and a desktop notice."""

    in_app: bool
    browser: bool


# Progress is a live status stream: delivered to sockets, never a notification to keep.
LIVE_ONLY = frozenset({NotificationType.RESUME_PROGRESS})
LIVE_ONLY_CHANNELS = Channels(in_app=False, browser=False)

# Defaults a user can change per type: desktop notices only where one is worth interrupting for.
DEFAULT_CHANNELS: dict[NotificationType, Channels] = {
    NotificationType.RESUME_COMPLETED: Channels(in_app=True, browser=False),
    NotificationType.RESUME_FAILED: Channels(in_app=True, browser=True),
    NotificationType.BULK_UPLOAD_COMPLETED: Channels(in_app=True, browser=True),
    NotificationType.CANDIDATE_ADDED: Channels(in_app=True, browser=False),
    NotificationType.CANDIDATE_DUPLICATE_FLAGGED: Channels(in_app=True, browser=False),
    NotificationType.CANDIDATE_SHARED: Channels(in_app=True, browser=True),
    NotificationType.CANDIDATE_UNSHARED: Channels(in_app=True, browser=False),
    NotificationType.MATCH_FOUND: Channels(in_app=True, browser=True),
    NotificationType.DRIVE_SYNC_COMPLETED: Channels(in_app=True, browser=True),
    NotificationType.REGISTRATION_ATTEMPTED: Channels(in_app=True, browser=True),
}

LABELS: dict[NotificationType, str] = {
    NotificationType.RESUME_COMPLETED: "A resume was imported",
    NotificationType.RESUME_FAILED: "A resume could not be imported",
    NotificationType.BULK_UPLOAD_COMPLETED: "A bulk upload finished",
    NotificationType.CANDIDATE_ADDED: "A new candidate was added",
    NotificationType.CANDIDATE_DUPLICATE_FLAGGED: "A possible duplicate candidate was found",
    NotificationType.CANDIDATE_SHARED: "A candidate was shared with you",
    NotificationType.CANDIDATE_UNSHARED: "A candidate is no longer shared with you",
    NotificationType.MATCH_FOUND: "A strong match for one of your jobs",
    NotificationType.DRIVE_SYNC_COMPLETED: "A Google Drive sync finished",
    NotificationType.REGISTRATION_ATTEMPTED: "Someone tried to register with your email",
}


# (key in the data, word shown, shown when zero): the order and words of a run's report.
_DRIVE_COUNT_WORDS = (
    ("imported", "imported", True),
    ("updated", "updated", False),
    ("skipped", "unchanged", True),
    ("failed", "failed", True),
    ("deleted", "removed", False),
)


def title(type_: str, data: dict[str, Any]) -> str:
    """The line a notification center or desktop notice shows, from the stored data."""
    get = data.get
    match type_:
        case NotificationType.RESUME_PROGRESS:
            return f"{get('filename', 'Resume')}: {get('status')} ({get('progress', 0)}%)"
        case NotificationType.RESUME_COMPLETED:
            return f"{get('filename', 'A resume')} was imported"
        case NotificationType.RESUME_FAILED:
            return f"{get('filename', 'A resume')} could not be imported: {get('error', '')}"
        case NotificationType.BULK_UPLOAD_COMPLETED:
            return (
                f"Bulk upload finished: {get('completed', 0)} imported, {get('failed', 0)} failed"
                f"{_to_review(data)}"
            )
        case NotificationType.CANDIDATE_ADDED:
            return f"New candidate: {get('name') or 'unnamed'}"
        case NotificationType.CANDIDATE_DUPLICATE_FLAGGED:
            return f"Possible duplicate candidate ({get('reason', 'similar details')})"
        case NotificationType.CANDIDATE_SHARED:
            return (
                f"{get('shared_by', 'A colleague')} shared {get('candidate_name') or 'a candidate'}"
                f" with you ({get('permission', 'view')})"
            )
        case NotificationType.CANDIDATE_UNSHARED:
            return "A candidate is no longer shared with you"
        case NotificationType.MATCH_FOUND:
            return (
                f"{get('candidate_name') or 'A candidate'} matches {get('job_title', 'your job')}"
                f" ({get('score', 0):.0f})"
            )
        case NotificationType.DRIVE_SYNC_COMPLETED:
            ended = f"failed ({get('error')})" if get("status") == "failed" else "finished"
            return f"Drive sync {ended}: {_drive_counts(data)}{_to_review(data)}"
        case NotificationType.REGISTRATION_ATTEMPTED:
            return (
                "Someone tried to create a new account with your email. Nothing changed; "
                "if it was not you, there is nothing to do."
            )
    return type_


def _drive_counts(data: dict[str, Any]) -> str:
    """A Drive run's counts in the words of its report (updated and removed when there are any)."""
    return ", ".join(
        f"{data.get(key, 0)} {word}"
        for key, word, always in _DRIVE_COUNT_WORDS
        if always or data.get(key)
    )


def _to_review(data: dict[str, Any]) -> str:
    """How many possible duplicates an import found, when it found any."""
    found = data.get("duplicates") or 0
    if not found:
        return ""
    return f"; {found} possible duplicate{'' if found == 1 else 's'} to review"
