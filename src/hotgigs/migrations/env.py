"""Alembic environment: runs migrations against the URL given by `hotgigs.migrations`."""

from __future__ import annotations

from alembic import context

from hotgigs.candidates import search
from hotgigs.db import create_db_engine
from hotgigs.models import Base

config = context.config


def run_migrations() -> None:
    """Run online against the configured database (batch mode so SQLite can alter tables)."""
    engine = create_db_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            # The full-text index objects of migration 0004 are not in the models.
            include_name=search.include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
