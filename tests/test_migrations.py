"""Migrations go up and down on the run's kind of database, and match the models."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import JSON, Uuid, column, inspect, select, table
from sqlalchemy.orm import Session

from hotgigs import migrations
from hotgigs.candidates import search
from hotgigs.db import UTCDateTime, create_db_engine
from hotgigs.models import Base
from hotgigs.notifications.models import Notification
from tests.conftest import BASE_DATABASE_URL
from tests.support.databases import create_scratch_database, drop_scratch_database


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the run's."""
    url = create_scratch_database(BASE_DATABASE_URL, tmp_path, "migrations")
    yield url
    drop_scratch_database(BASE_DATABASE_URL, url)


def table_names(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()
    # the search index tables (FTS5 on SQLite) are the database's, not the models'
    return {name for name in names if search.include_name(name, "table", {})}


def test_upgrade_downgrade_upgrade(scratch_url: str) -> None:
    migrations.upgrade(url=scratch_url)
    assert table_names(scratch_url) == set(Base.metadata.tables)
    migrations.downgrade("base", url=scratch_url)
    assert table_names(scratch_url) == set()
    migrations.upgrade(url=scratch_url)
    assert table_names(scratch_url) == set(Base.metadata.tables)


def test_models_and_migrations_agree(scratch_url: str) -> None:
    migrations.upgrade(url=scratch_url)
    engine = create_db_engine(scratch_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": search.include_name}
        )
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == [], "models changed without a migration: run `alembic revision`"


def test_run_uses_its_own_database() -> None:
    assert os.environ["DATABASE_URL"] != BASE_DATABASE_URL


def test_earlier_events_become_read_notifications_under_their_wire_names(scratch_url: str) -> None:
    migrations.upgrade("0006", url=scratch_url)
    engine = create_db_engine(scratch_url)
    user_id, subject_id = uuid.uuid4(), uuid.uuid4()
    first, second = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    users = table(
        "users",
        column("id", Uuid),
        column("email"),
        column("password_hash"),
        column("role"),
        column("full_name"),
        column("is_active"),
        column("created_at", UTCDateTime),
    )
    events = table(
        "events",
        column("id", Uuid),
        column("type"),
        column("user_id", Uuid),
        column("subject_id", Uuid),
        column("data", JSON),
        column("created_at", UTCDateTime),
    )
    with engine.begin() as connection:
        connection.execute(
            users.insert().values(
                id=user_id,
                email="a@example.com",
                password_hash="x",
                role="recruiter",
                full_name="A",
                is_active=True,
                created_at=first,
            )
        )
        connection.execute(
            events.insert(),
            [
                {
                    "id": uuid.uuid4(),
                    "type": "candidate.duplicate_flagged",
                    "user_id": user_id,
                    "subject_id": subject_id,
                    "data": {"reason": "same email"},
                    "created_at": second,
                },
                {
                    "id": uuid.uuid4(),
                    "type": "resume.progress",
                    "user_id": user_id,
                    "subject_id": None,
                    "data": {"progress": 10},
                    "created_at": first,
                },
            ],
        )
    engine.dispose()
    migrations.upgrade(url=scratch_url)
    engine = create_db_engine(scratch_url)
    with Session(engine) as session:
        rows = session.scalars(select(Notification).order_by(Notification.id)).all()
        found = [(r.type, r.subject_id, r.data, r.in_app, r.read_at) for r in rows]
    engine.dispose()
    assert found == [
        ("resume_progress", None, {"progress": 10}, False, first),
        ("candidate_duplicate_flagged", subject_id, {"reason": "same email"}, True, second),
    ]
