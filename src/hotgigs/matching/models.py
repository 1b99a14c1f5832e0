"""Stored matching features (per candidate, per job) and the matches themselves."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hotgigs.db import Base, UTCDateTime, utcnow


class CandidateMatchFeatures(Base):
    """What scoring needs of a candidate, computed at import so ranking reads one row each."""

    __tablename__ = "match_features"
    __table_args__ = (
        # The newest update (has anything changed since the kept matrix?) without a scan.
        Index("ix_match_features_updated_at", "updated_at"),
        # Which candidates lack this embedder's features, without reading their rows.
        Index("ix_match_features_candidate_id_vector_model", "candidate_id", "vector_model"),
        # Rows stay whole in the table (see migration 0014): no TOAST lookup per vector.
        {"postgresql_with": {"toast_tuple_target": 8160}},
    )

    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    # Skill keys and words as scoring.term_bytes: they load as arrays with no work per row.
    skill_terms: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    title_terms: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    field_terms: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    location_terms: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    # scoring.word_signature of the whole resume text (512 bytes).
    text_signature: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    # The embedder that made the vector; vectors of another embedder are not compared.
    vector_model: Mapped[str] = mapped_column(String(60), default="")
    # The profile's figures when the features were made, like its words: loading them
    # from the profiles would read every profile's row (resume and text included).
    total_years_experience: Mapped[float | None] = mapped_column(Float, default=None)
    degree_level: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class JobMatchFeatures(Base):
    """A job's text vector, computed when the job is matched."""

    __tablename__ = "job_match_features"

    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    vector_model: Mapped[str] = mapped_column(String(60))
    # Fingerprint of the text the vector was made from; an edited job gets a new vector.
    text_sha256: Mapped[str] = mapped_column(String(64))


class Match(Base):
    """How well one candidate fits one job, with the reasons."""

    __tablename__ = "candidate_matches"
    __table_args__ = (
        UniqueConstraint("candidate_id", "job_id"),
        Index("ix_candidate_matches_job_id_score", "job_id", "score"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    explanation: Mapped[str] = mapped_column(Text, default="")
    missing_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Missing skills with the related skills the candidate does have.
    gap: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
