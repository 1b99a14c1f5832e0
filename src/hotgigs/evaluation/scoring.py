"""The fair scorer of the ``jsonresume-real`` corpus README, for JSON Resume documents.

Twelve fields are scored with precision, recall and F1 summed over documents.  Per
document the values of a field are multisets, paired greedily and one-to-one: exact
(normalised) matches first, then fuzzy ones (names, companies and institutions at a
``difflib.SequenceMatcher`` ratio of at least 0.85; year-only truth dates against the
predicted year).  Unpaired predictions are false positives, unpaired truth values false
negatives.  A truth ``endDate`` of ``""`` (the document shows none) is not scored: it
absorbs one unpaired predicted end date instead of counting it as a false positive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

#: The scored fields, in the order reports print them.
FIELDS: tuple[str, ...] = (
    "basics.name",
    "basics.email",
    "basics.phone",
    "basics.location.city",
    "work.name",
    "work.position",
    "work.startDate",
    "work.endDate",
    "education.institution",
    "education.studyType",
    "education.endDate",
    "skills.name",
)
FUZZY_FIELDS = frozenset(["basics.name", "work.name", "education.institution"])
FUZZY_RATIO = 0.85
PRESENT = "present"
#: Marks a truth value that is not scored (``endDate: ""``).
SKIPPED = "\x00skipped"

_NOT_WORD = re.compile(r"[\W_]+")
_PRESENT_WORDS = frozenset(["present", "current", "now", "today", "ongoing"])
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?")
# Only punctuation around a skill goes: "C++", "C#" and ".NET" keep theirs.
_SKILL_EDGE_LEFT = " \t\r\n,;:!?()[]{}<>\"'\u201c\u201d\u2018\u2019\u2022\u00b7*|/\\-\u2013\u2014"
_SKILL_EDGE_RIGHT = _SKILL_EDGE_LEFT + "."


def normalise_text(value: str) -> str:
    """Fold case, whitespace and punctuation: NFKC, casefold, non-word runs to one space."""
    value = unicodedata.normalize("NFKC", value).casefold()
    return _NOT_WORD.sub(" ", value).strip()


def normalise_phone(value: str) -> str:
    """The last ten digits."""
    return "".join(c for c in value if c.isdigit())[-10:]


def normalise_skill(value: str) -> str:
    """Lower case, inner whitespace collapsed, only surrounding punctuation removed."""
    value = " ".join(unicodedata.normalize("NFKC", value).split()).lower()
    return value.lstrip(_SKILL_EDGE_LEFT).rstrip(_SKILL_EDGE_RIGHT).strip()


def normalise_date(value: Any) -> str:
    """``YYYY-MM`` or ``YYYY``; ``present`` for null/Present/Current; "" when unreadable."""
    if value is None:
        return PRESENT
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if text.lower() in _PRESENT_WORDS:
        return PRESENT
    m = _DATE.match(text)
    if m is None:
        return ""
    year, month = m.group(1), m.group(2)
    if month and 1 <= int(month) <= 12:
        return f"{year}-{int(month):02d}"
    return year


# Written degree forms -> one key per degree; keys are normalise_text() output.
_DEGREE_ALIASES: dict[str, tuple[str, ...]] = {
    "bachelor of science": ("bs", "b s", "bsc", "b sc", "bachelor of sciences", "sb", "s b"),
    "bachelor of arts": ("ba", "b a", "ab", "a b"),
    "bachelor of engineering": ("be", "b e", "beng", "b eng"),
    "bachelor of technology": ("btech", "b tech"),
    "bachelor of business administration": ("bba", "b b a"),
    "bachelor of computer applications": ("bca", "b c a"),
    "bachelor of fine arts": ("bfa", "b f a"),
    "bachelor of commerce": ("bcom", "b com"),
    "bachelor": ("bachelors", "bachelor s", "bachelor degree", "bachelors degree",
                 "bachelor s degree", "undergraduate degree"),
    "master of science": ("ms", "m s", "msc", "m sc", "master of sciences", "sm", "s m"),
    "master of arts": ("ma", "m a"),
    "master of engineering": ("meng", "m eng", "me", "m e"),
    "master of technology": ("mtech", "m tech"),
    "master of business administration": ("mba", "m b a"),
    "master of computer applications": ("mca", "m c a"),
    "master": ("masters", "master s", "master degree", "masters degree", "master s degree"),
    "doctor of philosophy": ("phd", "ph d", "doctorate", "doctoral degree", "dphil", "d phil"),
    "associate": ("associates", "associate s", "associate degree", "associates degree",
                  "associate s degree"),
    "high school": ("high school diploma", "secondary school", "hs"),
}  # fmt: skip
_DEGREE_KEY = {alias: canon for canon, aliases in _DEGREE_ALIASES.items() for alias in aliases}
_DEGREE_FILLER = re.compile(r"^(?:an?\s+|the\s+)|\s+(?:degree|program|programme)$")


def normalise_degree(value: str) -> str:
    """The degree's canonical key: ``B.S.``, ``BS`` and ``Bachelor of Science`` agree."""
    key = normalise_text(value)
    key = _DEGREE_FILLER.sub("", key) if key not in _DEGREE_KEY else key
    key = key.replace("bachelors of ", "bachelor of ").replace("masters of ", "master of ")
    key = key.replace("bachelor s of ", "bachelor of ").replace("master s of ", "master of ")
    return _DEGREE_KEY.get(key, key)


# --------------------------------------------------------------------------- values


def _strings(values: Iterable[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str) and v.strip()]


def _entries(resume: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = resume.get(key)
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


def _skill_names(resume: Mapping[str, Any]) -> list[str]:
    """Each ``skills[].name`` (the truth holds one listed skill per entry)."""
    return _strings(item.get("name") for item in _entries(resume, "skills"))


def field_values(resume: Mapping[str, Any], field: str, *, truth: bool) -> list[str]:
    """The comparison keys of one field of a JSON Resume (``SKIPPED`` for truth ``""``)."""
    basics = resume.get("basics") if isinstance(resume.get("basics"), Mapping) else {}
    if field == "basics.location.city":
        loc = basics.get("location")
        values = _strings([loc.get("city")]) if isinstance(loc, Mapping) else []
        return [k for k in map(normalise_text, values) if k]
    if field.startswith("basics."):
        values = _strings([basics.get(field.split(".", 1)[1])])
        norm = normalise_phone if field == "basics.phone" else normalise_text
        return [k for k in map(norm, values) if k]
    if field == "skills.name":
        return sorted({k for k in map(normalise_skill, _skill_names(resume)) if k})
    group, key = field.split(".")
    out: list[str] = []
    for item in _entries(resume, group):
        value = item.get(key)
        if group == "work" and key == "name" and not value:
            value = item.get("company")  # the older schema's spelling
        if key.endswith("Date"):
            if key not in item:
                continue
            if truth and value == "":
                out.append(SKIPPED)
                continue
            date = normalise_date(value)
            if date:
                out.append(date)
            continue
        if not isinstance(value, str) or not value.strip():
            continue
        norm = normalise_degree(value) if key == "studyType" else normalise_text(value)
        if norm:
            out.append(norm)
    return out


# --------------------------------------------------------------------------- pairing


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """tp / predictions (0.0 when there are none)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / truth values (0.0 when there are none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0.0 when both are)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        """Truth values (tp + fn)."""
        return self.tp + self.fn


def _pair(
    truth: list[str], pred: list[str], similar: Callable[[str, str], float] | None
) -> tuple[list[str], list[str], int]:
    """Greedy one-to-one pairing; returns unpaired truth, unpaired predictions, pairs."""
    truth, pred = list(truth), list(pred)
    pairs = 0
    for value in list(truth):  # exact first
        if value in pred:
            truth.remove(value)
            pred.remove(value)
            pairs += 1
    if similar is None or not truth or not pred:
        return truth, pred, pairs
    scored = sorted(
        ((similar(t, p), i, j) for i, t in enumerate(truth) for j, p in enumerate(pred)),
        key=lambda x: -x[0],
    )
    used_t: set[int] = set()
    used_p: set[int] = set()
    for ratio, i, j in scored:
        if ratio < FUZZY_RATIO:
            break
        if i in used_t or j in used_p:
            continue
        used_t.add(i)
        used_p.add(j)
        pairs += 1
    return (
        [t for i, t in enumerate(truth) if i not in used_t],
        [p for j, p in enumerate(pred) if j not in used_p],
        pairs,
    )


def _text_ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _date_ratio(truth: str, pred: str) -> float:
    # a year-only truth compares years only; a year-month truth needs the month too
    return 1.0 if len(truth) == 4 and pred[:4] == truth else 0.0


def compare(field: str, truth: list[str], pred: list[str]) -> Counts:
    """Score one field of one document (values as :func:`field_values` gives them)."""
    skipped = truth.count(SKIPPED)
    truth = [t for t in truth if t != SKIPPED]
    if field == "skills.name":
        t_set, p_set = set(truth), set(pred)
        return Counts(len(t_set & p_set), len(p_set - t_set), len(t_set - p_set))
    if field.endswith("Date"):
        similar: Callable[[str, str], float] | None = _date_ratio
    else:
        similar = _text_ratio if field in FUZZY_FIELDS else None
    left_t, left_p, pairs = _pair(truth, pred, similar)
    return Counts(pairs, max(0, len(left_p) - skipped), len(left_t))


def score_document(truth: Mapping[str, Any], pred: Mapping[str, Any]) -> dict[str, Counts]:
    """Per field, the counts of one predicted JSON Resume against its truth."""
    return {
        f: compare(f, field_values(truth, f, truth=True), field_values(pred, f, truth=False))
        for f in FIELDS
    }


def total(counts: Iterable[Mapping[str, Counts]]) -> dict[str, Counts]:
    """Per field, counts summed over documents."""
    out = {f: Counts() for f in FIELDS}
    for doc in counts:
        for f in FIELDS:
            out[f] += doc.get(f, Counts())
    return out


def micro(counts: Mapping[str, Counts]) -> Counts:
    """All fields' counts summed (micro-average)."""
    return sum(counts.values(), Counts())
