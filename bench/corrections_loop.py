"""The corrections loop at full size: what an installation's corrections teach the parser,
and what the retrained model does to every other resume.

Usage: python bench/corrections_loop.py [--corrected 40] [--unseen 40] [--truth PATH]

Resumes as staffing agencies send them (tests/support/agency_resumes.py: the agency's
letterhead above the candidate, which the shipped parser takes for the person's name) are
"corrected" (their name), the tagger is trained as `hotgigs train --with-corrections`
trains it (the labelled training part plus the corrected resumes), and the script prints:

* basics.name accuracy on agency resumes from agencies no correction named, shipped model
  against the installation's;
* the jsonresume-real `dev` figures (per-field F1, micro-F1) of both models through the
  upload path, so a gain on one kind of resume is never paid for on the others.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corrected", type=int, default=40)
    parser.add_argument("--unseen", type=int, default=40)
    parser.add_argument(
        "--data", type=Path, default=SHARED / "resumes-labelled" / "dotin-train.jsonl"
    )
    parser.add_argument("--truth", type=Path, default=SHARED / "jsonresume-real" / "truth.jsonl")
    args = parser.parse_args()

    from tests.support.agency_resumes import AGENCIES, agency_resumes

    from hotgigs import parsing
    from hotgigs.config import get_settings
    from hotgigs.evaluation import corpus
    from hotgigs.evaluation.scoring import micro, total
    from hotgigs.parsing import model as parser_model
    from hotgigs.resumes import extraction
    from hotgigs.resumes.flows import extract_resume_text
    from hotgigs.training import tagger
    from hotgigs.training.corrections import FIELD_LABELS, entities_of

    seen = agency_resumes(args.corrected, seed=1, agencies=AGENCIES[:9])
    wrong = [d for d in seen if _name(parsing.parse_text(d.text)) != d.truth["basics"]["name"]]
    records = tagger.training_records(args.data)
    records += [
        {"id": f"correction-{i}", "text": d.text, "entities": entities_of(d.text, d.truth)}
        for i, d in enumerate(seen)
    ]
    out = Path(tempfile.mkdtemp(prefix="hotgigs-corrections-")) / "resume_crf.crfsuite"
    started = time.perf_counter()
    tagger.train(records, out, corrections={FIELD_LABELS["basics.name"]: len(wrong)})
    seconds = time.perf_counter() - started
    print(f"trained on {len(records) - len(seen)} labelled + {len(seen)} corrected resumes")
    print(f"({len(wrong)} with the name corrected) in {seconds:.0f} s")
    own = parser_model.load_file(out)
    unseen = agency_resumes(args.unseen, seed=2, agencies=AGENCIES[9:])
    for label, model in (("shipped", None), ("installation", own)):
        right = sum(
            _name(parsing.parse_text(d.text, model=model)) == d.truth["basics"]["name"]
            for d in unseen
        )
        print(f"agency resumes never seen, basics.name right: {label:<12} {right}/{len(unseen)}"
              f" = {right / len(unseen):.3f}")  # fmt: skip

    if not args.truth.is_file():
        print(f"no corpus at {args.truth}: dev figures skipped")
        return
    settings = get_settings()
    docs = corpus.load_corpus(args.truth, "dev")
    texts = {}
    for doc in docs:
        try:
            texts[doc.file] = extract_resume_text(doc.path.read_bytes(), settings).text
        except extraction.ExtractionError:
            texts[doc.file] = ""
    for label, model in (("shipped", None), ("installation", own)):
        results = corpus.run(
            docs, lambda d, m=model: parsing.parse_text(texts[d.file], model=m).resume
        )
        fields = total(r.counts for r in results)
        print(
            f"jsonresume-real dev, {label:<12} micro-F1 {micro(fields).f1:.3f}  "
            + "  ".join(f"{f} {c.f1:.3f}" for f, c in fields.items())
        )


def _name(result) -> str | None:
    """The name a parse read."""
    return (result.resume.get("basics") or {}).get("name")


if __name__ == "__main__":
    main()
