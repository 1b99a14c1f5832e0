"""Matching features: what a candidate's and a job's vectors and word features are made of,
computed, stored and read back in scoring's form."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Row, Select, String, case, select, type_coerce
from sqlalchemy.orm import Session

from hotgigs.candidates import search as candidates_search
from hotgigs.candidates.models import Candidate
from hotgigs.config import Settings
from hotgigs.db import utcnow
from hotgigs.jobs.models import Job
from hotgigs.matching import scoring, semantic
from hotgigs.matching.models import CandidateMatchFeatures, JobMatchFeatures
from hotgigs.parsing import skills as skills_lib

FEATURE_BATCH = 256


def embedder_for(settings: Settings) -> semantic.Embedder:
    """The embedder the settings choose (loaded once per process)."""
    return semantic.get_embedder(settings.match_embeddings)


def profile_text(candidate: Candidate) -> str:
    """What a candidate's vector is made from: headline, titles, skills, studies, summary."""
    resume = candidate.resume or {}
    basics = resume.get("basics") or {}
    parts = [candidate.headline, basics.get("summary") or ""]
    parts += [_text(w.get("position")) for w in _entries(resume, "work")]
    parts.append(", ".join(_text(s.get("name")) for s in _entries(resume, "skills")))
    parts += [
        f"{_text(e.get('studyType'))} {_text(e.get('area'))}" for e in _entries(resume, "education")
    ]
    parts += [h for w in _entries(resume, "work") for h in w.get("highlights") or []][:10]
    return "\n".join(p.strip() for p in parts if isinstance(p, str) and p.strip())[:4000]


def job_text(job: Job) -> str:
    """What a job's vector is made from."""
    skills = ", ".join([*job.required_skills, *job.preferred_skills])
    return "\n".join(p for p in (job.title, skills, (job.description or "")[:4000]) if p)


def _entries(resume: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [e for e in resume.get(key) or [] if isinstance(e, dict)]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def feature_values(candidate: Candidate) -> dict[str, Any]:
    """A candidate's stored features but the vector: words, text signature, figures."""
    resume = candidate.resume or {}
    titles = [candidate.headline] + [_text(w.get("position")) for w in _entries(resume, "work")]
    fields = [
        f"{_text(e.get('area'))} {_text(e.get('studyType'))}" for e in _entries(resume, "education")
    ]
    location = (resume.get("basics") or {}).get("location") or {}
    places = [candidate.location] + [
        _text(location.get(k)) for k in ("city", "region", "countryCode")
    ]
    return {
        "skill_terms": scoring.term_bytes(candidates_search.candidate_skills(candidate)),
        "title_terms": scoring.term_bytes(w for t in titles for w in scoring.words(t)),
        "field_terms": scoring.term_bytes(w for f in fields for w in scoring.words(f)),
        "location_terms": scoring.term_bytes(w for p in places for w in scoring.words(p)),
        "text_signature": scoring.word_signature(candidate.search_document or ""),
        "total_years_experience": candidate.total_years_experience,
        "degree_level": candidate.degree_level,
    }


def refresh_candidates(
    session: Session, candidates: Sequence[Candidate], embedder: semantic.Embedder
) -> scoring.FeatureRows:
    """Compute and store the matching features of candidates (vectors in batches)."""
    stored = []
    for start in range(0, len(candidates), FEATURE_BATCH):
        batch = candidates[start : start + FEATURE_BATCH]
        vectors = embedder.encode([profile_text(c) for c in batch])
        for candidate, vector in zip(batch, vectors, strict=True):
            values = {**feature_values(candidate), "vector": semantic.to_bytes(vector)}
            session.merge(
                CandidateMatchFeatures(
                    candidate_id=candidate.id,
                    vector_model=embedder.name,
                    updated_at=utcnow(),
                    **values,
                )
            )
            stored.append(values)
    session.flush()
    return feature_rows(stored)


def feature_rows(stored: Sequence[Mapping[str, Any]]) -> scoring.FeatureRows:
    """Scoring's view of candidates from their stored values (vectors included)."""
    return scoring.FeatureRows(
        skills=[v["skill_terms"] for v in stored],
        title_words=[v["title_terms"] for v in stored],
        field_words=[v["field_terms"] for v in stored],
        location_words=[v["location_terms"] for v in stored],
        years=[v["total_years_experience"] for v in stored],
        degree_rank=[v["degree_level"] for v in stored],
        signatures=[v["text_signature"] for v in stored],
        vectors=[v["vector"] for v in stored],
    )


def job_vector(session: Session, job: Job, embedder: semantic.Embedder) -> np.ndarray:
    """The job's stored vector, made again when the job's text or the embedder changed."""
    text = job_text(job)
    digest = hashlib.sha256(text.encode()).hexdigest()
    stored = session.get(JobMatchFeatures, job.id)
    if stored is None or stored.vector_model != embedder.name or stored.text_sha256 != digest:
        stored = session.merge(
            JobMatchFeatures(
                job_id=job.id,
                vector=semantic.to_bytes(embedder.encode([text])[0]),
                vector_model=embedder.name,
                text_sha256=digest,
            )
        )
    return semantic.from_bytes(stored.vector)


def job_spec(job: Job, vector: np.ndarray | None) -> tuple[scoring.JobSpec, dict[str, str]]:
    """A job in comparable form, and the job's own spelling of each skill key."""
    names: dict[str, str] = {}
    for name in [*job.required_skills, *job.preferred_skills]:
        names.setdefault(skills_lib.canonical_key(name), name)
    required = tuple(dict.fromkeys(skills_lib.canonical_key(s) for s in job.required_skills))
    preferred = tuple(
        key
        for key in dict.fromkeys(skills_lib.canonical_key(s) for s in job.preferred_skills)
        if key not in required
    )
    education = candidates_search.DegreeLevel(job.education).rank if job.education else 0
    spec = scoring.JobSpec(
        title=job.title,
        required=required,
        preferred=preferred,
        min_years=job.min_years,
        education_rank=education,
        location=job.location or "",
        remote=bool(job.remote),
        field_words=frozenset(scoring.words(job_text(job))),
        weights={**scoring.DEFAULT_WEIGHTS, **(job.match_weights or {})},
        vector=vector,
    )
    return spec, names


def load_features(
    session: Session,
    embedder: semantic.Embedder,
    *,
    changed_since: datetime | None = None,
) -> tuple[list[Any], scoring.FeatureRows]:
    """Stored features: all, or those changed since a time (raw ids, rows in the same order)."""
    stored = CandidateMatchFeatures
    query = select(
        # ids stay raw (hex text on SQLite): only the kept rows' ids are ever converted
        type_coerce(stored.candidate_id, String),
        stored.skill_terms,
        stored.title_terms,
        stored.field_terms,
        stored.location_terms,
        stored.text_signature,
        # another embedder's vector is not compared: not even read
        case((stored.vector_model == embedder.name, stored.vector), else_=None),
        stored.total_years_experience,
        stored.degree_level,
    )
    if changed_since is not None:
        query = query.where(stored.updated_at >= changed_since)
    rows = _plain_rows(session, query)
    columns = list(zip(*rows, strict=True)) or [() for _ in query.selected_columns]
    raw_ids, skills, titles, fields, places, signatures, vectors, years, degrees = columns
    return list(raw_ids), scoring.FeatureRows(
        skills=skills,
        title_words=titles,
        field_words=fields,
        location_words=places,
        years=years,
        degree_rank=degrees,
        signatures=signatures,
        vectors=vectors,
    )


def _plain_rows(session: Session, query: Select[Any]) -> Sequence[Row[Any]]:
    """A query's rows through the connection, not the ORM (ORM rows cost seconds at 100,000);
    from PostgreSQL in its binary format, where bytea comes as it is stored (as text, it
    comes as hex: twice the bytes, decoded on both ends)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return connection.execute(query).all()
    import psycopg

    class BinaryCursor(psycopg.Cursor[Any]):
        """A cursor asking for results in the binary format."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.format = psycopg.pq.Format.BINARY

    dbapi_connection = connection.connection.dbapi_connection
    text_cursors = dbapi_connection.cursor_factory
    dbapi_connection.cursor_factory = BinaryCursor
    try:
        return connection.execute(query).all()
    finally:
        dbapi_connection.cursor_factory = text_cursors
