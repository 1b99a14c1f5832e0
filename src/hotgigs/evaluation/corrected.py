"""The parser scored on an installation's corrected resumes: the fields people corrected,
the shipped model beside the installation's own (``hotgigs eval --corrections``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hotgigs import parsing
from hotgigs.evaluation.scoring import FIELDS, Counts, micro, score_document
from hotgigs.parsing.model import Model

if TYPE_CHECKING:
    from hotgigs.training.corrections import CorrectedDocument


def score(docs: Sequence[CorrectedDocument], model: Model | None) -> dict[str, Counts]:
    """Per corrected field, counts of ``model``'s reading (None: the shipped model) against
    what people left, over the documents where they corrected that field."""
    out: dict[str, Counts] = {}
    for doc in docs:
        prediction: Mapping[str, Any] = parsing.parse_text(doc.text, model=model).resume
        counts = score_document(doc.resume, prediction)
        for field in doc.corrected:
            out[field] = out.get(field, Counts()) + counts[field]
    return {f: out[f] for f in FIELDS if f in out}


def format_report(docs: Sequence[CorrectedDocument], own: Model | None, title: str) -> str:
    """A table of P/R/F1 per corrected field, shipped against the installation's model;
    last line ``corrected_micro_f1 <shipped> <installation>`` ("-" without one)."""
    shipped = score(docs, None)
    mine = score(docs, own) if own is not None else {}
    lines = [title, "=" * len(title), f"documents: {len(docs)}"]
    lines.append(
        f"{'field':<24} {'support':>7}   {'shipped P/R/F1':>20}   {'installation P/R/F1':>20}"
    )
    lines.append("-" * 80)
    for field, counts in shipped.items():
        lines.append(_line(field, counts, mine.get(field)))
    lines.append("-" * 80)
    total_shipped = micro(shipped)
    total_mine = micro(mine) if own is not None else None
    lines.append(_line("micro", total_shipped, total_mine))
    mine_f1 = f"{total_mine.f1:.3f}" if total_mine is not None else "-"
    lines.append(f"corrected_micro_f1 {total_shipped.f1:.3f} {mine_f1}")
    return "\n".join(lines)


def _line(name: str, shipped: Counts, mine: Counts | None) -> str:
    return f"{name:<24} {shipped.support:>7d}   {_prf(shipped):>20}   {_prf(mine):>20}"


def _prf(counts: Counts | None) -> str:
    if counts is None:
        return "-"
    return f"{counts.precision:.3f} {counts.recall:.3f} {counts.f1:.3f}"
