"""Document-level evaluation of resume parsing against the labelled dotin resumes.

A pure library (no web, no database, no spaCy).  The metric is the one the dataset README
suggests: per document and per label, compare the *set* of normalised strings a system
returns with the *set* of normalised gold strings; sum true positives, false positives and
false negatives over documents; report precision, recall and F1 per label and
micro-averaged over the twelve labels, plus a pooled ``skills`` row.

Typical use::

    records = split(load_records(path), "eval")
    report = evaluate(records, parse_predict)
    print(format_report(report, "hotgigs-rules on dotin eval"))

The split is fixed by the README: ``dotin-1`` .. ``dotin-250`` train, ``dotin-251`` ..
``dotin-310`` eval.  Never tune on the eval part; report figures on it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hotgigs.parsing import ParseResult, parse_text

__all__ = [
    "EVAL_IDS",
    "LABELS",
    "SKILLS_ROW",
    "SKILL_LABELS",
    "TRAIN_IDS",
    "Entity",
    "LabelScore",
    "Record",
    "Report",
    "evaluate",
    "format_comparison",
    "format_report",
    "gold_sets",
    "load_records",
    "normalise",
    "parse_predict",
    "predicted_sets",
    "score",
    "split",
]

#: The twelve dataset labels, in the order reports print them.
LABELS: tuple[str, ...] = (
    "Name",
    "Email Address",
    "Designation",
    "Companies worked at",
    "Location",
    "Years of Experience",
    "College Name",
    "Degree",
    "Graduation Year",
    "Tech Tools",
    "Job Specific Skills",
    "Soft Skills",
)
#: The three labels that all map to JSON Resume ``skills[]`` (pooled as ``skills``).
SKILL_LABELS: tuple[str, ...] = ("Tech Tools", "Job Specific Skills", "Soft Skills")
#: Name of the pooled row in a :class:`Report`.
SKILLS_ROW = "skills"

#: The README's fixed split, inclusive ranges of the number in ``dotin-N``.
TRAIN_IDS = range(1, 251)
EVAL_IDS = range(251, 311)

_SKILL_CATEGORY_LABEL = {
    "tool": "Tech Tools",
    "domain": "Job Specific Skills",
    "soft": "Soft Skills",
}
#: studyType and area closer than this (characters between them) count as one degree phrase.
_DEGREE_GAP = 6

LabelSets = dict[str, set[str]]
Part = Literal["train", "eval", "all"]


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class Record:
    """One labelled resume: ``text[e.start:e.end] == e.text`` for every entity."""

    id: str
    text: str
    entities: tuple[Entity, ...] = ()

    @property
    def number(self) -> int | None:
        """N in ``dotin-N`` (the number the fixed split is defined on), None if absent."""
        m = re.search(r"(\d+)$", self.id)
        return int(m.group(1)) if m else None


def load_records(path: str | Path) -> list[Record]:
    """Read a JSON-lines file of ``{"id", "text", "entities": [{start, end, label, text}]}``.

    Raises ``ValueError`` when an entity's offsets do not select its text (a corrupt file
    would otherwise silently distort every figure).
    """
    records: list[Record] = []
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            raw = json.loads(line)
            text = raw["text"]
            ents = []
            for e in raw.get("entities", []):
                start, end = int(e["start"]), int(e["end"])
                surface = e.get("text", text[start:end])
                if text[start:end] != surface:
                    raise ValueError(
                        f"{path}:{lineno}: entity {e.get('label')!r} [{start}, {end}) "
                        f"does not match its text {surface!r}"
                    )
                ents.append(Entity(start, end, str(e["label"]), surface))
            records.append(Record(str(raw["id"]), text, tuple(ents)))
    return records


def split(records: Iterable[Record], part: Part) -> list[Record]:
    """The README's fixed split by the number in the id: ``train`` is dotin-1..250,
    ``eval`` dotin-251..310, ``all`` everything (in file order)."""
    records = list(records)
    if part == "all":
        return records
    if part not in ("train", "eval"):
        raise ValueError(f"part must be 'train', 'eval' or 'all', not {part!r}")
    wanted = TRAIN_IDS if part == "train" else EVAL_IDS
    out = []
    for r in records:
        n = r.number
        if n is None:
            raise ValueError(f"record id {r.id!r} has no number; cannot place it in the split")
        if n in wanted:
            out.append(r)
    return out


# --------------------------------------------------------------------------- sets

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(s: str) -> str:
    """Fold case, whitespace and punctuation (the README's comparison key).

    NFKC, then casefold, then every run of non-word characters (punctuation, symbols,
    whitespace, underscores) becomes one space, trimmed.  So ``"  Bangalore,\\nKarnataka "``
    and ``"bangalore karnataka"`` compare equal.  Note that ``"C++"``, ``"C#"`` and ``"C"``
    all fold to ``"c"``: that is the README's rule, applied to every system alike.
    """
    s = unicodedata.normalize("NFKC", s).casefold()
    return _NOT_WORD.sub(" ", s).strip()


def _empty() -> LabelSets:
    return {label: set() for label in LABELS}


def gold_sets(record: Record) -> LabelSets:
    """Per label, the set of normalised gold strings (unknown labels and strings that
    normalise to nothing are dropped)."""
    out = _empty()
    for e in record.entities:
        if e.label in out:
            key = normalise(e.text)
            if key:
                out[e.label].add(key)
    return out


def _location_value(loc: Any) -> str | None:
    if isinstance(loc, str):
        return loc
    if isinstance(loc, Mapping):
        parts = [loc.get(k) for k in ("address", "city", "region")]
        parts = [p for p in parts if isinstance(p, str) and p]
        if not parts and isinstance(loc.get("countryCode"), str):
            parts = [loc["countryCode"]]
        return ", ".join(parts) or None
    return None


def predicted_sets(result: ParseResult, text: str) -> LabelSets:
    """Map a JSON Resume parse of ``text`` to the dataset's labels (normalised sets).

    Surface text first: when ``meta["evidence"]`` has a span for a path, the string scored
    is ``text[start:end]`` (what the parser read, which is how the gold is written, e.g.
    "Bangalore, Karnataka" rather than the canonical ``{"city": "Bengaluru", ...}``);
    otherwise the JSON value itself.  The mapping:

    - ``basics.name`` -> Name; ``basics.email`` -> Email Address.
    - ``basics.label`` and every ``work[i].position`` -> Designation (when the label was
      copied from a position the spans coincide and the set counts it once).
    - ``work[i].name`` -> Companies worked at.
    - ``basics.location`` and ``work[i].location`` -> Location (value fallback for a
      location object: "address, city, region", else the country code).
    - ``education[i].institution`` -> College Name.
    - ``education[i].studyType`` -> Degree; when ``area`` is written next to it (at most
      6 characters between the two evidence spans, either order, as in "B.Tech in
      Computer Science"), the whole phrase from the first to the last character is the
      Degree instead, because the gold labels the written phrase.  ``area`` alone is not
      a Degree.
    - ``education[i].endDate`` -> Graduation Year: the evidence surface (the parser's
      date mention, e.g. "May 2010" or the whole range "2006 - 2010", which is how the
      gold is written), else the year of the value.  ``endDate: None`` ("present") with no
      evidence gives nothing.
    - ``meta["skill_mentions"][i]`` (the taxonomy's mentions anywhere in the text, which
      is what the dataset labels as skills) -> Tech Tools / Job Specific Skills / Soft
      Skills by its ``category`` (``tool`` / ``domain`` / ``soft``; a missing category
      counts as ``domain``).  The strings are the surface forms the parser found: the
      evidence of ``skill_mentions[i].name`` plus every ``keywords`` entry; the canonical
      ``name`` only when neither exists.
    - Years of Experience: the surface of each work date range (evidence of
      ``work[i].startDate`` / ``work[i].endDate``, which span the whole range as written,
      e.g. "Jan 2015 - Present"), and the stated experience (evidence of
      ``stated_years_experience`` / ``total_years_experience``, e.g. "7 years").  Without
      evidence: "startDate - endDate|present" for a work entry and "N years" for a stated
      figure; a merely computed ``total_years_experience`` (no span) is not text and adds
      nothing.
    - ``languages[i].language`` -> Soft Skills: the dataset labels spoken languages
      ("English", "Hindi") as Soft Skills, so the parser's languages are scored there.
    - Everything else (phone, links, summary, projects, certificates) has no dataset
      label and is ignored.
    """
    resume = result.resume or {}
    meta = result.meta or {}
    evidence: Mapping[str, Any] = meta.get("evidence") or {}
    out = _empty()

    def span(path: str) -> tuple[int, int] | None:
        ev = evidence.get(path)
        if not ev or len(ev) != 2:
            return None
        start, end = int(ev[0]), int(ev[1])
        if not 0 <= start <= end <= len(text):
            return None
        return start, end

    def surface(path: str) -> str | None:
        sp = span(path)
        return text[sp[0] : sp[1]] if sp else None

    def add(label: str, value: Any) -> None:
        if isinstance(value, str):
            key = normalise(value)
            if key:
                out[label].add(key)

    def add_path(label: str, path: str, value: Any) -> None:
        s = surface(path)
        add(label, s if s is not None else value)

    basics = resume.get("basics") or {}
    add_path("Name", "basics.name", basics.get("name"))
    add_path("Email Address", "basics.email", basics.get("email"))
    add_path("Designation", "basics.label", basics.get("label"))
    add_path("Location", "basics.location", _location_value(basics.get("location")))

    for i, w in enumerate(resume.get("work") or []):
        add_path("Designation", f"work[{i}].position", w.get("position"))
        add_path("Companies worked at", f"work[{i}].name", w.get("name"))
        add_path("Location", f"work[{i}].location", _location_value(w.get("location")))
        found = False
        for key in ("startDate", "endDate"):
            s = surface(f"work[{i}].{key}")
            if s is not None:
                add("Years of Experience", s)
                found = True
        if not found and w.get("startDate"):
            add("Years of Experience", f"{w['startDate']} - {w.get('endDate') or 'present'}")

    stated = False
    for path in ("stated_years_experience", "total_years_experience"):
        s = surface(path)
        if s is not None:
            add("Years of Experience", s)
            stated = True
    years = meta.get("stated_years_experience")
    if not stated and isinstance(years, int | float) and not isinstance(years, bool):
        add("Years of Experience", f"{years:g} years")

    for i, e in enumerate(resume.get("education") or []):
        add_path("College Name", f"education[{i}].institution", e.get("institution"))
        st, ar = span(f"education[{i}].studyType"), span(f"education[{i}].area")
        if st and ar and max(st[0], ar[0]) - min(st[1], ar[1]) <= _DEGREE_GAP:
            add("Degree", text[min(st[0], ar[0]) : max(st[1], ar[1])])
        else:
            add_path("Degree", f"education[{i}].studyType", e.get("studyType"))
        end = surface(f"education[{i}].endDate")
        if end is not None:
            add("Graduation Year", end)
        elif isinstance(e.get("endDate"), str):
            m = re.match(r"\d{4}", e["endDate"])
            add("Graduation Year", m.group(0) if m else None)

    for i, s in enumerate(meta.get("skill_mentions") or []):
        label = _SKILL_CATEGORY_LABEL.get(s.get("category", ""), "Job Specific Skills")
        forms = [surface(f"skill_mentions[{i}].name"), *(s.get("keywords") or [])]
        forms = [f for f in forms if isinstance(f, str) and normalise(f)]
        for f in forms or [s.get("name")]:
            add(label, f)
    for i, lang in enumerate(resume.get("languages") or []):
        add_path("Soft Skills", f"languages[{i}].language", lang.get("language"))
    return out


def parse_predict(text: str) -> LabelSets:
    """The rule-based parser as a predictor for :func:`evaluate`."""
    return predicted_sets(parse_text(text), text)


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class LabelScore:
    """Counts summed over documents; precision/recall/F1 are 0.0 when undefined."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        """Gold strings (tp + fn)."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: LabelScore) -> LabelScore:
        return LabelScore(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.support,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Report:
    """``labels``: one :class:`LabelScore` per entry of :data:`LABELS` (all present).
    ``skills``: the three skill labels pooled per document (union of their gold sets vs
    union of their predicted sets, so a skill found under the wrong skill label still
    counts).  ``micro``: the twelve labels' counts summed (the pooled row is not added
    again)."""

    labels: dict[str, LabelScore]
    skills: LabelScore
    micro: LabelScore
    documents: int = 0

    @property
    def micro_f1(self) -> float:
        return self.micro.f1

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.labels.values()) / len(self.labels) if self.labels else 0.0

    def rows(self) -> list[tuple[str, LabelScore]]:
        """Labels in order, then ``skills`` and ``micro``."""
        return [*self.labels.items(), (SKILLS_ROW, self.skills), ("micro", self.micro)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "labels": {k: v.as_dict() for k, v in self.labels.items()},
            SKILLS_ROW: self.skills.as_dict(),
            "micro": self.micro.as_dict(),
            "micro_f1": self.micro_f1,
        }


def _counts(gold: set[str], pred: set[str]) -> LabelScore:
    return LabelScore(len(gold & pred), len(pred - gold), len(gold - pred))


def score(pairs: Iterable[tuple[Mapping[str, set[str]], Mapping[str, set[str]]]]) -> Report:
    """Score ``(gold_sets, predicted_sets)`` pairs, one pair per document.

    Labels missing from either mapping count as empty sets; labels outside :data:`LABELS`
    are ignored.  Strings are compared as given (pass them through :func:`normalise`).
    """
    totals = {label: LabelScore() for label in LABELS}
    skills = LabelScore()
    documents = 0
    for gold, pred in pairs:
        documents += 1
        for label in LABELS:
            totals[label] += _counts(set(gold.get(label, ())), set(pred.get(label, ())))
        pooled_gold = set().union(*(gold.get(label, ()) for label in SKILL_LABELS))
        pooled_pred = set().union(*(pred.get(label, ()) for label in SKILL_LABELS))
        skills += _counts(pooled_gold, pooled_pred)
    micro = sum(totals.values(), LabelScore())
    return Report(labels=totals, skills=skills, micro=micro, documents=documents)


def _clean(sets: Mapping[str, Iterable[str]]) -> LabelSets:
    out = _empty()
    for label, values in sets.items():
        if label in out:
            out[label] = {k for k in (normalise(v) for v in values) if k}
    return out


def evaluate(
    records: Iterable[Record], predict: Callable[[str], Mapping[str, Iterable[str]]]
) -> Report:
    """Run ``predict(text)`` on every record and score it against the record's gold.

    ``predict`` returns label -> strings; they are normalised here (normalising is
    idempotent, so already normalised sets are fine).
    """
    return score((gold_sets(r), _clean(predict(r.text))) for r in records)


# --------------------------------------------------------------------------- text


def _row(name: str, s: LabelScore) -> str:
    return (
        f"{name:<22} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f} {s.support:>7d}"
        f" {s.tp:>6d} {s.fp:>6d} {s.fn:>6d}"
    )


def format_report(report: Report, title: str = "") -> str:
    """A fixed-width table (label, P, R, F1, support, tp, fp, fn), one row per label, then
    the pooled ``skills`` and ``micro`` rows; the last line is ``micro_f1 0.XXX``."""
    lines = []
    if title:
        lines += [title, "=" * len(title)]
    lines.append(f"documents: {report.documents}")
    lines.append(
        f"{'label':<22} {'P':>6} {'R':>6} {'F1':>6} {'support':>7} {'tp':>6} {'fp':>6} {'fn':>6}"
    )
    lines.append("-" * 72)
    for name, s in report.labels.items():
        lines.append(_row(name, s))
    lines.append("-" * 72)
    lines.append(_row(SKILLS_ROW + " (pooled)", report.skills))
    lines.append(_row("micro (12 labels)", report.micro))
    lines.append(f"micro_f1 {report.micro_f1:.3f}")
    return "\n".join(lines)


def format_comparison(reports: Mapping[str, Report]) -> str:
    """Side by side: per label, P/R/F1 for each named report, the gold support (from the
    first report) and which report has the best F1 ("=" when tied)."""
    names = list(reports)
    if not names:
        return ""
    width = max(8, *(len(n) for n in names))
    head1 = f"{'':<22} " + " ".join(f"{n:^{20}}" for n in names)
    head2 = f"{'label':<22} " + " ".join(f"{'P':>6} {'R':>6} {'F1':>6}" for _ in names)
    head2 += f" {'support':>7}  best"
    lines = [head1, head2, "-" * len(head2)]
    first = reports[names[0]]
    row_names = [name for name, _ in first.rows()]
    for row in row_names:
        scores = [dict(reports[n].rows())[row] for n in names]
        cells = " ".join(f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}" for s in scores)
        f1s = [round(s.f1, 3) for s in scores]
        top = max(f1s)
        best = "=" if f1s.count(top) > 1 else names[f1s.index(top)]
        label = row if row not in (SKILLS_ROW, "micro") else f"{row}*"
        lines.append(f"{label:<22} {cells} {scores[0].support:>7d}  {best:<{width}}".rstrip())
    lines.append("* skills = three skill labels pooled; micro = the 12 labels summed")
    return "\n".join(lines)
