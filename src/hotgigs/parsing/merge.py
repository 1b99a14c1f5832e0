"""Merging the tagger's spans (:mod:`hotgigs.parsing.model`) into the rule-based JSON Resume.

The rules keep what they read well: e-mail, phone, links, dates and the skill taxonomy's
mentions (with canonical names).  The tagger decides the free-form fields:

* ``work[]``: tagged job titles and companies (with the places and date ranges on their
  lines) are grouped into entries in text order: a field seen twice, or a gap of more than
  three lines, starts the next entry.  An entry needs a company, a date range or an
  experience section (a title mentioned in a summary is not a job).  A rule-based entry
  that overlaps a tagged one lends it its dates, highlights and the company and place the
  tagger missed (unless it read that text as another field); rule entries the tagger does
  not confirm are dropped.  When the tagger finds no job at all the rules' entries stay.
* ``education[]``: the same with schools, degrees and graduation dates (the rules' field of
  study is kept).
* ``basics``: the name stays the rules' (the tagger fills in when they find none); the
  headline (``label``) comes from a tagged title in the header, and so does the location
  when the rules found none (or the text is flattened, see below).

On text that kept its line breaks the rules' line-anchored ``work[]``, ``education[]``
and location stay as they are when the rules found any: the tagger was trained on
flattened one-line exports (:func:`flattened`), where it groups entries better.
* ``skills[]``: tagged skills join the taxonomy's (under the canonical name when the span
  is exactly a taxonomy mention), categorised by the tagger's label; spoken languages are
  left to ``languages[]``.

Evidence spans are the tagged spans (split at wide layout gaps, edges trimmed);
confidences are the tagger's marginals.  Tagged fields in certificate and language
sections are not jobs or schools ("AWS Certified Solutions Architect" is not a degree).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from hotgigs.parsing import lexicon
from hotgigs.parsing import model as model_mod
from hotgigs.parsing.degrees import find_degrees
from hotgigs.parsing.draft import EntryDraft, ResumeDraft, SkillMention, Span
from hotgigs.parsing.entries import _tidy
from hotgigs.parsing.gazetteer import find_places
from hotgigs.parsing.listed import SKILL_LEVELS
from hotgigs.parsing.model import Analysis, Entity

WORK_KINDS = {"Designation": "position", "Companies worked at": "name"}
EDU_KINDS = {"College Name": "institution", "Degree": "studyType"}
SKILL_KINDS = {"Tech Tools": "tool", "Job Specific Skills": "domain", "Soft Skills": "soft"}
ENTRY_LINE_GAP = 3  # lines between the fields of one entry, at most
NOT_ENTRY_SECTIONS = frozenset(["certificates", "languages"])
MAX_WORK = 40
MAX_EDUCATION = 12
FLAT_CHARS_PER_LINE = 200  # resumes with their lines keep well under 100 characters a line

_EDGE = " \t-\u2013|,;:/()[]\u2022*.'\""
_SPAN_EDGE = " \t\n-\u2013|,;:/\u2022*'\"(["
_WIDE_GAP = re.compile(r"[ \t]{3,}|\s\|\s|\n[ \t]*\n")
_DATE_LABELS = frozenset(["Years of Experience", "Graduation Year"])
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def apply_model(
    analysis: Analysis, draft: ResumeDraft, model: model_mod.Model
) -> tuple[ResumeDraft, dict[str, Any]]:
    """Tag ``analysis`` with ``model`` and merge the result into a copy of ``draft``.

    All or nothing: the merge runs on a fork, so a failure leaves the rules' reading as it
    was.  Returns the merged draft and the model's identity for ``meta["model"]``.
    """
    entities = model_mod.predict(analysis, model)
    merged = draft.fork()
    merge(analysis, entities, merged, model.corrected_labels)
    return merged, {**model.identity, "entities": len(entities)}


def merge(
    analysis: Analysis,
    entities: list[Entity],
    draft: ResumeDraft,
    corrected: frozenset[str] = frozenset(),
) -> None:
    """Merge tagged ``entities`` into ``draft`` in place (see the module docstring).

    ``corrected``: dataset labels the model learned from an installation's corrections of
    the rules' reading; for those the tagger decides, on any text.
    """
    text = analysis.doc.text
    ents = [piece for e in entities for piece in _pieces(text, e)]
    lines = _LineIndex(analysis)
    basics = draft.basics
    if "Name" in corrected:
        _forget_name(text, ents, basics)
    _merge_name(text, ents, basics)
    flat = flattened(text)
    if flat or not draft.work or corrected & WORK_KINDS.keys():
        _merge_work(analysis, ents, draft, lines)
    if flat or not draft.education or corrected & EDU_KINDS.keys():
        _merge_education(analysis, ents, draft, lines)
    _merge_label(text, ents, basics, lines)
    if flat or "location" not in basics or "Location" in corrected:
        _merge_location(text, ents, basics, lines)
    _merge_skills(analysis, ents, draft)


def flattened(text: str) -> bool:
    """Text whose line breaks were lost (a one-line export): the rules' line-anchored
    entries cannot be read there, the tagger (trained on such text) groups them better.
    Text with its lines keeps the rules' work and education entries."""
    return len(text) > FLAT_CHARS_PER_LINE * (text.count("\n") + 1)


# ---------------------------------------------------------------- spans


def _pieces(text: str, e: Entity) -> list[Entity]:
    """A tagged span split at wide gaps ("Technical Analyst    Senior A/P" are two fields
    of a flattened layout; dates keep theirs), edges trimmed, empty pieces dropped."""
    parts = [(e.start, e.end)]
    if e.label not in _DATE_LABELS:
        parts = []
        pos = e.start
        for m in _WIDE_GAP.finditer(text, e.start, e.end):
            parts.append((pos, m.start()))
            pos = m.end()
        parts.append((pos, e.end))
    out = []
    for s, t in parts:
        piece = _trim(text, Entity(e.label, s, t, e.confidence))
        if piece.end > piece.start and text[piece.start : piece.end].strip(_EDGE):
            out.append(piece)
    return out


def _trim(text: str, e: Entity) -> Entity:
    """Separators and quotes off the edges; a sentence's full stop off the end ("Inc." and
    "Sr." keep theirs); a bracket only when it is not closed inside the span."""
    s, t = e.start, e.end
    while s < t and (text[s] in _SPAN_EDGE or text[s] in ")]"):
        s += 1
    while t > s and text[t - 1] in _SPAN_EDGE:
        t -= 1
    while t > s and text[t - 1] in ")]" and ("(" if text[t - 1] == ")" else "[") not in text[s:t]:
        t -= 1
    if t > s and text[t - 1] == "." and re.search(r"(?:^|\s)\w{1,3}\.$", text[s:t]) is None:
        t -= 1
    if (s, t) == (e.start, e.end):
        return e
    return Entity(e.label, s, t, e.confidence)


class _LineIndex:
    """Line numbers and section kinds of normalised offsets."""

    def __init__(self, analysis: Analysis) -> None:
        self.lines = analysis.doc.lines
        self.starts = [ln.start for ln in self.lines]
        self.section_of = analysis.section_of
        self.first_heading = min(
            (s.heading.start for s in analysis.sections if s.heading is not None),
            default=len(analysis.doc.text),
        )

    def __call__(self, pos: int) -> int:
        return max(bisect_right(self.starts, pos) - 1, 0)

    def in_header(self, pos: int) -> bool:
        return pos < self.first_heading

    def section(self, pos: int) -> str:
        """The kind of section ``pos`` is in ("heading" on a heading line)."""
        if not self.lines:
            return "header"
        return self.section_of.get(self.lines[self(pos)].index, "heading")


def _clean_value(value: str) -> str:
    value = " ".join(value.split()).strip(_EDGE)
    return _tidy(value) if value else value


def _tagged(text: str, e: Entity, value: Any = None) -> Span[Any]:
    """A tagged span as a draft value (its cleaned surface unless ``value`` is given)."""
    if value is None:
        value = _clean_value(text[e.start : e.end])
    return Span(value, e.start, e.end, e.confidence)


# ---------------------------------------------------------------- basics


def _names(ents: list[Entity]) -> list[Entity]:
    return [e for e in ents if e.label == "Name" and e.confidence >= 0.5]


def _merge_name(text: str, ents: list[Entity], basics: dict[str, Span[Any]]) -> None:
    """The tagger's name, where the rules found none."""
    names = _names(ents)
    if "name" in basics or not names:
        return
    best = names[0]
    value = " ".join(text[best.start : best.end].split())
    basics["name"] = _tagged(text, best, value.title() if value.isupper() else value)


def _forget_name(text: str, ents: list[Entity], basics: dict[str, Span[Any]]) -> None:
    """Drop the rules' name where the tagger reads another one (see ``corrected``)."""
    names = _names(ents)
    rules = basics.get("name")
    if (
        names
        and rules is not None
        and " ".join(text[names[0].start : names[0].end].split()) != rules.value
    ):
        del basics["name"]


def _merge_label(
    text: str, ents: list[Entity], basics: dict[str, Span[Any]], lines: _LineIndex
) -> None:
    """The headline: a tagged title over the rules' headline, else the first tagged title
    in the header; failing both, the rules' (the draft falls back on the current job's
    title when there is none)."""
    name = basics.get("name")
    titles = [
        e
        for e in ents
        if e.label == "Designation"
        and (name is None or not (e.start < name.end and name.start < e.end))
    ]  # a title run into the name above it is not the headline
    current = basics.get("label")
    chosen = None
    if current is not None:
        chosen = next((e for e in titles if e.start < current.end and current.start < e.end), None)
    if chosen is None:
        chosen = next((e for e in titles if lines.in_header(e.start)), None)
    if chosen is not None:
        basics["label"] = _tagged(text, chosen)


def _merge_location(
    text: str, ents: list[Entity], basics: dict[str, Span[Any]], lines: _LineIndex
) -> None:
    """Where the person lives: the tagged place over the rules' one, or the first tagged
    place in the header when the rules found none."""
    places = [e for e in ents if e.label == "Location" and lines.in_header(e.start)]
    current = basics.get("location")
    if current is not None:
        chosen = next((e for e in places if e.start < current.end and current.start < e.end), None)
    else:
        chosen = places[0] if places else None
    if chosen is None:
        return
    loc = _location_value(text, chosen.start, chosen.end)
    if loc:
        basics["location"] = _tagged(text, chosen, loc)


def _location_value(text: str, start: int, end: int) -> dict[str, str]:
    found = [p for p in find_places(text, start, end) if p.start >= start and p.end <= end]
    if found:
        loc = max(found, key=lambda p: (p.end - p.start, p.score)).as_location()
        if loc:
            return loc
    value = _clean_value(text[start:end])
    return {"address": value} if value else {}


# ---------------------------------------------------------------- entries


_CAMPUS = re.compile(r"\s+at\s+[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,2}")


def _campus(text: str, e: Entity, schools: list[tuple[int, int]]) -> Entity:
    """ "University of Texas" tagged where the rules read "University of Texas at Austin":
    the campus is part of the name."""
    for s, t in schools:
        if s <= e.start and e.end < t and _CAMPUS.fullmatch(text, e.end, t):
            return Entity(e.label, e.start, t, e.confidence)
    return e


def _field_value(text: str, key: str, e: Entity) -> Span[str]:
    """A tagged entry field: a degree under its canonical name, anything else as written."""
    if key == "studyType":
        degrees = find_degrees(text, e.start, e.end)
        if degrees:
            return _tagged(text, e, degrees[0][2])
    return _tagged(text, e)


def _date_values(analysis: Analysis, e: Entity, *, single: str) -> dict[str, Span[str | None]]:
    """startDate / endDate of the rules' date mention under a tagged date span (a lone
    date is the ``single`` key), or the years written in it; empty for a duration."""
    start, end = e.start, e.end
    value: dict[str, str | None] = {}
    for d in analysis.dates:
        if d.start < end and start < d.end and d.start_date:
            if d.single:
                value = {single: d.start_date}
            else:
                value = {"startDate": d.start_date}
                if d.present:
                    value["endDate"] = None
                elif d.end_date:
                    value["endDate"] = d.end_date
            break
    else:
        years = _YEAR.findall(analysis.doc.text, start, end)
        if len(years) == 1:
            value = {single: years[0]}
        elif len(years) >= 2:
            value = {"startDate": years[0], "endDate": years[-1]}
    return {key: Span(v, start, end, e.confidence) for key, v in value.items()}


def _start(entry: EntryDraft) -> int:
    return min(s for s, _ in entry.spans())


def _group(
    analysis: Analysis,
    ents: list[Entity],
    kinds: dict[str, str],
    date_label: str,
    single: str,
    lines: _LineIndex,
) -> list[EntryDraft]:
    """Tagged fields grouped into entries in text order: a field kind seen twice, or a gap
    of more than ``ENTRY_LINE_GAP`` lines, starts the next entry.  A date joins the open
    entry, or the next one when that opens on the same or the next line."""
    text = analysis.doc.text
    out: list[EntryDraft] = []
    cur: EntryDraft | None = None
    last_line = 0  # the open entry's last line
    pending: tuple[dict[str, Span[str | None]], int] | None = None
    for e in ents:
        line = lines(e.start)
        if e.label == date_label:
            dates = _date_values(analysis, e, single=single)
            if not dates:
                continue  # "7+ years of experience": how long, not when
            if cur is not None and not cur.dates and line - last_line <= ENTRY_LINE_GAP:
                cur.dates = dates
                last_line = max(last_line, line)
            else:
                pending = (dates, line)
            continue
        key = kinds.get(e.label)
        if key is None:
            continue
        if cur is None or key in cur.fields or line - last_line > ENTRY_LINE_GAP:
            cur = EntryDraft()
            last_line = line
            out.append(cur)
            if pending is not None and line - pending[1] <= 1:
                cur.dates = pending[0]
            pending = None
        cur.fields[key] = _field_value(text, key, e)
        last_line = max(last_line, line)
    return out


def _combine(
    model_entries: list[EntryDraft],
    rules: list[EntryDraft],
    *,
    lend: tuple[str, ...],
    rule_dates: bool,
    tagged: list[Entity] = (),
) -> list[EntryDraft]:
    """A tagged entry takes the extras (highlights, score), missing ``lend`` fields and
    dates (all of its dates with ``rule_dates``: work dates are the rules' strength) of
    the rule entry it overlaps, fields first, then dates.  A lent field the tagger read as
    something else (a span in ``tagged``) is not taken.  Rule entries that no tagged entry
    overlaps are dropped."""
    used: set[int] = set()
    for m in model_entries:
        match = _overlapping(m, rules, used)
        if match is None:
            continue
        r = rules[match]
        used.add(match)
        m.extra = {**r.extra, **m.extra}
        if r.dates and (not m.dates or rule_dates):
            m.dates = r.dates
        for key in lend:
            f = r.fields.get(key)
            if key in m.fields or f is None:
                continue
            if any(e.start < f.end and f.start < e.end for e in tagged):
                continue
            m.fields[key] = f
    return sorted(model_entries, key=_start)


def _overlapping(entry: EntryDraft, rules: list[EntryDraft], used: set[int]) -> int | None:
    def hit(mine: list[tuple[int, int]], theirs: list[tuple[int, int]]) -> bool:
        return any(s1 < e2 and s2 < e1 for s1, e1 in mine for s2, e2 in theirs)

    mine = [(f.start, f.end) for f in entry.fields.values()]
    for i, r in enumerate(rules):
        if i not in used and hit(mine, r.spans()):
            return i
    when = entry.date_span()
    if when is None:
        return None
    mine = [(when.start, when.end)]
    for i, r in enumerate(rules):
        theirs = r.date_span()
        if i not in used and theirs is not None and hit(mine, [(theirs.start, theirs.end)]):
            return i
    return None


def _anchored(entry: EntryDraft, lines: _LineIndex) -> bool:
    """A job, not a title mentioned in passing: it has a company or dates, or sits in an
    experience section."""
    if "name" in entry.fields or entry.dates:
        return True
    return any(lines.section(f.start) == "work" for f in entry.fields.values())


def _attach_places(
    text: str, ents: list[Entity], entries: list[EntryDraft], lines: _LineIndex
) -> None:
    """A tagged place on (or next to) the lines of an entry's fields is where it was."""
    for e in ents:
        if e.label != "Location":
            continue
        line = lines(e.start)
        for entry in entries:
            if "location" in entry.fields or not entry.fields:
                continue
            rows = [lines(f.start) for f in entry.fields.values()]
            if min(rows) - 1 <= line <= max(rows) + 1:
                entry.fields["location"] = _tagged(text, e)
                break


def _kept(entries: list[EntryDraft], required: tuple[str, ...], limit: int) -> list[EntryDraft]:
    """The entries with one of the ``required`` fields, at most ``limit`` of them."""
    return [e for e in entries if any(k in e.fields for k in required)][:limit]


def _merge_work(
    analysis: Analysis, ents: list[Entity], draft: ResumeDraft, lines: _LineIndex
) -> None:
    ents = [e for e in ents if lines.section(e.start) not in NOT_ENTRY_SECTIONS]
    tagged = _group(analysis, ents, WORK_KINDS, "Years of Experience", "startDate", lines)
    tagged = [m for m in tagged if _anchored(m, lines)]
    if not tagged:
        return
    _attach_places(analysis.doc.text, ents, tagged, lines)
    # the rules' company stays where the tagger saw none, unless it read the text as
    # something else (a title, a school)
    others = [e for e in ents if e.label in ("Designation", "College Name", "Degree")]
    entries = _combine(
        tagged, draft.work, lend=("name", "location"), rule_dates=True, tagged=others
    )
    draft.work = _kept(entries, ("name", "position"), MAX_WORK)


def _merge_education(
    analysis: Analysis, ents: list[Entity], draft: ResumeDraft, lines: _LineIndex
) -> None:
    text = analysis.doc.text
    ents = [
        e
        for e in ents
        if lines.section(e.start) not in NOT_ENTRY_SECTIONS
        and text[e.start : e.end].strip().lower() not in SKILL_LEVELS  # "Golang" / "Master"
    ]
    schools = [
        (f.start, f.end) for entry in draft.education if (f := entry.fields.get("institution"))
    ]
    ents = [_campus(text, e, schools) if e.label == "College Name" else e for e in ents]
    tagged = _group(analysis, ents, EDU_KINDS, "Graduation Year", "endDate", lines)
    if not tagged:
        return
    entries = _combine(tagged, draft.education, lend=("area",), rule_dates=False)
    draft.education = _kept(entries, ("institution", "studyType"), MAX_EDUCATION)


# ---------------------------------------------------------------- skills


def _merge_skills(analysis: Analysis, ents: list[Entity], draft: ResumeDraft) -> None:
    text = analysis.doc.text
    skills = draft.mentions
    by_key: dict[str, int] = {}
    for i, s in enumerate(skills):
        by_key.setdefault(_key(s.name.value), i)
        for kw in s.keywords:
            by_key.setdefault(_key(kw), i)
    mentions = sorted(analysis.skills, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    for e in ents:
        category = SKILL_KINDS.get(e.label)
        if category is None:
            continue
        raw = text[e.start : e.end]  # keywords are surface forms, as the taxonomy's are
        surface = " ".join(raw.split())
        key = _key(surface)
        if not key or len(surface) > 60:
            continue
        if surface.title() in lexicon.SPOKEN_LANGUAGES:
            continue  # "English", "Hindi": languages[], not skills
        idx = by_key.get(key)
        if idx is None:
            # exactly a taxonomy mention: the canonical name (one entry per skill)
            j = bisect_right(starts, e.start) - 1
            if 0 <= j < len(mentions) and (mentions[j].start, mentions[j].end) == (e.start, e.end):
                idx = by_key.get(_key(mentions[j].entry.name))
                name = mentions[j].entry.name
            else:
                name = surface
        if idx is not None:
            keywords = skills[idx].keywords
            if raw not in keywords and len(keywords) < 12:
                keywords.append(raw)
            by_key[key] = idx
            continue
        skills.append(SkillMention(_tagged(text, e, name), [raw], category))
        by_key[key] = len(skills) - 1
        by_key.setdefault(_key(name), len(skills) - 1)


def _key(value: str) -> str:
    return " ".join(re.sub(r"[^\w+#]+", " ", value.lower()).split())
