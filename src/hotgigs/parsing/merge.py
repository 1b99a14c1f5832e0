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

import copy
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from hotgigs.parsing import lexicon
from hotgigs.parsing import model as model_mod
from hotgigs.parsing.degrees import find_degrees
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
    analysis: Analysis,
    resume: dict[str, Any],
    rec: Any,
    categories: dict[str, str],
    model: model_mod.Model,
) -> dict[str, Any]:
    """Tag ``analysis`` with ``model`` and merge the result into ``resume``, the recorder
    ``rec`` (confidence, evidence, spans) and ``categories``.

    All or nothing: the merge runs on copies, so a failure leaves the rules' result as it
    was.  Returns the model's identity for ``meta["model"]``.
    """
    entities = model_mod.predict(analysis, model)
    new_resume = copy.deepcopy(resume)
    shadow = copy.copy(rec)
    shadow.confidence = dict(rec.confidence)
    shadow.evidence = dict(rec.evidence)
    shadow.spans = dict(rec.spans)
    new_categories = dict(categories)
    merge(analysis, entities, new_resume, shadow, new_categories, model.corrected_labels)
    resume.clear()
    resume.update(new_resume)
    rec.confidence, rec.evidence, rec.spans = shadow.confidence, shadow.evidence, shadow.spans
    categories.clear()
    categories.update(new_categories)
    return {**model.identity, "entities": len(entities)}


def merge(
    analysis: Analysis,
    entities: list[Entity],
    resume: dict[str, Any],
    rec: Any,
    categories: dict[str, str],
    corrected: frozenset[str] = frozenset(),
) -> None:
    """Merge tagged ``entities`` into ``resume`` in place (see the module docstring).

    ``corrected``: dataset labels the model learned from an installation's corrections of
    the rules' reading; for those the tagger decides, on any text.
    """
    text = analysis.doc.text
    ents = [piece for e in entities for piece in _pieces(text, e)]
    lines = _LineIndex(analysis)
    basics = resume.setdefault("basics", {})
    if "Name" in corrected:
        _forget_name(text, ents, basics, rec)
    _merge_name(text, ents, basics, rec)
    flat = flattened(text)
    work = resume.get("work", [])
    if flat or not work or corrected & WORK_KINDS.keys():
        work = _merge_work(analysis, ents, resume, rec, lines)
    if flat or not resume.get("education") or corrected & EDU_KINDS.keys():
        _merge_education(analysis, ents, resume, rec, lines)
    _merge_label(text, ents, basics, rec, work, lines)
    if flat or "location" not in basics or "Location" in corrected:
        _merge_location(text, ents, basics, rec, lines)
    _merge_skills(analysis, ents, resume, rec, categories)
    if not basics:
        resume.pop("basics", None)


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


def _forget(rec: Any, prefix: str) -> None:
    for store in (rec.confidence, rec.evidence, rec.spans):
        for key in [k for k in store if k.startswith(prefix)]:
            del store[key]


# ---------------------------------------------------------------- basics


def _merge_name(text: str, ents: list[Entity], basics: dict[str, Any], rec: Any) -> None:
    if "name" in basics:
        return
    names = [e for e in ents if e.label == "Name" and e.confidence >= 0.5]
    if not names:
        return
    best = names[0]
    value = " ".join(text[best.start : best.end].split())
    if value.isupper():
        value = value.title()
    basics["name"] = value
    rec.note("basics.name", best.confidence, best.start, best.end)


def _forget_name(text: str, ents: list[Entity], basics: dict[str, Any], rec: Any) -> None:
    """Drop the rules' name where the tagger reads another one (see ``corrected``)."""
    names = [e for e in ents if e.label == "Name" and e.confidence >= 0.5]
    if names and " ".join(text[names[0].start : names[0].end].split()) != basics.get("name"):
        basics.pop("name", None)
        _forget(rec, "basics.name")


def _merge_label(
    text: str,
    ents: list[Entity],
    basics: dict[str, Any],
    rec: Any,
    work: list[dict[str, Any]],
    lines: _LineIndex,
) -> None:
    """The headline: a tagged title over the rules' headline, else the first tagged title
    in the header; failing both, the current (or first) job's title, as the rules do."""
    titles = [e for e in ents if e.label == "Designation"]
    current = rec.spans.get("basics.label") if "label" in basics else None
    chosen = None
    if current is not None:
        chosen = next((e for e in titles if e.start < current[1] and current[0] < e.end), None)
    if chosen is None:
        chosen = next((e for e in titles if lines.in_header(e.start)), None)
    if chosen is not None:
        basics["label"] = _clean_value(text[chosen.start : chosen.end])
        rec.note("basics.label", chosen.confidence, chosen.start, chosen.end)
        return
    if current is not None:
        return
    # the rules' fallback copied a job title that may be gone: choose again
    basics.pop("label", None)
    rec.confidence.pop("basics.label", None)
    rec.evidence.pop("basics.label", None)
    if work:
        pick = next((i for i, w in enumerate(work) if "endDate" in w and w["endDate"] is None), 0)
        path = f"work[{pick}].position"
        if "position" in work[pick] and path in rec.spans:
            basics["label"] = work[pick]["position"]
            s, e = rec.spans[path]
            rec.note("basics.label", min(0.6, rec.confidence.get(path, 0.6)), s, e)


def _merge_location(
    text: str, ents: list[Entity], basics: dict[str, Any], rec: Any, lines: _LineIndex
) -> None:
    """Where the person lives: the tagged place over the rules' one, or the first tagged
    place in the header when the rules found none."""
    places = [e for e in ents if e.label == "Location" and lines.in_header(e.start)]
    current = rec.spans.get("basics.location") if "location" in basics else None
    if current is not None:
        chosen = next((e for e in places if e.start < current[1] and current[0] < e.end), None)
    else:
        chosen = places[0] if places else None
    if chosen is None:
        return
    loc = _location_value(text, chosen.start, chosen.end)
    if loc:
        basics["location"] = loc
        rec.note("basics.location", chosen.confidence, chosen.start, chosen.end)


def _location_value(text: str, start: int, end: int) -> dict[str, str]:
    found = [p for p in find_places(text, start, end) if p.start >= start and p.end <= end]
    if found:
        loc = max(found, key=lambda p: (p.end - p.start, p.score)).as_location()
        if loc:
            return loc
    value = _clean_value(text[start:end])
    return {"address": value} if value else {}


# ---------------------------------------------------------------- entries


@dataclass(slots=True)
class _Field:
    value: Any  # None: read the tagged surface
    start: int
    end: int
    confidence: float


@dataclass(slots=True)
class _Entry:
    fields: dict[str, _Field] = field(default_factory=dict)
    dates: _Field | None = None  # value: {"startDate"/"endDate": ...} or None (tagged)
    extra: dict[str, Any] = field(default_factory=dict)  # highlights, score, ...
    first: int = 0
    last_line: int = 0

    @property
    def start(self) -> int:
        spans = [f.start for f in self.fields.values()]
        if self.dates is not None:
            spans.append(self.dates.start)
        return min(spans, default=self.first)

    def spans(self) -> list[tuple[int, int]]:
        out = [(f.start, f.end) for f in self.fields.values()]
        if self.dates is not None:
            out.append((self.dates.start, self.dates.end))
        return out


_CAMPUS = re.compile(r"\s+at\s+[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,2}")


def _campus(text: str, e: Entity, schools: list[tuple[int, int]]) -> Entity:
    """ "University of Texas" tagged where the rules read "University of Texas at Austin":
    the campus is part of the name."""
    for s, t in schools:
        if s <= e.start and e.end < t and _CAMPUS.fullmatch(text, e.end, t):
            return Entity(e.label, e.start, t, e.confidence)
    return e


def _rule_entries(resume: dict[str, Any], rec: Any, group: str, keys: tuple[str, ...]):
    out = []
    for i, item in enumerate(resume.get(group, [])):
        entry = _Entry()
        for key in keys:
            path = f"{group}[{i}].{key}"
            if key in item and path in rec.spans:
                s, e = rec.spans[path]
                entry.fields[key] = _Field(item[key], s, e, rec.confidence.get(path, 0.5))
        date_path = next(
            (p for p in (f"{group}[{i}].startDate", f"{group}[{i}].endDate") if p in rec.spans),
            None,
        )
        if date_path is not None:
            s, e = rec.spans[date_path]
            value = {k: item[k] for k in ("startDate", "endDate") if k in item}
            entry.dates = _Field(value, s, e, rec.confidence.get(date_path, 0.75))
        entry.extra = {k: v for k, v in item.items() if k not in (*keys, "startDate", "endDate")}
        out.append(entry)
    return out


def _date_value(analysis: Analysis, start: int, end: int, *, single: str) -> dict[str, Any] | None:
    """startDate / endDate of the rules' date mention under a tagged date span (a lone
    date is the ``single`` key), or the year written in it; None for a duration."""
    for d in analysis.dates:
        if d.start < end and start < d.end and d.start_date:
            if d.single:
                return {single: d.start_date}
            value: dict[str, Any] = {"startDate": d.start_date}
            if d.present:
                value["endDate"] = None
            elif d.end_date:
                value["endDate"] = d.end_date
            return value
    years = _YEAR.findall(analysis.doc.text, start, end)
    if len(years) == 1:
        return {single: years[0]}
    if len(years) >= 2:
        return {"startDate": years[0], "endDate": years[-1]}
    return None


def _group(
    analysis: Analysis,
    ents: list[Entity],
    kinds: dict[str, str],
    date_label: str,
    single: str,
    lines: _LineIndex,
) -> list[_Entry]:
    """Tagged fields grouped into entries in text order: a field kind seen twice, or a gap
    of more than ``ENTRY_LINE_GAP`` lines, starts the next entry.  A date joins the open
    entry, or the next one when that opens on the same or the next line."""
    out: list[_Entry] = []
    cur: _Entry | None = None
    pending: tuple[_Field, int] | None = None
    for e in ents:
        line = lines(e.start)
        if e.label == date_label:
            value = _date_value(analysis, e.start, e.end, single=single)
            if value is None:
                continue  # "7+ years of experience": how long, not when
            dates = _Field(value, e.start, e.end, e.confidence)
            if cur is not None and cur.dates is None and line - cur.last_line <= ENTRY_LINE_GAP:
                cur.dates = dates
                cur.last_line = max(cur.last_line, line)
            else:
                pending = (dates, line)
            continue
        key = kinds.get(e.label)
        if key is None:
            continue
        if cur is None or key in cur.fields or line - cur.last_line > ENTRY_LINE_GAP:
            cur = _Entry(first=e.start, last_line=line)
            out.append(cur)
            if pending is not None and line - pending[1] <= 1:
                cur.dates = pending[0]
            pending = None
        cur.fields[key] = _Field(None, e.start, e.end, e.confidence)
        cur.last_line = max(cur.last_line, line)
    return out


def _combine(
    model_entries: list[_Entry],
    rules: list[_Entry],
    *,
    lend: tuple[str, ...],
    rule_dates: bool,
    tagged: list[Entity] = (),
) -> list[_Entry]:
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
        if r.dates is not None and (m.dates is None or rule_dates):
            m.dates = r.dates
        for key in lend:
            f = r.fields.get(key)
            if key in m.fields or f is None:
                continue
            if any(e.start < f.end and f.start < e.end for e in tagged):
                continue
            m.fields[key] = f
    return sorted(model_entries, key=lambda e: e.start)


def _overlapping(entry: _Entry, rules: list[_Entry], used: set[int]) -> int | None:
    def hit(mine: list[tuple[int, int]], theirs: list[tuple[int, int]]) -> bool:
        return any(s1 < e2 and s2 < e1 for s1, e1 in mine for s2, e2 in theirs)

    mine = [(f.start, f.end) for f in entry.fields.values()]
    for i, r in enumerate(rules):
        if i not in used and hit(mine, r.spans()):
            return i
    if entry.dates is None:
        return None
    mine = [(entry.dates.start, entry.dates.end)]
    for i, r in enumerate(rules):
        if i not in used and r.dates is not None and hit(mine, [(r.dates.start, r.dates.end)]):
            return i
    return None


def _anchored(entry: _Entry, lines: _LineIndex) -> bool:
    """A job, not a title mentioned in passing: it has a company or dates, or sits in an
    experience section."""
    if "name" in entry.fields or entry.dates is not None:
        return True
    return any(lines.section(f.start) == "work" for f in entry.fields.values())


def _attach_places(ents: list[Entity], entries: list[_Entry], lines: _LineIndex) -> None:
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
                entry.fields["location"] = _Field(None, e.start, e.end, e.confidence)
                break


def _write_entries(
    text: str,
    entries: list[_Entry],
    group: str,
    keys: tuple[str, ...],
    required: tuple[str, ...],
    rec: Any,
    limit: int,
) -> list[dict[str, Any]]:
    _forget(rec, f"{group}[")
    items: list[dict[str, Any]] = []
    for entry in entries:
        if len(items) >= limit:
            break
        if not any(k in entry.fields for k in required):
            continue
        i = len(items)
        item: dict[str, Any] = {}
        for key in keys:
            f = entry.fields.get(key)
            if f is None:
                continue
            if f.value:
                value = f.value
            elif key == "studyType":
                degrees = find_degrees(text, f.start, f.end)
                value = degrees[0][2] if degrees else _clean_value(text[f.start : f.end])
            else:
                value = _clean_value(text[f.start : f.end])
            item[key] = value
            rec.note(f"{group}[{i}].{key}", f.confidence, f.start, f.end)
        d = entry.dates
        if d is not None and d.value:
            for key in ("startDate", "endDate"):
                if key in d.value:
                    item[key] = d.value[key]
                    rec.note(f"{group}[{i}].{key}", d.confidence, d.start, d.end)
        for key, value in entry.extra.items():
            item.setdefault(key, value)
        items.append(item)
    return items


def _merge_work(
    analysis: Analysis, ents: list[Entity], resume: dict[str, Any], rec: Any, lines: _LineIndex
) -> list[dict[str, Any]]:
    ents = [e for e in ents if lines.section(e.start) not in NOT_ENTRY_SECTIONS]
    tagged = _group(analysis, ents, WORK_KINDS, "Years of Experience", "startDate", lines)
    tagged = [m for m in tagged if _anchored(m, lines)]
    if not tagged:
        return resume.get("work", [])
    _attach_places(ents, tagged, lines)
    rules = _rule_entries(resume, rec, "work", ("name", "position", "location"))
    # the rules' company stays where the tagger saw none, unless it read the text as
    # something else (a title, a school)
    others = [e for e in ents if e.label in ("Designation", "College Name", "Degree")]
    entries = _combine(tagged, rules, lend=("name", "location"), rule_dates=True, tagged=others)
    keys = ("name", "position", "location")
    items = _write_entries(
        analysis.doc.text, entries, "work", keys, ("name", "position"), rec, MAX_WORK
    )
    if items:
        resume["work"] = items
    else:
        resume.pop("work", None)
    return items


def _merge_education(
    analysis: Analysis, ents: list[Entity], resume: dict[str, Any], rec: Any, lines: _LineIndex
) -> None:
    text = analysis.doc.text
    ents = [
        e
        for e in ents
        if lines.section(e.start) not in NOT_ENTRY_SECTIONS
        and text[e.start : e.end].strip().lower() not in SKILL_LEVELS  # "Golang" / "Master"
    ]
    schools = [
        rec.spans[p] for p in rec.spans if p.startswith("education[") and p.endswith("institution")
    ]
    ents = [_campus(text, e, schools) if e.label == "College Name" else e for e in ents]
    tagged = _group(analysis, ents, EDU_KINDS, "Graduation Year", "endDate", lines)
    if not tagged:
        return
    rules = _rule_entries(resume, rec, "education", ("institution", "studyType", "area"))
    entries = _combine(tagged, rules, lend=("area",), rule_dates=False)
    keys = ("institution", "studyType", "area")
    items = _write_entries(
        analysis.doc.text,
        entries,
        "education",
        keys,
        ("institution", "studyType"),
        rec,
        MAX_EDUCATION,
    )
    if items:
        resume["education"] = items
    else:
        resume.pop("education", None)


# ---------------------------------------------------------------- skills


def _merge_skills(
    analysis: Analysis,
    ents: list[Entity],
    resume: dict[str, Any],
    rec: Any,
    categories: dict[str, str],
) -> None:
    text = analysis.doc.text
    skills = resume.get("skills", [])
    by_key: dict[str, int] = {}
    for i, s in enumerate(skills):
        by_key.setdefault(_key(s["name"]), i)
        for kw in s["keywords"]:
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
            keywords = skills[idx]["keywords"]
            if raw not in keywords and len(keywords) < 12:
                keywords.append(raw)
            by_key[key] = idx
            continue
        i = len(skills)
        skills.append({"name": name, "keywords": [raw]})
        categories[f"skills[{i}]"] = category
        rec.note(f"skills[{i}].name", e.confidence, e.start, e.end)
        by_key[key] = i
        by_key.setdefault(_key(name), i)
    if skills:
        resume["skills"] = skills


def _key(value: str) -> str:
    return " ".join(re.sub(r"[^\w+#]+", " ", value.lower()).split())
