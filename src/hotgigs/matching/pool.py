"""The kept matrix: every candidate's stored features as one matrix, kept in this process and
brought up to date on each use, and which of its rows a job may consider."""

from __future__ import annotations

import gc
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Select, String, and_, func, select, type_coerce
from sqlalchemy.orm import Session

from hotgigs.auth.models import Role, User
from hotgigs.candidates.access import visible_to
from hotgigs.candidates.models import Candidate
from hotgigs.matching import scoring, semantic
from hotgigs.matching.features import load_features, refresh_candidates
from hotgigs.matching.models import CandidateMatchFeatures


@dataclass
class Pool:
    """Candidates' ids and their features as one matrix, rows in the same order."""

    raw_ids: list[Any]
    matrix: scoring.FeatureMatrix
    # Rows of a kept matrix whose candidate changed since are superseded by a later row.
    alive: np.ndarray | None = None
    row_of: dict[Any, int] = field(init=False)

    def __post_init__(self) -> None:
        self.row_of = {raw: row for row, raw in enumerate(self.raw_ids)}

    def with_rows(self, raw_ids: list[Any], rows: scoring.FeatureRows) -> Pool:
        """This pool with the changed candidates' rows appended and their old rows retired."""
        alive = np.ones(self.matrix.size, dtype=bool) if self.alive is None else self.alive.copy()
        alive[[self.row_of[raw] for raw in raw_ids if raw in self.row_of]] = False
        alive = np.concatenate([alive, np.ones(len(raw_ids), dtype=bool)])
        matrix = self.matrix.appended(rows)
        return Pool(raw_ids=self.raw_ids + list(raw_ids), matrix=matrix, alive=alive)

    def keep_only(self, live: set[Any]) -> Pool:
        """The same pool with the rows of candidates no longer stored retired."""
        alive = np.ones(self.matrix.size, dtype=bool) if self.alive is None else self.alive.copy()
        for raw, row in self.row_of.items():
            if raw not in live:
                alive[row] = False
        return Pool(raw_ids=self.raw_ids, matrix=self.matrix, alive=alive)

    @property
    def live_rows(self) -> int:
        """How many rows stand for a current candidate."""
        return self.matrix.size if self.alive is None else int(self.alive.sum())

    def id_at(self, row: int) -> uuid.UUID:
        """The candidate id of a row."""
        return uuid.UUID(str(self.raw_ids[row]))


def refresh_stale(
    session: Session, candidate_ids: Select[Any], embedder: semantic.Embedder
) -> None:
    """Compute the features of the selected candidates that have none, or another embedder's."""
    stored = CandidateMatchFeatures
    # Joined on candidate and embedder: the join reads their index alone, where testing the
    # embedder after the join read every candidate's feature row (0.3 s at 100,000).
    current = and_(stored.candidate_id == Candidate.id, stored.vector_model == embedder.name)
    stale = session.scalars(
        select(Candidate)
        .outerjoin(stored, current)
        .where(Candidate.id.in_(candidate_ids), stored.candidate_id.is_(None))
    ).all()
    if stale:
        refresh_candidates(session, stale, embedder)


def load_pool(session: Session, embedder: semantic.Embedder) -> Pool:
    """Every candidate's stored features as one matrix."""
    with _collector_paused():
        raw_ids, rows = load_features(session, embedder)
        return Pool(raw_ids=raw_ids, matrix=scoring.FeatureMatrix(rows, rows.dimensions))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector held off meanwhile.

    A load makes a million short-lived rows and tuples, none in a cycle, and they set off
    collection after collection over the whole heap: a third of a cold load's CPU time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _CachedPool:
    """Every candidate's features, as of a stamp of the features table."""

    key: tuple[str, str]  # database, embedder
    stamp: tuple[int, datetime | None]  # row count, newest update
    pool: Pool


_cached: _CachedPool | None = None
_cache_lock = threading.Lock()
# Past this share of retired rows, loading afresh is cheaper than carrying them.
MAX_RETIRED_SHARE = 0.2
# A row stamped just before the newest one seen may commit just after it was read: rows
# this close to the newest are taken again (a re-taken row replaces itself).
COMMIT_SKEW = timedelta(seconds=5)


def whole_pool(session: Session, embedder: semantic.Embedder) -> Pool:
    """Every candidate's features, kept in this process and brought up to date on each use.

    Loading 100,000 candidates' features takes seconds; scoring them, milliseconds. A worker
    keeps the matrix; when feature rows were added or changed since (the row count or the
    newest update time moved) it appends just those rows and retires the rows they replace,
    and when rows were removed it retires theirs, loading afresh only when a fifth of the
    rows are retired.
    """
    global _cached
    key = (session.get_bind().url.render_as_string(hide_password=True), embedder.name)
    stored = CandidateMatchFeatures
    # Two subqueries, each answered by the update-time index (together they scan it).
    count, newest = session.execute(
        select(
            select(func.count()).select_from(stored).scalar_subquery(),
            select(func.max(stored.updated_at)).scalar_subquery(),
        )
    ).one()
    with _cache_lock:
        if _cached is None or _cached.key != key or _cached.pool.matrix.vectors is None:
            _cached = _CachedPool(key, (count, newest), load_pool(session, embedder))
        elif _cached.stamp != (count, newest):
            _cached = _CachedPool(key, (count, newest), _updated(session, _cached, count, embedder))
        return _cached.pool


def _updated(
    session: Session, cached: _CachedPool, stored: int, embedder: semantic.Embedder
) -> Pool:
    """The kept pool with what changed since its stamp (`stored`: feature rows there now)."""
    pool = cached.pool
    _count, newest = cached.stamp
    if newest is not None:
        since = newest - COMMIT_SKEW
        raw_ids, rows = load_features(session, embedder, changed_since=since)
        pool = pool.with_rows(raw_ids, rows)
    if pool.live_rows != stored:  # rows were removed: retire them
        ids = session.connection().execute(
            select(type_coerce(CandidateMatchFeatures.candidate_id, String))
        )
        pool = pool.keep_only(set(ids.scalars()))
    if newest is None or pool.matrix.size - pool.live_rows > MAX_RETIRED_SHARE * pool.matrix.size:
        return load_pool(session, embedder)
    return pool


def forget_cached_pool() -> None:
    """Drop this process's kept matrix (the next job rematch loads it again)."""
    global _cached
    with _cache_lock:
        _cached = None


def job_pool(
    session: Session, owner: User, embedder: semantic.Embedder, *, open_job: bool = False
) -> tuple[Pool, np.ndarray | None]:
    """The features of every candidate, and which rows a job may consider.

    Those are the candidates the job's owner may see, and, for an open job, candidates with
    an account of their own: they see every open job, so the job is matched against them
    too (its owner still sees only matches with candidates they may see).
    """
    considered = visible_candidate_ids(owner)
    if open_job:
        account_holders = select(Candidate.id).where(Candidate.user_id.is_not(None))
        considered = considered.union(account_holders)
    refresh_stale(session, considered, embedder)
    pool = whole_pool(session, embedder)
    if owner.role is Role.ADMIN:
        return pool, pool.alive
    ids = session.connection().execute(
        select(type_coerce(Candidate.id, String)).where(Candidate.id.in_(considered))
    )
    mask = np.zeros(pool.matrix.size, dtype=bool)
    mask[[pool.row_of[raw] for raw in ids.scalars() if raw in pool.row_of]] = True
    return pool, mask


def visible_candidate_ids(owner: User) -> Select[Any]:
    """Ids of the candidates a job's owner may see: the pool its job is matched against."""
    return visible_to(user=owner).with_only_columns(Candidate.id)
