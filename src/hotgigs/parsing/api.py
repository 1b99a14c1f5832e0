"""parse_text: resume plain text in, JSON Resume plus confidence and evidence out."""

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


class _Recorder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.confidence: dict[str, float] = {}
        self.evidence: dict[str, list[int]] = {}
        self.failed: list[str] = []
        self.spans: dict[str, tuple[int, int]] = {}  # path -> normalised-text span

    def note(self, path: str, confidence: float, start: int, end: int) -> None:
        self.confidence[path] = round(max(0.0, min(1.0, confidence)), 2)
        self.evidence[path] = self.doc.span(start, end)
        self.spans[path] = (start, end)

    def span(self, path: str, value: entries.Span | None) -> None:
        if value is not None:
            self.note(path, value.confidence, value.start, value.end)

    def stage(self, name: str, fn: Callable[[], T], default: T) -> T:
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
    rec = _Recorder(doc)
    sections = rec.stage("segment", lambda: segment(doc.lines), [])
    section_of: dict[int, str] = {}
    for sec in sections:
        for line in sec.lines:
            section_of.setdefault(line.index, sec.kind)
    mentions = rec.stage("dates", lambda: dates.find_dates(doc.text), [])
    date_index = entries.DateIndex(mentions)

    resume: dict[str, Any] = {}
    basics: dict[str, Any] = {}

    # contacts
    emails = rec.stage("email", lambda: contacts.find_emails(doc.text), [])
    if emails:
        email = emails[0]
        basics["email"] = email.address
        rec.note("basics.email", 0.99 if email.start < 2000 else 0.85, email.start, email.end)
    links = rec.stage("links", lambda: contacts.find_links(doc.text, emails), [])

    name = rec.stage("name", lambda: basics_mod.find_name(doc, sections), None)
    if name is not None:
        basics["name"] = name.value
        rec.span("basics.name", name)

    location = rec.stage("location", lambda: basics_mod.find_location(doc, sections, name), None)
    country = location[1].get("countryCode") if location else None
    region = contacts.guess_region(doc.text[:20000], country == "IN", country == "US")
    phones = rec.stage("phone", lambda: contacts.find_phones(doc.text, region), [])
    if phones:
        phone = phones[0]
        basics["phone"] = phone.e164
        conf = 0.95 if phone.valid and phone.labelled else 0.85 if phone.valid else 0.5
        rec.note("basics.phone", conf, phone.start, phone.end)

    site = next((lk for lk in links if lk.network is None and lk.url), None)
    if site is not None:
        basics["url"] = site.url
        rec.note("basics.url", 0.7, site.start, site.end)
    profiles: list[dict[str, str]] = []
    seen_profiles: set[tuple[str, str]] = set()
    for lk in links:
        if lk.network is None:
            continue
        key = (lk.network, (lk.username or lk.url).lower())
        if key in seen_profiles:
            continue
        seen_profiles.add(key)
        profile = {"network": lk.network}
        if lk.username:
            profile["username"] = lk.username
        if lk.url:
            profile["url"] = lk.url
        rec.note(f"basics.profiles[{len(profiles)}].url", 0.9, lk.start, lk.end)
        profiles.append(profile)

    summary = rec.stage("summary", lambda: basics_mod.find_summary(sections), None)
    if summary is not None:
        basics["summary"] = summary[0]
        rec.note("basics.summary", 0.7, summary[1], summary[2])

    if location is not None:
        span, loc = location
        if loc:
            basics["location"] = loc
            rec.span("basics.location", span)

    # work
    work_entries = rec.stage("work", lambda: entries.extract_work(doc, sections, date_index), [])
    work: list[dict[str, Any]] = []
    intervals: list[tuple[int, int]] = []
    for entry in work_entries:
        i = len(work)
        item: dict[str, Any] = {}
        if entry.name is not None:
            item["name"] = entry.name.value
            rec.span(f"work[{i}].name", entry.name)
        if entry.position is not None:
            item["position"] = entry.position.value
            rec.span(f"work[{i}].position", entry.position)
        if entry.location is not None:
            item["location"] = entry.location.value
            rec.span(f"work[{i}].location", entry.location)
        d = entry.dates
        if d is not None and d.start_date:
            item["startDate"] = d.start_date
            rec.note(f"work[{i}].startDate", 0.85, d.start, d.end)
            if d.present:
                item["endDate"] = None
                rec.note(f"work[{i}].endDate", 0.8, d.start, d.end)
            elif d.end_date:
                item["endDate"] = d.end_date
                rec.note(f"work[{i}].endDate", 0.85, d.start, d.end)
            iv = dates.interval(d)
            if iv is not None:
                intervals.append(iv)
        if entry.highlights:
            item["highlights"] = entry.highlights
        work.append(item)

    label = rec.stage("label", lambda: basics_mod.find_label(doc, sections, name), None)
    if label is not None:
        basics["label"] = label.value
        rec.span("basics.label", label)
    elif work:
        current = next((w for w in work if "endDate" in w and w["endDate"] is None), None)
        current = current or work[0]
        idx = work.index(current)
        if "position" in current:
            basics["label"] = current["position"]
            ev = rec.evidence.get(f"work[{idx}].position")
            if ev is not None:
                rec.confidence["basics.label"] = 0.6
                rec.evidence["basics.label"] = list(ev)

    if profiles:
        basics["profiles"] = profiles
    if basics:
        resume["basics"] = basics
    if work:
        resume["work"] = work

    # education
    edu_entries = rec.stage(
        "education", lambda: education_mod.extract_education(doc, sections, date_index), []
    )
    education: list[dict[str, Any]] = []
    for entry in edu_entries:
        i = len(education)
        item = {}
        if entry.institution is not None:
            item["institution"] = entry.institution.value
            rec.span(f"education[{i}].institution", entry.institution)
        if entry.area is not None:
            item["area"] = entry.area.value
            rec.span(f"education[{i}].area", entry.area)
        if entry.study_type is not None:
            item["studyType"] = entry.study_type.value
            rec.span(f"education[{i}].studyType", entry.study_type)
        d = entry.dates
        if d is not None and d.start_date:
            if d.single:
                item["endDate"] = d.start_date
                rec.note(f"education[{i}].endDate", 0.75, d.start, d.end)
            else:
                item["startDate"] = d.start_date
                rec.note(f"education[{i}].startDate", 0.75, d.start, d.end)
                if d.end_date:  # still studying: no graduation date yet
                    item["endDate"] = d.end_date
                    rec.note(f"education[{i}].endDate", 0.75, d.start, d.end)
        if entry.score:
            item["score"] = entry.score
        education.append(item)
    if education:
        resume["education"] = education

    # skills
    excluded = [(e.start, e.end) for e in emails] + [(lk.start, lk.end) for lk in links]
    excluded += [(s.heading.start, s.heading.end) for s in sections if s.heading is not None]
    excluded += skills.annotation_spans(doc.text)
    for entry in edu_entries:  # "B.E. (Electronics and Communication)" is a degree, not skills
        excluded += [(f.start, f.end) for f in (entry.study_type, entry.area) if f is not None]

    found_skills: list[skills.SkillMention] = []

    def run_skills():
        found = skills.find_skills(
            doc.text,
            line_of=doc.line_at,
            skill_context=lambda line: section_of.get(line.index) == "skills",
            excluded=excluded,
        )
        found_skills.extend(found)
        return skills.summarise(found)

    summaries = rec.stage("skills", run_skills, [])
    skill_items = []
    categories: dict[str, str] = {}
    for i, summ in enumerate(summaries):
        forms = list(dict.fromkeys(summ.forms))
        skill_items.append({"name": summ.entry.name, "keywords": forms})
        rec.note(f"skills[{i}].name", summ.confidence, summ.first.start, summ.first.end)
        categories[f"skills[{i}]"] = summ.entry.category
    if skill_items:
        resume["skills"] = skill_items

    # certificates, languages, projects
    certs = rec.stage(
        "certificates", lambda: extras.extract_certificates(doc, sections, date_index), []
    )
    if certs:
        items = []
        for i, c in enumerate(certs):
            item = {"name": c.name.value}
            if c.issuer:
                item["issuer"] = c.issuer
            if c.date:
                item["date"] = c.date
            rec.span(f"certificates[{i}].name", c.name)
            items.append(item)
        resume["certificates"] = items
    langs = rec.stage("languages", lambda: extras.extract_languages(doc, sections), [])
    if langs:
        items = []
        for i, lang in enumerate(langs):
            item = {"language": lang.language.value}
            if lang.fluency:
                item["fluency"] = lang.fluency
            rec.span(f"languages[{i}].language", lang.language)
            items.append(item)
        resume["languages"] = items
    projects = rec.stage("projects", lambda: extras.extract_projects(doc, sections, date_index), [])
    if projects:
        items = []
        for i, p in enumerate(projects):
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
            rec.span(f"projects[{i}].name", p.name)
            items.append(item)
        resume["projects"] = items

    years = dates.merged_years(intervals) if intervals else None
    if years is not None:
        rec.confidence["total_years_experience"] = 0.7
    stated = rec.stage("experience", lambda: dates.stated_experience(doc.text), None)
    if stated is not None:
        rec.note("stated_years_experience", 0.6, stated.start, stated.end)
        if years is None:
            years = stated.years
            rec.note("total_years_experience", 0.5, stated.start, stated.end)
    analysis = Analysis(
        doc=doc,
        sections=sections,
        section_of=section_of,
        dates=mentions,
        skills=found_skills,
        spans=dict(rec.spans),
        contacts=[(e.start, e.end) for e in emails] + [(lk.start, lk.end) for lk in links],
    )
    model_info = None
    if model is not None:  # the learned tagger refines the free-form fields (all or nothing)
        model_info = rec.stage(
            "model", lambda: merge.apply_model(analysis, resume, rec, categories, model), None
        )
    rec.stage("unlikely fields", lambda: _drop_unlikely_fields(resume, rec), None)
    mentions_out = _list_skills(doc, sections, resume, rec, categories)
    meta = _meta(rec.confidence, rec.evidence, years, categories, rec.failed)
    meta["stated_years_experience"] = stated.years if stated is not None else None
    meta["model"] = model_info
    meta["skill_mentions"] = mentions_out
    return ParseResult(resume, meta), analysis


_DATE_WORD = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d\d\b"
    r"|^\s*(?:19|20)\d\d\b"
)
_NOT_TITLE = re.compile(
    r"(?i)\b(?:university|college|school|institute|academy|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b(?:19|20)\d\d\b"
)


def _drop_unlikely_fields(resume: dict[str, Any], rec: _Recorder) -> None:
    """Drop what a job's title or employer, or a school, cannot be: a title with no title
    word that reads as a taxonomy skill ("DynamoDB"), a school, a date, a place or a
    lower-case phrase; an employer that is a place alone ("London (Remote)"), a date or a
    lower-case phrase; a school that is only a field of study ("Computer Science")."""
    for i, entry in enumerate(resume.get("education") or []):
        school = entry.get("institution")
        if isinstance(school, str) and _only_discipline(school):
            _drop(entry, "institution", rec, f"education[{i}]")
    for i, job in enumerate(resume.get("work") or []):
        position = job.get("position")
        if (
            isinstance(position, str)
            and lexicon.title_score(position) == 0
            and (skills.lookup(position) is not None or _not_a_name(position, _NOT_TITLE))
        ):
            _drop(job, "position", rec, f"work[{i}]")
        employer = job.get("name")
        if (
            isinstance(employer, str)
            and lexicon.company_score(employer) == 0
            and _not_a_name(employer, _DATE_WORD, small_names=True)
        ):
            _drop(job, "name", rec, f"work[{i}]")


_DISCIPLINE_WORDS = frozenset(
    lexicon.word_list(
        """
        computer computing science sciences engineering software development information
        technology systems data mathematics math physics chemistry biology economics business
        administration management finance accounting marketing design animation art arts
        media communication communications studies law medicine psychology electrical
        electronic electronics mechanical civil and of & in with web programming bootcamp
        """
    )
)


def _only_discipline(value: str) -> bool:
    """A school's name that is only a field of study ("Computer Science and Engineering")."""
    words = lexicon.words(value)
    return (
        bool(words) and not lexicon.INSTITUTION_RE.search(value) and set(words) <= _DISCIPLINE_WORDS
    )


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


def _drop(entry: dict[str, Any], key: str, rec: _Recorder, path: str) -> None:
    """Remove one field of an entry, with its confidence, evidence and span."""
    del entry[key]
    for store in (rec.confidence, rec.evidence, rec.spans):
        store.pop(f"{path}.{key}", None)


def _list_skills(
    doc: Document, sections: list, resume: dict[str, Any], rec: _Recorder, categories: dict
) -> list[dict[str, Any]]:
    """``skills`` becomes what the person listed, as written; the taxonomy's mentions
    anywhere (prose included, canonical names) move to the returned ``skill_mentions``."""
    mentions = resume.pop("skills", [])
    old_categories = dict(categories)
    categories.clear()
    out: list[dict[str, Any]] = []
    for i, item in enumerate(mentions):
        path, new_path = f"skills[{i}]", f"skill_mentions[{i}]"
        out.append({**item, "category": old_categories.get(path, "domain")})
        for store in (rec.confidence, rec.evidence):
            if f"{path}.name" in store:
                store[f"{new_path}.name"] = store.pop(f"{path}.name")
    items = rec.stage("listed skills", lambda: listed.listed_skills(doc, sections), [])
    found = []
    for i, item in enumerate(items):
        found.append({"name": item.name})
        rec.note(f"skills[{i}].name", 0.85, item.start, item.end)
        entry = skills.lookup(item.name)
        if entry is not None:
            categories[f"skills[{i}]"] = entry.category
    if found:
        resume["skills"] = found
    return out
