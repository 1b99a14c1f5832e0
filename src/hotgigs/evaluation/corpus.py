"""The ``jsonresume-real`` corpus: truth, fixed split and themes, scored and reported.

Typical use (the CLI's ``hotgigs eval --truth .../truth.jsonl --split dev``)::

    docs = load_corpus(truth_path, "dev")
    results = run(docs, predict=lambda doc: parse_resume_text(extract(doc.path)))
    print(format_report(results, "dev"))
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hotgigs.evaluation.scoring import FIELDS, Counts, micro, score_document, total

Split = Literal["train", "dev", "all"]
SPLITS: tuple[str, ...] = ("train", "dev", "all")


@dataclass(frozen=True)
class Document:
    """One corpus document and its truth."""

    file: str
    path: Path
    truth: dict[str, Any]
    theme: str = ""
    format: str = ""
    person: str = ""  # the manifest's source id: one person's documents stay in one fold


@dataclass(frozen=True)
class Result:
    """One document's prediction and its per-field counts."""

    doc: Document
    prediction: dict[str, Any]
    counts: dict[str, Counts]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_corpus(truth_path: str | Path, split: Split) -> list[Document]:
    """The documents of one part of the fixed split (``split.json`` and ``manifest.jsonl``
    next to the truth file; a missing manifest leaves theme and format from the name)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    truth_path = Path(truth_path)
    folder = truth_path.parent
    truth = {row["file"]: row["resume"] for row in _jsonl(truth_path)}
    manifest_path = folder / "manifest.jsonl"
    manifest = (
        {row["file"]: row for row in _jsonl(manifest_path)} if manifest_path.is_file() else {}
    )
    if split == "all":
        files = list(truth)
    else:
        parts = json.loads((folder / "split.json").read_text(encoding="utf-8"))
        files = list(parts[split])
    out = []
    for name in files:
        info = manifest.get(name, {})
        theme = str(info.get("theme", "")).removeprefix("jsonresume-theme-")
        fmt = str(info.get("format") or Path(name).suffix.lstrip("."))
        person = str(info.get("source_id") or name)
        out.append(Document(name, folder / name, truth[name], theme, fmt, person))
    return out


def run(docs: Iterable[Document], predict: Callable[[Document], Mapping[str, Any]]) -> list[Result]:
    """Predict and score every document."""
    results = []
    for doc in docs:
        prediction = dict(predict(doc))
        results.append(Result(doc, prediction, score_document(doc.truth, prediction)))
    return results


def _row(name: str, c: Counts) -> str:
    return (
        f"{name:<24} {c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f} {c.support:>7d}"
        f" {c.tp:>6d} {c.fp:>6d} {c.fn:>6d}"
    )


def _header(first: str) -> list[str]:
    return [
        f"{first:<24} {'P':>6} {'R':>6} {'F1':>6} {'support':>7} {'tp':>6} {'fp':>6} {'fn':>6}",
        "-" * 74,
    ]


def _grouped(results: list[Result], key: Callable[[Result], str]) -> list[str]:
    lines = []
    for name in sorted({key(r) for r in results}):
        part = [r for r in results if key(r) == name]
        lines.append(_row(f"{name} ({len(part)})", micro(total(r.counts for r in part))))
    return lines


def format_report(results: list[Result], title: str = "") -> str:
    """Per-field table, micro P/R/F1 by format and by theme; last line
    ``overall_micro_f1 0.XXX``."""
    lines = [title, "=" * len(title)] if title else []
    fields = total(r.counts for r in results)
    overall = micro(fields)
    lines.append(f"documents: {len(results)}")
    lines += _header("field")
    lines += [_row(f, fields[f]) for f in FIELDS]
    lines += ["-" * 74, _row("micro (12 fields)", overall), ""]
    lines += _header("format")
    lines += _grouped(results, lambda r: r.doc.format)
    lines.append("")
    lines += _header("theme")
    lines += _grouped(results, lambda r: r.doc.theme or "?")
    lines.append(f"overall_micro_f1 {overall.f1:.3f}")
    return "\n".join(lines)


def fold_of(doc: Document, folds: int) -> int:
    """The cross-validation fold of a document: fixed by its person, never split."""
    digest = hashlib.sha256(doc.person.encode()).digest()
    return int.from_bytes(digest[:4], "big") % folds


def format_folds(results: list[Result], folds: int, title: str = "") -> str:
    """F1 per field and micro-F1 of each person-disjoint fold, with their mean; last line
    ``cv_micro_f1 <mean> <standard deviation>``."""
    if not results:
        return "\n".join([title, "no documents"] if title else ["no documents"])
    parts = [[r for r in results if fold_of(r.doc, folds) == k] for k in range(folds)]
    fields = [total(r.counts for r in part) for part in parts]
    lines = [title, "=" * len(title)] if title else []
    heads = " ".join(f"{f'fold {k + 1}':>7}" for k in range(folds))
    lines.append(f"{'field':<24} {heads} {'mean':>7}")
    lines.append(f"{'documents':<24} " + " ".join(f"{len(p):>7d}" for p in parts))
    for field in FIELDS:
        scored = [f[field].f1 for f in fields if f[field].support]
        cells = " ".join(
            f"{f[field].f1:>7.3f}" if f[field].support else f"{'-':>7}" for f in fields
        )
        mean = f"{statistics.fmean(scored):>7.3f}" if scored else f"{'-':>7}"
        lines.append(f"{field:<24} {cells} {mean}")
    # A fold without documents (a tiny corpus) has no figure and does not count.
    micros = [micro(f).f1 if part else None for f, part in zip(fields, parts, strict=True)]
    scores = [v for v in micros if v is not None]
    cells = " ".join(f"{v:>7.3f}" if v is not None else f"{'-':>7}" for v in micros)
    lines.append(f"{'micro (12 fields)':<24} {cells} {statistics.fmean(scores):>7.3f}")
    spread = statistics.stdev(scores) if len(scores) > 1 else 0.0
    lines.append(f"cv_micro_f1 {statistics.fmean(scores):.3f} {spread:.3f}")
    return "\n".join(lines)
