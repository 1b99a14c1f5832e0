"""Imports every domain's models so the metadata (and Alembic) sees all tables."""

from hotgigs.auth.models import AuthSession, RefreshToken, User
from hotgigs.db import Base
from hotgigs.health.models import WorkerHeartbeat

__all__ = ["AuthSession", "Base", "RefreshToken", "User", "WorkerHeartbeat"]
