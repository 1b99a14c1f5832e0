"""Fields of an entry's header: a header span split into job title, organisation and place
candidates ("Senior Engineer - Tech Lead, Acme Corp, Pune, Maharashtra"), with the joins
that keep one title or one organisation whole."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from hotgigs.parsing import lexicon, skills
from hotgigs.parsing.gazetteer import Place, find_places
from hotgigs.parsing.segment import PHRASES
from hotgigs.parsing.text import Document

_FIELD_SPLIT = re.compile(
    r"\s+[-\u2013|/\u00b7]+\s+|\s*[|;\u2022]\s*|\s{2,}|\t|,\s*|\s+(?:at|@)\s+|\s+-$|^-\s+|:\s+"
)
# Two job titles joined like this are one title ("Senior Data Engineer - Tech Lead",
# "Founder / Lead Developer", "Senior Software Engineer II, Lead Web Developer",
# "Development Lead · Full Stack Developer").
_TITLE_JOIN = re.compile(r"\s*(?:/|&|,|-|\u2013|\u2014|\u00b7|and)\s*")
# A lost break after a title: "Engineering ManagerDocMagic", "Software Engineer IIPlayStation"
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])|(?:(?<= II)|(?<= III)|(?<= IV))(?=[A-Z][a-z])")
BARE_URL = re.compile(r"(?i)^(?:https?://|www\.)\S+$")
_LINK_NOTE = re.compile(r"\s*\(\s*(?:https?://|www\.)[^)\s]*\)?\s*$")
_DURATION_FIELD = re.compile(
    r"(?i)^(?:(?:\d{1,2}|an?)\s+(?:years?|yrs?|months?|mos?)(?:\s*,?\s*)?){1,2}$"
)
EDGE = " \t-\u2013|,;:/()[]\u2022*.'\""
WORD_RE = re.compile(r"[A-Za-z]")
_TITLE_PREFIX = re.compile(r"(?i)^(?:worked|working|work|served|serving)\s+as\s+(?:an?\s+)?")


@dataclass(slots=True)
class Field:
    text: str
    start: int
    end: int
    title: float
    company: float
    place: Place | None = None


_CITY_WORDS = re.compile(r"[A-Z][\w'\-]*(?:[ \t]+[A-Z][\w'\-]*){0,2}")


def with_wrapped_city(text: str, fields: list[Field]) -> list[Field]:
    """A row's last cell cut after its city ("... | Fremont," / "California, USA"): the
    city and the place on the next line are one place, not an employer and a place."""
    if len(fields) < 2 or fields[-1].place is None or fields[-2].place is not None:
        return fields
    city, place = fields[-2], fields[-1]
    between = text[city.end : place.start]
    if "\n" not in between or between.strip() != "," or city.title >= 0.7:
        return fields
    if _CITY_WORDS.fullmatch(city.text) is None:
        return fields
    merged = replace(place.place, start=city.start, city=city.text)
    value = " ".join(text[city.start : place.end].split())
    whole = Field(value, city.start, place.end, 0.0, 0.0, merged)
    return [*fields[:-2], whole]


def fields_of(doc: Document, start: int, end: int) -> list[Field]:
    """Split a header span into fields; places come out whole ("Pune, Maharashtra")."""
    text = doc.text
    out: list[Field] = []
    # a place inside a name ("San Diego Supercomputer Center", "Universitat de Barcelona")
    # is part of it: only a place standing as a field of its own is cut out
    places = [p for p in find_places(text, start, end) if standalone(text, p, start, end)]
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
            out.append(Field(text[s:e], s, e, 0.0, 0.0, place))
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


def _join_titles(text: str, fields: list[Field]) -> list[Field]:
    out: list[Field] = []
    for f in fields:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.place is None
            and text[prev.end : f.start].strip() == ","
            and (
                f.text.lower().rstrip(".") in LEGAL_FORMS
                or (_UNIVERSITY_SYSTEM.search(prev.text) and _CAMPUS.fullmatch(f.text))
            )
        ):
            # "Proof Advertising, LLC", "Reditus, SA", "University of California, Davis"
            joined = text[prev.start : f.end]
            out[-1] = Field(joined, prev.start, f.end, 0.0, lexicon.company_score(joined))
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
            out[-1] = Field(joined, prev.start, f.end, title, lexicon.company_score(joined))
            continue
        out.append(f)
    return out


def _one_title(text: str, prev: Field, f: Field) -> bool:
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
LEGAL_FORMS = frozenset(
    lexicon.word_list("inc ltd llc llp plc corp co gmbh ag sa sas bv nv srl sl spa oy ab as pty")
)
_BRACKET_NOTE = re.compile(r"\s*\([^()]*\)$")
_SKILL_JOIN = re.compile(r"[ \t]*[/\-\u2013][ \t]*")
_SKILL_LIST = re.compile(r"\s*[/,+&]\s*")  # "Python/MongoDB", "Go, NodeJS & AngularJS"


def _slashed_word(text: str, prev: Field, f: Field) -> bool:
    """One word before a slash and a title: "Web / Hybrid Application Developer" reads as
    "Web Developer / Hybrid Application Developer", not a company and a title."""
    return (
        len(prev.text.split()) == 1
        and prev.company < 0.85
        and text[prev.end : f.start].strip() == "/"
    )


def _skill_prefix(f: Field) -> bool:
    """A skill naming the kind of role before or after a title ("ETL - Data Engineer",
    ".NET / Backend Developer", "Backend Engineer - Python/MongoDB"), not a company."""
    name = _BRACKET_NOTE.sub("", f.text)  # "DevOps (Freelance)"
    if f.company >= 0.85:
        return False
    if len(name.split()) <= 2 and skills.lookup(name) is not None:
        return True
    parts = [p.strip() for p in _SKILL_LIST.split(name)]
    return 2 <= len(parts) <= 4 and all(p and skills.lookup(p) is not None for p in parts)


def standalone(text: str, p: Place, start: int, end: int) -> bool:
    """A region or country that is a field of its own, not part of "IBM India Pvt Ltd"."""
    before = text[start : p.start].rstrip()
    after = text[p.end : end].lstrip()
    return (not before or before[-1] in ",-|(\u2013\u2014") and (
        not after or after[0] in ",-|)\u2013\u2014"
    )


def _add_field(out: list[Field], text: str, s: int, e: int) -> None:
    while s < e and text[s] in EDGE and not (text[s] == "." and text[s + 1 : s + 2].isalnum()):
        s += 1  # the dot of ".NET Developer" is the word's own
    while e > s and text[e - 1] in EDGE:
        e -= 1
    if e < len(text) and text[e] == ")" and text.count("(", s, e) > text.count(")", s, e):
        e += 1  # keep the closing bracket of "FieldAware (Remote)"
    link = _LINK_NOTE.search(text, s, e)
    if link is not None and link.start() > s:
        e = link.start()  # "QuizUp (http://quizup.com)": the company, not its address
    if e - s < 2 or not WORD_RE.search(text, s, e):
        return
    value = text[s:e]
    m = _TITLE_PREFIX.match(value)
    if m:
        s += m.end()
        value = text[s:e]
    if BARE_URL.match(value):
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
    out.append(Field(value, s, e, lexicon.title_score(value), lexicon.company_score(value)))


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
