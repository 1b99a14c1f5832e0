"""Rule-based parser vs a blank spaCy NER trained on the dotin TRAINING part.

Usage: python bench/parser_vs_spacy.py [--data PATH] [--epochs 15] [--cache DIR] [--seed 0]

The baseline: ``spacy.blank("en")`` + ``ner`` (spaCy's default model, no pretrained
vectors), the 12 dataset labels, trained on dotin-1..250 only (entity character spans
expanded to token boundaries, overlapping spans dropped), minibatches, dropout 0.2, fixed
seed.  Both systems are then scored on dotin-251..310 with the same document-level set
metric (``hotgigs.evaluation.labelled.score``): the spaCy predictions per label are the
normalised texts of its entities, the parser's come from ``predicted_sets``.

spaCy is a dev dependency used only here; the product never imports it.  ``--cache DIR``
saves the trained pipeline there (and loads it next time, skipping training when the
data, epochs and seed match); without it a temporary directory is used and removed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared/data/resumes-labelled/dotin-train.jsonl"
)
sys.path.insert(0, str(REPO / "src"))

from hotgigs.evaluation.labelled import (  # noqa: E402
    LABELS,
    SKILLS_ROW,
    Record,
    Report,
    evaluate,
    format_comparison,
    format_report,
    load_records,
    normalise,
    predicted_sets,
    split,
)
from hotgigs.parsing import parse_text  # noqa: E402


def to_examples(nlp, records: list[Record]):
    """spaCy Examples; returns (examples, spans kept, spans dropped as overlapping/empty)."""
    from spacy.training import Example

    examples, kept, dropped = [], 0, 0
    for r in records:
        doc = nlp.make_doc(r.text)
        spans = []
        for e in r.entities:
            if e.label not in LABELS:
                continue
            # trim surrounding whitespace: a token span ending in "\n" is not an entity
            start, end = e.start, e.end
            while start < end and r.text[start].isspace():
                start += 1
            while end > start and r.text[end - 1].isspace():
                end -= 1
            span = doc.char_span(start, end, label=e.label, alignment_mode="expand")
            if span is None or not span.text.strip():
                dropped += 1
                continue
            spans.append(span)
        spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
        chosen, last_end = [], -1
        for s in spans:
            if s.start >= last_end:  # first-starting (longest on ties) wins
                chosen.append(s)
                last_end = s.end
            else:
                dropped += 1
        kept += len(chosen)
        entities = [(s.start_char, s.end_char, s.label_) for s in chosen]
        examples.append(Example.from_dict(doc, {"entities": entities}))
    return examples, kept, dropped


def train(records: list[Record], epochs: int, seed: int, batch: int):
    import spacy
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    random.seed(seed)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in LABELS:
        ner.add_label(label)
    examples, kept, dropped = to_examples(nlp, records)
    print(f"training examples: {len(examples)} docs, {kept} spans kept, {dropped} dropped")
    optimizer = nlp.initialize(lambda: examples)
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        random.shuffle(examples)
        losses: dict[str, float] = {}
        for mb in minibatch(examples, size=batch):
            nlp.update(mb, drop=0.2, sgd=optimizer, losses=losses)
        print(
            f"  epoch {epoch:>2}/{epochs}  ner loss {losses.get('ner', 0.0):10.1f}"
            f"  {time.perf_counter() - t0:5.1f}s",
            flush=True,
        )
    return nlp, time.perf_counter() - started


def spacy_predictor(nlp):
    def predict(text: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {label: set() for label in LABELS}
        for ent in nlp(text).ents:
            key = normalise(ent.text)
            if key and ent.label_ in out:
                out[ent.label_].add(key)
        return out

    return predict


def wins_and_losses(ours: Report, theirs: Report) -> str:
    won, lost, tied = [], [], []
    for (name, a), (_, b) in zip(ours.rows(), theirs.rows(), strict=True):
        diff = round(a.f1 - b.f1, 3)
        item = f"{name} ({a.f1:.3f} vs {b.f1:.3f})"
        (won if diff > 0 else lost if diff < 0 else tied).append(item)
    lines = ["parser WINS on:  " + (", ".join(won) or "-")]
    lines.append("parser LOSES on: " + (", ".join(lost) or "-"))
    if tied:
        lines.append("tied:            " + ", ".join(tied))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--batch", type=int, default=8, help="documents per minibatch")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", type=Path, default=None, help="save/load the trained model here")
    args = ap.parse_args(argv)

    import spacy

    records = load_records(args.data)
    train_part, eval_part = split(records, "train"), split(records, "eval")
    print(f"data: {args.data} ({len(train_part)} train / {len(eval_part)} eval records)")
    print(f"spaCy {spacy.__version__}, {os.cpu_count()} CPUs visible")

    digest = hashlib.sha256(args.data.read_bytes()).hexdigest()[:16]
    fingerprint = {"data": digest, "epochs": args.epochs, "seed": args.seed, "batch": args.batch}
    tmp = None
    cache = args.cache
    if cache is None:
        tmp = tempfile.mkdtemp(prefix="hotgigs-spacy-ner-")
        cache = Path(tmp)
    model_dir, stamp = cache / "model", cache / "fingerprint.json"
    try:
        if stamp.is_file() and json.loads(stamp.read_text()) == fingerprint:
            nlp = spacy.load(model_dir)
            print(f"loaded cached spaCy model from {model_dir} (training skipped)")
        else:
            print(f"training spaCy NER: {args.epochs} epochs, batch {args.batch}, dropout 0.2")
            nlp, seconds = train(train_part, args.epochs, args.seed, args.batch)
            print(f"training time: {seconds:.1f}s ({seconds / 60:.1f} min)")
            if args.cache is not None:
                cache.mkdir(parents=True, exist_ok=True)
                nlp.to_disk(model_dir)
                print(f"saved the trained model to {model_dir}")
                stamp.write_text(json.dumps(fingerprint))

        t0 = time.perf_counter()
        spacy_report = evaluate(eval_part, spacy_predictor(nlp))
        spacy_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        parser_report = evaluate(eval_part, lambda t: predicted_sets(parse_text(t), t))
        parser_s = time.perf_counter() - t0
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    n = len(eval_part)
    print()
    print(format_report(spacy_report, f"spaCy blank-en NER, dotin eval ({n} resumes)"))
    print(f"(inference {spacy_s:.1f}s, {1000 * spacy_s / max(n, 1):.0f} ms/resume)")
    print()
    print(format_report(parser_report, f"hotgigs parse_text, dotin eval ({n} resumes)"))
    print(f"(inference {parser_s:.1f}s, {1000 * parser_s / max(n, 1):.0f} ms/resume)")
    print()
    print(format_comparison({"parse_text": parser_report, "spacy-ner": spacy_report}))
    print()
    print(wins_and_losses(parser_report, spacy_report))
    print(f"{SKILLS_ROW} pooled F1: parser {parser_report.skills.f1:.3f}", end="")
    print(f" vs spaCy {spacy_report.skills.f1:.3f}")
    print(f"micro_f1 parser {parser_report.micro_f1:.3f} vs spaCy {spacy_report.micro_f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
