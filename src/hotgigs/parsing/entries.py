"""Work and education entries.

Work entries are anchored on date ranges in experience sections.  The lines just around
an anchor (the same line, up to three short lines before it, or up to two after it when
nothing precedes) form the entry's header; its fields are classified as job title,
organisation or place.  The lines that follow, up to the next entry's header, are its
highlights.  Education entries are grouped from degree, institution and date mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from hotgigs.parsing import lexicon
from hotgigs.parsing.dates import DateMention
from hotgigs.parsing.gazetteer import Place, find_places
from hotgigs.parsing.listed import SKILL_LEVELS
from hotgigs.parsing.segment import PHRASES, Section
from hotgigs.parsing.text import Document, Line


@dataclass(slots=True)
class Span:
    """A value with its normalised-text span and a confidence."""

    value: str
    start: int
    end: int
    confidence: float


@dataclass(slots=True)
class WorkEntry:
    position: Span | None = None
    name: Span | None = None
    location: Span | None = None
    dates: DateMention | None = None
    highlights: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EducationEntry:
    institution: Span | None = None
    study_type: Span | None = None
    area: Span | None = None
    dates: DateMention | None = None
    score: str | None = None
    line_index: int = 0


class DateIndex:
    """Date mentions, findable by line."""

    def __init__(self, mentions: list[DateMention]) -> None:
        self.mentions = mentions
        self._starts = [m.start for m in mentions]

    def in_span(self, start: int, end: int) -> list[DateMention]:
        i = bisect_left(self._starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            out.append(self.mentions[i])
            i += 1
        return out


# ------------------------------------------------------------------ fields

_FIELD_SPLIT = re.compile(
    r"\s+[-\u2013|/]+\s+|\s*[|;\u2022]\s*|\s{2,}|\t|,\s*|\s+(?:at|@)\s+|\s+-$|^-\s+|:\s+"
)
# Two job titles joined like this are one title ("Senior Data Engineer - Tech Lead",
# "Founder / Lead Developer", "Senior Software Engineer II, Lead Web Developer").
_TITLE_JOIN = re.compile(r"\s*(?:/|&|,|-|\u2013|\u2014|and)\s*")
_TEAM_GAP = re.compile(r"[ \t]+[-\u2013\u2014][ \t]+")
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])")
_BARE_URL = re.compile(r"(?i)^(?:https?://|www\.)\S+$")
_LINK_NOTE = re.compile(r"\s*\(\s*(?:https?://|www\.)[^)\s]*\)?\s*$")
_DURATION_FIELD = re.compile(
    r"(?i)^(?:(?:\d{1,2}|an?)\s+(?:years?|yrs?|months?|mos?)(?:\s*,?\s*)?){1,2}$"
)
_EDGE = " \t-\u2013|,;:/()[]\u2022*.'\""
_LABEL_LINE = re.compile(r"^[A-Za-z][\w /&.\-]{0,30}:\s*\S")
_URLISH = re.compile(r"(?i)https?://|www\.|\.com/|@")
_WORD_RE = re.compile(r"[A-Za-z]")
_TITLE_PREFIX = re.compile(r"(?i)^(?:worked|working|work|served|serving)\s+as\s+(?:an?\s+)?")


@dataclass(slots=True)
class _Field:
    text: str
    start: int
    end: int
    title: float
    company: float
    place: Place | None = None


def _fields_of(doc: Document, start: int, end: int) -> list[_Field]:
    """Split a header span into fields; places come out whole ("Pune, Maharashtra")."""
    text = doc.text
    out: list[_Field] = []
    # a place inside a name ("San Diego Supercomputer Center", "Universitat de Barcelona")
    # is part of it: only a place standing as a field of its own is cut out
    places = [p for p in find_places(text, start, end) if _standalone(text, p, start, end)]
    cuts = [(p.start, p.end, p) for p in places]
    pos = start
    pieces: list[tuple[int, int, Place | None]] = []
    for s, e, p in cuts:
        if s > pos:
            pieces.append((pos, s, None))
        pieces.append((s, e, p))
        pos = e
    if pos < end:
        pieces.append((pos, end, None))
    for s, e, place in pieces:
        if place is not None:
            out.append(_Field(text[s:e], s, e, 0.0, 0.0, place))
            continue
        seg_pos = s
        for m in _FIELD_SPLIT.finditer(text, s, e):
            if _inside_brackets(text, seg_pos, m.start()):
                continue  # "FieldAware (Remote, EU)" is one field
            _add_field(out, text, seg_pos, m.start())
            seg_pos = m.end()
        _add_field(out, text, seg_pos, e)
    return _join_titles(text, out)


def _inside_brackets(text: str, start: int, pos: int) -> bool:
    """Whether ``pos`` lies inside an unclosed bracket opened at or after ``start``."""
    piece = text[start:pos]
    return piece.count("(") > piece.count(")") or piece.count("[") > piece.count("]")


def _join_titles(text: str, fields: list[_Field]) -> list[_Field]:
    out: list[_Field] = []
    for f in fields:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.place is None
            and f.place is None
            and prev.title >= 0.7
            and f.title >= 0.7
            and _TITLE_JOIN.fullmatch(text, prev.end, f.start)
        ):
            joined = text[prev.start : f.end]
            title = max(prev.title, f.title)
            out[-1] = _Field(joined, prev.start, f.end, title, lexicon.company_score(joined))
            continue
        out.append(f)
    return out


def _standalone(text: str, p: Place, start: int, end: int) -> bool:
    """A region or country that is a field of its own, not part of "IBM India Pvt Ltd"."""
    before = text[start : p.start].rstrip()
    after = text[p.end : end].lstrip()
    return (not before or before[-1] in ",-|(\u2013") and (not after or after[0] in ",-|)\u2013")


def _add_field(out: list[_Field], text: str, s: int, e: int) -> None:
    while s < e and text[s] in _EDGE:
        s += 1
    while e > s and text[e - 1] in _EDGE:
        e -= 1
    if e < len(text) and text[e] == ")" and text.count("(", s, e) > text.count(")", s, e):
        e += 1  # keep the closing bracket of "FieldAware (Remote)"
    link = _LINK_NOTE.search(text, s, e)
    if link is not None and link.start() > s:
        e = link.start()  # "QuizUp (http://quizup.com)": the company, not its address
    if e - s < 2 or not _WORD_RE.search(text, s, e):
        return
    value = text[s:e]
    m = _TITLE_PREFIX.match(value)
    if m:
        s += m.end()
        value = text[s:e]
    if _BARE_URL.match(value):
        return
    for glue in _GLUED.finditer(value):
        # "Engineering ManagerDocMagic": extraction lost the break after a title
        if lexicon.title_score(value[: glue.start()]) >= 0.9:
            _add_field(out, text, s, s + glue.start())
            _add_field(out, text, s + glue.start(), e)
            return
    low = value.lower()
    if low in _NOISE_FIELDS or low in PHRASES or _DURATION_FIELD.match(value):
        return  # "Full time", a section heading ("Highlights"), a duration ("3 years")
    out.append(_Field(value, s, e, lexicon.title_score(value), lexicon.company_score(value)))


_NOISE_FIELDS = frozenset(
    lexicon.word_list(
        """
        present current till date to date responsibilities duties roles role client project
        full time full-time part time part-time contract permanent remote onsite internship
        intern
        """
    )
)


def _header_like(line: Line, *, anchor_lines: set[int]) -> bool:
    if line.index in anchor_lines:
        return False
    text = line.text
    if len(text) > 100 or len(text.split()) > 12:
        return False
    if line.bullet and len(text.split()) > 6:
        return False
    if text.endswith(":") or (_LABEL_LINE.match(text) and not text[:12].isupper()):
        return False
    if text.endswith(".") and len(text.split()) > 5:
        return False
    if text[:1].islower() and len(text.split()) > 3:
        return False
    if len(text.split()) > 7 and "," not in text and "|" not in text and " - " not in text:
        # a long phrase with no field separators reads as a sentence of the previous entry
        return lexicon.title_score(text) >= 0.7 or lexicon.company_score(text) >= 0.85
    return True


# ------------------------------------------------------------------ work


def _anchor_dates(doc: Document, line: Line, dates: DateIndex, *, allow_single: bool):
    for d in dates.in_span(line.start, line.end):
        if d.is_range:
            return d
        if allow_single and len(line.text) <= 60:
            return d
    return None


def extract_work(doc: Document, sections: list[Section], dates: DateIndex) -> list[WorkEntry]:
    """Work entries from experience sections (or, lacking any, from the whole resume)."""
    work_sections = [s for s in sections if s.kind == "work"]
    entries: list[WorkEntry] = []
    for section in work_sections:
        entries.extend(_work_in(doc, section.lines, dates, strict=False))
    if not work_sections:
        allowed = {"header", "summary", "additional", "volunteer", "skills"}
        lines = [ln for s in sections if s.kind in allowed for ln in s.lines]
        entries.extend(_work_in(doc, lines, dates, strict=True))
    return entries


def _work_in(
    doc: Document, lines: list[Line], dates: DateIndex, *, strict: bool
) -> list[WorkEntry]:
    anchors: list[tuple[int, DateMention]] = []
    for pos, line in enumerate(lines):
        if line.bullet or (line.text.endswith(".") and len(line.text.split()) > 12):
            continue
        d = _anchor_dates(doc, line, dates, allow_single=not strict)
        if d is not None and not (anchors and anchors[-1][1] is d):
            anchors.append((pos, d))
    if not anchors:
        for pos, line in enumerate(lines):  # everything bulleted: accept bulleted anchors
            if line.bullet and len(line.text) <= 70:
                d = _anchor_dates(doc, line, dates, allow_single=False)
                if d is not None and not (anchors and anchors[-1][1] is d):
                    anchors.append((pos, d))
    if not anchors:
        return [] if strict else _work_without_dates(doc, lines)
    anchor_lines = {lines[p].index for p, _ in anchors}
    headers: list[tuple[int, int]] = []  # first header line, line after the header
    fields_per: list[list[_Field]] = []
    boundary = 0
    for i, (pos, d) in enumerate(anchors):
        line = lines[pos]
        end_line_pos = pos
        while end_line_pos + 1 < len(lines) and lines[end_line_pos + 1].start < d.end:
            end_line_pos += 1
        fields = _fields_of(doc, line.start, d.start)
        tail_line = lines[end_line_pos]
        fields += _fields_of(doc, max(d.end, tail_line.start), tail_line.end)
        first = pos
        before: list[_Field] = []
        j = pos - 1
        taken = 0
        opens = _opens_entry(lines, pos, end_line_pos, fields, anchor_lines)
        while j >= boundary and taken < 3 and not opens:
            cand = lines[j]
            if _URLISH.search(cand.text) and len(cand.text.split()) <= 2:
                j -= 1
                continue
            if not _header_like(cand, anchor_lines=anchor_lines):
                break
            before = _fields_of(doc, cand.start, cand.end) + before
            first = j
            taken += 1
            j -= 1
            if cand.gap_before and taken >= 2:
                break
        fields = before + fields
        after_pos = end_line_pos + 1
        next_anchor = anchors[i + 1][0] if i + 1 < len(anchors) else len(lines)
        if sum(1 for f in fields if f.place is None) < 2:
            k = after_pos
            limit = after_pos + 2
            while k < min(next_anchor, limit):
                cand = lines[k]
                if _BARE_URL.match(cand.text):
                    k += 1  # the company's web address between its name and the title
                    limit += 1
                    continue
                if not _header_like(cand, anchor_lines=anchor_lines) or len(cand.words) > 8:
                    break
                fields += _fields_of(doc, cand.start, cand.end)
                k += 1
                if sum(1 for f in fields if f.place is None) >= 2:
                    break
            after_pos = k
        headers.append((first, after_pos))
        fields_per.append(fields)
        boundary = after_pos
    entries: list[WorkEntry] = []
    for i, ((_pos, d), (_first, after_pos)) in enumerate(zip(anchors, headers, strict=True)):
        entry = _classify(fields_per[i], d, strict=strict, text=doc.text)
        if entry is None:
            continue
        body_end = headers[i + 1][0] if i + 1 < len(headers) else len(lines)
        entry.highlights = _highlights(lines[after_pos:body_end], d)
        entries.append(entry)
    return entries


def _with_team(text: str, position: _Field, free: list[_Field]) -> _Field:
    """ "Senior Software Engineer - Microsoft Loop" when the company is named elsewhere: the
    team or product after the dash belongs to the title."""
    after = [f for f in free if f.start > position.end]
    if not after:
        return position
    f = min(after, key=lambda f: f.start)
    gap = _TEAM_GAP.fullmatch(text, position.end, f.start)
    if gap is None or f.title >= 0.7 or len(f.text.split()) > 4:
        return position
    return _Field(text[position.start : f.end], position.start, f.end, position.title, 0.0)


def _opens_entry(
    lines: list[Line], pos: int, end_pos: int, fields: list[_Field], anchor_lines: set[int]
) -> bool:
    """Whether the dated line opens its entry, its header continuing below it: a date line
    under short bullets ("2021-01 - 2022-06" / "Company" / "Title"), or "Company  dates"
    with the title below (a web address may come between).  The lines above then belong to
    the previous entry."""
    nxt = next(
        (ln for ln in lines[end_pos + 1 : end_pos + 3] if not _BARE_URL.match(ln.text)), None
    )
    if nxt is None or nxt.bullet or not _header_like(nxt, anchor_lines=anchor_lines):
        return False
    if not fields:
        return pos > 0 and lines[pos - 1].bullet
    titled = any(f.title >= 0.7 for f in fields)
    return len(fields) == 1 and not titled and lexicon.title_score(nxt.text) >= 0.7


def _classify(fields: list[_Field], d: DateMention, *, strict: bool, text: str) -> WorkEntry | None:
    entry = WorkEntry(dates=d)
    free = [f for f in fields if f.place is None and len(f.text.split()) <= 10]
    places = [f for f in fields if f.place is not None]
    if places:
        p = places[0]
        entry.location = Span(p.text, p.start, p.end, p.place.score if p.place else 0.5)
    titled = sorted((f for f in free if f.title >= 0.7), key=lambda f: -f.title)
    position = titled[0] if titled else None
    companies = [f for f in free if f is not position and f.company >= 0.85]
    company = companies[0] if companies else None
    rest = [f for f in free if f is not position and f is not company and f.title < 0.7]
    if position is None and rest and not strict:
        cand = rest[0]
        if company is None and len(rest) >= 2 and cand.company == 0:
            position = cand  # "Title / Company" order is the common one
        elif company is not None:
            position = cand
        if position is not None:
            rest.remove(position)
    if company is None and rest:
        company = min(rest, key=lambda f: abs(f.start - d.start))  # nearest to the dates
    if strict and position is None and company is None:
        return None
    if (
        strict
        and (position is None or position.title < 0.7)
        and (company is None or company.company < 0.85)
    ):
        return None
    if position is not None and company is not None:
        position = _with_team(text, position, [f for f in free if f is not company])
    if position is not None:
        conf = 0.85 if position.title >= 0.9 else 0.7 if position.title >= 0.7 else 0.45
        entry.position = Span(_tidy(position.text), position.start, position.end, conf)
    if company is not None:
        conf = 0.85 if company.company >= 0.85 else 0.55
        entry.name = Span(_tidy(company.text), company.start, company.end, conf)
    if entry.position is None and entry.name is None:
        return None
    return entry


def _tidy(value: str) -> str:
    value = " ".join(value.split()).strip(_EDGE)
    if value.count("(") > value.count(")"):
        value += ")"  # the edge strip took the bracket that closes "Engineer (Remote)"
    if value.isupper() and len(value) > 4 and lexicon.company_score(value) < 0.85:
        return lexicon.title_case(value)
    return value


def _highlights(lines: list[Line], d: DateMention) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.end <= d.end:
            continue
        text = line.text.strip()
        if not line.bullet and lexicon.INSTITUTION_RE.search(text) and _DEGREE_RE.search(text):
            break  # an education line: the entry is over (resumes without headings)
        if not text or (text.endswith(":") and len(text.split()) <= 4):
            continue
        continuation = text[:1].islower() or not (out and out[-1].endswith((".", ":")))
        if out and not line.bullet and continuation and len(out[-1]) + len(text) < 600:
            out[-1] = f"{out[-1]} {text}"
            continue
        if len(out) >= 40:
            break
        out.append(text[:600])
    return out


def _work_without_dates(doc: Document, lines: list[Line]) -> list[WorkEntry]:
    """Entries from "Title at Company" / "Title" + "Company" lines when no dates exist."""
    entries = []
    used: set[int] = set()
    for pos, line in enumerate(lines):
        if line.bullet or len(line.words) > 12 or line.index in used:
            continue
        fields = _fields_of(doc, line.start, line.end)
        free = [f for f in fields if f.place is None]
        if not free or free[0].title < 0.9:
            continue
        entry = WorkEntry(position=Span(_tidy(free[0].text), free[0].start, free[0].end, 0.5))
        others = [f for f in free[1:] if f.title < 0.7]
        places = [f for f in fields if f.place is not None]
        if not others and pos + 1 < len(lines):
            nxt = lines[pos + 1]
            if not nxt.bullet and _header_like(nxt, anchor_lines=set()) and len(nxt.words) <= 8:
                more = _fields_of(doc, nxt.start, nxt.end)
                others = [f for f in more if f.place is None and f.title < 0.7]
                places += [f for f in more if f.place is not None]
                used.add(nxt.index)
        if others:
            c = max(others, key=lambda f: f.company)
            entry.name = Span(_tidy(c.text), c.start, c.end, 0.6 if c.company else 0.4)
        if places:
            p = places[0]
            entry.location = Span(p.text, p.start, p.end, 0.6)
        entries.append(entry)
        if len(entries) >= 10:
            break
    return entries


# ------------------------------------------------------------------ education

_DEGREES: list[tuple[str, str]] = [
    (r"ph\.?\s?d\.?|doctor\s+of\s+philosophy|doctorate", "Ph.D"),
    (r"ed\.\s?d\.?|doctor\s+of\s+education", "Ed.D"),
    (r"m\.?\s?b\.?\s?a\.?(?![a-z])|master(?:'?s)?\s+(?:of|in)\s+business\s+administration", "MBA"),
    (r"pgdm|pgdbm|pgdba", "PGDM"),
    (r"post[\s\-]?graduate\s+diploma|pg\s+diploma|pgd[a-z]{1,3}", "Post Graduate Diploma"),
    (r"m\.?\s?tech|master\s+of\s+technology", "M.Tech"),
    (r"m\.?\s?sc\.?|master\s+of\s+science\s+\(m\.?sc\)", "M.Sc"),
    (r"m\.?\s?c\.?\s?a\.?(?![a-z])|master\s+of\s+computer\s+applications?", "MCA"),
    (r"m\.?\s?com\.?|master\s+of\s+commerce", "M.Com"),
    (r"m\.\s?ed\.?|m\.?ed(?=\s)|master\s+of\s+education", "M.Ed"),
    (r"m\.?\s?phil\.?|master\s+of\s+philosophy", "M.Phil"),
    (r"m\.?\s?s\.?\s?s?\.?\s?w\.?(?![a-z])|master\s+of\s+social\s+work", "MSW"),
    (r"m\.?\s?f\.?\s?a\.?(?![a-z])|master\s+of\s+fine\s+arts", "MFA"),
    (r"m\.?\s?pharm|master\s+of\s+pharmacy", "M.Pharm"),
    (r"ll\.?\s?m\.?(?![a-z])|master\s+of\s+laws", "LLM"),
    (r"m\.\s?e\.?(?![a-z])|master\s+of\s+engineering", "M.E."),
    (r"m\.\s?s\.?(?![a-z])|master\s+of\s+science", "Master of Science"),
    (r"m\.\s?a\.?(?![a-z])|master\s+of\s+arts", "Master of Arts"),
    (r"m\.\s?d\.?(?![a-z])|doctor\s+of\s+medicine", "MD"),
    (r"mbbs|m\.b\.b\.s\.?", "MBBS"),
    (r"b\.?\s?tech|bachelor\s+of\s+technology", "B.Tech"),
    (r"b\.\s?e\.?(?![a-z])|bachelor\s+of\s+engineering", "B.E."),
    (r"b\.?\s?sc\.?(?![a-z])", "B.Sc"),
    (r"b\.?\s?c\.?\s?a\.?(?![a-z])|bachelor\s+of\s+computer\s+applications?", "BCA"),
    (r"b\.?\s?com\.?(?![a-z])|bachelor\s+of\s+commerce", "B.Com"),
    (r"b\.?\s?b\.?\s?a\.?(?![a-z])|bachelor\s+of\s+business\s+administration", "BBA"),
    (r"b\.?\s?b\.?\s?m\.?(?![a-z])|bachelor\s+of\s+business\s+management", "BBM"),
    (r"b\.\s?ed\.?|b\.?ed(?=\s)|bachelor\s+of\s+education", "B.Ed"),
    (r"b\.?\s?arch\.?|bachelor\s+of\s+architecture", "B.Arch"),
    (r"b\.?\s?pharm|bachelor\s+of\s+pharmacy", "B.Pharm"),
    (r"b\.?\s?f\.?\s?a\.?(?![a-z])|bachelor\s+of\s+fine\s+arts", "BFA"),
    (r"ll\.?\s?b\.?(?![a-z])|bachelor\s+of\s+laws", "LLB"),
    (r"j\.\s?d\.?(?![a-z])|juris\s+doctor", "J.D."),
    (r"b\.\s?s\.?(?![a-z])|bachelor(?:'?s)?\s+of\s+science", "Bachelor of Science"),
    (r"b\.\s?a\.?(?![a-z])|bachelor(?:'?s)?\s+of\s+arts", "Bachelor of Arts"),
    (r"bachelor(?:'?s)?\s+of\s+(?:[A-Z][a-z]+)(?:\s+(?:and\s+)?[A-Z][a-z]+){0,2}", "Bachelor of"),
    (r"master(?:'?s)?\s+of\s+(?:[A-Z][a-z]+)(?:\s+(?:and\s+)?[A-Z][a-z]+){0,2}", "Master of"),
    (r"associate(?:'?s)?\s+(?:degree\s+)?(?:of|in)\s+(?:applied\s+)?(?:arts|science)", "Associate"),
    (r"bachelor'?s?(?:\s+degree)?", "Bachelor's"),
    (r"associate'?s?\s+degree", "Associate's"),
    (r"master'?s?(?:\s+degree)?", "Master's"),
    (r"h\.?\s?s\.?\s?c\.?(?![a-z])|higher\s+secondary|senior\s+secondary|intermediate|12th|xii(?![a-z])"
     r"|class\s+xii|plus\s+two|pre[\s\-]?university|puc(?![a-z])", "Higher Secondary (12th)"),
    (r"s\.?\s?s\.?\s?c\.?(?![a-z])|matriculation|10th|class\s+x(?![a-z])|secondary\s+school",
     "Secondary (10th)"),
    (r"high\s+school\s+diploma|high\s+school|ged(?![a-z])", "High School"),
    (r"diploma", "Diploma"),
]  # fmt: skip
_DEGREE_RE = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(f"(?P<d{i}>{p})" for i, (p, _c) in enumerate(_DEGREES)) + ")",
    re.IGNORECASE,
)
# Bare two-letter forms are matched case-sensitively ("BE", "BS", "MS", "MA", "BA").
_BARE_DEGREE = re.compile(
    r"(?<![A-Za-z.])(?P<bare>BE|BS|BSc|MS|MSc|MA|BA|ME|MBA|BTech|MTech|PhD)(?![A-Za-z.])"
    r"(?!\s+(?:Office|Word|Excel|SQL|Access|Project|Dynamics|Visio|Outlook|Windows|DOS|Teams))"
)
_BARE_CANON = {
    "BE": "B.E.", "BS": "Bachelor of Science", "BSc": "B.Sc", "MS": "Master of Science",
    "MSc": "M.Sc", "MA": "Master of Arts", "BA": "Bachelor of Arts", "ME": "M.E.",
    "MBA": "MBA", "BTech": "B.Tech", "MTech": "M.Tech", "PhD": "Ph.D",
}  # fmt: skip
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
_INSTITUTION_TAIL = re.compile(r"\s+(?:\d|\(|from\b|in\s+\d|with\b|cgpa|gpa|percentage)", re.I)
_NEXT_INSTITUTION = re.compile(
    r",[ \t]*(?P<name>[A-Z][^,;|()\n\d]{2,60}?)[ \t]*(?=$|[,;|(\n]|\s\d)"
)
_PREV_INSTITUTION = re.compile(r"(?P<name>[A-Z][^,;|()\n\d]{2,60}?),[ \t]*$")
_BROKEN_NAME = re.compile(r"(?i)\s(?:of|and|&|for|the|de|da|do|del|di|des|du|la|le|für)$")
_INSTITUTION_RANK = ("univers", "institut", "college", "school", "academ")
_GENERIC_INSTITUTION = frozenset(
    lexicon.word_list(
        """
        university college institute institution school academy board the of and name
        """
    )
)


def find_degrees(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, canonical studyType) for degree mentions in a span."""
    out = []
    for m in _DEGREE_RE.finditer(text, start, end):
        idx = next(int(k[1:]) for k, v in m.groupdict().items() if v is not None)
        canon = _DEGREES[idx][1]
        surface = m.group()
        if canon in ("Bachelor of", "Master of"):
            canon = " ".join(w.capitalize() if w.lower() != "of" else "of" for w in surface.split())
            canon = canon.replace("Bachelors ", "Bachelor ").replace("Bachelor's ", "Bachelor ")
            canon = canon.replace("Masters ", "Master ").replace("Master's ", "Master ")
        elif canon == "Associate":
            canon = "Associate of Science" if "science" in surface.lower() else "Associate of Arts"
        if surface == "intermediate":
            continue  # the word, not the Indian 12th-grade certificate
        if canon in ("High School", "Secondary (10th)") and " " in surface:
            prev = text[max(start, m.start() - 30) : m.start()].split()
            if prev and prev[-1][:1].isupper():
                continue  # "Hosanna National High School" is an institution
        out.append((m.start(), m.end(), canon))
    for m in _BARE_DEGREE.finditer(text, start, end):
        if not any(s <= m.start() < e for s, e, _ in out):
            out.append((m.start(), m.end(), _BARE_CANON[m.group("bare")]))
    out.sort()
    return out


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
    tail = _INSTITUTION_TAIL.search(text, s, e)
    if tail is not None:
        e = tail.start()  # "Nuneaton University 2005", "Delhi University (Regular)"
    value = text[s:e].strip(_EDGE)
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
    Marshall School of Business" is one institution, as is "Lassonde School, York University"."""
    after = _NEXT_INSTITUTION.match(text, e, end)
    if after is not None and lexicon.INSTITUTION_RE.search(after.group("name")):
        return s, after.end("name")
    before = _PREV_INSTITUTION.search(text, start, s)
    if before is not None and lexicon.INSTITUTION_RE.search(before.group("name")):
        return before.start("name"), e
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

    def close() -> None:
        nonlocal cur
        if cur is not None and (cur.study_type or cur.institution):
            entries.append(cur)
        cur = None

    for line in _rejoined(lines):
        text = doc.text
        if strict and line.text.lower() in SKILL_LEVELS:
            continue  # "Golang" / "Master": a skill's level, not a Master's degree
        degrees = find_degrees(text, line.start, line.end)
        if strict and not degrees:
            continue
        inst_start = line.start
        deg = degrees[0] if degrees else None
        area = None
        if deg is not None:
            am = _AREA.match(text, deg[1], line.end)
            if am and am.group("area").strip():
                a_s, a_e = am.span("area")
                area_text = text[a_s:a_e].strip(_EDGE)
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
        if d is not None:
            if cur is not None and cur.dates is not None and deg is None and inst is None:
                close()
            if cur is None:
                cur = EducationEntry(line_index=line.index)
            if cur.dates is None:
                cur.dates = d
        if cur is not None and cur.score is None:
            sm = _SCORE.search(line.text)
            if sm:
                cur.score = " ".join((sm.group("v") or sm.group("p")).split())
        if cur is not None and cur.area is None and line.text.lower().startswith("major"):
            mm = re.match(r"(?i)major\s*(?:in)?\s*[:\-]?\s*(.+)$", line.text)
            if mm:
                s = line.start + mm.start(1)
                value = mm.group(1).strip(_EDGE)
                cur.area = Span(_area_value(value), s, s + len(value), 0.6)
    close()
    return entries[:12]


def _rejoined(lines: list[Line]) -> list[Line]:
    """Lines with a name broken after a linking word ("University of" / "Cape Town") joined."""
    out: list[Line] = []
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (
            nxt is not None
            and _BROKEN_NAME.search(line.text)
            and lexicon.INSTITUTION_RE.search(line.text)
            and nxt.text[:1].isupper()
            and len(nxt.words) <= 4
        ):
            text = f"{line.text} {nxt.text}"
            out.append(Line(line.index, line.start, nxt.end, text, line.bullet, line.gap_before,
                            line.physical_start))  # fmt: skip
            skip = True
            continue
        out.append(line)
    return out


def _area_value(text: str) -> str:
    text = " ".join(text.split()).strip(_EDGE)
    if text.isupper() and len(text) > 4:
        return lexicon.title_case(text)
    return text
