"""Reading a file in its limited child process, against reading it in this process.

Usage: python bench/isolated_extraction.py [--count 40]
Renders `--count` of the labelled resume texts as PDF and DOCX (half each), then reads each
one both ways, the way a worker does (`hotgigs.resumes.flows.extract_resume_text`) and
directly (`hotgigs.resumes.extraction.extract_text`), after the parser is loaded so that
this process is as large as a worker. Prints p50 / p95 milliseconds per file for both and
the cost of the child process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))


def main() -> None:
    """Render, read both ways, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("HOTGIGS_HOME", tempfile.mkdtemp(prefix="hotgigs-bench-"))
    import import_throughput

    from hotgigs.config import get_settings
    from hotgigs.parsing import parse_text
    from hotgigs.resumes import extraction
    from hotgigs.resumes.flows import extract_resume_text

    parse_text("Ada Lovelace\nEngineer")  # a worker holds the parser's models too
    files = import_throughput.render(args.count, import_throughput.DEFAULT_DATA)
    settings = get_settings()
    extract_resume_text(files[0][1], settings)  # warm-up: the first child
    # Every file in a child first: a worker never reads one in its own process, so reading
    # in this process first would load the readers' libraries here for the children.
    isolated = [_timed(extract_resume_text, data, settings) for _name, data in files]
    direct = [
        _timed(extraction.extract_text, data, max_bytes=settings.max_upload_bytes, ocr=False)
        for _name, data in files
    ]
    for label, values in (("in a child process", isolated), ("in this process", direct)):
        q = statistics.quantiles(values, n=20)
        print(f"{label:<20} p50 {statistics.median(values):6.1f} ms  p95 {q[18]:6.1f} ms")
    print(f"the child's cost: {statistics.median(isolated) - statistics.median(direct):.1f} ms")


def _timed(read, *args, **kwargs) -> float:
    """Milliseconds one call of ``read`` takes."""
    started = time.perf_counter()
    read(*args, **kwargs)
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
