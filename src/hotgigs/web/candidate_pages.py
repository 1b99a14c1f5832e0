"""Candidate database pages: search and the candidate profile."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
