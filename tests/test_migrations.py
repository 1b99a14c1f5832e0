"""Migrations go up and down on the run's kind of database, and match the models."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from hotgigs import migrations
from hotgigs.candidates import search
from hotgigs.db import create_db_engine
from hotgigs.models import Base
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
