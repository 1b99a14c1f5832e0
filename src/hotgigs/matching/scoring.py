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


def _bits(word: str) -> tuple[int, int]:
    """The two signature bits of a word (a stable hash: signatures are stored)."""
    digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
    return (
        int.from_bytes(digest[:4], "little") % SIGNATURE_BITS,
        int.from_bytes(digest[4:], "little") % SIGNATURE_BITS,
    )


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


class _SetColumns:
    """Rows of string sets as a sparse 0/1 matrix, queried one column group at a time."""

    def __init__(self, rows: Iterable[Iterable[str]], vocab: dict[str, int] | None = None) -> None:
        self.vocab: dict[str, int] = dict(vocab or {})  # a copy: a kept matrix never changes
        indptr, indices = [0], []
        for row in rows:
            columns = {self.vocab.setdefault(item, len(self.vocab)) for item in row}
            indices.extend(columns)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        shape = (len(indptr) - 1, max(1, len(self.vocab)))
        self.matrix = sparse.csr_matrix((data, indices, indptr), shape=shape).tocsc()

    def count(self, items: Iterable[str]) -> np.ndarray:
        """Per row, how many of the items it holds."""
        columns = sorted({self.vocab[i] for i in items if i in self.vocab})
        if not columns:
            return np.zeros(self.matrix.shape[0], dtype=np.float32)
        return np.asarray(self.matrix[:, columns].sum(axis=1), dtype=np.float32).ravel()

    def has(self, item: str) -> np.ndarray:
        """Per row, 1.0 where the row holds the item."""
        return self.count((item,))

    def nonempty(self) -> np.ndarray:
        """Per row, whether it holds anything."""
        return np.diff(self.matrix.tocsr().indptr) > 0

    def stacked(self, rows: Sequence[Iterable[str]]) -> _SetColumns:
        """These rows followed by more, over one vocabulary (this one extended)."""
        tail = _SetColumns(rows, self.vocab)
        head = self.matrix.copy()
        head.resize((head.shape[0], tail.matrix.shape[1]))
        joined = object.__new__(_SetColumns)
        joined.vocab = tail.vocab
        joined.matrix = sparse.vstack([head, tail.matrix], format="csc")
        return joined


class FeatureMatrix:
    """Many candidates' features as arrays, built once and scored against any job."""

    def __init__(self, features: Sequence[CandidateFeatures], dimensions: int | None) -> None:
        self.size = len(features)
        self.skills = _SetColumns(f.skills for f in features)
        self.titles = _SetColumns(f.title_words for f in features)
        self.fields = _SetColumns(f.field_words for f in features)
        self.places = _SetColumns(f.location_words for f in features)
        self._fill_arrays(features, dimensions)

    def _fill_arrays(self, features: Sequence[CandidateFeatures], dimensions: int | None) -> None:
        """The dense parts: years, degrees, signatures and vectors."""
        self.years = np.array(
            [np.nan if f.years is None else f.years for f in features], dtype=np.float32
        )
        self.degree = np.array([f.degree_rank for f in features], dtype=np.int8)
        blank = bytes(SIGNATURE_BYTES)
        signatures = b"".join(
            f.signature if f.signature and len(f.signature) == SIGNATURE_BYTES else blank
            for f in features
        )
        self.signatures = np.frombuffer(signatures, dtype=np.uint8).reshape(
            self.size, SIGNATURE_BYTES
        )
        self.vectors: np.ndarray | None = None
        self.has_vector = np.zeros(self.size, dtype=bool)
        if dimensions:
            self.vectors = np.zeros((self.size, dimensions), dtype=np.float32)
            for row, f in enumerate(features):
                if f.vector is not None and f.vector.shape == (dimensions,):
                    self.vectors[row] = f.vector
                    self.has_vector[row] = True

    def appended(self, features: Sequence[CandidateFeatures]) -> FeatureMatrix:
        """A new matrix: these rows, then the given ones (this one stays as it is)."""
        dimensions = self.vectors.shape[1] if self.vectors is not None else None
        tail = object.__new__(FeatureMatrix)
        tail.size = len(features)
        tail._fill_arrays(features, dimensions)
        joined = object.__new__(FeatureMatrix)
        joined.size = self.size + tail.size
        joined.skills = self.skills.stacked([f.skills for f in features])
        joined.titles = self.titles.stacked([f.title_words for f in features])
        joined.fields = self.fields.stacked([f.field_words for f in features])
        joined.places = self.places.stacked([f.location_words for f in features])
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
