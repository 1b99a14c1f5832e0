"""Scores of many candidates against one job at once, over stored per-candidate features.

Pure library (numpy/scipy, no database): the service loads features, ranks every candidate
with array operations, then explains the best ones one by one (``explain``).

Categories, each 0-100, and only where the job asks something of them:

* skills: required skills weigh twice as much as preferred; a skill the resume does not
  list earns three quarters when the taxonomy does not know it but the resume text holds
  every word of it (per the word signature below: for such skills the text is the only
  evidence there is; a taxonomy skill seen only in prose was already judged no claim by
  the parser), and half when the candidate lists a related skill (same taxonomy family);
* experience: total years against the minimum (linear below it), and how many words of the
  job title the candidate's titles share; when the years are unknown, the titles alone;
* education: the highest degree against the level wanted (one level short: half), with a
  quarter of the score for a field of study the job mentions; not counted for a candidate
  whose degree is unknown (missing data is not evidence of no degree);
* semantic: the cosine of the job's and the candidate's text vectors, spread onto 0-100;
* location: the job's city (all of it), else its region or country; a remote job skips it.

The total is the weighted mean of the categories that apply to both job and candidate.
A candidate who earns nothing on any of a job's required skills (none listed, none in the
text, nothing related) is never a match of that job, whatever the total (`top_rows`).

A candidate's whole resume text is kept as a word signature: a 4,096-bit Bloom filter of its
words (two bits a word), 512 bytes that load as one numpy array, so any job's words can be
looked up in 100,000 resumes with a few column operations. A lookup may wrongly say yes
(about 2% for one word in a long resume, far less for two); never wrongly no.

A candidate's skill keys and title, field and location words are stored as terms: 8 bytes
each, a 64-bit hash of the word (`term_bytes`). 100,000 candidates' terms load into sparse
matrices with array operations alone (`FeatureRows`), and a job's words find their columns
by the same hash. Two words sharing a hash would be one column; among a million distinct
words that happens with a chance of about 3 in 100 million.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from hotgigs.matching import semantic
from hotgigs.parsing import skills as skills_lib

CATEGORIES = ("skills", "experience", "education", "semantic", "location")
DEFAULT_WEIGHTS: dict[str, float] = {
    "skills": 40.0,
    "experience": 20.0,
    "education": 10.0,
    "semantic": 20.0,
    "location": 10.0,
}
RELATED_CREDIT = 0.5
MENTION_CREDIT = 0.75
REQUIRED_WEIGHT = 2.0
SIGNATURE_BITS = 4096
SIGNATURE_BYTES = SIGNATURE_BITS // 8
TERM_BYTES = 8
TERM_DTYPE = np.dtype("<u8")


def _word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text."""
    return frozenset(text.split())


_WORD = re.compile(r"[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]")
STOP_WORDS = _word_set(
    """
    a an and at by for from in of on or the to with as is are be we you our your will
    who this that into over per via etc
    """
)
# Seniority and filler words say nothing about what a job is.
TITLE_NOISE = _word_set(
    """
    senior sr junior jr lead principal staff head chief associate assistant trainee intern
    i ii iii iv level entry experienced mid remote hybrid contract full part time
    """
)


def words(text: str | None) -> list[str]:
    """Lower-case words without stop words; a plural "s" is dropped ("engineers")."""
    out = []
    for word in _WORD.findall((text or "").lower()):
        if word in STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


def _digest(word: str) -> bytes:
    """A word's stable 64-bit hash (signatures and terms are stored: it must never change)."""
    return hashlib.blake2b(word.encode(), digest_size=TERM_BYTES).digest()


def _bits(word: str) -> tuple[int, int]:
    """The two signature bits of a word."""
    digest = _digest(word)
    return (
        int.from_bytes(digest[:4], "little") % SIGNATURE_BITS,
        int.from_bytes(digest[4:], "little") % SIGNATURE_BITS,
    )


def term_bytes(terms: Iterable[str]) -> bytes:
    """The stored form of a set of skill keys or words: each one's hash, once."""
    return b"".join(dict.fromkeys(_digest(term) for term in terms))


def word_signature(text: str) -> bytes:
    """The stored word signature of a text (every word, as `words` reads them)."""
    bits = np.zeros(SIGNATURE_BITS, dtype=bool)
    for word in set(words(text)):
        bits[list(_bits(word))] = True
    return np.packbits(bits, bitorder="little").tobytes()


def related_keys(key: str) -> frozenset[str]:
    """Keys of the skills in the same taxonomy families as one skill key."""
    entry = skills_lib.lookup(key)
    if entry is None:
        return frozenset()
    return frozenset(name.lower() for name in skills_lib.related(entry.name))


@dataclass(frozen=True)
class JobSpec:
    """What a job asks for, in comparable form."""

    title: str
    required: tuple[str, ...]  # skill keys
    preferred: tuple[str, ...]
    min_years: float | None
    education_rank: int  # 0: no requirement
    location: str
    remote: bool
    field_words: frozenset[str]  # words of the title, description and skills
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    vector: np.ndarray | None = None

    @property
    def title_words(self) -> list[str]:
        """Words of the title that say what the job is."""
        return [w for w in dict.fromkeys(words(self.title)) if w not in TITLE_NOISE]

    @property
    def location_parts(self) -> tuple[list[str], list[str]]:
        """The city's words, and the words of the rest (region, country)."""
        parts = [p for p in (self.location or "").split(",") if p.strip()]
        if not parts:
            return [], []
        return words(parts[0]), [w for p in parts[1:] for w in words(p)]


@dataclass(frozen=True)
class CandidateFeatures:
    """What scoring needs of one candidate (stored per candidate, loaded in bulk)."""

    skills: Sequence[str]  # skill keys
    years: float | None
    degree_rank: int  # 0 unknown
    title_words: Sequence[str]
    field_words: Sequence[str]
    location_words: Sequence[str]
    vector: np.ndarray | None = None  # from the current embedder, else None
    signature: bytes | None = None  # word_signature of the resume text


@dataclass(frozen=True)
class FeatureRows:
    """Many candidates' features in their stored form, one sequence per feature, rows in order."""

    skills: Sequence[bytes]  # term_bytes of each row's skill keys
    title_words: Sequence[bytes]  # term_bytes, as the three below
    field_words: Sequence[bytes]
    location_words: Sequence[bytes]
    years: Sequence[float | None]
    degree_rank: Sequence[int | None]  # None or 0: unknown
    signatures: Sequence[bytes | None]
    vectors: Sequence[bytes | None]  # float32 bytes from the current embedder, else None

    @classmethod
    def of(cls, features: Sequence[CandidateFeatures]) -> FeatureRows:
        """Candidates' features (as scoring reads them) in their stored form."""
        return cls(
            skills=[term_bytes(f.skills) for f in features],
            title_words=[term_bytes(f.title_words) for f in features],
            field_words=[term_bytes(f.field_words) for f in features],
            location_words=[term_bytes(f.location_words) for f in features],
            years=[f.years for f in features],
            degree_rank=[f.degree_rank for f in features],
            signatures=[f.signature for f in features],
            vectors=[None if f.vector is None else semantic.to_bytes(f.vector) for f in features],
        )

    def __len__(self) -> int:
        """How many rows."""
        return len(self.years)

    @property
    def dimensions(self) -> int | None:
        """The length of the first stored vector, if any row has one."""
        return next((len(v) // np.float32().itemsize for v in self.vectors if v), None)


def _term_ids(terms: Iterable[str]) -> np.ndarray:
    return np.frombuffer(term_bytes(terms), dtype=TERM_DTYPE)


def _positions(ids: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """Where each id stands in `terms` (distinct, holding every id), without sorting the ids.

    A table addressed by the hash's low bits, 32 slots a term, gives most of them at once;
    the few ids whose slot another term shares are searched for.
    """
    slots = 1 << max(10, (32 * len(terms)).bit_length())
    mask = np.uint64(slots - 1)
    term_slots = (terms & mask).astype(np.intp)
    table = np.full(slots, -1, dtype=np.intp)
    table[term_slots] = np.arange(len(terms))
    table[term_slots[table[term_slots] != np.arange(len(terms))]] = -1  # shared slots
    positions = table[(ids & mask).astype(np.intp)]
    shared = np.flatnonzero(positions < 0)
    if shared.size:
        order = np.argsort(terms)
        positions[shared] = order[np.searchsorted(terms, ids[shared], sorter=order)]
    return positions


class _SetColumns:
    """Rows of term sets as a sparse 0/1 matrix, queried one column group at a time."""

    def __init__(self, terms: np.ndarray, matrix: sparse.csc_matrix) -> None:
        self.terms = terms  # each column's term hash
        self._order = np.argsort(terms, kind="stable")
        self._sorted = terms[self._order]
        self.matrix = matrix

    @classmethod
    def of(cls, stored: Sequence[bytes], known: np.ndarray | None = None) -> _SetColumns:
        """Rows from their stored term bytes; `known` terms keep the first columns, in order."""
        ids = np.frombuffer(b"".join(stored), dtype=TERM_DTYPE)
        lengths = np.fromiter(map(len, stored), dtype=np.int64, count=len(stored))
        indptr = np.concatenate([[0], np.cumsum(lengths // TERM_BYTES)])
        # Hashed, not sorted: sorting a million terms takes most of a cold load.
        terms = np.unique(ids, sorted=False)
        if known is not None:  # a kept matrix's columns stay where they are
            terms = np.concatenate([known, terms[~np.isin(terms, known)]])
        data = np.ones(len(ids), dtype=np.float32)
        shape = (len(stored), max(1, len(terms)))
        indices = _positions(ids, terms)
        matrix = sparse.csr_matrix((data, indices, indptr), shape=shape).tocsc()
        return cls(terms, matrix)

    def columns(self, items: Iterable[str]) -> list[int]:
        """The columns of those of the items any row holds, in order."""
        if not len(self._sorted):
            return []
        wanted = _term_ids(items)
        place = np.minimum(np.searchsorted(self._sorted, wanted), len(self._sorted) - 1)
        found = self._sorted[place] == wanted
        return sorted(self._order[place[found]].tolist())

    def count(self, items: Iterable[str]) -> np.ndarray:
        """Per row, how many of the items it holds."""
        columns = self.columns(items)
        if not columns:
            return np.zeros(self.matrix.shape[0], dtype=np.float32)
        return np.asarray(self.matrix[:, columns].sum(axis=1), dtype=np.float32).ravel()

    def has(self, item: str) -> np.ndarray:
        """Per row, 1.0 where the row holds the item."""
        return self.count((item,))

    def nonempty(self) -> np.ndarray:
        """Per row, whether it holds anything."""
        return np.diff(self.matrix.tocsr().indptr) > 0

    def stacked(self, stored: Sequence[bytes]) -> _SetColumns:
        """These rows followed by more, over these columns (extended by the new terms)."""
        tail = _SetColumns.of(stored, self.terms)
        head = self.matrix.copy()
        head.resize((head.shape[0], tail.matrix.shape[1]))
        return _SetColumns(tail.terms, sparse.vstack([head, tail.matrix], format="csc"))


class FeatureMatrix:
    """Many candidates' features as arrays, built once and scored against any job."""

    def __init__(self, rows: FeatureRows, dimensions: int | None) -> None:
        self.size = len(rows)
        self.skills = _SetColumns.of(rows.skills)
        self.titles = _SetColumns.of(rows.title_words)
        self.fields = _SetColumns.of(rows.field_words)
        self.places = _SetColumns.of(rows.location_words)
        self._fill_arrays(rows, dimensions)

    def _fill_arrays(self, rows: FeatureRows, dimensions: int | None) -> None:
        """The dense parts: years, degrees, signatures and vectors."""
        # None becomes NaN: unknown years
        self.years = np.array(rows.years, dtype=np.float64).astype(np.float32)
        self.degree = np.array([d or 0 for d in rows.degree_rank], dtype=np.int8)
        self.signatures = _stacked_blobs(rows.signatures, SIGNATURE_BYTES, np.uint8)[0]
        self.vectors: np.ndarray | None = None
        self.has_vector = np.zeros(self.size, dtype=bool)
        if dimensions:
            self.vectors, self.has_vector = _stacked_blobs(rows.vectors, dimensions, np.float32)

    def appended(self, rows: FeatureRows) -> FeatureMatrix:
        """A new matrix: these rows, then the given ones (this one stays as it is)."""
        dimensions = self.vectors.shape[1] if self.vectors is not None else None
        tail = object.__new__(FeatureMatrix)
        tail.size = len(rows)
        tail._fill_arrays(rows, dimensions)
        joined = object.__new__(FeatureMatrix)
        joined.size = self.size + tail.size
        joined.skills = self.skills.stacked(rows.skills)
        joined.titles = self.titles.stacked(rows.title_words)
        joined.fields = self.fields.stacked(rows.field_words)
        joined.places = self.places.stacked(rows.location_words)
        for name in ("years", "degree", "signatures", "has_vector"):
            setattr(joined, name, np.concatenate([getattr(self, name), getattr(tail, name)]))
        joined.vectors = None
        if self.vectors is not None and tail.vectors is not None:
            joined.vectors = np.concatenate([self.vectors, tail.vectors])
        return joined

    def mentions(self, phrase: str) -> np.ndarray:
        """Per candidate, 1.0 where the resume text holds every word of the phrase."""
        found = np.ones(self.size, dtype=bool)
        phrase_words = words(phrase)
        if not phrase_words:
            return np.zeros(self.size, dtype=np.float32)
        for word in phrase_words:
            for bit in _bits(word):
                found &= (self.signatures[:, bit >> 3] & (1 << (bit & 7))) != 0
        return found.astype(np.float32)


@dataclass
class Scores:
    """Per candidate: the total and each category's score (NaN where it does not apply)."""

    total: np.ndarray
    categories: dict[str, np.ndarray]
    # Whether it earns anything on the job's required skills (all True when none are).
    has_required: np.ndarray

    def breakdown(self, row: int) -> dict[str, int]:
        """One candidate's category scores, rounded, only those that apply."""
        return {
            name: round(float(values[row]))
            for name, values in self.categories.items()
            if not np.isnan(values[row])
        }


def _stacked_blobs(
    blobs: Sequence[bytes | None], width: int, dtype: type[np.generic]
) -> tuple[np.ndarray, np.ndarray]:
    """Fixed-size stored arrays as the rows of one array (zeros for a missing or odd-sized
    one), and which rows had theirs."""
    size = width * np.dtype(dtype).itemsize
    present = [b is not None and len(b) == size for b in blobs]
    if all(present):
        joined = b"".join(blobs)  # the usual case: no row to fill in
    else:
        blank = bytes(size)
        joined = b"".join(b if ok else blank for b, ok in zip(blobs, present, strict=True))
    rows = np.frombuffer(joined, dtype=dtype).reshape(len(blobs), width)
    return rows, np.array(present, dtype=bool)


def score(job: JobSpec, matrix: FeatureMatrix, embedder: semantic.Embedder | None) -> Scores:
    """Every candidate's scores for one job, computed column-wise (no loop per candidate)."""
    n = matrix.size
    nan = np.full(n, np.nan, dtype=np.float32)
    skills, required = _skills(job, matrix) if job.required or job.preferred else (nan, nan)
    categories = {
        "skills": skills,
        "experience": _experience(job, matrix, nan),
        "education": _education(job, matrix) if job.education_rank else nan,
        "semantic": _semantic(job, matrix, embedder, nan),
        "location": _location(job, matrix) if job.location.strip() and not job.remote else nan,
    }
    parts = [
        (float(job.weights.get(name, DEFAULT_WEIGHTS[name])), values)
        for name, values in categories.items()
    ]
    total = np.nan_to_num(_weighted_mean(parts), nan=0.0)  # nothing applies: 0
    has_required = required > 0 if job.required else np.ones(n, dtype=bool)
    return Scores(
        total=np.clip(total, 0.0, 100.0), categories=categories, has_required=has_required
    )


def text_counts_for(key: str) -> bool:
    """Whether the resume text may stand for a skill: only one the taxonomy does not know."""
    return skills_lib.lookup(key) is None


def skill_credit(matrix: FeatureMatrix, key: str) -> np.ndarray:
    """Per candidate: 1 listed, 3/4 in the text (skills unknown to the taxonomy), 1/2 related."""
    exact = matrix.skills.has(key)
    mentioned = MENTION_CREDIT * matrix.mentions(key) if text_counts_for(key) else 0.0
    related = RELATED_CREDIT * np.minimum(matrix.skills.count(related_keys(key)), 1.0)
    return np.maximum(exact, np.maximum(mentioned, related))


def _skills(job: JobSpec, matrix: FeatureMatrix) -> tuple[np.ndarray, np.ndarray]:
    """The skills category, and each candidate's credit on the required skills alone."""
    required = np.zeros(matrix.size, dtype=np.float32)
    for key in job.required:
        required += skill_credit(matrix, key)
    earned = REQUIRED_WEIGHT * required
    for key in job.preferred:
        earned += skill_credit(matrix, key)
    possible = REQUIRED_WEIGHT * len(job.required) + len(job.preferred)
    return 100.0 * earned / possible, required


def _experience(job: JobSpec, matrix: FeatureMatrix, nan: np.ndarray) -> np.ndarray:
    parts: list[tuple[float, np.ndarray]] = []
    if job.min_years:
        # Unknown years (NaN) stay unknown: the title part alone speaks for that candidate.
        parts.append((0.6, 100.0 * np.minimum(matrix.years / job.min_years, 1.0)))
    title = job.title_words
    if title:
        parts.append((0.4, 100.0 * matrix.titles.count(title) / len(title)))
    if not parts:
        return nan
    return _weighted_mean(parts)


def _weighted_mean(parts: list[tuple[float, np.ndarray]]) -> np.ndarray:
    """Per row, the weighted mean of the parts that are known there (NaN where none is)."""
    weighted = sum(np.where(np.isnan(v), 0.0, w * v) for w, v in parts)
    weights = sum(np.where(np.isnan(v), 0.0, w) for w, v in parts)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weights > 0, weighted / weights, np.nan).astype(np.float32)


def _education(job: JobSpec, matrix: FeatureMatrix) -> np.ndarray:
    short = job.education_rank - matrix.degree.astype(np.float32)
    level = np.where(short <= 0, 100.0, np.where(short == 1, 50.0, 0.0))
    # No degree found is not the same as none held: education does not count for them.
    level = np.where(matrix.degree == 0, np.nan, level)
    field_match = np.minimum(matrix.fields.count(job.field_words), 1.0) * 100.0
    return np.where(matrix.fields.nonempty(), 0.75 * level + 0.25 * field_match, level)


def _semantic(
    job: JobSpec, matrix: FeatureMatrix, embedder: semantic.Embedder | None, nan: np.ndarray
) -> np.ndarray:
    if job.vector is None or matrix.vectors is None or embedder is None:
        return nan
    if matrix.vectors.shape[1] != job.vector.shape[0]:
        return nan
    values = semantic.cosine_to_score(matrix.vectors @ job.vector, embedder)
    return np.where(matrix.has_vector, values, np.nan).astype(np.float32)


def _location(job: JobSpec, matrix: FeatureMatrix) -> np.ndarray:
    city, rest = job.location_parts
    city_hit = (matrix.places.count(city) >= len(city)) if city else np.zeros(matrix.size, bool)
    rest_hit = matrix.places.count(rest) > 0 if rest else np.zeros(matrix.size, bool)
    if not rest and not city:
        return np.full(matrix.size, 100.0, dtype=np.float32)
    return np.where(city_hit, 100.0, np.where(rest_hit, 50.0, 0.0)).astype(np.float32)


def top_rows(scores: Scores, candidates: np.ndarray | None, limit: int, min_score: float) -> list:
    """Row numbers of the best matches (optionally among `candidates`, a bool mask)."""
    # A match scores at least `min_score` and earns something on the job's required skills.
    allowed = scores.has_required if candidates is None else candidates & scores.has_required
    total = np.where(allowed, scores.total, -1.0)
    eligible = np.flatnonzero(total >= min_score)
    if eligible.size > limit:
        part = np.argpartition(-total[eligible], limit - 1)[:limit]
        eligible = eligible[part]
    return sorted(eligible.tolist(), key=lambda row: -total[row])
