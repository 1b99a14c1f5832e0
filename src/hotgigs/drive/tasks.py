"""The Drive domain's background tasks: due syncs and one sync's run (loaded by workers only)."""

from __future__ import annotations

import uuid

from hotgigs.background import RUN_DRIVE_SYNC, celery_app
from hotgigs.drive import flows as drive_flows


@celery_app.task(name="hotgigs.drive.run_due_syncs")
def run_due_drive_syncs() -> int:
    """Scheduled: queue a run of every active Drive sync that is due."""
    return drive_flows.run_due()


# Nobody reads its result (ignore_result): see hotgigs.resumes.tasks.
@celery_app.task(name=RUN_DRIVE_SYNC, ignore_result=True)
def run_drive_sync(sync_id: str, trigger: str) -> str | None:
    """One run of a Drive folder sync (a run already in progress is not started twice)."""
    run_id = drive_flows.run_sync(uuid.UUID(sync_id), trigger=trigger)
    return str(run_id) if run_id else None
