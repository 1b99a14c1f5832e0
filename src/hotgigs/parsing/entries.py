"""Work entries, and the spans and helpers education entries share.

Work entries are anchored on date ranges in experience sections.  The lines just around
an anchor (the same line, up to three short lines before it, or up to two after it when
nothing precedes) form the entry's header; its fields are classified as job title,
organisation or place (:mod:`hotgigs.parsing.fields`).  The lines that follow, up to the
next entry's header, are its highlights.  Education entries live in ``education``, degree
mentions in ``degrees``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from hotgigs.parsing import lexicon, skills
from hotgigs.parsing.dates import DateMention
from hotgigs.parsing.degrees import DEGREE_RE
from hotgigs.parsing.draft import Span
from hotgigs.parsing.fields import (
    BARE_URL,
    EDGE,
    LEGAL_FORMS,
    WORD_RE,
    Field,
    fields_of,
    standalone,
    with_wrapped_city,
)
from hotgigs.parsing.gazetteer import Place, find_places
from hotgigs.parsing.segment import Section, row_start
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


_LABEL_LINE = re.compile(r"^[A-Za-z][\w /&.\-]{0,30}:\s*\S")
_TEAM_GAP = re.compile(r"[ \t]+[-\u2013\u2014][ \t]+")
_TITLE_AT = re.compile(r"\S\s+(?:at|@)\s+\S")
_URLISH = re.compile(r"(?i)https?://|www\.|\.com/|@")


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
    return last.rstrip(".") in LEGAL_FORMS or "." in last[:-1]


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
    if d is prev or WORD_RE.search(doc.text, line.start, d.start):
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
    # So do they when most dated lines are a title with a bare name below ("Software
    # Engineer Intern  Jun 2020 - Aug 2020" / "Capital One").
    # Not when most entries have a name right above them instead ("Synbioz" / "Developer |
    # 2014" / "Frontend and Ruby": the line below is a summary).
    header_ends = [_header_end(doc, lines, pos, d) for pos, d in anchors]
    named_above = [_name_above(lines, pos, anchor_lines) for pos, _ in anchors]
    names_above = sum(named_above)
    with_place = title_over_name = 0
    for (pos, d), end_pos in zip(anchors, header_ends, strict=True):
        after = end_pos + 1
        if after >= len(lines):
            continue
        with_place += _company_line(doc, lines[after], anchor_lines)
        title_over_name += _title_over_name(doc, lines, pos, d, lines[after], anchor_lines)
    employer_below = len(anchors) >= 3 and (
        with_place >= 0.5 * len(anchors)
        or (title_over_name >= 0.6 * len(anchors) and names_above < 0.5 * len(anchors))
    )
    headers: list[tuple[int, int]] = []  # first header line, line after the header
    fields_per: list[list[Field]] = []
    boundary = 0
    for i, (pos, d) in enumerate(anchors):
        line = lines[pos]
        end_line_pos = header_ends[i]
        fields = fields_of(doc, line.start, d.start)
        tail_line = lines[end_line_pos]
        fields = with_wrapped_city(doc.text, fields + fields_of(doc, d.end, tail_line.end))
        if names_above >= 0.6 * len(anchors) and named_above[i]:
            fields = _trailing_place(fields, d)
        first = pos
        before: list[Field] = []
        j = pos - 1
        taken = 0
        # "Company<tab>dates" is one printed row: its cells come first, whatever is above
        while (
            j >= boundary
            and pos - j <= 2
            and not lines[j + 1].physical_start
            and _header_like(lines[j], anchor_lines=anchor_lines)
        ):
            fields = fields_of(doc, lines[j].start, lines[j].end) + fields
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
                (_title_alone(fields) and _company_line(doc, below, anchor_lines))
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
                fields = [Field(joined, named[0].start, named[-1].end, title, 0.0)]
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
            before = fields_of(doc, cand.start, cand.end) + before
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
                if BARE_URL.match(cand.text):
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

                fields += fields_of(doc, cand.start, cand.end)
                k += 1
                if sum(1 for f in fields if f.place is None) >= 2:
                    break
            after_pos = k
        elif not any(f.title >= 0.7 for f in fields) and after_pos < next_anchor:
            # "TV Azteca - Noticias" / dates / "Development Lead": names only above the
            # dates, the job title on the line below them
            cand = lines[after_pos]
            if not cand.bullet and lexicon.title_score(cand.text) >= 0.7 and len(cand.words) <= 8:
                fields += fields_of(doc, cand.start, cand.end)
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


def _title_alone(fields: list[Field]) -> bool:
    """A dated row with a job title and no name after it ("DDD - Architecture Consultant",
    not "Senior DevOps Engineer - CSIT"): its employer can be the line below."""
    titled = [f for f in fields if f.title >= 0.7]
    return bool(titled) and not any(
        f.place is None and f.title < 0.7 and f.start > titled[0].end for f in fields
    )


def _trailing_place(fields: list[Field], d: DateMention) -> list[Field]:
    """ "Software developer | September 2019 - Current | Arcueil" under the employer's name,
    in a section that prints every employer above its row: a short name after the dates is
    the place, not a second employer."""
    titled = any(f.title >= 0.7 and f.end <= d.start for f in fields)
    last = fields[-1] if fields else None
    if not titled or last is None or last.place is not None or last.start < d.end:
        return fields
    if last.title >= 0.7 or len(last.text.split()) > 3 or not last.text[:1].isupper():
        return fields
    place = Place(last.start, last.end, last.text, None, None, 0.5)
    return [*fields[:-1], Field(last.text, last.start, last.end, 0.0, 0.0, place)]


def _header_end(doc: Document, lines: list[Line], pos: int, d: DateMention) -> int:
    """The last line the dated header starting on line `pos` spans (a range can wrap, and so
    can a place: "... | June 2022 - September 2022 | Fremont," / "California, USA")."""
    end = pos
    while end + 1 < len(lines) and lines[end + 1].start < d.end:
        end += 1
    if end + 1 < len(lines) and lines[end].text.endswith(",") and not lines[end + 1].bullet:
        below = lines[end + 1]
        places = find_places(doc.text, below.start, below.end)
        if len(below.words) <= 4 and any(p.start == below.start for p in places):
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
    first = row_start(lines, pos)  # the row's first cell decides for the row
    if first == 0 or not lines[first].text[:1].islower():
        return False
    above = lines[first - 1]
    return len(above.words) >= 4 and not above.text.endswith(_SENTENCE_END)


_NAME_PARTS_GAP = re.compile(r"[ \t]+/[ \t]+|:[ \t]+")


def _slashed_name(text: str, company: Field, rest: list[Field]) -> Field:
    """ "MediFit / EXOS", "SaTech / Country Club: El Tipal": names joined by a spaced slash
    or a colon are one employer."""
    chain = sorted([company, *(f for f in rest if f.title < 0.7)], key=lambda f: f.start)
    at = chain.index(company)
    first = last = at
    while first > 0 and _NAME_PARTS_GAP.fullmatch(text, chain[first - 1].end, chain[first].start):
        first -= 1
    while last + 1 < len(chain) and _NAME_PARTS_GAP.fullmatch(
        text, chain[last].end, chain[last + 1].start
    ):
        last += 1
    if first == last:
        return company
    a, b = chain[first], chain[last]
    return Field(
        text[a.start : b.end], a.start, b.end, 0.0, lexicon.company_score(text[a.start : b.end])
    )


def _with_division(text: str, company: Field, rest: list[Field], position: Field) -> Field:
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
            return Field(joined, a.start, b.end, 0.0, lexicon.company_score(joined))
    return company


def _with_team(text: str, position: Field, free: list[Field]) -> Field:
    """ "Senior Software Engineer - Microsoft Loop" when the company is named elsewhere: the
    team or product after the dash belongs to the title."""
    after = [f for f in free if f.start > position.end]
    if not after:
        return position
    f = min(after, key=lambda f: f.start)
    gap = _TEAM_GAP.fullmatch(text, position.end, f.start)
    if gap is None or f.title >= 0.7 or len(f.text.split()) > 4:
        return position
    return Field(text[position.start : f.end], position.start, f.end, position.title, 0.0)


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
    places = find_places(doc.text, line.start, line.end)
    if any(p.start == line.start for p in places):
        return False  # "California, USA": the rest of a place the dated row wrapped
    if _REMOTE.search(rest) or any(
        p.start > first_comma and standalone(doc.text, p, line.start, line.end) for p in places
    ):
        return True
    # a place the gazetteer does not know: one to three capitalised words ("Utrecht")
    return _PLACE_WORDS.fullmatch(rest.strip()) is not None


def _title_over_name(
    doc: Document, lines: list[Line], pos: int, d: DateMention, below: Line, anchor_lines: set[int]
) -> bool:
    """A dated row holding only a job title and a short line below it that is no title."""
    first = row_start(lines, pos)
    fields = fields_of(doc, lines[first].start, d.start) + fields_of(doc, d.end, lines[pos].end)
    return (
        len(fields) == 1
        and fields[0].title >= 0.7
        and _short_name_line(below, anchor_lines)
        and lexicon.title_score(below.text) < 0.7
    )


def _name_above(lines: list[Line], pos: int, anchor_lines: set[int]) -> bool:
    """A short name line right above the dated row (the entry's employer, read down)."""
    first = row_start(lines, pos)
    return first > 0 and _short_name_line(lines[first - 1], anchor_lines)


def _short_name_line(line: Line, anchor_lines: set[int], *, max_words: int = 6) -> bool:
    """A short unbulleted line that can name an employer: no sentence, few words."""
    return (
        not line.bullet
        and len(line.words) <= max_words
        and not (line.text.endswith(".") and not _abbreviated_end(line.text))
        and _header_like(line, anchor_lines=anchor_lines)
    )


def _opens_entry(
    lines: list[Line], pos: int, end_pos: int, fields: list[Field], anchor_lines: set[int]
) -> bool:
    """Whether the dated line opens its entry, its header continuing below it: a date line
    under short bullets ("2021-01 - 2022-06" / "Company" / "Title"), or "Company  dates"
    with the title below (a web address may come between).  The lines above then belong to
    the previous entry."""
    below = [k for k in range(end_pos + 1, end_pos + 3) if k < len(lines)]
    below = [k for k in below if not BARE_URL.match(lines[k].text)]
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


def _classify(fields: list[Field], d: DateMention, *, strict: bool, text: str) -> WorkEntry | None:
    entry = WorkEntry(dates=d)
    free = [f for f in fields if f.place is None and len(f.text.split()) <= 10]
    places = [f for f in fields if f.place is not None]
    if places:
        p = places[0]
        entry.location = Span(p.text, p.start, p.end, p.place.score if p.place else 0.5)
    titled = sorted((f for f in free if f.title >= 0.7), key=lambda f: -f.title)
    position = titled[0] if titled else None
    others = [f for f in free if f is not position]
    if len(others) >= 2:
        # "Vice President - Software Engineering, JPMorgan Chase": a department is no employer
        others = [f for f in others if not lexicon.only_discipline(f.text)] or others
    companies = [f for f in others if f.company >= 0.85]
    company = companies[0] if companies else None
    rest = [f for f in others if f is not company and f.title < 0.7]
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
    if company is None and position is not None and not strict:
        company, entry.location = _employer_read_as_city(text, places, entry.location)
    if company is not None:
        company = _slashed_name(text, company, [f for f in rest if f is not company])
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
        outside = [f for f in free if not company.start <= f.start < company.end]
        position = _with_team(text, position, outside)
    if position is not None:
        conf = 0.85 if position.title >= 0.9 else 0.7 if position.title >= 0.7 else 0.45
        entry.position = Span(_tidy(position.text), position.start, position.end, conf)
    if company is not None:
        conf = 0.85 if company.company >= 0.85 else 0.55
        entry.name = Span(_tidy(company.text), company.start, company.end, conf)
    if entry.position is None and entry.name is None:
        return None
    return entry


def _employer_read_as_city(
    text: str, places: list[Field], location: Span | None
) -> tuple[Field | None, Span | None]:
    """A job with a title but no employer whose place opens with a name the gazetteer does
    not know ("Developer, WeDevelop, Florida, United States"): that name is the employer,
    the rest the place."""
    first = places[0].place if places else None
    if first is None or first.city is None or first.region is None or first.score >= 0.9:
        return None, location
    city_end = first.start + len(first.city)
    if text[first.start : city_end] != first.city or not text.startswith(",", city_end):
        return None, location
    employer = Field(first.city, first.start, city_end, 0.0, 0.0)
    rest = text[city_end + 1 : places[0].end].strip()
    start = places[0].end - len(rest)
    return employer, Span(rest, start, places[0].end, first.score)


def _tidy(value: str) -> str:
    value = " ".join(value.split()).strip(EDGE)
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
    doc: Document, line: Line, below: Line, free: list[Field]
) -> WorkEntry | None:
    """A short employer line ("CAPITAL ONE", "University of New Haven") over a line that is
    a job title and nothing else: one undated entry."""
    if len(free) != 1 or len(line.words) > 6 or below.bullet or len(below.words) > 8:
        return None
    if not _header_like(line, anchor_lines=set()):
        return None
    title = [f for f in fields_of(doc, below.start, below.end) if f.place is None]
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
        fields = fields_of(doc, line.start, line.end)
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
                more = fields_of(doc, nxt.start, nxt.end)
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
