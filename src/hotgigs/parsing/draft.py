"""The parser's typed intermediate form: what the rules and the tagger read, each value with
its span and confidence, written out as JSON Resume (plus ``meta``) once, at the end.

Rules fill a :class:`ResumeDraft`, the learned tagger's merge rewrites parts of it, and
:meth:`ResumeDraft.written` turns it into the public shape: the JSON Resume dict and the
path-keyed confidence and evidence (``work[0].position`` -> 0.85, ``[start, end)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from hotgigs.parsing import skills as skills_mod
from hotgigs.parsing.text import Document

V = TypeVar("V")

LABEL_FROM_JOB_CONFIDENCE = 0.6  # a headline copied from a job title is a guess


@dataclass(slots=True)
class Span(Generic[V]):
    """A value with its normalised-text span ``[start, end)`` and a confidence."""

    value: V
    start: int
    end: int
    confidence: float


@dataclass(slots=True)
class EntryDraft:
    """One job or school: its text fields by JSON Resume key (``name``, ``position``,
    ``location``; ``institution``, ``studyType``, ``area``), its dates (``startDate`` /
    ``endDate``, an ``endDate`` of None meaning "present") and what rides along
    (``highlights``, ``score``)."""

    fields: dict[str, Span[str]] = field(default_factory=dict)
    dates: dict[str, Span[str | None]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def date_span(self) -> Span[str | None] | None:
        """The span the dates were read from (start and end share one mention)."""
        return self.dates.get("startDate") or self.dates.get("endDate")

    def spans(self) -> list[tuple[int, int]]:
        """Every span of the entry: its fields', then its dates'."""
        out = [(f.start, f.end) for f in self.fields.values()]
        when = self.date_span()
        if when is not None:
            out.append((when.start, when.end))
        return out


@dataclass(slots=True)
class SkillMention:
    """A skill found in the text (canonical ``name`` when the taxonomy knows it), the
    surface forms it was written in and its category (tool, domain or soft)."""

    name: Span[str]
    keywords: list[str]
    category: str


@dataclass(slots=True)
class ResumeDraft:
    """Everything one resume was read as, before it is written as JSON Resume.

    ``basics`` maps JSON Resume keys (name, label, email, phone, url, summary, location) to
    values; ``mentions`` are the taxonomy's and the tagger's skills anywhere in the text,
    ``skills`` what the person listed, as written; ``items`` the simple sections
    (certificates, languages, projects) as JSON Resume items, keyed by section, each with
    the span of its identifying field."""

    basics: dict[str, Span[Any]] = field(default_factory=dict)
    profiles: list[Span[dict[str, str]]] = field(default_factory=list)
    work: list[EntryDraft] = field(default_factory=list)
    education: list[EntryDraft] = field(default_factory=list)
    mentions: list[SkillMention] = field(default_factory=list)
    skills: list[Span[str]] = field(default_factory=list)
    items: dict[str, list[Span[dict[str, Any]]]] = field(default_factory=dict)
    total_years: float | None = None  # from the work dates
    stated_years: Span[float] | None = None  # what the resume claims

    def fork(self) -> ResumeDraft:
        """A copy whose basics, entry lists and skill mentions can change without touching
        this draft (cheap: values are shared, and nothing changes a Span in place)."""
        return replace(
            self,
            basics=dict(self.basics),
            work=list(self.work),
            education=list(self.education),
            mentions=[SkillMention(m.name, list(m.keywords), m.category) for m in self.mentions],
        )

    def current_job(self) -> EntryDraft | None:
        """The job held now (an open end date), else the first one."""
        open_ended = (
            w for w in self.work if "endDate" in w.dates and w.dates["endDate"].value is None
        )
        return next(open_ended, self.work[0] if self.work else None)

    def headline(self) -> Span[Any] | None:
        """The headline read in the header, else the current job's title (a guess)."""
        label = self.basics.get("label")
        if label is not None:
            return label
        job = self.current_job()
        title = job.fields.get("position") if job is not None else None
        if title is None:
            return None
        return Span(
            title.value, title.start, title.end, min(LABEL_FROM_JOB_CONFIDENCE, title.confidence)
        )

    def rule_spans(self) -> dict[str, tuple[int, int]]:
        """Path -> span of every value read (the tagger's view of the rules' reading)."""
        out: dict[str, tuple[int, int]] = {}
        for path, value in self._paths():
            out[path] = (value.start, value.end)
        return out

    def _paths(self, *, mention_group: str = "skills"):
        """(path, value) for every value, in the order JSON Resume writes them."""
        for key, value in self.basics.items():
            yield f"basics.{key}", value
        for i, profile in enumerate(self.profiles):
            yield f"basics.profiles[{i}].url", profile
        for group, entries in (("work", self.work), ("education", self.education)):
            for i, entry in enumerate(entries):
                for key, value in entry.fields.items():
                    yield f"{group}[{i}].{key}", value
                for key, value in entry.dates.items():
                    yield f"{group}[{i}].{key}", value
        for i, mention in enumerate(self.mentions):
            yield f"{mention_group}[{i}].name", mention.name
        for group, items in self.items.items():
            key = "language" if group == "languages" else "name"
            for i, item in enumerate(items):
                yield f"{group}[{i}].{key}", item
        if self.stated_years is not None:
            yield "stated_years_experience", self.stated_years

    def written(self, doc: Document) -> Written:
        """The draft as JSON Resume, with path-keyed confidence and evidence."""
        out = Written()
        basics: dict[str, Any] = {key: value.value for key, value in self.basics.items()}
        label = self.headline()
        if label is not None:
            basics["label"] = label.value
        if self.profiles:
            basics["profiles"] = [p.value for p in self.profiles]
        if basics:
            out.resume["basics"] = basics
        for group, entries in (("work", self.work), ("education", self.education)):
            if entries:
                out.resume[group] = [_entry_item(entry) for entry in entries]
        if self.skills:
            out.resume["skills"] = [{"name": s.value} for s in self.skills]
        for group, items in self.items.items():
            if items:
                out.resume[group] = [item.value for item in items]
        for path, value in self._paths(mention_group="skill_mentions"):
            out.note(doc, path, value)
        if label is not None and "label" not in self.basics:
            out.note(doc, "basics.label", label)
        for i, listed in enumerate(self.skills):
            out.note(doc, f"skills[{i}].name", listed)
            entry = skills_mod.lookup(listed.value)
            if entry is not None:
                out.categories[f"skills[{i}]"] = entry.category
        out.mentions = [
            {"name": m.name.value, "keywords": m.keywords, "category": m.category}
            for m in self.mentions
        ]
        out.total_years = self.total_years
        if self.total_years is not None:
            out.confidence["total_years_experience"] = 0.7
        elif self.stated_years is not None:
            out.total_years = self.stated_years.value
            out.note(
                doc,
                "total_years_experience",
                Span(None, self.stated_years.start, self.stated_years.end, 0.5),
            )
        return out


@dataclass(slots=True)
class Written:
    """A draft written out: the JSON Resume, path-keyed confidence and evidence (original
    text offsets), listed skills' categories and the skill mentions for ``meta``."""

    resume: dict[str, Any] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[int]] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    total_years: float | None = None

    def note(self, doc: Document, path: str, value: Span[Any]) -> None:
        """Record one value's confidence (clamped, two places) and original-text evidence."""
        self.confidence[path] = round(max(0.0, min(1.0, value.confidence)), 2)
        self.evidence[path] = doc.span(value.start, value.end)


def _entry_item(entry: EntryDraft) -> dict[str, Any]:
    item: dict[str, Any] = {key: value.value for key, value in entry.fields.items()}
    item.update((key, value.value) for key, value in entry.dates.items())
    for key, value in entry.extra.items():
        item.setdefault(key, value)
    return item
