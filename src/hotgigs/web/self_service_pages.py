"""Pages for candidate accounts: my profile and my matches."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
