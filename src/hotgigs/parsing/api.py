"""parse_text: resume plain text in, JSON Resume plus confidence and evidence out.

The rules read the text into a typed :class:`~hotgigs.parsing.draft.ResumeDraft` (each
value with its span and confidence), the learned tagger's merge refines the draft, and the
draft is written as JSON Resume and ``meta`` once, at the end.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from hotgigs.parsing import basics as basics_mod
from hotgigs.parsing import contacts, dates, entries, extras, lexicon, listed, merge, skills
from hotgigs.parsing import education as education_mod
from hotgigs.parsing import model as model_mod
from hotgigs.parsing.draft import EntryDraft, ResumeDraft, SkillMention, Span
from hotgigs.parsing.gazetteer import find_places
from hotgigs.parsing.model import Analysis
from hotgigs.parsing.segment import segment
from hotgigs.parsing.text import Document

PARSER_NAME = "hotgigs-rules"
PARSER_VERSION = "0.2.0"

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class ParseResult:
    """A parsed resume.

    ``resume`` is JSON Resume (only keys with values; ``endDate: None`` means "present").
    ``meta`` holds ``parser``, ``version``, ``confidence`` and ``evidence`` (both keyed by
    paths such as ``basics.email`` or ``work[0].position``; evidence is ``[start, end)``
    offsets into the text given to :func:`parse_text`), ``total_years_experience`` and
    ``skill_categories`` (``skills[i]`` -> ``tool`` | ``domain`` | ``soft``, for listed
    skills the taxonomy knows), ``skill_mentions`` (the taxonomy's skills found anywhere in
    the text, prose included: ``{"name": canonical, "keywords": [surface forms],
    "category"}``, evidence under ``skill_mentions[i].name``; ``skills`` itself holds only
    what the person listed, as written) and
    ``stated_years_experience`` (what the resume claims, e.g. "over 7 years of experience"),
    and ``model``: the learned tagger that refined the rules' result (``{"name", "records",
    "entities"}``), or None when parsing was rules only.
    """

    resume: dict
    meta: dict


class _Stages:
    """Runs the parser's stages; one failing stage is logged and noted, the rest go on."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def run(self, name: str, fn: Callable[[], T], default: T) -> T:
        try:
            return fn()
        except Exception:  # one failing extractor must not lose the others
            log.exception("parsing stage %s failed", name)
            self.failed.append(name)
            return default


def parse_text(
    text: str, *, layout: object | None = None, model: model_mod.Model | None = None
) -> ParseResult:
    """Parse resume text; never raises for any ``str`` (``layout`` is reserved for callers
    that know the page layout; the rule-based parser reads the text only).

    ``model`` is the learned tagger to use (an installation's own, trained with its
    corrections); by default the shipped one.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        raise TypeError(f"parse_text needs a str, not {type(text).__name__}")
    try:
        return _parse(text, model=model or model_mod.shipped_model())[0]
    except Exception:
        log.exception("parse_text failed")
        return ParseResult({}, _meta({}, {}, None, {}, failed=["parse"]))


def _meta(confidence, evidence, years, categories, failed=()) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "parser": PARSER_NAME,
        "version": PARSER_VERSION,
        "confidence": confidence,
        "evidence": evidence,
        "total_years_experience": years,
        "stated_years_experience": None,
        "skill_categories": categories,
        "model": None,
    }
    if failed:
        meta["failed_stages"] = list(failed)
    return meta


def analyse(text: str) -> Analysis:
    """What the rules see in ``text`` (the learned tagger's input; no model applied)."""
    return _parse(text, model=None)[1]


def _parse(text: str, *, model: model_mod.Model | None) -> tuple[ParseResult, Analysis]:
    doc = Document(text)
    stages = _Stages()
    sections = stages.run("segment", lambda: segment(doc.lines), [])
    section_of: dict[int, str] = {}
    for sec in sections:
        for line in sec.lines:
            section_of.setdefault(line.index, sec.kind)
    mentions = stages.run("dates", lambda: dates.find_dates(doc.text), [])
    date_index = entries.DateIndex(mentions)
    draft = ResumeDraft()
    basics = draft.basics

    # contacts
    emails = stages.run("email", lambda: contacts.find_emails(doc.text), [])
    if emails:
        email = emails[0]
        confidence = 0.99 if email.start < 2000 else 0.85
        basics["email"] = Span(email.address, email.start, email.end, confidence)
    links = stages.run("links", lambda: contacts.find_links(doc.text, emails), [])

    name = stages.run("name", lambda: basics_mod.find_name(doc, sections), None)
    if name is not None:
        basics["name"] = name

    location = stages.run("location", lambda: basics_mod.find_location(doc, sections, name), None)
    country = location[1].get("countryCode") if location else None
    region = contacts.guess_region(doc.text[:20000], country == "IN", country == "US")
    phones = stages.run("phone", lambda: contacts.find_phones(doc.text, region), [])
    if phones:
        phone = phones[0]
        conf = 0.95 if phone.valid and phone.labelled else 0.85 if phone.valid else 0.5
        basics["phone"] = Span(phone.e164, phone.start, phone.end, conf)

    site = next((lk for lk in links if lk.network is None and lk.url), None)
    if site is not None:
        basics["url"] = Span(site.url, site.start, site.end, 0.7)
    draft.profiles = _profiles(links)

    summary = stages.run("summary", lambda: basics_mod.find_summary(sections), None)
    if summary is not None:
        basics["summary"] = Span(summary[0], summary[1], summary[2], 0.7)

    if location is not None:
        span, loc = location
        if loc:
            basics["location"] = Span(loc, span.start, span.end, span.confidence)

    work_entries = stages.run("work", lambda: entries.extract_work(doc, sections, date_index), [])
    draft.work = [_job(entry) for entry in work_entries]
    intervals = [iv for e in work_entries if e.dates and (iv := dates.interval(e.dates))]
    draft.total_years = dates.merged_years(intervals) if intervals else None

    label = stages.run("label", lambda: basics_mod.find_label(doc, sections, name), None)
    if label is not None:
        basics["label"] = label

    edu_entries = stages.run(
        "education", lambda: education_mod.extract_education(doc, sections, date_index), []
    )
    draft.education = [_school(entry) for entry in edu_entries]

    # skills: the taxonomy's mentions anywhere, outside contacts, headings and degrees
    excluded = [(e.start, e.end) for e in emails] + [(lk.start, lk.end) for lk in links]
    excluded += [(s.heading.start, s.heading.end) for s in sections if s.heading is not None]
    excluded += skills.annotation_spans(doc.text)
    for entry in edu_entries:  # "B.E. (Electronics and Communication)" is a degree, not skills
        excluded += [(f.start, f.end) for f in (entry.study_type, entry.area) if f is not None]
    found_skills = stages.run(
        "skills",
        lambda: skills.find_skills(
            doc.text,
            line_of=doc.line_at,
            skill_context=lambda line: section_of.get(line.index) == "skills",
            excluded=excluded,
        ),
        [],
    )
    draft.mentions = stages.run("skills", lambda: _skill_mentions(found_skills), [])

    certs = stages.run(
        "certificates", lambda: extras.extract_certificates(doc, sections, date_index), []
    )
    draft.items["certificates"] = [_certificate(c) for c in certs]
    langs = stages.run("languages", lambda: extras.extract_languages(doc, sections), [])
    draft.items["languages"] = [_language(lang) for lang in langs]
    projects = stages.run(
        "projects", lambda: extras.extract_projects(doc, sections, date_index), []
    )
    draft.items["projects"] = [_project(p) for p in projects]

    stated = stages.run("experience", lambda: dates.stated_experience(doc.text), None)
    if stated is not None:
        draft.stated_years = Span(stated.years, stated.start, stated.end, 0.6)
    analysis = Analysis(
        doc=doc,
        sections=sections,
        section_of=section_of,
        dates=mentions,
        skills=found_skills,
        spans=draft.rule_spans(),
        contacts=[(e.start, e.end) for e in emails] + [(lk.start, lk.end) for lk in links],
    )
    model_info = None
    if model is not None:  # the learned tagger refines the free-form fields (all or nothing)
        merged = stages.run("model", lambda: merge.apply_model(analysis, draft, model), None)
        if merged is not None:
            draft, model_info = merged
    stages.run("unlikely fields", lambda: _drop_unlikely_fields(draft), None)
    draft.skills = stages.run("listed skills", lambda: _listed(doc, sections, draft), [])
    written = draft.written(doc)
    meta = _meta(
        written.confidence, written.evidence, written.total_years, written.categories, stages.failed
    )
    meta["stated_years_experience"] = stated.years if stated is not None else None
    meta["model"] = model_info
    meta["skill_mentions"] = written.mentions
    return ParseResult(written.resume, meta), analysis


def _profiles(links: list[contacts.Link]) -> list[Span[dict[str, str]]]:
    """One profile per network and user (the first link to it is the evidence)."""
    out: list[Span[dict[str, str]]] = []
    seen: set[tuple[str, str]] = set()
    for lk in links:
        if lk.network is None:
            continue
        key = (lk.network, (lk.username or lk.url).lower())
        if key in seen:
            continue
        seen.add(key)
        profile = {"network": lk.network}
        if lk.username:
            profile["username"] = lk.username
        if lk.url:
            profile["url"] = lk.url
        out.append(Span(profile, lk.start, lk.end, 0.9))
    return out


def _job(entry: entries.WorkEntry) -> EntryDraft:
    """A job the rules read, as a draft."""
    draft = EntryDraft()
    for key in ("name", "position", "location"):
        value = getattr(entry, key)
        if value is not None:
            draft.fields[key] = value
    d = entry.dates
    if d is not None and d.start_date:
        draft.dates["startDate"] = Span(d.start_date, d.start, d.end, 0.85)
        if d.present:
            draft.dates["endDate"] = Span(None, d.start, d.end, 0.8)
        elif d.end_date:
            draft.dates["endDate"] = Span(d.end_date, d.start, d.end, 0.85)
    if entry.highlights:
        draft.extra["highlights"] = entry.highlights
    return draft


def _school(entry: education_mod.EducationEntry) -> EntryDraft:
    """A school the rules read, as a draft (a lone date is when it ended)."""
    draft = EntryDraft()
    for key, value in (
        ("institution", entry.institution),
        ("area", entry.area),
        ("studyType", entry.study_type),
    ):
        if value is not None:
            draft.fields[key] = value
    d = entry.dates
    if d is not None and d.start_date:
        if d.single:
            draft.dates["endDate"] = Span(d.start_date, d.start, d.end, 0.75)
        else:
            draft.dates["startDate"] = Span(d.start_date, d.start, d.end, 0.75)
            if d.end_date:  # still studying: no graduation date yet
                draft.dates["endDate"] = Span(d.end_date, d.start, d.end, 0.75)
    if entry.score:
        draft.extra["score"] = entry.score
    return draft


def _skill_mentions(found: list[skills.SkillMention]) -> list[SkillMention]:
    """One mention per taxonomy skill, with every surface form it was written in."""
    out = []
    for summ in skills.summarise(found):
        name = Span(summ.entry.name, summ.first.start, summ.first.end, summ.confidence)
        out.append(SkillMention(name, list(dict.fromkeys(summ.forms)), summ.entry.category))
    return out


def _certificate(c: extras.Certificate) -> Span[dict[str, Any]]:
    item: dict[str, Any] = {"name": c.name.value}
    if c.issuer:
        item["issuer"] = c.issuer
    if c.date:
        item["date"] = c.date
    return Span(item, c.name.start, c.name.end, c.name.confidence)


def _language(lang: extras.Language) -> Span[dict[str, Any]]:
    item: dict[str, Any] = {"language": lang.language.value}
    if lang.fluency:
        item["fluency"] = lang.fluency
    return Span(item, lang.language.start, lang.language.end, lang.language.confidence)


def _project(p: extras.Project) -> Span[dict[str, Any]]:
    item: dict[str, Any] = {"name": p.name.value}
    if p.description:
        item["description"] = " ".join(p.description)[:2000]
    if p.highlights:
        item["highlights"] = p.highlights[:30]
    if p.roles:
        item["roles"] = p.roles
    if p.keywords:
        item["keywords"] = p.keywords[:30]
    if p.start_date:
        item["startDate"] = p.start_date
        if p.end_date:
            item["endDate"] = p.end_date
    return Span(item, p.name.start, p.name.end, p.name.confidence)


def _listed(doc: Document, sections: list, draft: ResumeDraft) -> list[Span[str]]:
    """What the person listed as skills, as written; never the name or headline a sidebar's
    list ran into ("Skills" / ... / "Tyler Reitz" / "Full-Stack Developer")."""
    taken = [v for key in ("name", "label") if (v := draft.basics.get(key)) is not None]
    return [
        Span(i.name, i.start, i.end, 0.85)
        for i in listed.listed_skills(doc, sections)
        if not any(i.start < v.end and v.start < i.end for v in taken)
    ]


_DATE_WORD = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d\d\b"
    r"|^\s*(?:19|20)\d\d\b"
)
_NOT_TITLE = re.compile(
    r"(?i)\b(?:university|college|school|institute|academy|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b(?:19|20)\d\d\b"
)


def _drop_unlikely_fields(draft: ResumeDraft) -> None:
    """Drop what a job's title or employer, or a school, cannot be: a title with no title
    word that reads as a taxonomy skill ("DynamoDB"), a school, a date, a place or a
    lower-case phrase; an employer that is a place alone ("London (Remote)"), a date or a
    lower-case phrase; a school that is only a field of study ("Computer Science")."""
    for school in draft.education:
        institution = school.fields.get("institution")
        if institution is not None and lexicon.only_discipline(institution.value):
            del school.fields["institution"]
    for job in draft.work:
        position = job.fields.get("position")
        if (
            position is not None
            and lexicon.title_score(position.value) == 0
            and (
                skills.lookup(position.value) is not None or _not_a_name(position.value, _NOT_TITLE)
            )
        ):
            del job.fields["position"]
        employer = job.fields.get("name")
        if (
            employer is not None
            and lexicon.company_score(employer.value) == 0
            and _not_a_name(employer.value, _DATE_WORD, small_names=True)
        ):
            del job.fields["name"]


def _not_a_name(value: str, pattern: re.Pattern[str], *, small_names: bool = False) -> bool:
    """A value matching ``pattern``, one starting with a lower-case word (a single word
    only when names may not start small: "eBay", "npm" may), or a place."""
    words = value.split()
    if pattern.search(value) or (words and words[0].islower() and len(words) > 1):
        return True
    if value[:1].islower():
        return not small_names
    bare = re.sub(r"\s*\((?:remote|hybrid|on-?site)\)\s*$", "", value, flags=re.IGNORECASE)
    return any(p.start == 0 and p.end >= len(bare.strip()) - 1 for p in find_places(bare))
