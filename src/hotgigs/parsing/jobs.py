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


# Headings of the parts of a posting that sell the job rather than ask for skills.
_BOILERPLATE_HEADING = re.compile(
    r"(?i)^\W*(?:benefits|perks|what\s+we\s+offer|why\s+(?:join|work)\b.*|about\s+(?:us|the"
    r"\s+company|the\s+team|our\s+company)|our\s+(?:benefits|culture|values)|equal\s+"
    r"opportunit\w*|how\s+to\s+apply|compensation|salary)\b[\w\s&,]{0,30}:?\W*$"
)
# Sentences that speak of hiring, applying, pay and perks: "We are hiring!" is not a request
# for Recruitment skills, "health insurance" not for Insurance.
_BOILERPLATE_SENTENCE = re.compile(
    r"(?i)\b(?:(?:we.re|we\s+are|is|are|now)\s+hiring|hiring\s+(?:across|for|in|now)"
    r"|equal[\s-]+opportunit|applicants?\b|apply\b|unsolicited|recruit(?:ing|ment)\s+(?:team"
    r"|agenc|bonus|process)|join\s+(?:our|the)\s+(?:growing\s+)?team|benefits?\b|perks?\b"
    r"|paid\s+time\s+off|401\s*\(?k\)?|(?:health|dental|vision|life)\s+insurance"
    r"|tuition|offsites?\b|learning\s+budget|referral)"
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
    boilerplate_section: set[int] = set()
    in_preferred = in_boilerplate = False
    for line in doc.lines:
        prefers, requires = _PREFERRED.search(line.text), _REQUIRED.search(line.text)
        if _BOILERPLATE_HEADING.match(line.text):
            in_boilerplate = True
        elif prefers or requires:
            in_boilerplate = False
        if prefers:
            in_preferred = True
        elif requires:
            in_preferred = False
        elif in_preferred:
            preferred_section.add(line.index)
        if in_boilerplate:
            boilerplate_section.add(line.index)
    mentions = skills.find_skills(
        doc.text,
        line_of=doc.line_at,
        # a job description is a list of asks: every line is skill context
        skill_context=lambda _line: True,
    )
    required: dict[str, None] = {}
    preferred: dict[str, None] = {}
    for mention in mentions:
        line = doc.line_at(mention.start)
        if line is not None and line.index in boilerplate_section:
            continue
        if _BOILERPLATE_SENTENCE.search(_sentence(doc.text, mention.start, mention.end)):
            continue
        clause = _clause(doc.text, mention.start, mention.end)
        cue = _last_cue(doc.text[line.start : mention.start] if line is not None else "")
        if _PREFERRED.search(clause):
            target = preferred
        elif _REQUIRED.search(clause):
            target = required
        elif cue is not None:  # "Requirements: SQL, Kafka. Nice to have: dbt, Terraform."
            target = preferred if cue == "preferred" else required
        else:
            target = preferred if line is not None and line.index in preferred_section else required
        target.setdefault(mention.entry.name, None)
    return JobSkills(
        required=list(required),
        preferred=[name for name in preferred if name not in required],
    )


def _last_cue(before: str) -> str | None:
    """Which cue comes last in the text before a mention on its line, if any."""
    last_preferred = max((m.end() for m in _PREFERRED.finditer(before)), default=-1)
    last_required = max((m.end() for m in _REQUIRED.finditer(before)), default=-1)
    if last_preferred == last_required:
        return None
    return "preferred" if last_preferred > last_required else "required"


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a mention: up to the nearest . ! ? or line end either side."""
    left = max(text.rfind(ch, 0, start) for ch in ".!?\n")
    rights = [pos for pos in (text.find(ch, end) for ch in ".!?\n") if pos != -1]
    return text[left + 1 : min(rights, default=len(text))]


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a mention: up to the nearest , ; . ( ) or line end either side."""
    left = max(text.rfind(ch, 0, start) for ch in ",;.()\n")
    rights = [pos for pos in (text.find(ch, end) for ch in ",;.()\n") if pos != -1]
    return text[left + 1 : min(rights, default=len(text))]
