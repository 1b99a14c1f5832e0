"""Certificates, languages and projects.

Certificates and projects are read only where a heading names them.  Spoken languages
are read in a languages section and, elsewhere, where the wording says a language is
spoken: a "Languages known:" line, "fluent in English and Spanish", "French speaker", a
line that lists nothing but languages ("English, Hindi, Tamil").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hotgigs.parsing import lexicon
from hotgigs.parsing.draft import Span
from hotgigs.parsing.entries import DateIndex
from hotgigs.parsing.segment import Section
from hotgigs.parsing.text import Document, Line

_ISSUER = re.compile(
    r"\s*(?:[-\u2013|,]\s*|\s(?:from|by|issued\s+by)\s+)(?P<issuer>[A-Z][\w&.'\-]{0,40}(?:\s[A-Z][\w&.'\-]{0,40}){0,5})$"
)
_LANG_NAMES = "|".join(sorted(lexicon.SPOKEN_LANGUAGES, key=len, reverse=True))
_LANG_RE = re.compile(rf"(?<![A-Za-z])({_LANG_NAMES})(?![A-Za-z])", re.IGNORECASE)
_LANG_LABEL = re.compile(
    r"(?i)\b(?:languages?(?:\s+(?:known|spoken|proficiency|skills))?|mother\s*tongue)\s*[:\-\u2013]"
)
_LANG_ONLY_LINE = re.compile(
    rf"(?i)^\W*(?:{_LANG_NAMES})(?:\s*(?:,|&|/|\band\b|\u00b7|\s)\s*(?:{_LANG_NAMES}))*\W*$"
)
_SPOKEN_BEFORE = re.compile(
    r"(?i)\b(?:fluent(?:ly)?|fluency|speaks?|speaking|spoken|bilingual|proficien(?:t|cy)"
    r"|conversant|native|communication\s+skills|command)\b(?:\s+(?:in|of|with))?"
    rf"(?:\s*[:\-]?\s*|\s+(?:{_LANG_NAMES})\s*(?:,|and|&)\s*)$"
)
_SPOKEN_AFTER = re.compile(
    r"(?i)^\s*(?:\(\s*)?(?:speaker|native|mother\s*tongue|\u00b7|fluent|\((?:fluent|native|basic"
    r"|intermediate|advanced))"
)
_PROJECT_LABEL = re.compile(
    r"(?i)^(?:project(?:\s+(?:name|title))?|title|name)\s*(?:#?\d+)?\s*[:\-\u2013]\s*(?P<v>.+)$"
)
_ROLE_LABEL = re.compile(r"(?i)^(?:role|position|designation)\s*[:\-\u2013]\s*(?P<v>.+)$")
_TECH_LABEL = re.compile(
    r"(?i)^(?:technolog(?:y|ies)(?:\s+used)?|environment|tools(?:\s+used)?|tech\s+stack"
    r"|skills\s+used|platform)\s*[:\-\u2013]\s*(?P<v>.+)$"
)
_DESC_LABEL = re.compile(
    r"(?i)^(?:description|summary|abstract|project\s+abstract)\s*[:\-\u2013]\s*(?P<v>.+)$"
)
_SKIP_LABEL = re.compile(
    r"(?i)^(?:client|team\s+size|duration|organi[sz]ation|company)\s*[:\-\u2013]"
)


@dataclass(slots=True)
class Certificate:
    name: Span
    issuer: str | None = None
    date: str | None = None


@dataclass(slots=True)
class Language:
    language: Span
    fluency: str | None = None


@dataclass(slots=True)
class Project:
    name: Span
    description: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    start_date: str | None = None
    end_date: str | None = None


def extract_certificates(
    doc: Document, sections: list[Section], dates: DateIndex
) -> list[Certificate]:
    out: list[Certificate] = []
    for sec in sections:
        if sec.kind != "certificates":
            continue
        for line in sec.lines:
            text = line.text
            if len(text) > 200 or len(text.split()) < 1 or text.endswith(":"):
                continue
            s, e = line.start, line.end
            date = None
            for d in dates.in_span(s, e):
                date = d.end_date or d.start_date
                if d.end == e or d.end >= e - 2:
                    e = d.start
                elif d.start == s:
                    s = d.end
                break
            name = doc.text[s:e].strip(" \t-\u2013|,;:()")
            if len(name) < 3:
                continue
            lead = doc.text[s:e].find(name[:1])
            s = s + max(lead, 0)
            issuer = None
            m = _ISSUER.search(name)
            if (
                m
                and len(name) - len(m.group()) >= 4
                and lexicon.company_score(m.group("issuer")) > 0
            ):
                issuer = m.group("issuer").strip()
                name = name[: m.start()].rstrip()
            out.append(Certificate(Span(name, s, s + len(name), 0.7), issuer, date))
            if len(out) >= 30:
                return out
    return out


def _spoken_mentions(doc: Document, line: Line) -> list[re.Match[str]]:
    """Language names on a line outside a languages section, when the wording says spoken.

    "Java" is not a language here and "English literature" is a subject, so a bare name
    counts only on a line made of language names alone or next to a speaking cue.
    """
    mentions = list(_LANG_RE.finditer(doc.text, line.start, line.end))
    if not mentions:
        return []
    text = line.text
    if _LANG_LABEL.search(text) or _LANG_ONLY_LINE.match(text):
        return mentions
    out = []
    for m in mentions:
        before = doc.text[max(line.start, m.start() - 40) : m.start()]
        after = doc.text[m.end() : min(line.end, m.end() + 30)]
        if _SPOKEN_BEFORE.search(before) or _SPOKEN_AFTER.match(after):
            out.append(m)
    return out


def extract_languages(doc: Document, sections: list[Section]) -> list[Language]:
    """Spoken languages, with a fluency when a word next to the name gives one."""
    out: list[Language] = []
    seen: set[str] = set()
    for sec in sections:
        in_section = sec.kind == "languages"
        for line in sec.lines[:15] if in_section else sec.lines:
            if in_section:
                mentions = list(_LANG_RE.finditer(doc.text, line.start, line.end))
            else:
                mentions = _spoken_mentions(doc, line)
            for m in mentions:
                name = m.group(1).capitalize()
                if name.lower() in seen:
                    continue
                seen.add(name.lower())
                after = doc.text[m.end() : min(line.end, m.end() + 40)]
                after = re.split(r"[,;|/\u2022]|\s{2,}", after)[0].lower()
                before = doc.text[max(line.start, m.start() - 25) : m.start()]
                before = re.split(r"[,;|/\u2022)]|\s{2,}", before)[-1].lower()
                fluency = None
                for word, label in lexicon.FLUENCY_WORDS:
                    if word in after or word in before:
                        fluency = label
                        break
                confidence = 0.85 if in_section else 0.7
                out.append(Language(Span(name, m.start(), m.end(), confidence), fluency))
    return out


def extract_projects(doc: Document, sections: list[Section], dates: DateIndex) -> list[Project]:
    out: list[Project] = []
    for sec in sections:
        if sec.kind != "projects":
            continue
        cur: Project | None = None
        for line in sec.lines:
            text = line.text
            label = _PROJECT_LABEL.match(text)
            headerish = (
                not line.bullet
                and len(text.split()) <= 10
                and not text.endswith(".")
                and not _ROLE_LABEL.match(text)
                and not _TECH_LABEL.match(text)
                and not _DESC_LABEL.match(text)
                and not _SKIP_LABEL.match(text)
                and (cur is None or line.gap_before or label is not None or not cur.highlights)
            )
            if label is not None or (
                headerish and (cur is None or cur.highlights or cur.description)
            ):
                value = label.group("v").strip() if label else text
                s = line.start + (label.start("v") if label else 0)
                ds = dates.in_span(line.start, line.end)
                if ds:
                    d = ds[0]
                    if d.start > s and d.start - line.start > 3:
                        value = doc.text[s : d.start].strip(" \t-\u2013|,;:(")
                if not value:
                    continue
                cur = Project(Span(value, s, s + len(value), 0.6))
                if ds:
                    cur.start_date = ds[0].start_date
                    cur.end_date = ds[0].end_date if not ds[0].single else None
                out.append(cur)
                if len(out) >= 20:
                    return out
                continue
            if cur is None:
                continue
            if (m := _ROLE_LABEL.match(text)) is not None:
                cur.roles.append(m.group("v").strip())
            elif (m := _TECH_LABEL.match(text)) is not None:
                cur.keywords.extend(
                    k.strip() for k in re.split(r"[,;/|]", m.group("v")) if k.strip()
                )
            elif (m := _DESC_LABEL.match(text)) is not None:
                cur.description.append(m.group("v").strip())
            elif _SKIP_LABEL.match(text):
                continue
            elif line.bullet or not cur.description:
                if line.bullet or cur.highlights:
                    cur.highlights.append(text)
                else:
                    cur.description.append(text)
            else:
                cur.description.append(text)
    return out
