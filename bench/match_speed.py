"""Matching speed: rank 100,000 candidates for one job through the real matching service.

Usage: python bench/match_speed.py [--count 100000] [--seed 7] [--rounds 5]
                                   [--database-url postgresql+psycopg://...]

Loads the synthetic candidates of `bench/search_latency.py` (same generator, same seed)
into a fresh database with their stored matching features, then, for a job posted by an
admin (whose pool is every candidate) and one by a recruiter (own plus shared candidates):

* loads every stored feature row into one matrix (`matching.pool.whole_pool`, what a worker does
  once and keeps until the features table changes);
* ranks with `scoring.score` + `scoring.top_rows` over that matrix (the vectorised step:
  p50 of `--rounds`, and the time per candidate-job pair);
* runs the whole `matching.rematch.rematch_job` (the owner's scope, rank, explain and store the best
  500), once with the matrix still to load, then with it kept (p50 of `--rounds`), and once
  more after 100 candidates' features changed (the kept matrix takes just their rows);
* runs it once more in a fresh Python process, as the first task of a worker just started
  (modules imported, nothing loaded: the matrix, and the sentence model if it needs it).

Text vectors are random unit vectors around one centre per role (computing 100,000 real
sentence embeddings takes minutes and does not change the timing of a dot product); the
job's vector comes from the configured embedder, like in the product.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import search_latency  # noqa: E402  (the candidate generator and scratch database)

JOB = {
    "title": "Senior Java Developer",
    "description": "Build payment microservices in Java and Spring Boot on Kubernetes; "
    "PostgreSQL and Kafka in production. Nice to have: AWS, Terraform.",
    "required_skills": ["Java", "Spring Boot", "Microservices", "Kubernetes", "SQL"],
    "preferred_skills": ["Kafka", "AWS", "Terraform", "Docker"],
    "min_years": 5.0,
    "education": "bachelor",
    "location": "Bengaluru, Karnataka",
}


def feature_rows(data: search_latency.Dataset, dimensions: int, seed: int) -> list[dict]:
    """Stored matching features for every generated candidate, vectors clustered by role."""
    from hotgigs.candidates.models import Candidate
    from hotgigs.matching import features as match_features

    rng = np.random.default_rng(seed)
    centres: dict[str, np.ndarray] = {}
    rows = []
    for number, values in enumerate(data.candidates):
        candidate = Candidate(**values)
        role = values["headline"].split(" ", 1)[-1]
        centre = centres.setdefault(role, rng.standard_normal(dimensions).astype(np.float32))
        vector = centre + 0.8 * rng.standard_normal(dimensions).astype(np.float32)
        vector /= np.linalg.norm(vector)
        rows.append(
            {
                "candidate_id": values["id"],
                "vector": vector.astype(np.float32).tobytes(),
                "vector_model": "",  # set to the embedder's name by the caller
                # imported one after another, as in the product
                "updated_at": search_latency.NOW + timedelta(seconds=number),
                **match_features.feature_values(candidate),
            }
        )
    return rows


def timed(function, rounds: int) -> tuple[float, object]:
    """The median wall time of `rounds` calls in milliseconds, and the last result."""
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def cold_rematch(url: str, job_id: str) -> None:
    """In this fresh process, time one whole rematch of a job, as a just-started worker's."""
    from sqlalchemy.orm import sessionmaker

    from hotgigs.config import get_settings
    from hotgigs.db import create_db_engine
    from hotgigs.matching import rematch as match_rematch

    factory = sessionmaker(bind=create_db_engine(url))
    with factory() as session:
        started = time.perf_counter()
        kept = match_rematch.rematch_job(session, job_id=uuid.UUID(job_id), settings=get_settings())
        elapsed = (time.perf_counter() - started) * 1000
    # The sentence model is the only user of sentence_transformers: imported, it was loaded.
    model = "loaded" if "sentence_transformers" in sys.modules else "not loaded"
    print(f"{elapsed:.0f} ms, {kept} kept, sentence model {model}")


def in_fresh_process(url: str, job_id: uuid.UUID) -> str:
    """What `cold_rematch` prints when run by a new Python process."""
    command = [sys.executable, __file__, "--cold-rematch", url, str(job_id)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    """Generate, load, rank, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="PostgreSQL server to make a scratch database on")
    parser.add_argument(
        "--cold-rematch", nargs=2, metavar=("URL", "JOB_ID"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.cold_rematch:
        cold_rematch(*args.cold_rematch)
        return

    from sqlalchemy import insert, update
    from sqlalchemy.orm import sessionmaker

    from hotgigs import migrations
    from hotgigs.auth.models import User
    from hotgigs.config import get_settings
    from hotgigs.db import create_db_engine
    from hotgigs.jobs.models import Job
    from hotgigs.matching import features as match_features
    from hotgigs.matching import pool as match_pool
    from hotgigs.matching import rematch as match_rematch
    from hotgigs.matching import scoring
    from hotgigs.matching.models import CandidateMatchFeatures

    settings = get_settings()
    embedder = match_features.embedder_for(settings)
    started = time.perf_counter()
    data = search_latency.generate(args.count, args.seed)
    dimensions = embedder.encode(["probe"]).shape[1]
    features = feature_rows(data, dimensions, args.seed)
    for row in features:
        row["vector_model"] = embedder.name
    print(f"generated {len(features)} candidates in {time.perf_counter() - started:.0f} s")
    print(f"embedder: {embedder.name} ({dimensions} dimensions)", flush=True)

    with search_latency.scratch_database(args.database_url) as url:
        migrations.upgrade(url=url)
        engine = create_db_engine(url)
        search_latency.load(engine, data)
        with engine.begin() as connection:
            for start in range(0, len(features), 5000):
                batch = features[start : start + 5000]
                connection.execute(insert(CandidateMatchFeatures.__table__), batch)
        factory = sessionmaker(bind=engine)
        print(f"database: {engine.dialect.name}\n")
        for owner_id, who in ((data.admin_id, "admin"), (data.recruiter_id, "recruiter")):
            with factory() as session:
                owner = session.get(User, owner_id)
                job = Job(id=uuid.uuid4(), owner_id=owner_id, match_weights={}, **JOB)
                session.add(job)
                session.commit()
                spec, _ = match_features.job_spec(job, embedder.encode([JOB["title"]])[0])
                match_pool.forget_cached_pool()
                load_ms, _pool = timed(lambda: match_pool.whole_pool(session, embedder), 1)
                pool, visible = match_pool.job_pool(session, owner, embedder)

                def rank(pool=pool, spec=spec, visible=visible) -> list[int]:
                    scores = scoring.score(spec, pool.matrix, embedder)
                    return scoring.top_rows(
                        scores, visible, settings.match_keep_per_job, settings.match_min_score
                    )

                rank_ms, _best = timed(rank, args.rounds)

                def rematch(job_id=job.id) -> int:
                    return match_rematch.rematch_job(session, job_id=job_id, settings=settings)

                match_pool.forget_cached_pool()
                cold_ms, kept = timed(rematch, 1)
                warm_ms, _kept = timed(rematch, args.rounds)
                # 100 candidates re-imported meanwhile: the kept matrix takes just their rows
                changed = [row["candidate_id"] for row in features[:100]]
                session.execute(
                    update(CandidateMatchFeatures)
                    .where(CandidateMatchFeatures.candidate_id.in_(changed))
                    .values(updated_at=datetime.now(UTC))
                )
                session.commit()
                changed_ms, _kept = timed(rematch, 1)
                fresh = in_fresh_process(url, job.id)
            size = pool.matrix.size
            seen = size if visible is None else int(visible.sum())
            print(f"job posted by the {who}: {seen} candidates visible of {size}")
            print(
                f"  rank (score all {size} + best {settings.match_keep_per_job} visible): "
                f"{rank_ms:.0f} ms p50 = {rank_ms * 1000 / size:.2f} us per candidate-job pair"
            )
            print(f"  load every stored feature row into the matrix: {load_ms:.0f} ms")
            print(
                f"  whole rematch (scope, rank, explain and store {kept}): {cold_ms:.0f} ms "
                f"with the matrix to load, {warm_ms:.0f} ms p50 with it kept by the process, "
                f"{changed_ms:.0f} ms after 100 candidates changed"
            )
            print(f"  whole rematch in a fresh worker process: {fresh}")
        engine.dispose()


if __name__ == "__main__":
    main()
