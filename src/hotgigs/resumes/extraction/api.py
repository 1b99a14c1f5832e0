"""Public functions, dispatch to a format's reader, and normalisation of the text."""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable

from hotgigs.resumes.extraction.base import (
    _ACCEPTED,
    _RESAVE,
    DEFAULT_MAX_BYTES,
    MAX_TEXT_CHARS,
    MIN_MEANINGFUL_CHARS,
    ExtractedText,
    ExtractionError,
    _megabytes,
    _Raw,
)
from hotgigs.resumes.extraction.detection import _Identified, _identify
from hotgigs.resumes.extraction.docx import _extract_docx
from hotgigs.resumes.extraction.html import _extract_html
from hotgigs.resumes.extraction.legacy_doc import _extract_doc
from hotgigs.resumes.extraction.ocr import _extract_image
from hotgigs.resumes.extraction.odt import _extract_odt
from hotgigs.resumes.extraction.pdf import _extract_pdf
from hotgigs.resumes.extraction.plain_text import _extract_txt
from hotgigs.resumes.extraction.rtf import _extract_rtf

# The libraries the format readers import where they use them, so that a web process, which
# only sniffs uploads, never loads them.
_READER_LIBRARIES = (
    "bs4",
    "docx.package",
    "filetype",
    "lxml.etree",
    "PIL.Image",
    "PIL.ImageOps",
    "pypdfium2",
    "pypdfium2.raw",
    "pytesseract",
    "striprtf.striprtf",
)

# =============================================================================================
# Public functions


def load_readers() -> None:
    """Import every format reader's library now. A process that forks a child per file calls
    this first, so that each child starts with them loaded instead of importing them anew."""
    for name in _READER_LIBRARIES:
        importlib.import_module(name)


def detect_kind(data: bytes) -> str | None:
    """The supported kind of `data` judged by its content (never a file name), else None."""
    try:
        return _identify(bytes(data)).kind
    except Exception:
        return None


def check_upload(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Quick checks for an upload: returns the kind, or raises ExtractionError.

    Cheaper than extraction (nothing is parsed beyond the container's table of contents)
    and more specific than `detect_kind`: an encrypted Office file is reported as
    "encrypted", an unsupported one names what it looks like.
    """
    data = _as_bytes(data)
    _check_size(data, max_bytes)
    try:
        found = _identify(data)
    except Exception:
        found = _Identified(None, "")
    return _require_supported(found)


def extract_text(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, ocr: bool = True
) -> ExtractedText:
    """Extract a resume's text. Raises ExtractionError (and nothing else) when it cannot."""
    try:
        return _extract(data, max_bytes=max_bytes, ocr=ocr)
    except ExtractionError:
        raise
    except MemoryError as exc:
        raise ExtractionError(
            "too_large", "The file needs too much memory to read; upload a smaller version."
        ) from exc
    except Exception as exc:  # the libraries below raise many things; none may escape
        raise ExtractionError(
            "corrupt", f"The file could not be read; it may be damaged. {_RESAVE}"
        ) from exc


# =============================================================================================
# Dispatch and normalisation


def _as_bytes(data: bytes) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    raise ExtractionError("unsupported_type", "The upload is not a file.")


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise ExtractionError("empty_file", "The file is empty.")
    if len(data) > max_bytes:
        raise ExtractionError(
            "too_large",
            f"The file is {_megabytes(len(data))} MB, over the {_megabytes(max_bytes)} MB limit.",
        )


def _require_supported(found: _Identified) -> str:
    if found.encrypted:
        raise ExtractionError("encrypted", found.description)
    if found.kind is None:
        if found.description:
            message = f"This file looks like {found.description}, which is not supported."
        else:
            message = "This file's type is not recognised."
        raise ExtractionError("unsupported_type", f"{message} {_ACCEPTED}")
    return found.kind


def _extract(data: bytes, *, max_bytes: int, ocr: bool) -> ExtractedText:
    data = _as_bytes(data)
    _check_size(data, max_bytes)
    kind = _require_supported(_identify(data))
    raw = _EXTRACTORS[kind](data, ocr)
    # Normalising only shortens text, so twice the cap is plenty to cut from afterwards.
    text = normalise_text(raw.text[: 2 * MAX_TEXT_CHARS])
    if len(text) > MAX_TEXT_CHARS:
        cut = text.rfind("\n", 0, MAX_TEXT_CHARS + 1)
        text = text[: cut if cut > 0 else MAX_TEXT_CHARS].rstrip()
        raw.warnings.append(
            f"The text was cut to its first {MAX_TEXT_CHARS:,} characters; a resume is rarely "
            "longer."
        )
    if not _has_meaningful(text, MIN_MEANINGFUL_CHARS):
        if kind in ("png", "jpg"):
            reason = "No readable text was found in the image."
        elif raw.used_ocr:
            reason = "OCR found no readable text in the scanned file."
        else:
            reason = "No readable text was found in the file; it looks empty."
        raise ExtractionError("no_text", reason)
    return ExtractedText(
        text=text,
        kind=kind,
        pages=raw.pages,
        used_ocr=raw.used_ocr,
        warnings=tuple(dict.fromkeys(raw.warnings)),
    )


def _has_meaningful(text: str, needed: int) -> bool:
    count = 0
    for char in text:
        if char.isalnum():
            count += 1
            if count >= needed:
                return True
    return False


# Characters worth a closer look: controls, odd spaces and format characters, surrogates,
# private use, specials, tags and the supplementary private-use planes.
_SUSPICIOUS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f"
    "\u205f-\u206f\u3000\ud800-\uf8ff\ufeff\ufff0-\uffff\U000e0000-\U0010ffff]"
)
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n"})
_SPACE_RUN = re.compile(r"[ \t]+")
_BLANK_RUN = re.compile(r"\n{3,}")


def _clean_char(char: str) -> str:
    if char in "\n\t":
        return char
    category = unicodedata.category(char)
    if category == "Zs":
        return " "
    if category in ("Cc", "Cs", "Co", "Cn"):
        return ""  # controls, lone surrogates, private-use icon glyphs, unassigned
    if category == "Cf" and char not in "\u200d":
        return ""  # soft hyphen, zero-width space, BOM, direction marks (keep emoji joiner)
    if char == "\ufffd":
        return ""
    return char


def normalise_text(text: str) -> str:
    """NFC; no NULs or control characters (tab and newline aside); one space between words;
    a tab where a run of whitespace held one; at most one blank line in a row."""
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = _SUSPICIOUS.sub(lambda match: _clean_char(match.group()), text)
    text = unicodedata.normalize("NFC", text)
    lines = []
    for line in text.split("\n"):
        line = _SPACE_RUN.sub(lambda m: "\t" if "\t" in m.group() else " ", line).strip(" \t")
        lines.append(line)
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


_EXTRACTORS: dict[str, Callable[[bytes, bool], _Raw]] = {
    "pdf": _extract_pdf,
    "docx": _extract_docx,
    "doc": _extract_doc,
    "rtf": _extract_rtf,
    "odt": _extract_odt,
    "html": _extract_html,
    "txt": _extract_txt,
    "png": _extract_image,
    "jpg": _extract_image,
}
