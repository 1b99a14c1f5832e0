"""An installation's corrections as training and evaluation data for the parser's tagger.

A resume a person corrected is a labelled document: its text, and its JSON Resume as the
person left it (the corrected fields, and the parser's reading of the rest, which the
person saw and let stand). Its values are found in the text and become the tagger's
entities (:func:`entities_of`). One resume in five (by a hash of its file, so the split never
changes) is held out: ``hotgigs train --with-corrections`` never sees it, and ``hotgigs
eval --corrections`` scores the parser on it.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotgigs.candidates.corrections import field_of
from hotgigs.candidates.models import Candidate, ParseCorrection
from hotgigs.evaluation.scoring import FIELDS
from hotgigs.resumes.models import Resume, ResumeData

Part = Literal["train", "held-out", "all"]
PARTS: tuple[str, ...] = ("train", "held-out", "all")
HELD_OUT_BUCKETS = 5  # one resume in five is held out

# JSON Resume field -> the tagger's (dataset) label.
FIELD_LABELS: dict[str, str] = {
    "basics.name": "Name",
    "basics.location.city": "Location",
    "work.position": "Designation",
    "work.name": "Companies worked at",
    "education.institution": "College Name",
    "education.studyType": "Degree",
    "skills.name": "Tech Tools",
}


@dataclass(frozen=True)
class CorrectedDocument:
    """A corrected resume: its text, its JSON Resume as corrected, and which fields people
    changed (JSON Resume field names, as the scorer knows them)."""

    resume_id: uuid.UUID
    text: str
    resume: dict[str, Any]
    corrected: frozenset[str]
    file_sha256: str = ""

    @property
    def record(self) -> dict[str, Any]:
        """The tagger's training record (see :func:`hotgigs.training.tagger.train`); named by
        the file's content, so the same corrections train the same model in any database."""
        return {
            "id": f"correction-{self.file_sha256 or self.resume_id}",
            "text": self.text,
            "entities": entities_of(self.text, self.resume),
        }


def held_out(file_sha256: str) -> bool:
    """Whether a corrected resume belongs to the held-out part (fixed by the file's
    content, so the same file is on the same side in every installation)."""
    digest = hashlib.sha256(f"held-out:{file_sha256}".encode()).digest()
    return digest[0] % HELD_OUT_BUCKETS == 0


def corrected_documents(session: Session, part: Part = "train") -> list[CorrectedDocument]:
    """The installation's corrected resumes of one part, in a fixed order.

    Only a resume its profile still shows counts: its JSON Resume is the corrected one.
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    paths: dict[uuid.UUID, set[str]] = {}
    for resume_id, path in session.execute(
        select(ParseCorrection.resume_id, ParseCorrection.path).where(
            ParseCorrection.resume_id.is_not(None)
        )
    ):
        paths.setdefault(resume_id, set()).add(field_of(path))
    docs = []
    hashes = dict(
        session.execute(select(Resume.id, Resume.file_sha256).where(Resume.id.in_(paths))).all()
    )
    for resume_id in sorted(paths, key=str):
        if part != "all" and held_out(hashes.get(resume_id, "")) != (part == "held-out"):
            continue
        candidate = session.scalar(
            select(Candidate).where(Candidate.current_resume_id == resume_id)
        )
        data = session.get(ResumeData, resume_id)
        if candidate is None or data is None:
            continue
        fields = frozenset(_scored_field(p) for p in paths[resume_id]) - {""}
        docs.append(
            CorrectedDocument(
                resume_id, data.text, candidate.resume or {}, fields, hashes.get(resume_id, "")
            )
        )
    return sorted(docs, key=lambda doc: doc.file_sha256)


def label_counts(docs: Iterable[CorrectedDocument]) -> dict[str, int]:
    """How many documents people corrected, per tagger label."""
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update({FIELD_LABELS[f] for f in doc.corrected if f in FIELD_LABELS})
    return dict(sorted(counts.items()))


def entities_of(text: str, resume: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The tagger's entities for a JSON Resume's values, found in ``text``.

    Entries are looked for in order (each after the one before, then anywhere), so a name
    printed twice is labelled where its entry is; spans never overlap (the first wins).
    """
    found: list[tuple[int, int, str]] = []
    basics = resume.get("basics") or {}
    _find(text, basics.get("name"), "Name", 0, found)
    _find(text, (basics.get("location") or {}).get("city"), "Location", 0, found)
    for section, keys in (
        ("work", (("position", "Designation"), ("name", "Companies worked at"))),
        ("education", (("studyType", "Degree"), ("institution", "College Name"))),
    ):
        cursor = 0
        for entry in resume.get(section) or []:
            for key, label in keys:
                end = _find(text, entry.get(key), label, cursor, found)
                cursor = max(cursor, end)
    for skill in resume.get("skills") or []:
        _find(text, skill.get("name"), "Tech Tools", 0, found)
    kept: list[tuple[int, int, str]] = []
    for start, end, label in sorted(found):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, label))
    return [{"start": s, "end": e, "label": label, "text": text[s:e]} for s, e, label in kept]


def _find(text: str, value: Any, label: str, cursor: int, found: list) -> int:
    """Record the first occurrence of ``value`` at or after ``cursor`` (else anywhere);
    returns where it ends (``cursor`` when it is not in the text)."""
    if not isinstance(value, str) or not value.strip():
        return cursor
    words = [re.escape(w) for w in value.split()]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)
    match = pattern.search(text, cursor) or pattern.search(text)
    if match is None:
        return cursor
    found.append((match.start(), match.end(), label))
    return match.end()


def _scored_field(path_field: str) -> str:
    """The scorer's field for a correction's field (``basics.location.region`` counts
    under none; a removed entry ``work`` under all of its fields)."""
    if path_field in FIELDS:
        return path_field
    return ""
