"""The learned part of the parser: a token-level linear-chain CRF (python-crfsuite).

The rules read contacts, dates and taxonomy skills well; they run out on free-form
fields (companies, job titles, schools, degrees).  The CRF tags every token of a resume
with a BIO label for the ``dotin`` labels (``Name``, ``Designation``, ``Companies worked
at``, ...; e-mail stays with the rules).  Its features are cheap and mostly cached per word
or per line: the word, its shape, case and affixes; word lists (job-title heads, company
markers, school words, months); the rules' findings (section kind, heading lines, date,
degree, place and skill mentions, the rules' own work / education fields); the line's
shape, position and neighbours; the separator-delimited field the token is in (its
position on the line, before or after a date); phrases labelled in the training data; the
same for the neighbours (+-2 tokens on the line).  :mod:`hotgigs.parsing.merge` turns the
tags into JSON Resume fields.

Tokens are runs of letters/digits or single punctuation marks on the logical lines of the
*normalised* text, so every tagged span maps back to the caller's text through
:meth:`Document.span`.

The trained model ships as ``data/resume_crf.crfsuite`` (with ``resume_crf.json``: what it
was trained on and the phrase list) and is loaded once, lazily.  Without it (or with one
built for other features) the parser is rules only.  Training lives outside the runtime,
in :mod:`hotgigs.training.tagger`.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from hotgigs.parsing import lexicon
from hotgigs.parsing.dates import DateMention
from hotgigs.parsing.degrees import find_degrees
from hotgigs.parsing.gazetteer import find_places
from hotgigs.parsing.segment import Section
from hotgigs.parsing.skills import SkillMention
from hotgigs.parsing.text import Document

log = logging.getLogger(__name__)

FEATURE_VERSION = 1
"""Bumped whenever features change: a model trained on other features is not loaded."""
MODEL_NAME = "resume-crf"
MODEL_FILE = "resume_crf.crfsuite"
INFO_FILE = "resume_crf.json"

CORRECTED_MIN = 10
"""Corrected documents of a label, at least, before the tagger overrules the rules on it."""

# dataset label -> tag stem (Email Address stays with the rules: tagged O)
LABELS: dict[str, str] = {
    "Name": "NAME",
    "Designation": "DESIG",
    "Companies worked at": "COMP",
    "Location": "LOC",
    "Years of Experience": "YOE",
    "College Name": "COLL",
    "Degree": "DEG",
    "Graduation Year": "GRAD",
    "Tech Tools": "TOOL",
    "Job Specific Skills": "JOB",
    "Soft Skills": "SOFT",
}
STEM_LABEL = {v: k for k, v in LABELS.items()}


@dataclass(slots=True)
class Analysis:
    """What the rules saw in one resume (offsets into ``doc.text``, the normalised text)."""

    doc: Document
    sections: list[Section]
    section_of: dict[int, str]  # line index -> section kind
    dates: list[DateMention]
    skills: list[SkillMention]
    spans: dict[str, tuple[int, int]]  # rule output path -> span
    contacts: list[tuple[int, int]] = field(default_factory=list)  # e-mails and links


@dataclass(frozen=True, slots=True)
class Entity:
    """A tagged span: ``label`` is the dataset label, offsets index ``doc.text``."""

    label: str
    start: int
    end: int
    confidence: float


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")


@dataclass(slots=True)
class Tokens:
    starts: list[int]
    ends: list[int]
    words: list[str]
    lines: list[int]  # position of the token's line in doc.lines


def tokenize(doc: Document) -> Tokens:
    """Tokens of the logical lines of ``doc`` (normalised offsets)."""
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    lines: list[int] = []
    text = doc.text
    for li, line in enumerate(doc.lines):
        for m in _TOKEN.finditer(text, line.start, line.end):
            starts.append(m.start())
            ends.append(m.end())
            words.append(m.group())
            lines.append(li)
    return Tokens(starts, ends, words, lines)


# ---------------------------------------------------------------- features

_MONTHS = frozenset(
    lexicon.word_list(
        """
        jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june
        july august september october november december
        """
    )
)
_PRESENT = frozenset(lexicon.word_list("present current till date now today"))
_DEGREE_WORDS = frozenset(
    lexicon.word_list(
        """
        bachelor bachelors master masters degree diploma engineering technology science arts
        commerce btech mtech mba mca bca bsc msc bcom mcom be me ba ma bs ms phd pgdm hsc ssc
        graduation graduate postgraduate intermediate matriculation
        """
    )
)
_SOFT_HINTS = frozenset(
    lexicon.word_list(
        """
        communication leadership team teamwork player learner quick motivated hardworking
        analytical interpersonal problem solving adaptability positive attitude dedicated
        punctual creative honest sincere flexible presentation negotiation
        """
    )
)


def _shape(word: str) -> str:
    out = []
    prev = ""
    for ch in word[:12]:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if c != prev:
            out.append(c)
            prev = c
    return "".join(out)


def _lex_flags(word: str, lw: str) -> list[str]:
    flags = []
    if lw in lexicon.TITLE_HEADS:
        flags.append("TH")
    if lw in lexicon.TITLE_MODIFIERS:
        flags.append("TM")
    if lw in lexicon.COMPANY_MARKERS:
        flags.append("CM")
    if lw in lexicon.KNOWN_COMPANIES:
        flags.append("KC")
    if lw in _INSTITUTION_WORDS:
        flags.append("IW")
    if lw in _MONTHS:
        flags.append("MO")
    if lw in _PRESENT:
        flags.append("PR")
    if lw in _DEGREE_WORDS:
        flags.append("DW")
    if lw in _SOFT_HINTS:
        flags.append("SH")
    if word in lexicon.SPOKEN_LANGUAGES:
        flags.append("SL")
    if lw in lexicon.NOT_NAME_WORDS:
        flags.append("NN")
    if word.isdigit():
        if len(word) == 4 and word[:2] in ("19", "20"):
            flags.append("YR")
        else:
            flags.append(f"D{min(len(word), 5)}")
    return flags


_INSTITUTION_WORDS = frozenset(w.lower() for w in lexicon.INSTITUTION_WORDS) | {
    "universities",
    "vidyapeeth",
}


def _word_features(word: str) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """(own, previous-1, next+1, previous-2, next+2) feature lists for a word."""
    lw = word.lower()
    shape = _shape(word)
    flags = _lex_flags(word, lw)
    own = ["b", "w=" + lw[:24], "sh=" + shape]
    if len(lw) > 3:
        own.append("s3=" + lw[-3:])
        own.append("p3=" + lw[:3])
    elif len(lw) > 1:
        own.append("s2=" + lw[-2:])
    if word[:1].isupper():
        own.append("up" if word.isupper() and len(word) > 1 else "cap")
    own.append(f"len={min(len(word), 8)}")
    own.extend(flags)
    p1 = ["-1w=" + lw[:24], "-1sh=" + shape, *("-1" + f for f in flags)]
    n1 = ["+1w=" + lw[:24], "+1sh=" + shape, *("+1" + f for f in flags)]
    p2 = ["-2w=" + lw[:24], *("-2" + f for f in flags if f in ("TH", "CM", "IW", "MO", "YR"))]
    n2 = ["+2w=" + lw[:24], *("+2" + f for f in flags if f in ("TH", "CM", "IW", "MO", "YR"))]
    return own, p1, n1, p2, n2


# rule output path kinds (see api._parse) used as features
_RULE_KINDS = {
    "basics.name": "name",
    "basics.label": "label",
    "basics.location": "loc",
    "basics.email": "email",
    "basics.phone": "phone",
    "name": "wname",
    "position": "wpos",
    "location": "wloc",
    "startDate": "wdate",
    "institution": "inst",
    "studyType": "deg",
    "area": "area",
    "endDate": "edate",
    "stated_years_experience": "yoe",
    "total_years_experience": "yoe",
}
_PATH_TAIL = re.compile(r"^(work|education|certificates|projects|languages)\[\d+\]\.(\w+)$")


def _rule_kind(path: str) -> str | None:
    if path in _RULE_KINDS:
        return _RULE_KINDS[path]
    m = _PATH_TAIL.match(path)
    if m is None:
        return None
    group, tail = m.groups()
    if group == "work" and tail in ("name", "position", "location", "startDate"):
        return _RULE_KINDS[tail]
    if group == "education" and tail in ("institution", "studyType", "area", "endDate"):
        return _RULE_KINDS[tail]
    if group in ("certificates", "projects", "languages"):
        return group[:4]
    return None


def _bucket(n: int, edges: Sequence[int]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


class Lexicon:
    """Phrases labelled in the training data (token keys, lower case) -> their tag stems.

    Only phrases labelled in at least ``min_docs`` training resumes are kept.  While
    training, each resume sees a lexicon built from the *other* folds, so the tagger learns
    how far a lexicon hit can be trusted on unseen text.
    """

    MAX_TOKENS = 6

    def __init__(self, entries: dict[str, list[str]]) -> None:
        self.entries = entries
        prefixes: set[str] = set()
        for key in entries:
            parts = key.split(" ")
            for k in range(1, len(parts)):
                prefixes.add(" ".join(parts[:k]))
        self.prefixes = frozenset(prefixes)

    @classmethod
    def build(cls, records: Iterable[dict], *, min_docs: int = 2) -> Lexicon:
        docs: dict[str, dict[str, int]] = {}
        for record in records:
            seen = set()
            for e in record.get("entities", ()):
                stem = LABELS.get(e["label"])
                if stem is None or stem in _NO_LEXICON:
                    continue
                key = phrase_key(e["text"])
                if key and len(key.split(" ")) <= cls.MAX_TOKENS:
                    seen.add((key, stem))
            for key, stem in seen:
                docs.setdefault(key, {}).setdefault(stem, 0)
                docs[key][stem] += 1
        entries = {}
        for key, by_stem in docs.items():
            stems = sorted(s for s, n in by_stem.items() if n >= min_docs)
            if stems:
                entries[key] = stems
        return cls(dict(sorted(entries.items())))

    def matches(self, words: Sequence[str]) -> list[tuple[int, int, list[str]]]:
        """(first token, token after the last, stems) for the longest phrases found."""
        lower = [w.lower() for w in words]
        out = []
        n = len(lower)
        i = 0
        entries, prefixes = self.entries, self.prefixes
        while i < n:
            key = lower[i]
            best = None
            j = i
            while True:
                hit = entries.get(key)
                if hit is not None:
                    best = (j + 1, hit)
                if key not in prefixes or j + 1 >= n or j + 1 - i >= self.MAX_TOKENS:
                    break
                j += 1
                key = key + " " + lower[j]
            if best is None:
                i += 1
                continue
            out.append((i, best[0], best[1]))
            i = best[0]
        return out


_NO_LEXICON = frozenset(["NAME", "YOE", "GRAD"])  # people, durations, years: no phrase list


def phrase_key(text: str) -> str:
    """The lexicon key of a phrase: its tokens, lower case, space-joined."""
    return " ".join(m.group().lower() for m in _TOKEN.finditer(text))


class Featurizer:
    """Feature lists for the tokens of an :class:`Analysis`.

    ``known`` (the model's attributes) drops features the model never saw, once per word
    and per line, so the tagger is not fed strings it would ignore anyway.
    """

    def __init__(self, known: frozenset[str] | None = None, lexicon: Lexicon | None = None) -> None:
        self.known = known
        self.lexicon = lexicon
        self._words: dict[str, tuple[list[str], ...]] = {}
        self._fields: dict[str, list[str]] = {}

    def _keep(self, feats: Iterable[str]) -> list[str]:
        known = self.known
        if known is None:
            return list(feats)
        return [f for f in feats if f in known]

    def word(self, word: str) -> tuple[list[str], ...]:
        cached = self._words.get(word)
        if cached is None:
            cached = tuple(self._keep(part) for part in _word_features(word))
            if len(self._words) > 100_000:
                self._words.clear()
            self._words[word] = cached
        return cached

    def features(self, analysis: Analysis, tokens: Tokens) -> list[list[str]]:
        doc = analysis.doc
        text = doc.text
        n = len(tokens.words)
        if not n:
            return []
        degrees = find_degrees(text, 0, len(text))
        places = find_places(text)
        line_feats = self._line_features(analysis, tokens, degrees, places)
        span_feats = self._span_features(analysis, tokens, degrees, places)
        field_feats = self._field_features(analysis, tokens, degrees, places)
        words = [self.word(w) for w in tokens.words]
        tok_lines = tokens.lines
        keep = self._keep
        pos_feats = [keep([f"lp={k}"]) for k in range(4)] + [keep(["lp>3"])]
        known = self.known
        bol = keep(["BOL"])
        eol = keep(["EOL"])
        out: list[list[str]] = []
        line_pos = 0
        lower = [w.lower()[:24] for w in tokens.words]
        sec_of = [analysis.section_of.get(ln.index, "hd") for ln in doc.lines]
        for i in range(n):
            li = tok_lines[i]
            if i and tok_lines[i - 1] == li:
                line_pos += 1
            else:
                line_pos = 0
            feats = words[i][0] + line_feats[li]  # a new list: extended below
            feats.extend(pos_feats[min(line_pos, 4)])
            feats.extend(field_feats[i])
            if line_pos:
                feats.extend(words[i - 1][1])
                if line_pos > 1:
                    feats.extend(words[i - 2][3])
                if tokens.starts[i] - tokens.ends[i - 1] > 1:
                    feats.extend(self._gap_before(text, tokens.ends[i - 1], tokens.starts[i]))
            else:
                feats.extend(bol)
            if i + 1 < n and tok_lines[i + 1] == li:
                feats.extend(words[i + 1][2])
                if i + 2 < n and tok_lines[i + 2] == li:
                    feats.extend(words[i + 2][4])
            else:
                feats.extend(eol)
            extra = span_feats.get(i)
            if extra:
                feats.extend(extra)
            # the word in its section, and the word after the previous one
            sw = "sw=" + sec_of[li] + "|" + lower[i]
            if known is None or sw in known:
                feats.append(sw)
            if line_pos:
                bg = "bg=" + lower[i - 1] + "|" + lower[i]
                if known is None or bg in known:
                    feats.append(bg)
            out.append(feats)
        return out

    def _field_features(
        self, analysis: Analysis, tokens: Tokens, degrees: list, places: list
    ) -> list[list[str]]:
        """Features of the separator-delimited field a token is in ("Infosys Ltd" in
        "Engineer, Infosys Ltd - Pune | 2015 - 2018") and of its place on the line."""
        doc = analysis.doc
        text = doc.text
        starts = tokens.starts
        n = len(starts)
        out: list[list[str]] = [[] for _ in range(n)]
        point_marks: list[tuple[int, str]] = [(d.start, "dt") for d in analysis.dates]
        point_marks += [(s, "dg") for s, _e, _c in degrees]
        point_marks += [(p.start, "pl") for p in places]
        point_marks.sort()
        mark_pos = [p for p, _ in point_marks]
        date_starts = sorted(d.start for d in analysis.dates)
        date_ends = sorted(d.end for d in analysis.dates)
        keep = self._keep
        field_begin = keep(["fB"])
        cache: dict[tuple[str, ...], list[str]] = {}
        tok = 0
        for line in doc.lines:
            while tok < n and starts[tok] < line.start:
                tok += 1
            fields: list[tuple[int, int]] = []
            pos = line.start
            for m in _FIELD_SEP.finditer(text, line.start, line.end):
                if m.start() > pos:
                    fields.append((pos, m.start()))
                pos = m.end()
            if pos < line.end:
                fields.append((pos, line.end))
            kinds: list[set[str]] = []
            for fs, fe in fields:
                k: set[str] = set()
                j = bisect_right(mark_pos, fs - 1)
                while j < len(point_marks) and mark_pos[j] < fe:
                    k.add(point_marks[j][1])
                    j += 1
                kinds.append(k)
            # dates before / after on the line
            d_first = bisect_right(date_starts, line.start - 1)
            first_date = date_starts[d_first] if d_first < len(date_starts) else None
            if first_date is not None and first_date >= line.end:
                first_date = None
            d_last = bisect_right(date_ends, line.end) - 1
            last_date_end = date_ends[d_last] if d_last >= 0 else None
            if last_date_end is not None and last_date_end <= line.start:
                last_date_end = None
            nf = len(fields)
            for fi, (fs, fe) in enumerate(fields):
                value = text[fs:fe]
                ws = value.split()
                feats = [f"fi={min(fi, 3)}", "fn=" + _bucket(len(ws), (1, 2, 3, 5, 8))]
                if fi == nf - 1:
                    feats.append("flast")
                feats.extend(self._field_kind(value, ws))
                feats.extend("f" + k for k in sorted(kinds[fi]))
                if fi + 1 < nf and "dt" in kinds[fi + 1]:
                    feats.append("fnd")
                if fi and "dt" in kinds[fi - 1]:
                    feats.append("fpd")
                if first_date is not None and fe <= first_date:
                    feats.append("bDT")
                if last_date_end is not None and fs >= last_date_end:
                    feats.append("aDT")
                key = tuple(feats)
                shared = cache.get(key)
                if shared is None:
                    shared = cache[key] = keep(feats)
                first_tok = True
                while tok < n and starts[tok] < fe:
                    if starts[tok] >= fs:
                        if first_tok:
                            out[tok] = shared + field_begin
                            first_tok = False
                        else:
                            out[tok] = shared
                    tok += 1
        return out

    def _field_kind(self, value: str, ws: list[str]) -> list[str]:
        """What a field's words look like (cached: headers repeat across a resume)."""
        cached = self._fields.get(value)
        if cached is not None:
            return cached
        out = []
        alpha = [w for w in ws if w[:1].isalpha() and w.lower() not in _SMALL_WORDS]
        if alpha and all(w[:1].isupper() for w in alpha):
            out.append("fcap")
        if lexicon.title_score(value) >= 0.7:
            out.append("ftl")
        if lexicon.company_score(value) >= 0.85:
            out.append("fcm")
        if lexicon.INSTITUTION_RE.search(value):
            out.append("fin")
        if len(self._fields) > 50_000:
            self._fields.clear()
        self._fields[value] = out
        return out

    def _gap_before(self, text: str, a: int, b: int) -> list[str]:
        gap = text[a:b]
        if "\n" in gap:
            return self._keep(["gapNL"])
        if len(gap) >= 2:
            return self._keep(["gapW"])
        return []

    def _line_features(
        self, analysis: Analysis, tokens: Tokens, degrees: list, places: list
    ) -> list[list[str]]:
        lines = analysis.doc.lines
        heading_ends: dict[int, int] = {}
        kind_of_heading: dict[int, str] = {}
        sec_pos: dict[int, int] = {}
        for sec in analysis.sections:
            if sec.heading is not None:
                heading_ends[sec.heading.index] = sec.heading.end
                kind_of_heading[sec.heading.index] = sec.kind
            for k, line in enumerate(sec.lines):
                sec_pos.setdefault(line.index, k)
        # per-line flags from the rules' mentions
        flags: list[set[str]] = [set() for _ in lines]
        starts = [ln.start for ln in lines]

        def mark(pos: int, flag: str) -> None:
            i = bisect_right(starts, pos) - 1
            if 0 <= i < len(lines) and pos < lines[i].end:
                flags[i].add(flag)

        for d in analysis.dates:
            mark(d.start, "dr" if d.is_range else "dt")
        for s, _e, _c in degrees:
            mark(s, "deg")
        for p in places:
            mark(p.start, "pl")
        for m in analysis.skills:
            mark(m.start, "sk")
        for s, _e in analysis.contacts:
            mark(s, "ct")
        out: list[list[str]] = []
        n_tok = [0] * len(lines)
        for li in tokens.lines:
            n_tok[li] += 1
        for i, line in enumerate(lines):
            lt = line.text
            if lexicon.INSTITUTION_RE.search(lt):
                flags[i].add("in")
            ws = lexicon.words(lt)
            if any(w in lexicon.TITLE_HEADS for w in ws[:8]):
                flags[i].add("th")
            if any(w in lexicon.COMPANY_MARKERS for w in ws[:10]):
                flags[i].add("cm")
        for i, line in enumerate(lines):
            lt = line.text
            kind = analysis.section_of.get(line.index)
            feats = []
            if line.index in heading_ends:
                feats.append("hd")
                kind = kind or kind_of_heading[line.index]
            feats.append("sec=" + (kind or "header"))
            sp = sec_pos.get(line.index)
            if sp is not None:
                feats.append("sl=" + _bucket(sp, (0, 1, 2, 4)))
            if i < 6:
                feats.append(f"li={i}")
            elif i < 15:
                feats.append("li<15")
            feats.append("ll=" + _bucket(n_tok[i], (1, 2, 3, 5, 8, 12, 20)))
            if line.bullet:
                feats.append("bul")
            if line.gap_before:
                feats.append("gap")
            if lt.endswith(":"):
                feats.append("col")
            if ":" in lt[:30] and not lt.endswith(":"):
                feats.append("lab")
            if lt.isupper():
                feats.append("LUP")
            if " - " in lt or lt.endswith(" -"):
                feats.append("dash")
            if "," in lt:
                feats.append("comma")
            if lt.endswith("."):
                feats.append("dot")
            feats.extend("L:" + f for f in sorted(flags[i]))
            if i:
                feats.extend("P:" + f for f in sorted(flags[i - 1]) if f in _NEIGHBOUR_FLAGS)
                if lines[i - 1].index in heading_ends:
                    feats.append("P:hd")
            if i + 1 < len(lines):
                feats.extend("N:" + f for f in sorted(flags[i + 1]) if f in _NEIGHBOUR_FLAGS)
            if i + 2 < len(lines):
                feats.extend("N2:" + f for f in sorted(flags[i + 2]) if f in ("dr", "deg"))
            out.append(self._keep(feats))
        return out

    def _span_features(
        self, analysis: Analysis, tokens: Tokens, degrees: list, places: list
    ) -> dict[int, list[str]]:
        starts = tokens.starts
        n = len(starts)
        marks: dict[int, list[str]] = {}

        def mark(s: int, e: int, name: str) -> None:
            i = bisect_right(starts, s - 1)
            if i > 0 and tokens.ends[i - 1] > s:
                i -= 1  # the span starts inside a token
            first = True
            while i < n and starts[i] < e:
                marks.setdefault(i, []).append(("B" if first else "I") + name)
                first = False
                i += 1

        for d in analysis.dates:
            mark(d.start, d.end, "DTr" if d.is_range else "DTs")
        for s, e, _c in degrees:
            mark(s, e, "DG")
        for p in places:
            mark(p.start, p.end, "PL" if p.city else "PLr")
        for m in analysis.skills:
            mark(m.start, m.end, "SK" + m.entry.category)
            if m.in_context:
                mark(m.start, m.end, "SKc")
        for s, e in analysis.contacts:
            mark(s, e, "CT")
        for path, (s, e) in analysis.spans.items():
            kind = _rule_kind(path)
            if kind is not None:
                mark(s, e, "R" + kind)
        if self.lexicon is not None:
            for a, b, stems in self.lexicon.matches(tokens.words):
                for stem in stems:
                    marks.setdefault(a, []).append("BLX" + stem)
                    for k in range(a + 1, b):
                        marks.setdefault(k, []).append("ILX" + stem)
        keep = self._keep
        return {i: kept for i, fs in marks.items() if (kept := keep(dict.fromkeys(fs)))}


_FIELD_SEP = re.compile(
    r"\s+[-\u2013|/]+\s+|\s*[|;\u2022]\s*|\s{2,}|\t|,\s*|\s+(?:at|@)\s+|[()]|:\s+|\s+-$"
)
_SMALL_WORDS = frozenset(["and", "of", "&", "in", "for", "the", "to", "with", "on", "at", "a"])

_NEIGHBOUR_FLAGS = frozenset(["dr", "dt", "deg", "in", "pl", "th", "cm", "ct"])


# ---------------------------------------------------------------- tagging


@dataclass(slots=True)
class Model:
    """A loaded tagger with its featurizer (feature lists pruned to the model's attributes)."""

    tagger: Any  # pycrfsuite.Tagger: one sequence at a time, hence the lock
    featurizer: Featurizer
    info: dict[str, Any]
    lock: threading.Lock
    data: bytes  # crfsuite reads the model from this buffer: it must outlive the tagger

    @property
    def identity(self) -> dict[str, Any]:
        return {"name": self.info.get("name", MODEL_NAME), "records": self.info.get("records")}

    @property
    def corrected_labels(self) -> frozenset[str]:
        """Labels this model learned from enough people's corrections of the rules (the
        ``corrections`` counts its training wrote) that the tagger decides them."""
        counts = self.info.get("corrections") or {}
        return frozenset(label for label, n in counts.items() if n >= CORRECTED_MIN)


def open_model(data: bytes, info: dict[str, Any] | None = None) -> Model:
    """A :class:`Model` from the bytes of a ``.crfsuite`` file."""
    import pycrfsuite

    data = bytes(data)
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(data)
    known = frozenset(tagger.info().attributes)
    info = dict(info or {})
    lexicon = Lexicon(info.pop("lexicon", None) or {})
    return Model(tagger, Featurizer(known, lexicon), info, threading.Lock(), data)


def load_file(path: str | Path) -> Model | None:
    """A model from a file (and its ``.json`` description, when present)."""
    path = Path(path)
    if not path.is_file():
        return None
    info_path = path.with_suffix(".json")
    info = json.loads(info_path.read_text("utf-8")) if info_path.is_file() else {}
    return _checked(path.read_bytes(), info, str(path))


def _checked(data: bytes, info: dict[str, Any], where: str) -> Model | None:
    if info.get("feature_version", FEATURE_VERSION) != FEATURE_VERSION:
        log.warning("parser model %s has feature version %s, not %s: ignored", where,
                    info.get("feature_version"), FEATURE_VERSION)  # fmt: skip
        return None
    return open_model(data, info)


@functools.cache
def shipped_model() -> Model | None:
    """The packaged model (``data/resume_crf.crfsuite``), loaded once; None when absent."""
    try:
        base = resources.files("hotgigs.parsing") / "data"
        res = base / MODEL_FILE
        if not res.is_file():
            return None
        info_res = base / INFO_FILE
        info = json.loads(info_res.read_text("utf-8")) if info_res.is_file() else {}
        return _checked(res.read_bytes(), info, MODEL_FILE)
    except Exception:  # a broken artefact must not break parsing: rules only
        log.exception("could not load the parser model")
        return None


def predict(analysis: Analysis, model: Model) -> list[Entity]:
    """Tagged spans (Viterbi) in text order; confidence is the span's lowest token marginal."""
    tokens = tokenize(analysis.doc)
    if not tokens.words:
        return []
    xseq = model.featurizer.features(analysis, tokens)
    with model.lock:
        tagger = model.tagger
        tagger.set(xseq)
        tags = tagger.tag()
        marginal = tagger.marginal
        scored = [
            (stem, a, b, min(marginal(tags[k], k) for k in range(a, b)))
            for stem, a, b in decode(tags)
        ]
    return [
        Entity(STEM_LABEL[stem], tokens.starts[a], tokens.ends[b - 1], round(conf, 4))
        for stem, a, b, conf in scored
    ]


def decode(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(stem, first token, token after the last) for each BIO span; a stray I- opens one."""
    out: list[tuple[str, int, int]] = []
    cur: str | None = None
    start = 0
    for i, tag in enumerate(tags):
        if tag == "O":
            if cur is not None:
                out.append((cur, start, i))
            cur = None
            continue
        kind, stem = tag[0], tag[2:]
        if kind == "B" or stem != cur:
            if cur is not None:
                out.append((cur, start, i))
            cur, start = stem, i
    if cur is not None:
        out.append((cur, start, len(tags)))
    return out
