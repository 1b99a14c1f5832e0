"""Training the parser's CRF tagger (:mod:`hotgigs.parsing.model`) from labelled resumes.

Uses the training part of the dataset only (``dotin-1`` .. ``dotin-250``); evaluation-part
ids are refused. Deterministic: the same records give the same model, byte for byte.
"""

from __future__ import annotations

import json
import re
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotgigs.parsing.api import analyse
from hotgigs.parsing.model import (
    FEATURE_VERSION,
    LABELS,
    MODEL_NAME,
    Analysis,
    Featurizer,
    Lexicon,
    Tokens,
    tokenize,
)

LEXICON_FOLDS = 5
TRAIN_MAX_NUMBER = 250
"""Records ``dotin-1`` .. ``dotin-250`` are the training part; the rest is for evaluation."""

DEFAULT_ITERATIONS = 100
DEFAULT_PARAMS: dict[str, Any] = {  # chosen by cross-validation on the training part
    "c1": 1.0,
    "c2": 0.3,
    "feature.possible_transitions": True,
    "feature.minfreq": 2,
}


# ---------------------------------------------------------------- gold tags


def gold_tags(analysis: Analysis, tokens: Tokens, entities: Iterable[dict]) -> list[str]:
    """BIO tags for ``tokens`` from labelled entities (offsets into the *original* text)."""
    doc = analysis.doc
    ents = sorted(
        ((e["start"], e["end"], LABELS[e["label"]]) for e in entities if e["label"] in LABELS),
        key=lambda e: (e[0], -e[1]),
    )
    ent_starts = [e[0] for e in ents]
    tags: list[str] = []
    prev = -1
    for s, e in zip(tokens.starts, tokens.ends, strict=True):
        o_start, o_end = doc.span(s, e)
        j = bisect_right(ent_starts, o_end - 1) - 1
        if j >= 0 and ents[j][1] <= o_start:
            j = -1  # entities do not overlap: the nearest one before is the only candidate
        if j < 0:
            tags.append("O")
            prev = -1
            continue
        tags.append(("I-" if prev == j else "B-") + ents[j][2])
        prev = j
    return tags


# ---------------------------------------------------------------- training


@dataclass(frozen=True, slots=True)
class TrainReport:
    """What :func:`train` did."""

    model_path: str
    records: int
    tokens: int
    iterations: int
    seconds: float
    size_bytes: int
    attributes: int
    unannotated: int = 0  # training records left out: labelled only in their first lines
    held_out: int = 0  # evaluation-part records in the file, not used

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _record_number(record_id: str) -> int | None:
    m = re.fullmatch(r"dotin-(\d+)", str(record_id))
    return int(m.group(1)) if m else None


def is_training_record(record_id: str) -> bool:
    """``dotin-1`` .. ``dotin-250`` (the fixed training part); other corpora are allowed."""
    number = _record_number(record_id)
    return number is None or 1 <= number <= TRAIN_MAX_NUMBER


def train(
    records: Iterable[dict],
    path: str | Path,
    *,
    iterations: int = DEFAULT_ITERATIONS,
    params: dict[str, Any] | None = None,
    corrections: dict[str, int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> TrainReport:
    """Train the CRF on ``records`` (``{"id", "text", "entities"}``) and save it to ``path``
    (plus a ``.json`` description next to it).  Deterministic for the same records.

    ``corrections``: how many of the records are people's corrections, per label; the
    description keeps it, and the parser lets the tagger decide those labels
    (:attr:`hotgigs.parsing.model.Model.corrected_labels`).

    Refuses evaluation-part records (``dotin-251`` ..): they must never be trained on.
    """
    import pycrfsuite

    records = sorted(records, key=lambda r: _sort_key(r["id"]))
    bad = [r["id"] for r in records if not is_training_record(r["id"])]
    if bad:
        raise ValueError(f"refusing to train on evaluation records: {bad[:5]}")
    t0 = time.perf_counter()
    settings = {**DEFAULT_PARAMS, **(params or {}), "max_iterations": iterations}
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(settings)
    folds = LEXICON_FOLDS if len(records) >= 2 * LEXICON_FOLDS else 1
    featurizers = []
    for k in range(folds):
        others = [r for i, r in enumerate(records) if folds == 1 or i % folds != k]
        featurizers.append(Featurizer(lexicon=Lexicon.build(others)))
    n_tokens = 0
    used = 0
    skipped_unlabelled = 0
    for index, record in enumerate(records):
        featurizer = featurizers[index % folds]
        extent = annotated_extent(record)
        if extent is None:
            skipped_unlabelled += 1
            continue
        analysis = analyse(record["text"])
        tokens = tokenize(analysis.doc)
        if not tokens.words:
            continue
        xseq = featurizer.features(analysis, tokens)
        yseq = gold_tags(analysis, tokens, record.get("entities", ()))
        cut = len(yseq)
        while cut and analysis.doc.span(tokens.starts[cut - 1], tokens.ends[cut - 1])[0] > extent:
            cut -= 1
        if cut < len(yseq):  # the annotator stopped here: what follows is unlabelled, not O
            xseq, yseq = xseq[:cut], yseq[:cut]
        if not yseq:
            continue
        trainer.append(xseq, yseq)
        n_tokens += len(yseq)
        used += 1
    if progress:
        progress(f"features for {used} records, {n_tokens} tokens")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
    seconds = time.perf_counter() - t0
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    n_attrs = len(tagger.info().attributes)
    tagger.close()
    info = {
        "name": MODEL_NAME,
        "feature_version": FEATURE_VERSION,
        "records": used,
        "first_record": records[0]["id"],
        "last_record": records[-1]["id"],
        "tokens": n_tokens,
        "iterations": iterations,
        "params": {"algorithm": "lbfgs", **settings},
        "labels": sorted(LABELS),
        "corrections": dict(sorted((corrections or {}).items())),
        "lexicon": Lexicon.build(records).entries,
    }
    path.with_suffix(".json").write_text(
        json.dumps(info, indent=1, ensure_ascii=False) + "\n", "utf-8"
    )
    return TrainReport(
        model_path=str(path),
        records=used,
        tokens=n_tokens,
        iterations=iterations,
        seconds=round(seconds, 2),
        size_bytes=path.stat().st_size,
        attributes=n_attrs,
        unannotated=skipped_unlabelled,
    )


UNLABELLED_TAIL = 500
"""Characters after the last labelled entity still trusted as unlabelled-means-O."""


def annotated_extent(record: dict) -> int | None:
    """Where the annotation of a record ends (original offsets), or None for a record that
    was left unannotated (a long text with no more than three labels).

    Some long resumes of the dataset are labelled only up to a point (or only the name);
    training on their unlabelled rest would teach the tagger that companies are ``O``.
    """
    text = record.get("text", "")
    ends = [e["end"] for e in record.get("entities", ())]
    if len(text) > 2000 and len(ends) <= 3:
        return None
    return max(ends, default=0) + UNLABELLED_TAIL


def _sort_key(record_id: str) -> tuple[int, str]:
    number = _record_number(record_id)
    return (number if number is not None else 0, str(record_id))


def training_records(data_path: str | Path) -> list[dict]:
    """The training part (``dotin-1`` .. ``dotin-250``) of a dotin-style JSONL file, in
    order; evaluation-part records are left out here (and refused by :func:`train`)."""
    with Path(data_path).open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r for r in rows if is_training_record(r.get("id", "")) and r.get("text")]


def train_from_jsonl(
    data_path: str | Path,
    out_path: str | Path,
    *,
    iterations: int = DEFAULT_ITERATIONS,
    progress: Callable[[str], None] | None = None,
) -> TrainReport:
    """Train on the training part of a dotin-style JSONL file (see :func:`training_records`),
    so the held-out figures stay honest."""
    records = training_records(data_path)
    if not records:
        raise ValueError(f"no training records in {data_path}")
    with Path(data_path).open(encoding="utf-8") as fh:
        skipped = sum(1 for line in fh if line.strip()) - len(records)
    report = train(records, out_path, iterations=iterations, progress=progress)
    return TrainReport(**{**report.as_dict(), "held_out": skipped})
