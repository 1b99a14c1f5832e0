"""Shared types, errors, limits and small helpers of resume text extraction."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

SUPPORTED_KINDS: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "rtf": "application/rtf",
    "odt": "application/vnd.oasis.opendocument.text",
    "html": "text/html",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
}

ERROR_CODES = frozenset(
    {
        "unsupported_type",
        "empty_file",
        "too_large",
        "corrupt",
        "encrypted",
        "zip_bomb",
        "no_text",
        "ocr_unavailable",
        "timeout",
        "tool_unavailable",
        "too_complex",
    }
)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 30  # pages whose text layer is read
MAX_OCR_PAGES = 10  # scanned pages sent to OCR (about 1 s each)
OCR_DPI = 200
OCR_PAGE_TIMEOUT = 60  # seconds for one page or image
OCR_TOTAL_BUDGET = 120  # seconds of OCR for one PDF; later scanned pages are skipped
OCR_MAX_SIDE = 5000  # pixels; larger renderings/images are scaled down first
TOOL_TIMEOUT = 30  # seconds for antiword / catdoc
MAX_IMAGE_PIXELS = 80_000_000  # larger images are refused (decompression bombs)
MIN_MEANINGFUL_CHARS = 20  # letters and digits a resume must have
ZIP_MAX_ENTRIES = 3000
ZIP_MAX_TOTAL_BYTES = 50 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_MIN_SIZE = 1024 * 1024
MAX_PAGE_CHARS = 200_000  # characters read from one PDF page
# Parsing time grows with the text (about 2 s for 100,000 characters, the length of a
# 30-page resume); longer text is cut so one file cannot hold a worker for minutes.
MAX_TEXT_CHARS = 100_000
# What a PDF's streams other than images (page contents, forms, fonts) may unpack to in
# all: PDFium holds a page's parsed contents in memory, many times their size.
PDF_MAX_UNPACKED_BYTES = 16 * 1024 * 1024

_ACCEPTED = "Upload a PDF, Word (DOCX or DOC), RTF, ODT, HTML, plain-text, PNG or JPG file."
_RESAVE = "Open it, save or export it again, and upload the new file."


class ExtractionError(Exception):
    """Text could not be extracted. `code` is one of ERROR_CODES; str() is a clear reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"ExtractionError({self.code!r}, {self.message!r})"

    def __reduce__(self):
        # Picklable (a task queue may carry it) despite the two-argument constructor.
        return (type(self), (self.code, self.message))


@dataclass(frozen=True)
class ExtractedText:
    """Normalised text of a resume file and how it was obtained."""

    text: str
    kind: str
    pages: int | None
    used_ocr: bool
    warnings: tuple[str, ...] = ()


@dataclass
class _Raw:
    text: str
    pages: int | None = None
    used_ocr: bool = False
    warnings: list[str] = field(default_factory=list)


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _meaningful(text: str) -> int:
    """How many letters and digits `text` has."""
    return sum(1 for char in text if char.isalnum())


def _emit_row(cells: list[list[str]], out: list[str]) -> None:
    """A table row: short one-line cells on one line (" | "), else cell after cell."""
    cells = [[line for line in cell if line.strip()] for cell in cells]
    cells = [cell for cell in cells if cell]
    if not cells:
        return
    if len(cells) > 1 and all(len(cell) == 1 for cell in cells):
        out.append(" | ".join(cell[0].strip() for cell in cells))
    else:
        for cell in cells:
            out.extend(cell)


def _dedupe_lines(lines: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for line in lines:
        key = " ".join(line.split()).lower()
        if key and key not in seen:
            seen.add(key)
            out.append(line)
    return out


_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:(?:page|pg\.?|p\.|seite|página|pagina|page n°)\s*)?\d{1,4}"
    r"(?:\s*(?:of|/|von|de|sur|di)\s*\d{1,4})?[\W_]*$",
    re.IGNORECASE,
)
