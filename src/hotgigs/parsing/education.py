"""Education entries, grouped from degree, institution and date mentions in education
sections (or degree mentions in the header when a resume has no such section)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hotgigs.parsing import lexicon
from hotgigs.parsing.dates import DateMention
from hotgigs.parsing.degrees import find_degrees
from hotgigs.parsing.draft import Span
from hotgigs.parsing.entries import DateIndex, _prose_like, _tidy
from hotgigs.parsing.fields import EDGE
from hotgigs.parsing.listed import SKILL_LEVELS
from hotgigs.parsing.segment import Section
from hotgigs.parsing.text import Document, Line
from hotgigs.parsing.wrapped import BROKEN_NAME, rejoin_wrapped_schools


@dataclass(slots=True)
class EducationEntry:
    institution: Span | None = None
    study_type: Span | None = None
    area: Span | None = None
    dates: DateMention | None = None
    score: str | None = None
    line_index: int = 0


_AREA = re.compile(
    r"[\s,:\-]*(?:\(|in\s+|of\s+|-\s+|,\s*(?:major(?:\s+in)?:?\s*)?|:\s*)?"
    r"(?:major(?:ing)?\s+in\s+|specialization\s+in\s+|specialisation\s+in\s+)?"
    r"(?P<area>[A-Za-z][A-Za-z&/.\s\-]{1,70}?)\s*(?=$|[,()|;]|\s-\s|\s{2,}|\s+from\s|\s+at\s"
    r"|\s+\d|\s+with\s|\s+\()",
    re.IGNORECASE,
)
_SCORE = re.compile(
    r"(?i)\b(?:c?gpa|cpi|percentage|aggregate|grade|score)\b\s*(?:of|:|-)?\s*"
    r"(?P<v>\d{1,2}(?:\.\d{1,2})?\s*(?:/\s*\d{1,3}(?:\.\d)?|%)?)"
    r"|(?P<p>\d{2}(?:\.\d{1,2})?\s*%)"
)
_INSTITUTION_SPLIT = re.compile(r"\s*(?:,|\||;|\s-\s|\s\u2013\s|\s{2,}|\(|\))\s*")
_INSTITUTION_TAIL = re.compile(
    r"\s+(?:\d|\(|from\b|in\s+\d|with\b|cgpa|gpa|percentage|invalid\s+date\b"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?:[0-3]?\d,?\s+)?\d{4})",
    re.I,
)
# (a name may run on at the next line: lines broken inside a school's name were joined)
_NEXT_INSTITUTION = re.compile(r",[ \t]*(?P<name>[A-Z][^,;|()\d]{2,60}?)\s*(?=$|[,;|(]|\s\d)")
_PREV_INSTITUTION = re.compile(r"(?P<name>[A-Z][^,;|()\n\d]{2,60}?),[ \t]*$")
_OUTER_INSTITUTION = re.compile(
    r"(?P<name>[A-Z][^,;|()\n\d]{2,60}?)[ \t]*\([ \t]*(?=$|[^()\n]+\)$)"
)
# A university system's name, whose campus follows it ("University of California, Davis").
_UNIVERSITY_SYSTEM = re.compile(
    r"(?:\bUniversity\s+of\s+[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?|\bState\s+University)[ \t]*$"
)
_CAMPUS = re.compile(
    r"[ \t]*(?:,|\s-|\s\u2013|\u2014)[ \t]*(?P<name>[A-Z][\w\-]+(?:[ \t]+[A-Z][\w\-]+){0,2})"
    r"[ \t]*(?=$|\n|\t|\s{2}|\s\d|\s\(|\s[-\u2013\u2014|]\s*\d)"
)
_INSTITUTION_RANK = ("univers", "institut", "college", "school", "academ")
_GENERIC_INSTITUTION = frozenset(
    lexicon.word_list(
        """
        university college institute institution school academy board the of and name
        """
    )
)


def _institution_in(doc: Document, start: int, end: int) -> Span | None:
    text = doc.text
    best: tuple[int, int, int] | None = None
    pos = start
    for m in _INSTITUTION_SPLIT.finditer(text, start, end):
        best = _better_institution(text, pos, m.start(), best)
        pos = m.end()
    best = _better_institution(text, pos, end, best)
    if best is None:
        return None
    s, e, _rank = best
    s, e = _joined_institution(text, s, e, start, end)
    # the bracket of "School of Engineering (York University)" is the name's own
    whole = text[e - 1 : e] == ")" and _OUTER_INSTITUTION.match(text, s, e) is not None
    tail = None if whole else _INSTITUTION_TAIL.search(text, s, e)
    if tail is not None:
        e = tail.start()  # "Nuneaton University 2005", "Delhi University (Regular)"
    value = text[s:e].strip(EDGE)
    if not value or not any(
        w.lower().strip(".,") not in _GENERIC_INSTITUTION for w in re.split(r"[\s/]+", value)
    ):
        return None  # "Institute/Board", "School": a template placeholder
    s = s + text[s:e].find(value[:1]) if value else s
    if value.lower().startswith("the "):
        value, s = value[4:], s + 4
    return Span(_tidy(value), s, s + len(value), 0.8)


def _joined_institution(text: str, s: int, e: int, start: int, end: int) -> tuple[int, int]:
    """Widen to a neighbour institution after a comma: "University of Southern California,
    Marshall School of Business" is one institution, as is "Lassonde School, York University",
    "Lassonde School of Engineering (York University)" and a campus of a university system
    ("University of California, Davis", "California State University - Long Beach")."""
    after = _NEXT_INSTITUTION.match(text, e, end)
    if after is not None and lexicon.INSTITUTION_RE.search(after.group("name")):
        return s, after.end("name")
    before = _PREV_INSTITUTION.search(text, start, s)
    if before is not None and lexicon.INSTITUTION_RE.search(before.group("name")):
        return before.start("name"), e
    outer = _OUTER_INSTITUTION.search(text, start, s)
    outer_name = outer is not None and lexicon.INSTITUTION_RE.search(outer.group("name"))
    if outer is not None and outer_name and text.startswith(")", e):
        return outer.start("name"), e + 1
    if _UNIVERSITY_SYSTEM.search(text, s, e):
        campus = _CAMPUS.match(text, e, end)
        if campus is not None and not lexicon.INSTITUTION_RE.search(campus.group("name")):
            return s, campus.end("name")
    return s, e


def _better_institution(text: str, s: int, e: int, best):
    piece = text[s:e]
    m = lexicon.INSTITUTION_RE.search(piece)
    if m is None or len(piece.split()) > 12 or len(piece.split()) < 1:
        return best
    if m.group().lower() == "board" and len(piece.split()) > 5:
        return best
    low = piece.lower()
    rank = next((i for i, w in enumerate(_INSTITUTION_RANK) if w in low), len(_INSTITUTION_RANK))
    if best is None or rank < best[2]:
        return (s, e, rank)
    return best


def extract_education(
    doc: Document, sections: list[Section], dates: DateIndex
) -> list[EducationEntry]:
    """Education entries from education sections (or degree mentions in the header)."""
    edu_sections = [s for s in sections if s.kind == "education"]
    lines = [ln for s in edu_sections for ln in s.lines]
    strict = False
    if not lines:
        lines = [ln for s in sections if s.kind in ("header", "summary") for ln in s.lines]
        strict = True
    entries: list[EducationEntry] = []
    cur: EducationEntry | None = None
    plain: list[Line] = []  # the current entry's lines with no degree, school or date

    def close() -> None:
        nonlocal cur
        if cur is not None and cur.institution is None and cur.dates is not None:
            cur.institution = _named_school(plain)
        if cur is not None and (cur.study_type or cur.institution):
            entries.append(cur)
        cur = None
        plain.clear()

    after_field = False  # the line before named the entry's degree or school
    previous: Line | None = None  # the line before, when it had no degree, school or date
    for line in rejoin_wrapped_schools(lines):
        text = doc.text
        if strict and line.text.lower() in SKILL_LEVELS:
            continue  # "Golang" / "Master": a skill's level, not a Master's degree
        degrees = find_degrees(text, line.start, line.end)
        if strict and not degrees:
            continue
        if not degrees:
            degrees = _free_degree(line)
        inst_start = line.start
        deg = degrees[0] if degrees else None
        area = None
        if deg is not None:
            am = _AREA.match(text, deg[1], line.end)
            if am and am.group("area").strip():
                a_s, a_e = am.span("area")
                area_text = text[a_s:a_e].strip(EDGE)
                if (
                    area_text
                    and not lexicon.INSTITUTION_RE.search(area_text)
                    and len(area_text.split()) <= 8
                    and area_text.lower() not in ("degree", "the", "a")
                ):
                    area = Span(_area_value(area_text), a_s, a_s + len(area_text), 0.6)
            inst_start = area.end if area else deg[1]
        inst = _institution_in(doc, inst_start, line.end)
        if inst is None and deg is not None and deg[0] > line.start + 3:
            inst = _institution_in(doc, line.start, deg[0])
        line_dates = [d for d in dates.in_span(line.start, line.end)]
        d = line_dates[0] if line_dates else None
        if (
            d is not None
            and cur is not None
            and cur.dates is not None
            and not doc.text[line.start : d.start].strip()
            and (deg is not None or inst is not None)
        ):
            close()  # "2023 - 2023 | Course, ...": a row that opens with its dates is an entry
        if deg is not None:
            if cur is not None and cur.study_type is not None:
                close()
            if cur is None:
                cur = EducationEntry(line_index=line.index)
            cur.study_type = Span(deg[2], deg[0], deg[1], 0.85)
            if area is not None and cur.area is None:
                cur.area = area
        if inst is not None:
            if cur is not None and cur.institution is not None:
                close()
            if cur is None:
                cur = EducationEntry(line_index=line.index)
            cur.institution = inst
        if d is not None and cur is not None and after_field and _same_dates(cur.dates, d):
            # the dates printed again under the school ("Course" / dates / "Harvard Online"
            # / dates), as some templates do: not a new entry
            d = None
        after_field = deg is not None or inst is not None
        if d is not None:
            # "Telecom Lille" / "Sep 2005 - Jun 2011" / "Master Degree in ...": a school with
            # no school word right above the dates that open its entry
            above = previous if previous is not None and _name_like(previous.text) else None
            if cur is not None and cur.dates is not None and deg is None and inst is None:
                if above is not None and plain and plain[-1] is above:
                    plain.pop()
                close()
            elif cur is not None:
                above = None  # the dates of the entry the lines above already opened
            if cur is None:
                cur = EducationEntry(line_index=line.index)
            if cur.dates is None:
                cur.dates = d
            if cur.institution is None and deg is None and inst is None:
                cur.institution = _name_before(doc, line, d) or (
                    Span(_tidy(above.text), above.start, above.end, 0.5) if above else None
                )
            if cur.institution is None and inst is None:
                cur.institution = _name_after(doc, line, d, cur.area)
        if cur is not None and deg is None and inst is None and d is None:
            plain.append(line)
        previous = line if deg is None and inst is None and d is None else None
        if cur is not None and cur.score is None:
            sm = _SCORE.search(line.text)
            if sm:
                cur.score = " ".join((sm.group("v") or sm.group("p")).split())
        if cur is not None and cur.area is None and line.text.lower().startswith("major"):
            mm = re.match(r"(?i)major\s*(?:in)?\s*[:\-]?\s*(.+)$", line.text)
            if mm:
                s = line.start + mm.start(1)
                value = mm.group(1).strip(EDGE)
                cur.area = Span(_area_value(value), s, s + len(value), 0.6)
    close()
    return entries[:12]


def _same_dates(a: DateMention | None, b: DateMention) -> bool:
    """Two mentions of one period."""
    return a is not None and (a.start_date, a.end_date, a.present) == (
        b.start_date,
        b.end_date,
        b.present,
    )


# Degrees named as printed, at the start of an education line or after a comma: an
# engineer's degree ("Engineer - Computer Science", "Technical Engineer"), "<Kind> Degree"
# ("College Degree - Multimedia"), French diplomas with no English name (DUT, BTS), and the
# kind of a course of study that is no degree ("Course: Digital Marketing", "Bootcamp",
# "CERTIFICATION DEVELOPER TRAINING", "Elementary School - Primary School").
_FREE_DEGREE = re.compile(
    r"(?:^|(?<=,\s)|(?<=\|\s))(?P<deg>(?:Technical\s+)?(?i:engineer)(?:'[sS])?(?:\s+(?i:degree))?"
    r"|[A-Z][a-z]+(?:'s)?\s+[Dd]egree|DUT|BTS|DEUG|HND|HNC"
    r"|(?i:courses?|bootcamp|nanodegree|degree|certificate|certification"
    r"|(?:professional\s+)?training|(?:elementary|primary|middle)\s+school))"
    r"(?=\s*(?:[-\u2013\u2014,:(]|\s+[A-Z]|\s+(?:in|of)\s|$))"
)
# A heading-like word alone on a line inside an education section ("Courses" over a list).
_NOT_A_KIND = frozenset(["courses", "course", "training", "certifications"])


def _free_degree(line: Line) -> list[tuple[int, int, str]]:
    """A degree written in free form on an education line (see ``_FREE_DEGREE``)."""
    m = _FREE_DEGREE.search(line.text)
    if m is None or line.text.strip(" :").lower() in _NOT_A_KIND:
        return []
    value = m.group("deg")
    if value.isupper() and len(value) > 4:
        value = lexicon.title_case(value)
    return [(line.start + m.start("deg"), line.start + m.end("deg"), value)]


def _named_school(lines: list[Line]) -> Span | None:
    """A dated education entry's school that has no school word ("Udemy", "Epitech"): its
    first short name-like line."""
    for line in lines[:3]:
        if _name_like(line.text):
            return Span(_tidy(line.text), line.start, line.end, 0.5)
    return None


def _name_before(doc: Document, line: Line, d: DateMention) -> Span | None:
    """A school with no school word printed before its dates: "Duoc UC  2021-01 - 2023-07",
    "Tecmillenio, Mexico  August 2020 - September 2022" (the place after the comma goes)."""
    start = line.start
    text = doc.text[start : d.start].split(",")[0].rstrip(EDGE)
    if not _name_like(text):
        return None
    return Span(_tidy(text), start, start + len(text), 0.5)


def _name_after(doc: Document, line: Line, d: DateMention, area: Span | None) -> Span | None:
    """A school with no school word in the last cell of a row that opens with its dates:
    "2023 - 2023 | Course, Introduction to Computer Science, Harvard Online"."""
    if doc.text[line.start : d.start].strip():
        return None
    cells = [(m.start(), m.end()) for m in re.finditer(r"[^,|\t]+", doc.text[d.end : line.end])]
    if len(cells) < 2:
        return None
    s, e = cells[-1]
    value = doc.text[d.end + s : d.end + e].strip(EDGE)
    if not _name_like(value) or (area is not None and area.value == value):
        return None
    start = d.end + s + doc.text[d.end + s : d.end + e].find(value)
    return Span(_tidy(value), start, start + len(value), 0.5)


def _name_like(text: str) -> bool:
    """A short capitalised name: no digits or sentence punctuation, no title, no prose."""
    return (
        0 < len(text.split()) <= 4
        and text[:1].isupper()
        and not re.search(r"[\d:,;.!?]", text)
        and not BROKEN_NAME.search(text)
        and lexicon.title_score(text) < 0.7
        and not _prose_like(text)
    )


def _area_value(text: str) -> str:
    text = " ".join(text.split()).strip(EDGE)
    if text.isupper() and len(text) > 4:
        return lexicon.title_case(text)
    return text
