"""Throw-away databases so that test runs never see each other's data.

SQLAlchemy is imported where it is used: the root conftest names the run's database before
any test, and a run of pure tests should not pay for importing it.
"""

from __future__ import annotations

import uuid
from pathlib import Path


def is_postgres(url: str | None) -> bool:
    """Whether `url` points at PostgreSQL."""
    if not url:
        return False
    from sqlalchemy.engine import make_url

    return make_url(url).get_backend_name() == "postgresql"


def create_scratch_database(base_url: str | None, folder: Path, label: str) -> str:
    """A new empty database beside `base_url` (PostgreSQL) or a new SQLite file in `folder`."""
    name = f"hotgigs_{label}_{uuid.uuid4().hex[:12]}"
    if not is_postgres(base_url):
        return f"sqlite:///{folder / (name + '.db')}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_scratch_database(base_url: str | None, url: str) -> None:
    """Remove a database made by create_scratch_database (SQLite files go with their folder)."""
    if not is_postgres(base_url):
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()
