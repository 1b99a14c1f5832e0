"""Skills a job description asks for, split into required and preferred."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hotgigs.parsing import skills
from hotgigs.parsing.text import Document

# A line that starts the nice-to-have part ("Nice to have:", "Preferred qualifications",
# "Bonus points for") or goes back to the must-haves ("Requirements", "You must have").
_PREFERRED = re.compile(
    r"(?i)\b(?:nice[\s-]+to[\s-]+have|preferred|bonus|a\s+plus|good\s+to\s+have|desirable"
    r"|optional|advantageous)\b"
)
_REQUIRED = re.compile(
    r"(?i)\b(?:requirements?|required|must[\s-]+have|must\b|qualifications|you\s+have"
    r"|essential|mandatory|responsibilities|what\s+you.ll\s+(?:do|need))\b"
)


@dataclass(frozen=True)
class JobSkills:
    """Canonical skill names a description asks for, in order of first mention."""

    required: list[str]
    preferred: list[str]


def read_job_skills(description: str) -> JobSkills:
    """The skills of a job description: preferred where the wording says so, else required.

    A clause with a cue ("Go a plus", "nice to have: Rust") decides for its own skills; a
    line that is only a cue ("Nice to have:") makes the lines after it preferred until one
    names the requirements again.
    """
    doc = Document(description)
    preferred_section: set[int] = set()
    in_preferred = False
    for line in doc.lines:
        if _PREFERRED.search(line.text):
            in_preferred = True
        elif _REQUIRED.search(line.text):
            in_preferred = False
        elif in_preferred:
            preferred_section.add(line.index)
    mentions = skills.find_skills(
        doc.text,
        line_of=doc.line_at,
        # a job description is a list of asks: every line is skill context
        skill_context=lambda _line: True,
    )
    required: dict[str, None] = {}
    preferred: dict[str, None] = {}
    for mention in mentions:
        clause = _clause(doc.text, mention.start, mention.end)
        if _PREFERRED.search(clause):
            target = preferred
        elif _REQUIRED.search(clause):
            target = required
        else:
            line = doc.line_at(mention.start)
            target = preferred if line is not None and line.index in preferred_section else required
        target.setdefault(mention.entry.name, None)
    return JobSkills(
        required=list(required),
        preferred=[name for name in preferred if name not in required],
    )


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a mention: up to the nearest , ; . ( ) or line end either side."""
    left = max(text.rfind(ch, 0, start) for ch in ",;.()\n")
    rights = [pos for pos in (text.find(ch, end) for ch in ",;.()\n") if pos != -1]
    return text[left + 1 : min(rights, default=len(text))]
