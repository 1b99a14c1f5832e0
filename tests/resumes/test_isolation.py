"""Extraction in a limited child process: results and errors as in-process, costly files fail."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from hotgigs.resumes import extraction
from hotgigs.resumes.isolation import ExtractionLimits, extract_text_limited
from tests.support.documents import make_pdf
from tests.support.sample_resumes import sample_resume

TIGHT = ExtractionLimits(cpu_seconds=1, memory_bytes=64 * 1024 * 1024)
MAX_BYTES = 10 * 1024 * 1024


def test_the_child_gives_what_extraction_gives_in_process() -> None:
    data = make_pdf(sample_resume())
    here = extraction.extract_text(data, max_bytes=MAX_BYTES, ocr=False)
    there = extract_text_limited(data, max_bytes=MAX_BYTES, ocr=False, limits=TIGHT)
    assert there == here
    assert "Priya Raman" in there.text and there.kind == "pdf"


def test_a_refusal_in_the_child_keeps_its_code_and_reason() -> None:
    with pytest.raises(extraction.ExtractionError) as refused:
        extract_text_limited(b"%PDF-1.7 broken", max_bytes=MAX_BYTES, ocr=False, limits=TIGHT)
    assert refused.value.code == "corrupt"
    assert "damaged" in str(refused.value)


def spin(*_args, **_kwargs):
    """A reader that never finishes."""
    while True:
        pass


def hoard(*_args, **_kwargs):
    """A reader that wants far more memory than a resume needs."""
    return bytearray(512 * 1024 * 1024)


@pytest.mark.parametrize("reader", [spin, hoard], ids=["cpu", "memory"])
@pytest.mark.slow
def test_a_file_that_costs_too_much_fails_alone_with_a_reason(monkeypatch, reader) -> None:
    monkeypatch.setattr(extraction, "extract_text", reader)  # the forked child inherits it
    started = time.monotonic()
    with pytest.raises(extraction.ExtractionError) as refused:
        extract_text_limited(b"any", max_bytes=MAX_BYTES, ocr=False, limits=TIGHT)
    assert refused.value.code == "too_complex"
    assert "1 s or 64 MB" in str(refused.value)
    assert time.monotonic() - started < TIGHT.wall_seconds + 5
    monkeypatch.undo()
    # This process is unharmed and reads the next file.
    data = make_pdf(sample_resume(name="Next Person"))
    assert (
        "Next Person"
        in extract_text_limited(data, max_bytes=MAX_BYTES, ocr=False, limits=TIGHT).text
    )


@pytest.mark.slow
def test_deeply_nested_html_is_read_within_the_limits() -> None:
    # 100,000 nested elements (1.1 MB): once hours of CPU, quadratic in the depth.
    depth = 100_000
    page = b"<html><body>" + b"<div>deep " * depth + b"</div>" * depth + b"</body></html>"
    limits = ExtractionLimits(cpu_seconds=30, memory_bytes=1024**3)
    extracted = extract_text_limited(page, max_bytes=MAX_BYTES, ocr=False, limits=limits)
    assert extracted.kind == "html" and extracted.text.startswith("deep\ndeep\n")


def test_readers_libraries_load_on_demand_and_all_at_once_before_forking() -> None:
    # A web process that only sniffs uploads never loads them; a worker loads them once, so
    # that each file's child starts with them instead of importing them again.
    script = (
        "import sys\n"
        "from hotgigs.resumes import extraction\n"
        "readers = ('pypdfium2', 'docx.package', 'bs4', 'lxml.etree', 'striprtf.striprtf')\n"
        "print(sorted(set(readers) & set(sys.modules)))\n"
        "extraction.load_readers()\n"
        "print(sorted(set(readers) - set(sys.modules)))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert shown == ["[]", "[]"]
