"""Runs one peer resume parser inside that peer's own virtual environment.

Started by ``bench/parser_vs_peers.py`` as ``<venv>/bin/python driver.py PEER``; reads
``{"files": [{"path": ..., "text": ... or null}]}`` on stdin and prints JSON lines on the
real stdout: first ``{"setup": {...}}``, then one ``{"file", "raw", "seconds", "error"}``
per file.  ``text`` is set only for a format the peer cannot read itself (the bench then
passes the text of our extraction).  Only the standard library and the peer are used;
whatever the peer prints goes to stderr.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

OUT = sys.stdout
sys.stdout = sys.stderr  # peers print; keep our protocol clean

Parse = Callable[[str, str | None], Any]


def _plain(value: Any) -> Any:
    """Dataclasses, dates and other objects to JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _openresume() -> Parse:
    """openresume-parser: PDF through its own pypdf reader; other formats as text lines."""
    from openresume import parser as op

    def parse(path: str, text: str | None) -> Any:
        if text is None:
            return op.parse_resume_from_pdf(path)
        # The same fragments its _read_pdf builds from pypdf's text, one per line.
        frags = [
            op._PdfTextFragment(
                line.replace("\t", " "), 0, -n * 10, float(len(line)), 1, "text", True, 1, n
            )
            for n, line in enumerate(text.splitlines())
            if line.strip()
        ]
        return op._parse_text_fragments(frags) if frags else {"ok": False}

    return parse


def _rb() -> Parse:
    """rb-resume-parser: PDF/TXT through its own PyMuPDF reader; DOCX as text."""
    from resume_parser import resume_parser as rb

    def parse(path: str, text: str | None) -> Any:
        if text is None:
            return rb.parse_resume(path)
        original = rb.extract_text_from_pdf
        rb.extract_text_from_pdf = lambda _path: text
        try:
            return rb.parse_resume(path)
        finally:
            rb.extract_text_from_pdf = original

    return parse


def _pyresparser() -> Parse:
    """pyresparser-py3-10: PDF/DOCX/TXT through its own readers."""
    from pyresparser import ResumeParser

    return lambda path, text: ResumeParser(path).get_extracted_data()


def _leverparser() -> Parse:
    """leverparser (module pyresume): PDF/DOCX/TXT through its own readers."""
    from pyresume import ResumeParser

    parser = ResumeParser()
    return lambda path, text: parser.parse(path).to_dict()


def _zero() -> Parse:
    """zero-resume-parser: PDF/DOCX through its own readers; TXT read as text."""
    from zero_resume_parser import parser as zp

    def parse(path: str, text: str | None) -> Any:
        if text is None:
            return zp.parse_resume(path)
        original = zp.extract_text
        zp.extract_text = lambda _path: zp.clean_text(text)
        try:
            return zp.parse_resume(path)
        finally:
            zp.extract_text = original

    return parse


def _sereena() -> Parse:
    """sereena-parser: PDF/DOCX through its own readers; TXT as text."""
    from sereena_parser.main import ResumeParser

    parser = ResumeParser(max_workers=1)  # loads its spaCy model; raises when missing

    def parse(path: str, text: str | None) -> Any:
        if text is None:
            return parser.parse_single_resume(path)[1]
        ex = parser.entity_extractor  # TXT: its own extraction steps on the text
        return {
            "personal_info": ex.extract_personal_info(text),
            "skills": ex.extract_skills(text),
            "education": ex.extract_education(text),
            "experience": ex.extract_experience(text),
        }

    return parse


PEERS: dict[str, Callable[[], Parse]] = {
    "openresume-parser": _openresume,
    "rb-resume-parser": _rb,
    "pyresparser-py3-10": _pyresparser,
    "leverparser": _leverparser,
    "zero-resume-parser": _zero,
    "sereena-parser": _sereena,
}


def _emit(row: dict[str, Any]) -> None:
    OUT.write(json.dumps(row, ensure_ascii=False) + "\n")
    OUT.flush()


def main() -> None:
    """Set the peer up once, then parse every file and print one JSON line each."""
    peer = sys.argv[1]
    job = json.load(sys.stdin)
    started = time.perf_counter()
    try:
        parse = PEERS[peer]()
    except BaseException as exc:  # any set-up failure is a reason to report
        _emit({"setup": {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:400]}})
        return
    setup = {"ok": True, "seconds": time.perf_counter() - started}
    if importlib.util.find_spec("spacy") is not None:  # is its usual spaCy model there?
        setup["spacy"] = True
        setup["en_core_web_sm"] = importlib.util.find_spec("en_core_web_sm") is not None
    _emit({"setup": setup})
    for item in job["files"]:
        path, text = item["path"], item.get("text")
        started = time.perf_counter()
        raw, error = None, None
        try:
            raw = _plain(parse(path, text))
        except BaseException as exc:  # a crash on one file is that file's result
            error = f"{type(exc).__name__}: {exc}"[:300]
        seconds = time.perf_counter() - started
        _emit({"file": Path(path).name, "raw": raw, "seconds": seconds, "error": error})


if __name__ == "__main__":
    main()
