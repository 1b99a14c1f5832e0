"""The overlay of people's corrections on a candidate's parsed resume (``Candidate.corrected``).

Its form: ``{"resume_id": ..., "basics": {key: {"value", "parsed"}}, "sections": {...}}``,
where a basics key is ``name``, ``label``, ``email``, ``phone`` or ``location.<part>``
and a section (``work``, ``education``, ``skills``) is the whole list as a person left it.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from typing import Any

from hotgigs.candidates.models import Candidate


def reapply(candidate: Candidate, parsed: dict[str, Any], resume_id: uuid.UUID) -> dict[str, Any]:
    """``parsed`` (a fresh parse of resume ``resume_id``) with the candidate's corrections
    laid over it; the overlay is updated for that resume (see the module docstring)."""
    overlay = candidate.corrected or {}
    if not overlay.get("basics") and not overlay.get("sections"):
        return parsed
    same_file = overlay.get("resume_id") == str(resume_id)
    resume = copy.deepcopy(parsed)
    basics = dict(resume.get("basics") or {})
    for key, kept in (overlay.get("basics") or {}).items():
        now = basic_value(parsed, key)
        if same_file or now in (None, "", kept.get("parsed")):
            put_basic(basics, key, kept.get("value"))
    if basics:
        resume["basics"] = basics
    sections = (overlay.get("sections") or {}) if same_file else {}
    for section, items in sections.items():
        if items:
            resume[section] = copy.deepcopy(items)
        else:
            resume.pop(section, None)
    candidate.corrected = {
        "resume_id": str(resume_id),
        "basics": overlay.get("basics") or {},
        "sections": sections,
    }
    return resume


def put_value(target: dict[str, Any], key: str, value: Any) -> None:
    """Set a key, or remove it for an empty value."""
    if value in (None, ""):
        target.pop(key, None)
    else:
        target[key] = value


def basic_value(resume: Mapping[str, Any], key: str) -> Any:
    """A basics value by overlay key (``name`` or ``location.city``)."""
    basics = resume.get("basics") or {}
    if key.startswith("location."):
        return (basics.get("location") or {}).get(key.split(".", 1)[1])
    return basics.get(key)


def put_basic(basics: dict[str, Any], key: str, value: Any) -> None:
    """Set a basics value by overlay key, or remove it for an empty value."""
    if key.startswith("location."):
        location = dict(basics.get("location") or {})
        put_value(location, key.split(".", 1)[1], value)
        put_value(basics, "location", location or None)
    else:
        put_value(basics, key, value)
