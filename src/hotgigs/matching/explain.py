"""Explanations and skills gaps for one candidate and one job, each claim tied to resume text.

Every sentence of an explanation comes from an evidence item that quotes where in the
JSON Resume it was found (``skills[3]``, ``work[0]``, ``education[1]``, ``basics.location``),
or, for a skill the resume mentions without listing it, the passage of the resume ``text``;
so a recruiter can check each claim against the resume.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hotgigs.matching.scoring import JobSpec, related_keys, text_counts_for, words
from hotgigs.parsing import skills as skills_lib

SNIPPET_CHARS = 60
# Resumes list the same few thousand skill names: keying each again (30 us) was a third of
# explaining 500 matches. The packaged taxonomy never changes within a process.
_skill_key = functools.lru_cache(maxsize=16384)(skills_lib.canonical_key)

DEGREE_NAMES = {1: "school", 2: "diploma", 3: "bachelor's", 4: "master's", 5: "doctorate"}


@dataclass
class Evidence:
    """One claim and the resume text it rests on."""

    category: str
    claim: str
    source: str  # a JSON Resume path, e.g. "skills[2]"
    text: str

    def as_dict(self) -> dict[str, str]:
        """The stored and returned form."""
        return {
            "category": self.category,
            "claim": self.claim,
            "source": self.source,
            "text": self.text,
        }


@dataclass
class Explanation:
    """The readable text, the skills gap and the evidence behind them."""

    text: str
    missing_skills: list[str]
    gap: list[dict[str, Any]]
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class _ResumeSkill:
    key: str
    name: str
    source: str
    surface: str


def _resume_skills(resume: Mapping[str, Any]) -> dict[str, _ResumeSkill]:
    """The resume's skills by key, with where they were written and how."""
    out: dict[str, _ResumeSkill] = {}
    for index, entry in enumerate(resume.get("skills") or []):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            continue
        keywords = [k for k in entry.get("keywords") or [] if isinstance(k, str)]
        surface = ", ".join(keywords[:3]) or entry["name"]
        key = _skill_key(entry["name"])
        out.setdefault(key, _ResumeSkill(key, entry["name"], f"skills[{index}]", surface))
    return out


def _names(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def explain(
    job: JobSpec,
    *,
    job_skill_names: Mapping[str, str],
    resume: Mapping[str, Any],
    text: str,
    years: float | None,
    degree_rank: int,
    breakdown: Mapping[str, int],
) -> Explanation:
    """Why a candidate scored as it did for a job, with its missing and related skills."""
    held = _resume_skills(resume)
    # Splitting the whole resume text was most of an explanation's time: it is done only
    # when a job's skill may be found in the text alone (one the taxonomy does not know).
    textual = [k for k in (*job.required, *job.preferred) if k not in held and text_counts_for(k)]
    text_words = set(words(text)) if textual else set()
    evidence: list[Evidence] = []
    sentences: list[str] = []
    missing: list[str] = []
    gap: list[dict[str, Any]] = []
    for keys, required in ((job.required, True), (job.preferred, False)):
        if not keys:
            continue
        have = [k for k in keys if k in held]
        mentioned = [k for k in keys if k not in held and _mentioned(k, text_words)]
        lacking = [k for k in keys if k not in held and k not in mentioned]
        kind = "required" if required else "preferred"
        for key in have:
            skill = held[key]
            evidence.append(
                Evidence(
                    "skills",
                    f"has {kind} skill {job_skill_names[key]}",
                    skill.source,
                    skill.surface,
                )
            )
        for key in mentioned:
            evidence.append(
                Evidence(
                    "skills",
                    f"mentions {kind} skill {job_skill_names[key]}",
                    "text",
                    _snippet(text, key),
                )
            )
        sentence = f"{len(have) + len(mentioned)} of {len(keys)} {kind} skills"
        if mentioned:
            sentence += f" ({len(mentioned)} only mentioned in the text)"
        if lacking:
            shown = [job_skill_names[k] for k in lacking]
            sentence += f", missing {_names(shown[:4])}" + (" and others" if len(shown) > 4 else "")
        sentences.append(sentence)
        for key in lacking:
            name = job_skill_names[key]
            missing.append(name)
            near = [held[k] for k in sorted(related_keys(key)) if k in held]
            gap.append({"skill": name, "required": required, "related": [s.name for s in near]})
            for skill in near:
                evidence.append(
                    Evidence(
                        "skills",
                        f"has {skill.name}, related to {name}",
                        skill.source,
                        skill.surface,
                    )
                )
    sentences.extend(_experience(job, resume, years, evidence))
    sentences.extend(_education(job, resume, degree_rank, evidence))
    sentences.extend(_location(job, resume, evidence))
    if "semantic" in breakdown:
        sentences.append(f"profile similarity {breakdown['semantic']}/100")
    text = "; ".join(sentences) + "." if sentences else "The job states no requirements to compare."
    return Explanation(
        text=text[0].upper() + text[1:], missing_skills=missing, gap=gap, evidence=evidence
    )


def _mentioned(key: str, text_words: set[str]) -> bool:
    """Whether the text holds every word of a skill the taxonomy does not know (as scoring)."""
    if not text_counts_for(key):
        return False
    needed = words(key)
    return bool(needed) and all(w in text_words for w in needed)


def _snippet(text: str, key: str) -> str:
    """The passage of the text around the skill's first word."""
    first = words(key)[0]
    found = re.search(rf"(?i)(?<![a-z0-9]){re.escape(first)}", text)
    if found is None:  # a plural folded by `words`: fall back to the start of the text
        return " ".join(text[: 2 * SNIPPET_CHARS].split())
    start = max(0, found.start() - SNIPPET_CHARS)
    return " ".join(text[start : found.end() + SNIPPET_CHARS].split())


def _experience(
    job: JobSpec, resume: Mapping[str, Any], years: float | None, evidence: list[Evidence]
) -> list[str]:
    out: list[str] = []
    work = [(i, w) for i, w in enumerate(resume.get("work") or []) if isinstance(w, Mapping)]
    if job.min_years:
        if years is None:
            out.append(f"years of experience not found against {_years(job.min_years)} required")
        else:
            out.append(f"{_years(years)} of experience against {_years(job.min_years)} required")
            for index, entry in work[:3]:
                span = f"{entry.get('startDate') or '?'} to {entry.get('endDate') or 'present'}"
                evidence.append(
                    Evidence(
                        "experience", "dated role", f"work[{index}]", f"{_role(entry)} ({span})"
                    )
                )
    title_words = set(job.title_words)
    if title_words:
        for index, entry in work:
            position = entry.get("position")
            if isinstance(position, str) and title_words & set(words(position)):
                out.append(f"has worked as {_role(entry)}")
                evidence.append(Evidence("experience", "similar title", f"work[{index}]", position))
                break
    return out


def _education(
    job: JobSpec, resume: Mapping[str, Any], degree_rank: int, evidence: list[Evidence]
) -> list[str]:
    if not job.education_rank:
        return []
    wanted = DEGREE_NAMES[job.education_rank]
    schooling = [
        (i, e) for i, e in enumerate(resume.get("education") or []) if isinstance(e, Mapping)
    ]
    if not degree_rank:
        return [f"no degree found against a {wanted} degree wanted"]
    for index, entry in schooling:
        study = " ".join(str(entry.get(k) or "") for k in ("studyType", "area")).strip()
        if study:
            place = entry.get("institution")
            written = f"{study} ({place})" if place else study
            evidence.append(Evidence("education", "degree", f"education[{index}]", written))
            verdict = "meets" if degree_rank >= job.education_rank else "is below"
            return [f"{written} {verdict} the {wanted} degree wanted"]
    return [f"{DEGREE_NAMES[degree_rank]} degree against a {wanted} degree wanted"]


def _location(job: JobSpec, resume: Mapping[str, Any], evidence: list[Evidence]) -> list[str]:
    if job.remote:
        return ["remote job"]
    if not job.location.strip():
        return []
    location = (resume.get("basics") or {}).get("location") or {}
    written = ", ".join(
        str(location.get(k)) for k in ("city", "region", "countryCode") if location.get(k)
    )
    if not written:
        return [f"location unknown against {job.location}"]
    evidence.append(Evidence("location", "lives in", "basics.location", written))
    return [f"based in {written}, job in {job.location}"]


def _role(entry: Mapping[str, Any]) -> str:
    position, company = entry.get("position"), entry.get("name")
    if position and company:
        return f"{position} at {company}"
    return str(position or company or "a role")


def _years(value: float) -> str:
    rounded = round(value, 1)
    number = int(rounded) if rounded == int(rounded) else rounded
    return f"{number} year" + ("" if number == 1 else "s")
