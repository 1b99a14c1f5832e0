"""Work entries, and the spans and field helpers education entries share.

Work entries are anchored on date ranges in experience sections.  The lines just around
an anchor (the same line, up to three short lines before it, or up to two after it when
nothing precedes) form the entry's header; its fields are classified as job title,
organisation or place.  The lines that follow, up to the next entry's header, are its
highlights.  Education entries live in ``education``, degree mentions in ``degrees``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from hotgigs.parsing import lexicon, skills
from hotgigs.parsing.dates import DateMention
from hotgigs.parsing.degrees import DEGREE_RE
from hotgigs.parsing.draft import Span
from hotgigs.parsing.gazetteer import Place, find_places
from hotgigs.parsing.segment import PHRASES, Section
from hotgigs.parsing.text import Document, Line
from hotgigs.parsing.wrapped import rejoin_broken_names, rejoin_wrapped_employers


@dataclass(slots=True)
class WorkEntry:
    """A job as the rules read it."""

    position: Span | None = None
    name: Span | None = None
    location: Span | None = None
    dates: DateMention | None = None
    highlights: list[str] = field(default_factory=list)


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
    r"\s+[-\u2013|/\u00b7]+\s+|\s*[|;\u2022]\s*|\s{2,}|\t|,\s*|\s+(?:at|@)\s+|\s+-$|^-\s+|:\s+"
)
# Two job titles joined like this are one title ("Senior Data Engineer - Tech Lead",
# "Founder / Lead Developer", "Senior Software Engineer II, Lead Web Developer",
# "Development Lead · Full Stack Developer").
_TITLE_JOIN = re.compile(r"\s*(?:/|&|,|-|\u2013|\u2014|\u00b7|and)\s*")
_TEAM_GAP = re.compile(r"[ \t]+[-\u2013\u2014][ \t]+")
# A lost break after a title: "Engineering ManagerDocMagic", "Software Engineer IIPlayStation"
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])|(?:(?<= II)|(?<= III)|(?<= IV))(?=[A-Z][a-z])")
_BARE_URL = re.compile(r"(?i)^(?:https?://|www\.)\S+$")
_LINK_NOTE = re.compile(r"\s*\(\s*(?:https?://|www\.)[^)\s]*\)?\s*$")
_DURATION_FIELD = re.compile(
    r"(?i)^(?:(?:\d{1,2}|an?)\s+(?:years?|yrs?|months?|mos?)(?:\s*,?\s*)?){1,2}$"
)
_EDGE = " \t-\u2013|,;:/()[]\u2022*.'\""
_LABEL_LINE = re.compile(r"^[A-Za-z][\w /&.\-]{0,30}:\s*\S")
_URLISH = re.compile(r"(?i)https?://|www\.|\.com/|@")
_WORD_RE = re.compile(r"[A-Za-z]")
_TITLE_AT = re.compile(r"\S\s+(?:at|@)\s+\S")
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
            if m.group().strip() == "at" and lexicon.INSTITUTION_RE.search(
                text, seg_pos, m.start()
            ):
                continue  # "University of Texas at Austin", "Simons Institute at UC Berkeley"
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
            and text[prev.end : f.start].strip() == ","
            and (
                f.text.lower().rstrip(".") in _LEGAL_FORMS
                or (_UNIVERSITY_SYSTEM.search(prev.text) and _CAMPUS.fullmatch(f.text))
            )
        ):
            # "Proof Advertising, LLC", "Reditus, SA", "University of California, Davis"
            joined = text[prev.start : f.end]
            out[-1] = _Field(joined, prev.start, f.end, 0.0, lexicon.company_score(joined))
            continue
        if (
            prev is not None
            and prev.place is None
            and f.place is None
            and _one_title(text, prev, f)
            and _TITLE_JOIN.fullmatch(text, prev.end, f.start)
        ):
            joined = text[prev.start : f.end]
            title = max(prev.title, f.title)
            out[-1] = _Field(joined, prev.start, f.end, title, lexicon.company_score(joined))
            continue
        out.append(f)
    return out


def _one_title(text: str, prev: _Field, f: _Field) -> bool:
    """Whether two neighbouring fields read as one job title: two titles, a skill and a
    title ("ETL - Data Engineer"), or a title and a skill after a slash or dash ("Lead
    Developer / DevOps (Freelance)")."""
    if f.title >= 0.7:
        return prev.title >= 0.7 or _skill_prefix(prev) or _slashed_word(text, prev, f)
    return (
        prev.title >= 0.7
        and _skill_prefix(f)
        and _SKILL_JOIN.fullmatch(text, prev.end, f.start) is not None
    )


# A university system's name and its campus after a comma are one employer, in capitals too
# ("UNIVERSITY OF CALIFORNIA, DAVIS": themes print headings upper-case).
_UNIVERSITY_SYSTEM = re.compile(
    r"\b(?i:university\s+of)\s+[A-Z]\w+(?:\s+[A-Z]\w+)?$|\b(?i:state\s+university)$"
)
_CAMPUS = re.compile(r"[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+){0,2}")
# A company's legal form, printed after a comma.
_LEGAL_FORMS = frozenset(
    lexicon.word_list("inc ltd llc llp plc corp co gmbh ag sa sas bv nv srl sl spa oy ab as pty")
)
_BRACKET_NOTE = re.compile(r"\s*\([^()]*\)$")
_SKILL_JOIN = re.compile(r"[ \t]*[/\-\u2013][ \t]*")
_SKILL_LIST = re.compile(r"\s*[/,+&]\s*")  # "Python/MongoDB", "Go, NodeJS & AngularJS"


def _slashed_word(text: str, prev: _Field, f: _Field) -> bool:
    """One word before a slash and a title: "Web / Hybrid Application Developer" reads as
    "Web Developer / Hybrid Application Developer", not a company and a title."""
    return (
        len(prev.text.split()) == 1
        and prev.company < 0.85
        and text[prev.end : f.start].strip() == "/"
    )


def _skill_prefix(f: _Field) -> bool:
    """A skill naming the kind of role before or after a title ("ETL - Data Engineer",
    ".NET / Backend Developer", "Backend Engineer - Python/MongoDB"), not a company."""
    name = _BRACKET_NOTE.sub("", f.text)  # "DevOps (Freelance)"
    if f.company >= 0.85:
        return False
    if len(name.split()) <= 2 and skills.lookup(name) is not None:
        return True
    parts = [p.strip() for p in _SKILL_LIST.split(name)]
    return 2 <= len(parts) <= 4 and all(p and skills.lookup(p) is not None for p in parts)


def _standalone(text: str, p: Place, start: int, end: int) -> bool:
    """A region or country that is a field of its own, not part of "IBM India Pvt Ltd"."""
    before = text[start : p.start].rstrip()
    after = text[p.end : end].lstrip()
    return (not before or before[-1] in ",-|(\u2013\u2014") and (
        not after or after[0] in ",-|)\u2013\u2014"
    )


def _add_field(out: list[_Field], text: str, s: int, e: int) -> None:
    while s < e and text[s] in _EDGE and not (text[s] == "." and text[s + 1 : s + 2].isalnum()):
        s += 1  # the dot of ".NET Developer" is the word's own
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
        # a title of one word is a brand's own capital ("DoctorOnCall"), not a lost break
        left = value[: glue.start()]
        if " " in left.strip() and lexicon.title_score(left) >= 0.9:
            _add_field(out, text, s, s + glue.start())
            _add_field(out, text, s + glue.start(), e)
            return
    low = value.lower()
    if low in _NOISE_FIELDS or low in PHRASES or _DURATION_FIELD.match(value):
        return  # "Full time", a section heading ("Highlights"), a duration ("3 years")
    if _NO_DATE.match(value):
        return
    out.append(_Field(value, s, e, lexicon.title_score(value), lexicon.company_score(value)))


# What a JavaScript template prints for a date it could not read.
_NO_DATE = re.compile(r"(?i)^invalid\s+date$")
_NOISE_FIELDS = frozenset(
    lexicon.word_list(
        """
        present current till date to date responsibilities duties roles role client project
        full time full-time part time part-time contract permanent remote onsite
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
    if text.count(")") > text.count("("):
        return False  # the tail of a bracket opened a line above ("MySQL, Kafka)")
    if text.endswith(".") and len(text.split()) > 5 and not _abbreviated_end(text):
        return False
    if text[:1].islower() and (len(text.split()) > 3 or text.endswith(".")):
        return False  # a sentence, or the wrapped tail of one ("team.")
    if _prose_like(text):
        return False
    if text.islower() and len(text.split()) <= 3 and skills.lookup(text) is not None:
        return False  # a keyword tag of the entry above ("docker", "azure"), not a name
    if len(text.split()) > 7 and not any(sep in text for sep in (",", "|", " - ", " at ")):
        # a long phrase with no field separators reads as a sentence of the previous entry
        return lexicon.title_score(text) >= 0.7 or lexicon.company_score(text) >= 0.85
    return True


def _abbreviated_end(text: str) -> bool:
    """A full stop that ends an abbreviation ("... at Quantum Mob Inc.", "S.A."), not a
    sentence."""
    last = text.split()[-1].lower()
    return last.rstrip(".") in _LEGAL_FORMS or "." in last[:-1]


_SMALL_WORDS = frozenset(
    lexicon.word_list(
        """
        a an and as at by de del der des di du for from in la le of on the to van von with y
        """
    )
)


def _prose_like(text: str) -> bool:
    """A capitalised sentence ("Developed core UI component library"): most of its words
    after the first are lower case, where names and titles of companies are Title Case."""
    words = text.split()
    if len(words) < 4 or lexicon.title_score(text) >= 0.7:
        return False  # a company word in a sentence ("the solutions catalog") is no name
    rest = [w for w in words[1:] if w.lower() not in _SMALL_WORDS and w[:1].isalpha()]
    lower = sum(1 for w in rest if w[:1].islower())
    return len(rest) >= 2 and lower * 2 > len(rest)


# ------------------------------------------------------------------ work


# A date line whose start the template could not print: "- Present" alone under a company
# (the dash may have been read as the line's bullet).
_OPEN_END = re.compile(r"(?i)^[-\u2013\u2014]\s*(?:present|current|now)$")
_PRESENT_WORD = re.compile(r"(?i)^(?:present|current|now)$")


def _anchor_dates(doc: Document, line: Line, dates: DateIndex, *, allow_single: bool):
    for d in dates.in_span(line.start, line.end):
        if d.is_range:
            return d
        if allow_single and len(line.text) <= 60:
            return d
    if _OPEN_END.match(line.text) or (line.bullet and _PRESENT_WORD.match(line.text)):
        return DateMention(line.start, line.end, None, None, True, False, line.text)
    return None


def extract_work(doc: Document, sections: list[Section], dates: DateIndex) -> list[WorkEntry]:
    """Work entries from experience sections (or, lacking any, from the whole resume)."""
    work_sections = [s for s in sections if s.kind == "work"]
    entries: list[WorkEntry] = []
    for section in work_sections:
        lines = rejoin_wrapped_employers(rejoin_broken_names(section.lines))
        entries.extend(_work_in(doc, lines, dates, strict=False))
    if not work_sections:
        allowed = {"header", "summary", "additional", "volunteer", "skills"}
        lines = [ln for s in sections if s.kind in allowed for ln in s.lines]
        entries.extend(_work_in(doc, lines, dates, strict=True))
    return entries


def _repeated(doc: Document, line: Line, d: DateMention, prev: DateMention) -> bool:
    """The entry's dates printed again on lines of their own below it, as some templates
    do ("May 2023 — May 2024", or "May 2023" / "—" / "May 2024", under the entry that
    opened with that range)."""
    if d is prev or _WORD_RE.search(doc.text, line.start, d.start):
        return False
    if d.single:  # "September 2024" / "—" / "December 2024", one date a line
        return not prev.single and d.start_date in (prev.start_date, prev.end_date)
    return (d.start_date, d.end_date, d.present) == (prev.start_date, prev.end_date, prev.present)


def _split_range(
    lines: list[Line], dates: DateIndex, pos: int, d: DateMention, prev: DateMention
) -> bool:
    """Whether `d` starts the previous entry's range printed again one date a line ("January
    2023" / "—" / "November 2024"), which no short line above makes a header of its own."""
    if not d.single or prev.single or d.start_date != prev.start_date:
        return False
    for line in lines[pos + 1 : pos + 3]:
        for later in dates.in_span(line.start, line.end):
            if later.start_date == prev.end_date or (later.present and prev.present):
                return True
    return False


def _work_in(
    doc: Document, lines: list[Line], dates: DateIndex, *, strict: bool
) -> list[WorkEntry]:
    anchors: list[tuple[int, DateMention]] = []
    repeats: set[int] = set()
    for pos, line in enumerate(lines):
        if line.bullet or (line.text.endswith(".") and len(line.text.split()) > 12):
            continue
        d = _anchor_dates(doc, line, dates, allow_single=not strict)
        if d is not None and d.single and line.text[:1].islower():
            continue  # a sentence's wrapped tail ("company in June 2010."), not an entry
        # a repeat follows body text (or another repeat), never a header of its own
        after_body = pos > 0 and (
            pos - 1 in repeats or not _header_like(lines[pos - 1], anchor_lines=set())
        )
        if (
            d is not None
            and anchors
            and (after_body or _split_range(lines, dates, pos, d, anchors[-1][1]))
            and _repeated(doc, line, d, anchors[-1][1])
        ):
            repeats.add(pos)
            continue
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
    # The section's own layout: when most dated lines have an employer with its place right
    # below them ("Title  dates" / "Company, City"), the others follow it too
    # ("Backend Engineer  Sep 2018 - May 2019" / "FloraHolland (via Xebia)").
    with_place = 0
    for pos, d in anchors:
        after = _header_end(lines, pos, d) + 1
        with_place += after < len(lines) and _company_line(doc, lines[after], anchor_lines)
    employer_below = len(anchors) >= 3 and with_place >= 0.5 * len(anchors)
    headers: list[tuple[int, int]] = []  # first header line, line after the header
    fields_per: list[list[_Field]] = []
    boundary = 0
    for i, (pos, d) in enumerate(anchors):
        line = lines[pos]
        end_line_pos = _header_end(lines, pos, d)
        fields = _fields_of(doc, line.start, d.start)
        tail_line = lines[end_line_pos]
        fields += _fields_of(doc, max(d.end, tail_line.start), tail_line.end)
        first = pos
        before: list[_Field] = []
        j = pos - 1
        taken = 0
        # "Company<tab>dates" is one printed row: its cells come first, whatever is above
        while (
            j >= boundary
            and pos - j <= 2
            and not lines[j + 1].physical_start
            and _header_like(lines[j], anchor_lines=anchor_lines)
        ):
            fields = _fields_of(doc, lines[j].start, lines[j].end) + fields
            first = j
            j -= 1
        next_anchor = anchors[i + 1][0] if i + 1 < len(anchors) else len(lines)
        opens = _opens_entry(lines, pos, end_line_pos, fields, anchor_lines)
        below = lines[end_line_pos + 1] if end_line_pos + 1 < next_anchor else None
        if (
            not opens
            and below is not None
            and fields
            and (
                (any(f.title >= 0.7 for f in fields) and _company_line(doc, below, anchor_lines))
                or (employer_below and _short_name_line(below, anchor_lines))
            )
        ):
            # "DDD - Architecture Consultant  Nov 2024 - Present" / "MAIF, Niort - Remote":
            # the dated line is the title, the employer and its place are printed below
            opens = True
            named = [f for f in fields if f.place is None]
            if len(named) > 1:
                joined = doc.text[named[0].start : named[-1].end]
                title = max(f.title for f in named)
                fields = [_Field(joined, named[0].start, named[-1].end, title, 0.0)]
        # "2019 - 2020  Senior PHP Developer at PrestaShop": a row that names both has
        # nothing of its entry above it
        row_end = end_line_pos
        while row_end + 1 < len(lines) and not lines[row_end + 1].physical_start:
            row_end += 1
        opens = opens or bool(_TITLE_AT.search(doc.text, line.start, lines[row_end].end))
        while j >= boundary and taken < 3 and not opens:
            cand = lines[j]
            if _URLISH.search(cand.text) and len(cand.text.split()) <= 2:
                j -= 1
                continue
            if not _header_like(cand, anchor_lines=anchor_lines) or _wrapped_tail(lines, j):
                break
            if j > 0 and _same_list(doc, lines[j - 1], cand):
                break  # the last item of the previous entry's bullet list
            before = _fields_of(doc, cand.start, cand.end) + before
            first = j
            taken += 1
            j -= 1
            if cand.gap_before and taken >= 2:
                break
        fields = before + fields
        after_pos = end_line_pos + 1
        if sum(1 for f in fields if f.place is None) < 2:
            k = after_pos
            limit = after_pos + 2
            while k < min(next_anchor, limit):
                cand = lines[k]
                if _BARE_URL.match(cand.text):
                    k += 1  # the company's web address between its name and the title
                    limit += 1
                    continue
                # a dated line with nothing beside it takes a longer header below it
                # ("Web Developer at Osgoode Hall Law School (York University)")
                longest = 12 if not fields else 8
                if not _header_like(cand, anchor_lines=anchor_lines) or len(cand.words) > longest:
                    break
                if fields and cand.bullet and k + 1 == next_anchor:
                    break  # the next entry's bulleted name, right above its dates

                fields += _fields_of(doc, cand.start, cand.end)
                k += 1
                if sum(1 for f in fields if f.place is None) >= 2:
                    break
            after_pos = k
        elif not any(f.title >= 0.7 for f in fields) and after_pos < next_anchor:
            # "TV Azteca - Noticias" / dates / "Development Lead": names only above the
            # dates, the job title on the line below them
            cand = lines[after_pos]
            if not cand.bullet and lexicon.title_score(cand.text) >= 0.7 and len(cand.words) <= 8:
                fields += _fields_of(doc, cand.start, cand.end)
                after_pos += 1
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


def _header_end(lines: list[Line], pos: int, d: DateMention) -> int:
    """The last line the dated header starting on line `pos` spans (a range can wrap)."""
    end = pos
    while end + 1 < len(lines) and lines[end + 1].start < d.end:
        end += 1
    return end


def _same_list(doc: Document, above: Line, line: Line) -> bool:
    """Two bulleted lines with the same bullet: items of one list ("- Mentoring developers"
    under "- Improving tests"), where "• Company" under "□ - detail" starts a new entry."""
    return above.bullet and line.bullet and _glyph(doc, above) == _glyph(doc, line)


def _glyph(doc: Document, line: Line) -> str:
    """The bullet character a line opens with."""
    head = doc.text[doc.text.rfind("\n", 0, line.start) + 1 : line.start].strip()
    return head[:1]


_SENTENCE_END = (".", "!", "?", ":", ";")


def _wrapped_tail(lines: list[Line], pos: int) -> bool:
    """The last words of a wrapped sentence or bullet ("clients", "spaces  ML"): a row that
    opens in lower case under a longer line that stops mid-sentence."""
    first = pos
    while first > 0 and not lines[first].physical_start:
        first -= 1  # the row's first cell decides for the row
    if first == 0 or not lines[first].text[:1].islower():
        return False
    above = lines[first - 1]
    return len(above.words) >= 4 and not above.text.endswith(_SENTENCE_END)


def _with_division(text: str, company: _Field, rest: list[_Field], position: _Field) -> _Field:
    """ "TV Azteca - Fuerza Informativa Azteca", "Globalmouth - 360 Go Mobile Agency": two
    names joined by a dash on a line without the job title are one employer."""
    line_start = text.rfind("\n", 0, company.start) + 1
    line_end = text.find("\n", company.end)
    line_end = len(text) if line_end < 0 else line_end
    if line_start <= position.start < line_end:
        return company
    for f in rest:
        a, b = (f, company) if f.end <= company.start else (company, f)
        if f.title < 0.7 and _TEAM_GAP.fullmatch(text, a.end, b.start):
            joined = text[a.start : b.end]
            return _Field(joined, a.start, b.end, 0.0, lexicon.company_score(joined))
    return company


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


_REMOTE = re.compile(r"(?i)\bremote\b")
_PLACE_WORDS = re.compile(r"[A-Z][\w'.-]+(?:[ ,]+[A-Z][\w'.-]+){0,2}")


def _company_line(doc: Document, line: Line, anchor_lines: set[int]) -> bool:
    """A short unbulleted line naming an employer with its place ("Wakam, Paris - Remote",
    "Google, Mountain View, CA"): a place or "Remote" standing as a field after a name."""
    text = line.text
    if "," not in text or not _short_name_line(line, anchor_lines, max_words=8):
        return False
    name, _, rest = text.partition(",")
    if lexicon.title_score(name) >= 0.7:
        return False  # "Software Engineer, Backend": a title and its team
    first_comma = line.start + len(name)
    if _REMOTE.search(rest) or any(
        p.start > first_comma and _standalone(doc.text, p, line.start, line.end)
        for p in find_places(doc.text, line.start, line.end)
    ):
        return True
    # a place the gazetteer does not know: one to three capitalised words ("Utrecht")
    return _PLACE_WORDS.fullmatch(rest.strip()) is not None


def _short_name_line(line: Line, anchor_lines: set[int], *, max_words: int = 6) -> bool:
    """A short unbulleted line that can name an employer: no sentence, few words."""
    return (
        not line.bullet
        and len(line.words) <= max_words
        and not line.text.endswith(".")
        and _header_like(line, anchor_lines=anchor_lines)
    )


def _opens_entry(
    lines: list[Line], pos: int, end_pos: int, fields: list[_Field], anchor_lines: set[int]
) -> bool:
    """Whether the dated line opens its entry, its header continuing below it: a date line
    under short bullets ("2021-01 - 2022-06" / "Company" / "Title"), or "Company  dates"
    with the title below (a web address may come between).  The lines above then belong to
    the previous entry."""
    below = [k for k in range(end_pos + 1, end_pos + 3) if k < len(lines)]
    below = [k for k in below if not _BARE_URL.match(lines[k].text)]
    nxt = lines[below[0]] if below else None
    if nxt is None or nxt.bullet or not _header_like(nxt, anchor_lines=anchor_lines):
        return False
    if not fields:
        return (
            pos > 0
            and lines[pos - 1].bullet
            and not _bulleted_employer(lines, pos - 1, below[0], anchor_lines)
        )
    titled = any(f.title >= 0.7 for f in fields)
    return len(fields) == 1 and not titled and lexicon.title_score(nxt.text) >= 0.7


def _bulleted_employer(lines: list[Line], above: int, nxt: int, anchor_lines: set[int]) -> bool:
    """ "• Company" / dates / "Title" / body: the short bullet above a date line with a
    single header line below it names the entry's employer.  With two header lines below
    ("Company" / "Title") the bullet above is the previous entry's last highlight."""
    after = lines[nxt + 1] if nxt + 1 < len(lines) else None
    if after is not None and not after.bullet and _header_like(after, anchor_lines=anchor_lines):
        return False
    cand = lines[above]
    text = cand.text
    return (
        len(cand.words) <= 6
        and text[:1].isupper()
        and not text.endswith((":", ";"))
        and _header_like(cand, anchor_lines=anchor_lines)
    )


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
    if company is not None and position is not None:
        company = _with_division(text, company, [f for f in rest if f is not company], position)
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
        if not line.bullet and lexicon.INSTITUTION_RE.search(text) and DEGREE_RE.search(text):
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


def _employer_over_title(
    doc: Document, line: Line, below: Line, free: list[_Field]
) -> WorkEntry | None:
    """A short employer line ("CAPITAL ONE", "University of New Haven") over a line that is
    a job title and nothing else: one undated entry."""
    if len(free) != 1 or len(line.words) > 6 or below.bullet or len(below.words) > 8:
        return None
    if not _header_like(line, anchor_lines=set()):
        return None
    title = [f for f in _fields_of(doc, below.start, below.end) if f.place is None]
    if len(title) != 1 or title[0].title < 0.9:
        return None
    company, position = free[0], title[0]
    return WorkEntry(
        position=Span(_tidy(position.text), position.start, position.end, 0.5),
        name=Span(_tidy(company.text), company.start, company.end, 0.5),
    )


def _work_without_dates(doc: Document, lines: list[Line]) -> list[WorkEntry]:
    """Entries from "Title at Company" / "Title" + "Company" lines when no dates exist."""
    entries = []
    used: set[int] = set()
    for pos, line in enumerate(lines):
        if len(entries) >= MAX_UNDATED_JOBS:
            break
        if line.bullet or len(line.words) > 12 or line.index in used:
            continue
        fields = _fields_of(doc, line.start, line.end)
        free = [f for f in fields if f.place is None]
        if free and free[0].title < 0.9 and pos + 1 < len(lines):
            entry = _employer_over_title(doc, line, lines[pos + 1], free)
            if entry is not None:  # "CAPITAL ONE" / "SOFTWARE ENGINEER INTERN"
                entries.append(entry)
                used.add(lines[pos + 1].index)
                continue
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
    return entries


MAX_UNDATED_JOBS = 10
