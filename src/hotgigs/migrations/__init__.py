"""Alembic migrations, shipped inside the package so `hotgigs migrate` works when installed."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from hotgigs.config import get_settings


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at these migrations and the configured database."""
    config = Config()
    config.set_main_option("script_location", "hotgigs:migrations")
    # `%` is Alembic's interpolation character; URLs may contain it (encoded passwords).
    config.set_main_option(
        "sqlalchemy.url", (url or get_settings().sqlalchemy_url).replace("%", "%%")
    )
    return config


def upgrade(revision: str = "head", *, url: str | None = None) -> None:
    """Apply migrations up to `revision`."""
    command.upgrade(alembic_config(url), revision)


def downgrade(revision: str, *, url: str | None = None) -> None:
    """Revert migrations down to `revision` (`base` removes every table)."""
    command.downgrade(alembic_config(url), revision)
