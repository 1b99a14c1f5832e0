"""Section segmentation: heading lines split a resume into typed sections.

A heading is a short line that names a known section ("Work History", "EMPLOYMENT",
"Academic Qualifications:", "II. EDUCATION"), case-insensitive, with or without a
trailing colon; or a short upper/title-case line ending in a section word ("RETAIL
EXPERIENCE").  "Objective: To obtain ..." is a heading with inline content.  Text before
the first heading is the ``header`` section; a resume without headings is one ``header``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import takewhile

from hotgigs.parsing import lexicon, skills
from hotgigs.parsing.dates import find_dates
from hotgigs.parsing.degrees import find_degrees
from hotgigs.parsing.text import Line

HEADER = "header"

_PHRASES: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary", "professional summary", "career summary", "profile", "professional profile",
        "career profile", "objective", "objectives", "career objective", "job objective",
        "professional objective", "about me", "about", "executive summary", "executive profile",
        "overview", "professional overview", "summary of qualifications",
        "qualifications summary", "highlights", "career highlights", "personal summary",
        "resume profile", "introduction", "personal statement", "profile summary",
        "summary of experience", "experience summary", "career overview", "professional highlights",
        "key qualifications", "core qualifications", "qualifications", "performance summary",
        "synopsis", "career synopsis", "brief profile", "personal profile summary",
    ),
    "work": (
        "work", "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "job history",
        "career experience", "career experience/job history", "relevant experience",
        "professional background", "work experience details", "internships", "internship",
        "internship experience", "teaching experience", "professional employment",
        "positions held", "academic appointment", "academic appointments", "appointments",
        "military experience", "research experience", "related experience", "industry experience",
        "employment details", "work details", "organisational experience",
        "organizational experience", "employment record", "experience details",
        "previous experience", "professional work experience", "work and leadership experience",
        "details of professional experience", "career progression", "working experience",
        "employment experience", "experiences", "career", "professional career", "career path",
        "professional history",
    ),
    "education": (
        "education", "academic qualifications", "academic qualification",
        "educational qualifications", "educational qualification", "academic background",
        "educational background", "academics", "scholastic profile", "academic profile",
        "academic details", "education and training", "education and certifications",
        "education and certification", "education details", "educational details",
        "degrees", "academic credentials", "educational credentials", "qualification",
        "academic record", "education background", "educational profile",
        "academic achievements and qualifications", "education and qualifications",
    ),
    "skills": (
        "skills", "technical skills", "key skills", "core skills", "skill set", "skillset",
        "skill sets", "it skills", "computer skills", "technical proficiency",
        "technical expertise", "areas of expertise", "expertise", "core competencies",
        "competencies", "key competencies", "technologies", "technical summary", "tools",
        "software", "strengths", "key strengths", "professional skills", "personal skills",
        "skills summary", "summary of skills", "skills and abilities", "technical skill set",
        "technical skillset", "languages and technologies", "programming languages",
        "skills and expertise", "technical competencies", "software skills",
        "tools and technologies",
        "technology stack", "tech stack", "additional skills", "relevant skills",
        "skills and competencies", "it proficiency", "computer proficiency", "abilities",
        "functional skills", "soft skills", "core strengths", "areas of strength",
        "software proficiency", "technical knowledge", "skills & tools", "key expertise",
    ),
    "certificates": (
        "certifications", "certification", "certificates", "licenses", "licences",
        "licenses and certifications", "certifications and licenses", "professional certifications",
        "courses", "trainings", "training", "training and certifications",
        "certifications and trainings", "credentials", "teaching licenses", "credential",
        "professional development", "courses and certifications", "certificate courses",
        "professional training", "training attended", "trainings attended", "licensure",
    ),
    "projects": (
        "projects", "academic projects", "personal projects", "key projects", "project details",
        "project experience", "project profile", "major projects", "projects undertaken",
        "professional projects", "project", "projects handled", "projects done",
        "academic project", "final year project", "project work", "projects worked on",
        "project summary", "notable projects", "side projects",
    ),
    "languages": (
        "languages", "languages known", "language skills", "language proficiency",
        "linguistic proficiency", "known languages", "language", "spoken languages",
    ),
    "awards": (
        "awards", "honors", "honours", "achievements", "accomplishments", "awards and honors",
        "awards and achievements", "key accomplishments", "recognition", "recognitions",
        "scholarships", "honors and awards", "awards and recognition", "achievements and awards",
        "extra achievements", "academic achievements", "key achievements",
    ),
    "interests": (
        "interests", "hobbies", "hobbies and interests", "interests and hobbies",
        "extracurricular activities", "extra curricular activities", "extra-curricular activities",
        "activities", "co-curricular activities", "personal interests", "leisure interests",
    ),
    "personal": (
        "personal details", "personal information", "personal data", "personal profile",
        "personal particulars", "personal info", "declaration",
    ),
    "references": ("references", "referees", "reference"),
    "publications": (
        "publications", "presentations", "conference presentations", "papers", "research papers",
        "patents", "research publications",
    ),
    "volunteer": (
        "volunteer", "volunteering", "volunteer experience", "community service",
        "community involvement", "leadership", "leadership experience", "volunteer work",
        "affiliations", "memberships", "professional affiliations", "professional memberships",
    ),
    "contact": ("contact", "contact information", "contact details", "contact info"),
    "additional": (
        "additional information", "other information", "additional", "miscellaneous",
        "links", "social", "online presence", "other details", "additional details",
    ),
}  # fmt: skip
PHRASES: dict[str, str] = {p: kind for kind, phrases in _PHRASES.items() for p in phrases}
# Letter-spaced PDF fonts break headings into fragments ("Profes sional Skill s"): the same
# phrases with their spaces taken out.
_UNSPACED_PHRASES: dict[str, str] = {p.replace(" ", ""): kind for p, kind in PHRASES.items()}

_TAIL_WORDS = {
    "experience": "work", "experiences": "work", "employment": "work", "history": "work",
    "internships": "work", "education": "education", "qualifications": "education",
    "skills": "skills", "competencies": "skills", "expertise": "skills", "proficiency": "skills",
    "technologies": "skills", "certifications": "certificates", "certificates": "certificates",
    "licenses": "certificates", "trainings": "certificates", "projects": "projects",
    "languages": "languages", "awards": "awards", "honors": "awards", "achievements": "awards",
    "accomplishments": "awards", "interests": "interests", "hobbies": "interests",
    "activities": "interests", "summary": "summary", "profile": "summary", "objective": "summary",
    "publications": "publications", "references": "references",
}  # fmt: skip
# What a line naming a skill ends with when it is a thing someone was given or took ("Digital
# Skills Certificate", "Soft Skills Workshop"), not a section of skills.
_AWARDED_THINGS = frozenset(
    [
        *("certificate", "certification", "award", "badge", "course", "workshop"),
        *("training", "program", "programme", "bootcamp", "assessment", "test", "exam"),
    ]
)
# Inline "Heading: content" only for these kinds (a "Languages: Java" line is a skills row).
_INLINE_KINDS = {"summary", "work", "education", "skills", "certificates", "languages"}

_ENTRY_KINDS = {"work", "projects", "education", "certificates", "volunteer"}
_LEAD_NUMBER = re.compile(r"^(?:[IVX]{1,4}|\d{1,2}|[A-H])[.)]\s+")
_TRAIL = re.compile(r"[\s:\-\u2013.|=_*#~]+$")
_WORD = re.compile(r"[^\W\d_]+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_INLINE = re.compile(r"^([A-Za-z][A-Za-z &/'\-]{1,45}?)\s*[:\-\u2013|]\s+(\S.*)$")


@dataclass(slots=True)
class Section:
    kind: str
    heading: Line | None
    lines: list[Line] = field(default_factory=list)

    @property
    def start(self) -> int:
        if self.heading is not None:
            return self.heading.start
        return self.lines[0].start if self.lines else 0

    @property
    def end(self) -> int:
        if self.lines:
            return self.lines[-1].end
        return self.heading.end if self.heading is not None else 0


def _norm(text: str) -> str:
    text = _LEAD_NUMBER.sub("", text.strip())
    text = _TRAIL.sub("", text)
    text = text.replace("&", " and ").replace("\u2019", "'")
    return " ".join(text.lower().split())


def heading_kind(line: Line) -> str | None:
    """The section kind a whole line names, if it is a heading."""
    if line.bullet or len(line.text) > 60:
        return None
    text = line.text
    key = _norm(text)
    if _FRAGMENT.search(key) and (kind := _UNSPACED_PHRASES.get(key.replace(" ", ""))):
        return kind
    if not key or len(key.split()) > 6:
        return None
    if text.islower() and not text.endswith(":"):
        return None  # a wrapped sentence fragment, not a heading
    if key in PHRASES:
        return PHRASES[key]
    words = key.split()
    core = text.rstrip(" :")
    letters = [c for c in core if c.isalpha()]
    if not letters or any(c.isdigit() for c in core) or "," in core or "." in core.rstrip("."):
        return None
    if len(words) > 4:
        return None
    shouted = all(c.isupper() for c in letters)
    titled = all(w[:1].isupper() for w in core.split() if w.lower() not in _SMALL)
    colon = text.rstrip().endswith(":")
    last = words[-1]
    skill_word = "skills" in words or "skill" in words
    if (
        skill_word
        and (shouted or titled)
        and _TAIL_WORDS.get(last, "summary") == "summary"
        and last not in _AWARDED_THINGS
    ):
        return "skills"  # "Skills and Tech", "Professional Skills Summary"
    if not (shouted or (titled and (colon or line.gap_before))):
        return None
    if last in _TAIL_WORDS:
        if last == "qualifications" and words[0] not in ("academic", "educational", "education"):
            return "summary"
        return _TAIL_WORDS[last]
    return None


# A lone letter or two inside or at the end of a phrase: a word broken by letter spacing.
_FRAGMENT = re.compile(r"(?<=\w) \w{1,2}(?: |$)")
_SMALL = frozenset(["and", "of", "&", "in", "for", "the", "to", "with", "on", "at", "a", "an", "/"])


def inline_heading(line: Line) -> tuple[str, int] | None:
    """(kind, content offset) for "Objective: To obtain ..."-style lines."""
    if line.bullet:
        return None
    m = _INLINE.match(line.text)
    if m is None:
        return None
    key = _norm(m.group(1))
    kind = PHRASES.get(key)
    if kind is None or kind not in _INLINE_KINDS:
        return None
    return kind, line.start + m.start(2)


def _nested(kind: str, line: Line, current: str, following: list[Line]) -> bool:
    """A heading word that is part of the current section: "Highlights" of a job, "Courses"
    of a degree, or "Languages" or "Leadership" naming a group among skills."""
    key = _norm(line.text)
    if current in _ENTRY_KINDS and key == "highlights":
        return True
    if current == "education" and key in ("courses", "coursework", "relevant coursework"):
        return True  # the courses of a degree
    if current == "skills" and kind == "languages":
        return not _spoken(following)
    if current == "skills" and following and following[0].text.lower() in lexicon.SKILL_LEVELS:
        return True  # a group's name over its level ("Project" / "Advanced")
    if current == "skills" and key == "leadership":
        # a group of soft skills ("Leadership" / "Empathy" / "Mentoring"), not a list of
        # dated leadership roles
        return not any(_YEAR.search(ln.text) for ln in following)
    return False


def _dated_row(following: list[Line]) -> bool:
    """Whether a line's printed row is a short one whose next cell is a date: the line heads
    an entry. A one-line export runs a whole page into one row; its headings stay."""
    row = list(takewhile(lambda cell: not cell.physical_start, following))
    return 0 < len(row) <= ENTRY_ROW_CELLS - 1 and bool(find_dates(row[0].text))


ENTRY_ROW_CELLS = 3  # "Employer<tab>City<tab>Dates" at most


def _spoken(following: list[Line]) -> bool:
    words = {w.title() for ln in following[:4] for w in _WORD.findall(ln.text)}
    return bool(words & lexicon.SPOKEN_LANGUAGES)


def _programming_languages(following: list[Line]) -> bool:
    """A "Languages" heading over Python, Java...: a skills group, not spoken languages."""
    if _spoken(following):
        return False
    return sum(skills.lookup(ln.text) is not None for ln in following[:4]) >= 2


def segment(lines: list[Line]) -> list[Section]:
    """Sections in document order; the first is the ``header`` (possibly empty)."""
    sections = [Section(HEADER, None)]
    for i, line in enumerate(lines):
        kind = heading_kind(line)
        following = lines[i + 1 : i + 5]
        if kind is not None and _dated_row(following):
            kind = None  # "CANARY TECHNOLOGIES<tab>09/2025" is an entry's header
        if kind is not None and not _nested(kind, line, sections[-1].kind, following):
            if kind == "languages" and _programming_languages(following):
                kind = "skills"
            sections.append(Section(kind, line))
            continue
        inline = inline_heading(line)
        if inline is not None:
            kind, content_start = inline
            current = sections[-1].kind
            # inside an entry list, "Technologies: ..." or "Skills: ..." is a field of the entry
            nested = current in _ENTRY_KINDS and kind not in ("work", "education")
            if not nested and not (kind == "languages" and current == "skills") and current != kind:
                head_text = line.text[: content_start - line.start]
                head = replace(line, end=content_start, text=head_text, bullet=False)
                body_text = line.text[content_start - line.start :]
                body = Line(line.index, content_start, line.end, body_text, False, False, False)
                sections.append(Section(kind, head, [body]))
                continue
        sections[-1].lines.append(line)
    return _resume_interrupted(sections)


# Sections of short list items: a dated job inside one is the entry list they interrupted.
_LIST_KINDS = frozenset(["interests", "languages"])
# Sections a sidebar holds besides those, read between two pages of jobs: only dated rows
# that name a job title take the jobs up again.
_SIDEBAR_KINDS = frozenset(["education", "references", "additional"])


def _resume_interrupted(sections: list[Section]) -> list[Section]:
    """A sidebar read into the middle of the page ("Languages", "Interests", or its
    "Education", "References" or "Links") cuts the experience list in two: from the first
    dated entry header in such a list (in the latter three, the first of only job rows),
    the lines are the entry list's again."""
    out: list[Section] = []
    entries_kind: str | None = None
    for sec in sections:
        cut = None
        if sec.kind in _SIDEBAR_KINDS and entries_kind == "work":
            cut = _jobs_from(sec.lines)
        elif sec.kind in _LIST_KINDS and entries_kind is not None:
            cut = next((i for i, ln in enumerate(sec.lines) if _dated_header(ln)), None)
        if cut:
            cut = row_start(sec.lines, cut)  # "Company<tab>dates" is one printed row
        if cut and entries_kind is not None:
            out.append(Section(sec.kind, sec.heading, sec.lines[:cut]))
            sec = Section(entries_kind, None, sec.lines[cut:])
        elif sec.kind in _ENTRY_KINDS and any(_dated_header(ln) for ln in sec.lines):
            entries_kind = sec.kind  # a dated list: a lone "Project" over "Management" is none
        out.append(sec)
    return out


def _jobs_from(lines: list[Line]) -> int | None:
    """Where the jobs a sidebar's section interrupted go on: the first dated row that
    names a job title and no school or degree, when every dated row after it does too (a
    teaching post among the schools leaves them all where they are)."""
    rows = [row_start(lines, i) for i, ln in enumerate(lines) if _dated_header(ln)]
    jobs = [i for i in rows if _job_row(lines[i])]
    if not jobs or any(i > jobs[0] and i not in jobs for i in rows):
        return None
    return jobs[0] or None


def row_start(lines: list[Line], index: int) -> int:
    """The first line of the printed row that `lines[index]` is part of."""
    while index and not lines[index].physical_start:
        index -= 1
    return index


def _job_row(line: Line) -> bool:
    """A row that opens with a job title, not a school or a degree."""
    words = line.text.strip()
    first = _FIRST_FIELD.split(words)[0]  # "Developer & Scrum Master": no Master's degree
    if lexicon.INSTITUTION_RE.search(words) or find_degrees(first, 0, len(first)):
        return False
    return lexicon.title_score(first) >= JOB_TITLE_SCORE


JOB_TITLE_SCORE = 0.9
_FIRST_FIELD = re.compile(r",|\s+(?:at|@|&|and)\s+|\s+[-\u2013|\u00b7]\s+|\s*/\s*")


def _dated_header(line: Line) -> bool:
    """A short line with a date range: an entry's header ("ACME (VIA CIBER)  05/2016 - 04/2017")."""
    if line.bullet or len(line.words) > 10:
        return False
    return any(d.is_range for d in find_dates(line.text))
