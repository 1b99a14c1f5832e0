"""Parse time per resume: plain text -> JSON Resume with ``hotgigs.parsing.parse_text``.

Usage: python bench/parse_speed.py [--data PATH] [--warmup 1] [--repeat 1]

Single process, one resume at a time (text extraction from PDF/DOCX is not included: the
texts come from the labelled JSON-lines file).  One warm-up pass over every text first
(imports, regex compilation, gazetteer and taxonomy loading), then the measured passes.
Prints p50 / p95 / max milliseconds per resume and resumes per second per core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared/data/resumes-labelled/dotin-train.jsonl"
)
sys.path.insert(0, str(REPO / "src"))


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(q / 100 * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--warmup", type=int, default=1, help="untimed passes first")
    ap.add_argument("--repeat", type=int, default=1, help="timed passes")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from hotgigs.parsing import parse_text

    import_s = time.perf_counter() - t0
    with args.data.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]

    t0 = time.perf_counter()
    for _ in range(args.warmup):
        for text in texts:
            parse_text(text)
    warm_s = time.perf_counter() - t0

    timings: list[float] = []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(args.repeat):
        for text in texts:
            started = time.perf_counter()
            parse_text(text)
            timings.append((time.perf_counter() - started) * 1000)
    cpu_s, wall_s = time.process_time() - cpu0, time.perf_counter() - wall0

    timings.sort()
    chars = sum(len(t) for t in texts)
    print(f"data: {args.data}")
    print(f"resumes: {len(texts)} ({chars / len(texts):.0f} chars on average), x{args.repeat}")
    print(f"import: {import_s * 1000:.0f} ms; warm-up pass: {warm_s:.2f} s")
    print(f"CPUs visible: {os.cpu_count()} (measured single process, one thread)")
    print(f"p50  {statistics.median(timings):8.1f} ms")
    print(f"p95  {percentile(timings, 95):8.1f} ms")
    print(f"max  {timings[-1]:8.1f} ms")
    print(f"mean {statistics.fmean(timings):8.1f} ms")
    print(f"throughput: {len(timings) / wall_s:.0f} resumes/s per core (wall)")
    print(f"            {len(timings) / cpu_s:.0f} resumes/s per core (CPU time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
