"""Skills: mentions of a normalising taxonomy (``data/skills.json``) found in the text.

Matching is case-insensitive on token boundaries over token n-grams (fast: one dict
lookup per token and extension).  Guards against false hits:

* aliases of one or two letters ("C", "R", "ML") only match as written or in upper case;
* ``cased`` entries ("Excel", "Swift") never match an all-lower-case word ("excel at");
* ``ambiguous`` entries ("C", "R", "Go", "Access", "Word") count only in skill context:
  a skills section, a labelled list line ("Languages: Java, C, C++") or between list
  separators.

One output entry per canonical skill: ``{"name": canonical, "keywords": [surface forms]}``.

``families`` group related skills: ``related("Kubernetes")`` holds OpenShift (partial credit).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

_TOKEN = re.compile(r"(?<![A-Za-z0-9])\.?[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*[+#]*")
_GAP_OK = re.compile(r"[ \t]*(?:[/&\-][ \t]*)?\n?[ \t]*")
_LIST_BEFORE = set(",;|/:(\u2022[")
_LIST_AFTER = set(",;|/)(.]")
_LABEL_LINE = re.compile(r"^[A-Za-z][\w /&.+-]{0,40}:\s*\S")
_YEARS_NOTE = re.compile(r"(?i)\((?:less\s+than\s+)?[\d.+]*\s*(?:\+\s*)?(?:years?|yrs?|months?)\)")


def annotation_spans(text: str) -> list[tuple[int, int]]:
    """Spans such as "(Less than 1 year)" that annotate a skill and are not skills."""
    return [m.span() for m in _YEARS_NOTE.finditer(text)]


@dataclass(frozen=True, slots=True)
class SkillEntry:
    name: str
    category: str  # tool | domain | soft
    ambiguous: bool
    cased: bool


@dataclass(frozen=True, slots=True)
class _Alias:
    entry: SkillEntry
    form: str  # as written in the taxonomy
    short: bool  # one or two letters: case matters
    needs_context: bool  # counts only in skill context


@dataclass(slots=True)
class Taxonomy:
    entries: list[SkillEntry]
    keys: dict[str, _Alias]
    prefixes: frozenset[str]
    by_name: dict[str, SkillEntry] = field(default_factory=dict)
    related: dict[str, frozenset[str]] = field(default_factory=dict)  # never the name itself


def _key(text: str) -> str:
    return " ".join(m.group().lower() for m in _TOKEN.finditer(text))


def lookup(name: str) -> SkillEntry | None:
    """The taxonomy entry a written skill name or alias stands for ("k8s" -> Kubernetes)."""
    alias = taxonomy().keys.get(_key(name))
    return alias.entry if alias else None


def related(name: str) -> frozenset[str]:
    """Canonical names sharing a family with a canonical skill name (empty when none)."""
    return taxonomy().related.get(name, frozenset())


def _build_related(
    families: Iterable[Mapping[str, Any]], names: Iterable[str]
) -> dict[str, frozenset[str]]:
    """Each family member's fellow members over all its families; unknown members raise."""
    known = set(names)
    found: dict[str, set[str]] = {}
    for family in families:
        members = list(family["members"])
        for member in members:
            if member not in known:
                raise ValueError(
                    f"skill family {family.get('name')!r}: {member!r} is not a canonical skill name"
                )
        for member in members:
            found.setdefault(member, set()).update(m for m in members if m != member)
    return {name: frozenset(others) for name, others in found.items() if others}


def canonical_key(name: str) -> str:
    """The form skills are stored and compared in: the taxonomy's name in lower case when it
    knows the skill ("k8s" -> "kubernetes"), else the name itself; no control characters."""
    kept = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in name)
    cleaned = " ".join(kept.split())
    entry = lookup(cleaned)
    return (entry.name if entry else cleaned).lower()[:100]


@functools.cache
def taxonomy() -> Taxonomy:
    """The packaged taxonomy, loaded once."""
    raw = (resources.files("hotgigs.parsing") / "data" / "skills.json").read_text("utf-8")
    data = json.loads(raw)
    entries: list[SkillEntry] = []
    keys: dict[str, _Alias] = {}
    prefixes: set[str] = set()
    for item in data["skills"]:
        entry = SkillEntry(
            name=item["name"],
            category=item.get("category", "tool"),
            ambiguous=bool(item.get("ambiguous")),
            cased=bool(item.get("cased")),
        )
        entries.append(entry)
        context_keys = {_key(a) for a in item.get("context_aliases", [])}
        name_key = _key(item["name"])
        for form in [item["name"], *item.get("aliases", [])]:
            key = _key(form)
            if not key or (key in keys and _key(keys[key].entry.name) == key):
                continue  # a canonical name wins over another entry's alias
            short = sum(ch.isalnum() for ch in form) <= 2
            needs_context = key in context_keys or (entry.ambiguous and (key == name_key or short))
            keys[key] = _Alias(entry, form, short, needs_context)
            parts = key.split(" ")
            for n in range(1, len(parts)):
                prefixes.add(" ".join(parts[:n]))
    by_name = {e.name: e for e in entries}
    relatives = _build_related(data.get("families", []), by_name)
    return Taxonomy(entries, keys, frozenset(prefixes), by_name, relatives)


@dataclass(frozen=True, slots=True)
class SkillMention:
    entry: SkillEntry
    start: int
    end: int
    text: str
    in_context: bool  # skills section or list context


def _list_context(text: str, start: int, end: int, line_start: int, line_end: int) -> bool:
    i = start - 1
    while i >= line_start and text[i] in " \t":
        i -= 1
    at_start = i < line_start
    before_ok = at_start or text[i] in _LIST_BEFORE
    j = end
    while j < line_end and text[j] in " \t":
        j += 1
    after = text[j : j + 4].lower()
    after_ok = j >= line_end or text[j] in _LIST_AFTER
    if not after_ok and after.startswith(("and ", "& ", "or ")):
        # "Java, Python and R" is a list; "R and D budget" is not
        after_ok = "," in text[line_start:line_end]
    if at_start and j >= line_end:
        return False  # a lone word on its own line is not a list
    return before_ok and after_ok


def find_skills(
    text: str,
    *,
    line_of,
    skill_context,
    excluded: Sequence[tuple[int, int]] = (),
    start: int = 0,
    end: int | None = None,
) -> list[SkillMention]:
    """Skill mentions in ``text[start:end]``.

    ``line_of(pos)`` returns the Line containing a position (or None);
    ``skill_context(line)`` tells whether a line sits in a skills section.
    ``excluded`` spans (URLs, emails, headings) never yield mentions.
    """
    tax = taxonomy()
    tokens = [
        (m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end or len(text))
    ]
    n_tok = len(tokens)
    if not n_tok:
        return []
    excluded = sorted(excluded)
    ex_i = 0
    out: list[SkillMention] = []
    i = 0
    while i < n_tok:
        t_start = tokens[i][0]
        while ex_i < len(excluded) and excluded[ex_i][1] <= t_start:
            ex_i += 1
        if ex_i < len(excluded) and excluded[ex_i][0] <= t_start < excluded[ex_i][1]:
            i += 1
            continue
        key = tokens[i][2].lower()
        best: tuple[int, _Alias] | None = None
        j = i
        while True:
            alias = tax.keys.get(key)
            if alias is not None:
                best = (j, alias)
            if key not in tax.prefixes or j + 1 >= n_tok:
                break
            gap = text[tokens[j][1] : tokens[j + 1][0]]
            if len(gap) > 6 or not _GAP_OK.fullmatch(gap):
                break
            j += 1
            key = key + " " + tokens[j][2].lower()
        if best is None:
            i += 1
            continue
        last, alias = best
        s, e = tokens[i][0], tokens[last][1]
        surface = text[s:e]
        if _accept(alias, surface, text, s, e, line_of, skill_context, out):
            i = last + 1
        else:
            i += 1
    return out


def _accept(alias, surface, text, s, e, line_of, skill_context, out) -> bool:
    entry = alias.entry
    if alias.short and surface != alias.form and surface != alias.form.upper():
        return False
    if entry.cased and " " not in surface and surface.islower():
        return False
    line = line_of(s)
    in_section = bool(line is not None and skill_context(line))
    in_list = False
    if line is not None:
        in_list = _list_context(text, s, e, line.start, line.end) or bool(
            _LABEL_LINE.match(line.text) and "," in line.text
        )
        if line.start == s and text[e : e + 1] == ":" and not in_section:
            return False  # "LinkedIn: https://..." is a label, not a skill
    if alias.needs_context and not (in_section or in_list):
        return False
    out.append(SkillMention(entry, s, e, surface, in_section or in_list))
    return True


@dataclass(slots=True)
class SkillSummary:
    entry: SkillEntry
    first: SkillMention
    forms: list[str]
    count: int
    in_context: bool

    @property
    def confidence(self) -> float:
        if self.in_context and self.count > 1:
            return 0.95
        if self.in_context:
            return 0.85
        return 0.75 if self.count > 1 else 0.6


def summarise(mentions: list[SkillMention]) -> list[SkillSummary]:
    """One summary per canonical skill, in order of first mention.

    A generic one-word domain term ("sales", "testing") seen once in running prose is
    dropped: "increased sales by 20%" is not a skill claim.  So is a taxonomy soft skill
    seen only in prose ("an innovative leader"); the learned tagger, which has seen which
    prose phrases people count as skills, may still add one (``merge``).
    """
    by_name: dict[str, SkillSummary] = {}
    for m in mentions:
        cur = by_name.get(m.entry.name)
        if cur is None:
            by_name[m.entry.name] = SkillSummary(m.entry, m, [m.text], 1, m.in_context)
            continue
        cur.count += 1
        cur.in_context = cur.in_context or m.in_context
        if m.text.lower() not in {f.lower() for f in cur.forms} and len(cur.forms) < 8:
            cur.forms.append(m.text)
    return [s for s in by_name.values() if not _weak(s)]


def _weak(summary: SkillSummary) -> bool:
    if summary.in_context:
        return False
    if summary.entry.category == "soft":
        return True
    return (
        summary.count < 2
        and summary.entry.category == "domain"
        and all(" " not in f and "/" not in f for f in summary.forms)
    )
