"""Stored matching features: terms and blobs that load as arrays, a cold load that ranks as
features built one by one did, the migration from joined words, and the sentence model
loaded only when there is text to embed."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import LargeBinary, String, Text, Uuid, column, inspect, select, table, text
from sqlalchemy.orm import Session

from hotgigs import migrations
from hotgigs.auth.models import Role, User
from hotgigs.candidates.models import Candidate
from hotgigs.db import UTCDateTime, create_db_engine, new_session
from hotgigs.jobs.models import Job
from hotgigs.matching import features as match_features
from hotgigs.matching import pool as match_pool
from hotgigs.matching import rematch as match_rematch
from hotgigs.matching import scoring, semantic
from hotgigs.matching.models import CandidateMatchFeatures, JobMatchFeatures, Match
from tests.conftest import BASE_DATABASE_URL
from tests.matching.test_match_floor import DATA_ANALYST, DATA_ENGINEER_JOB, JAVA_BEGINNER
from tests.matching.test_matching_api import JAVA_JOB, JAVA_SENIOR, TEACHER, add_candidate
from tests.support.databases import create_scratch_database, drop_scratch_database

pytestmark = pytest.mark.usefixtures("at_fixed_time")

STORED = (
    *("skill_terms", "title_terms", "field_terms", "location_terms", "text_signature"),
    *("total_years_experience", "degree_level"),
)


def unsaved_job(owner_id: uuid.UUID, values: dict) -> Job:
    """A job as the matching code reads one."""
    return Job(id=uuid.uuid4(), owner_id=owner_id, match_weights={}, **values)


def ranking(
    pool: match_pool.Pool, matrix: scoring.FeatureMatrix, spec: scoring.JobSpec, embedder
) -> list[tuple[float, uuid.UUID, bool]]:
    """Every candidate's score and id, and whether it is a match: best first, ties by id (the
    rows' order is the store's)."""
    scores = scoring.score(spec, matrix, embedder)
    matches = set(scoring.top_rows(scores, None, 500, 0.0))
    return sorted(
        (-round(float(scores.total[row]), 4), pool.id_at(row), row in matches)
        for row in range(matrix.size)
    )


def test_stored_features_round_trip_and_a_cold_load_ranks_as_computed(recruiter, settings) -> None:
    texts = (JAVA_SENIOR, TEACHER, DATA_ANALYST, JAVA_BEGINNER)
    ids = [add_candidate(recruiter, text, settings) for text in texts]
    embedder = match_features.embedder_for(settings)
    with new_session() as session:
        people = [session.get(Candidate, i) for i in ids]
        computed = match_features.refresh_candidates(session, people, embedder)
        expected = [match_features.feature_values(p) for p in people]
        session.commit()
    with new_session() as session:
        for number, candidate_id in enumerate(ids):
            stored = session.get(CandidateMatchFeatures, candidate_id)
            assert {name: getattr(stored, name) for name in STORED} == expected[number]
            assert stored.vector == computed.vectors[number]
            assert semantic.from_bytes(stored.vector).shape == (computed.dimensions,)

    match_pool.forget_cached_pool()  # a worker just started
    with new_session() as session:
        pool = match_pool.whole_pool(session, embedder)
    senior = next(r for r in range(pool.matrix.size) if pool.id_at(r) == ids[0])
    assert pool.matrix.skills.has("spring boot")[senior] == 1.0
    assert pool.matrix.titles.count(["java", "developer"])[senior] == 2.0
    assert pool.matrix.places.has("pune")[senior] == 1.0
    in_memory = match_pool.Pool(
        raw_ids=[str(i) for i in ids],
        matrix=scoring.FeatureMatrix(computed, computed.dimensions),
    )
    cold = {}
    for values in (JAVA_JOB, DATA_ENGINEER_JOB):
        job = unsaved_job(recruiter.id, values)
        vector = embedder.encode([match_features.job_text(job)])[0]
        spec, _names = match_features.job_spec(job, vector)
        cold[job.title] = ranking(pool, pool.matrix, spec, embedder)
        assert cold[job.title] == ranking(in_memory, in_memory.matrix, spec, embedder)
    _score, best, is_match = cold[JAVA_JOB["title"]][0]
    assert best == ids[0] and is_match


def test_terms_sharing_a_slot_of_the_lookup_table_still_find_their_columns() -> None:
    # The low bits address the table: these terms share a slot in any table size.
    terms = np.array([5, 5 + 2**40, 7, 7 + 2**50, 99], dtype=np.uint64)
    ids = terms[np.random.default_rng(1).integers(0, len(terms), 1000)]
    assert (terms[scoring._positions(ids, terms)] == ids).all()


def old_form_rows(count: int, dimensions: int) -> Iterator[tuple[dict, scoring.CandidateFeatures]]:
    """Random candidates' features as revision 0006 stored them, and as it read them back."""
    rng = np.random.default_rng(5)
    skills = ["java", "spring boot", "kafka", "python", "apache spark", "airflow", "c#", "sql"]
    vocabulary = "data java engineer developer senior analyst computer science pune austin tx"
    vocabulary = vocabulary.split()

    def some(items: list[str]) -> list[str]:
        return list(rng.choice(items, size=int(rng.integers(0, 4)), replace=False))

    for number in range(count):
        vector = rng.standard_normal(dimensions).astype(np.float32)
        vector /= np.linalg.norm(vector)
        has_vector = number % 5 != 0  # some of another embedder's: not compared
        held = some(skills)
        words = {name: some(vocabulary) for name in ("title", "field", "location")}
        text = " ".join(some(skills) + some(vocabulary))
        stored = {
            "skills": "|".join(held),
            "title_words": " ".join(words["title"]),
            "field_words": " ".join(words["field"]),
            "location_words": " ".join(words["location"]),
            "text_signature": scoring.word_signature(text),
            "vector": vector.tobytes(),
            "has_vector": has_vector,
        }
        yield (
            stored,
            scoring.CandidateFeatures(
                skills=held,
                years=None if number % 7 == 0 else float(number % 12),
                degree_rank=number % 6,
                title_words=words["title"],
                field_words=words["field"],
                location_words=words["location"],
                vector=vector if has_vector else None,
                signature=stored["text_signature"],
            ),
        )


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the run's."""
    url = create_scratch_database(BASE_DATABASE_URL, tmp_path, "terms")
    yield url
    match_pool.forget_cached_pool()
    drop_scratch_database(BASE_DATABASE_URL, url)


def test_the_migration_turns_stored_words_into_terms_that_rank_as_before(
    scratch_url: str, settings
) -> None:
    embedder = match_features.embedder_for(settings)
    dimensions = 16
    rows = list(old_form_rows(60, dimensions))
    engine = create_db_engine(scratch_url)
    migrations.upgrade(url=scratch_url)
    owner = User(email="owner@example.com", password_hash="x", role=Role.ADMIN, full_name="O")
    with Session(engine) as session:
        session.add(owner)
        session.flush()
        candidates = [
            Candidate(
                owner_id=owner.id,
                total_years_experience=features.years,
                degree_level=features.degree_rank,
            )
            for _stored, features in rows
        ]
        session.add_all(candidates)
        session.commit()
        ids = [c.id for c in candidates]
    migrations.downgrade("0012", url=scratch_url)
    old = table(
        "match_features",
        column("candidate_id", Uuid),
        *(
            column(name, Text)
            for name in ("skills", "title_words", "field_words", "location_words")
        ),
        column("text_signature", LargeBinary),
        column("vector", LargeBinary),
        column("vector_model", String),
        column("updated_at", UTCDateTime),
    )
    with engine.begin() as connection:
        connection.execute(
            old.insert(),
            [
                {
                    "candidate_id": candidate_id,
                    **{k: v for k, v in stored.items() if k != "has_vector"},
                    "vector_model": embedder.name if stored["has_vector"] else "another",
                    "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
                }
                for candidate_id, (stored, _features) in zip(ids, rows, strict=True)
            ],
        )
    migrations.upgrade(url=scratch_url)

    match_pool.forget_cached_pool()
    with Session(engine) as session:
        pool = match_pool.whole_pool(session, embedder)
    engine.dispose()
    as_before = match_pool.Pool(
        raw_ids=[str(i) for i in ids],
        matrix=scoring.FeatureMatrix(
            scoring.FeatureRows.of([features for _stored, features in rows]), dimensions
        ),
    )
    assert pool.live_rows == len(ids)
    rng = np.random.default_rng(9)
    for required, preferred, location in (
        (("java",), ("kafka", "sql"), "Pune"),
        (("python", "airflow"), ("c#",), "Austin, TX"),
        ((), ("data",), ""),
    ):
        vector = rng.standard_normal(dimensions).astype(np.float32)
        spec = scoring.JobSpec(
            title="Senior Data Engineer",
            required=required,
            preferred=preferred,
            min_years=4,
            education_rank=3,
            location=location,
            remote=False,
            field_words=frozenset({"computer", "data"}),
            vector=vector / np.linalg.norm(vector),
        )
        assert ranking(pool, pool.matrix, spec, embedder) == ranking(
            as_before, as_before.matrix, spec, embedder
        )


@pytest.mark.skipif(not semantic.model_installed(), reason="the sentence model is not installed")
def test_a_rematch_with_nothing_to_embed_leaves_the_sentence_model_unloaded(
    recruiter, settings, monkeypatch
) -> None:
    # A fresh embedder cache: as in a worker just started.
    monkeypatch.setattr(
        semantic, "get_embedder", functools.cache(semantic.get_embedder.__wrapped__)
    )
    model_settings = settings.model_copy(update={"match_embeddings": "model"})
    embedder = match_features.embedder_for(model_settings)
    assert isinstance(embedder, semantic.ModelEmbedder) and not embedder.loaded
    candidate_id = add_candidate(recruiter, JAVA_SENIOR, settings)
    vector = semantic.to_bytes(np.full(384, 384**-0.5, dtype=np.float32))
    with new_session() as session:
        candidate = session.get(Candidate, candidate_id)
        session.add(
            CandidateMatchFeatures(
                candidate_id=candidate_id,
                vector=vector,
                vector_model=embedder.name,
                **match_features.feature_values(candidate),
            )
        )
        job = unsaved_job(recruiter.id, JAVA_JOB)
        session.add(job)
        session.flush()
        digest = hashlib.sha256(match_features.job_text(job).encode()).hexdigest()
        session.add(
            JobMatchFeatures(
                job_id=job.id, vector=vector, vector_model=embedder.name, text_sha256=digest
            )
        )
        session.commit()
        job_id = job.id
    with new_session() as session:
        kept = match_rematch.rematch_job(session, job_id=job_id, settings=model_settings)
        match = session.scalar(select(Match).where(Match.job_id == job_id))
        assert kept == 1 and match.breakdown["semantic"] == 100
    assert not embedder.loaded


def test_migration_0014_indexes_features_and_keeps_postgresql_rows_whole(
    scratch_url: str, settings
) -> None:
    dimensions = 384  # the model's: a row over 2 KB, whose vector PostgreSQL moved out
    migrations.upgrade("0013", url=scratch_url)
    engine = create_db_engine(scratch_url)
    owner = User(email="owner@example.com", password_hash="x", role=Role.ADMIN, full_name="O")
    rng = np.random.default_rng(3)
    with Session(engine) as session:
        session.add(owner)
        session.flush()
        candidates = [Candidate(owner_id=owner.id) for _ in range(20)]
        session.add_all(candidates)
        session.flush()
        stored = {
            c.id: {
                "vector": rng.standard_normal(dimensions).astype(np.float32).tobytes(),
                "text_signature": scoring.word_signature(f"java developer {n}"),
                "skill_terms": scoring.term_bytes(["java", f"skill {n}"]),
            }
            for n, c in enumerate(candidates)
        }
        session.execute(
            CandidateMatchFeatures.__table__.insert(),
            [
                {"candidate_id": i, "vector_model": "m", "updated_at": datetime.now(UTC), **v}
                for i, v in stored.items()
            ],
        )
        session.commit()
    migrations.upgrade(url=scratch_url)

    features = CandidateMatchFeatures.__table__
    with engine.connect() as connection:
        names = ("vector", "text_signature", "skill_terms")
        kept = connection.execute(select(features.c.candidate_id, *(features.c[n] for n in names)))
        assert {row[0]: dict(row._mapping) for row in kept} == {
            i: {"candidate_id": i, **v} for i, v in stored.items()
        }
        indexes = {index["name"] for index in inspect(connection).get_indexes("match_features")}
        assert {
            "ix_match_features_updated_at",
            "ix_match_features_candidate_id_vector_model",
        } <= indexes
        if connection.dialect.name == "postgresql":
            toast = connection.scalar(
                text(
                    "SELECT reltoastrelid::regclass::text FROM pg_class "
                    "WHERE relname = 'match_features'"
                )
            )
            assert connection.scalar(text(f"SELECT count(*) FROM {toast}")) == 0
    engine.dispose()
