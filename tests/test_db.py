"""The database layer: SQLite pragmas and UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text

from hotgigs.db import UTCDateTime, create_db_engine


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'nested' / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_timestamps_come_back_as_aware_utc_and_naive_ones_are_refused(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 't.db'}")
    table = Table(
        "t", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime)
    )
    table.metadata.create_all(engine)
    plus_two = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    with engine.begin() as connection:
        connection.execute(insert(table).values(id=1, at=plus_two))
        stored = connection.execute(select(table.c.at)).scalar_one()
    assert stored == datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
    assert stored.tzinfo is UTC
    with pytest.raises(Exception, match="naive datetime"), engine.begin() as connection:
        connection.execute(insert(table).values(id=2, at=datetime(2026, 1, 1)))
    engine.dispose()
