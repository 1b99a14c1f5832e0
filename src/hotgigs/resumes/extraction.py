"""Resume text extraction: bytes in, normalised plain text out.

A pure library (no web, no database). The file type is decided by content only; every
failure becomes an `ExtractionError` whose `code` is machine-readable and whose message is
written for a recruiter.

Formats: PDF (pypdfium2 text layer with column-aware reading order, running headers and
footers removed, OCR of scanned pages), DOCX (body order, tables, text boxes, headers and
footers), DOC (Debian `antiword`, `catdoc` as a fallback), RTF (striprtf), ODT (content.xml),
HTML (BeautifulSoup + lxml), TXT (charset-normalizer), PNG/JPEG (OCR with Tesseract).
"""

from __future__ import annotations

import bisect
import codecs
import ctypes
import io
import itertools
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import time
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

__all__ = [
    "ERROR_CODES",
    "SUPPORTED_KINDS",
    "ExtractedText",
    "ExtractionError",
    "check_upload",
    "detect_kind",
    "extract_text",
    "ocr_available",
]

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


# =============================================================================================
# Public functions


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


_OCR_CHECK: dict[str, bool] = {}


def ocr_available() -> bool:
    """Whether Tesseract (Debian package tesseract-ocr, English data) can be used."""
    path = shutil.which("tesseract")
    if path is None:
        return False
    if path not in _OCR_CHECK:
        try:
            import pytesseract

            pytesseract.pytesseract.tesseract_cmd = path
            _OCR_CHECK[path] = "eng" in pytesseract.get_languages(config="")
        except Exception:
            _OCR_CHECK[path] = False
    return _OCR_CHECK[path]


# =============================================================================================
# Dispatch and normalisation


def _as_bytes(data: bytes) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    raise ExtractionError("unsupported_type", "The upload is not a file.")


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


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


def _meaningful(text: str) -> int:
    """How many letters and digits `text` has."""
    return sum(1 for char in text if char.isalnum())


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


# =============================================================================================
# Type detection


@dataclass(frozen=True)
class _Identified:
    kind: str | None
    description: str  # what the file looks like, for messages ("a GIF image")
    encrypted: bool = False


_PNG = b"\x89PNG\r\n\x1a\n"
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_HTML_TAGS = re.compile(
    rb"<(?:html|head|body|div|p|table|meta|title|h[1-6]|span|br|ul|ol|li|section|article"
    rb"|header|main|style|link|font|b|strong|center)[\s>/]"
)
_UNSUPPORTED_NAMES = {
    "image/gif": "a GIF image",
    "image/tiff": "a TIFF image",
    "image/webp": "a WebP image",
    "image/bmp": "a BMP image",
    "image/heic": "a HEIC photo",
    "image/heif": "a HEIF photo",
    "image/x-icon": "an icon",
    "image/vnd.adobe.photoshop": "a Photoshop image",
    "application/x-msdownload": "a Windows program (EXE)",
    "application/x-executable": "a program (ELF executable)",
    "application/zip": "a zip archive",
    "application/x-rar-compressed": "a RAR archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/gzip": "a gzip archive",
    "application/x-tar": "a tar archive",
    "application/x-bzip2": "a bzip2 archive",
    "application/x-xz": "an xz archive",
    "application/x-sqlite3": "an SQLite database",
    "application/epub+zip": "an EPUB e-book",
    "application/postscript": "a PostScript file",
}


def _identify(data: bytes) -> _Identified:
    head = data[:1024]
    # A signature at the very start decides before a PDF header further in: a program or
    # an archive with a PDF tucked into its first kilobyte (a polyglot) is what it starts as.
    if head.startswith(_PNG):
        return _Identified("png", "a PNG image")
    if head.startswith(b"\xff\xd8\xff"):
        return _Identified("jpg", "a JPEG image")
    if head.startswith(_OLE):
        return _identify_ole(data)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return _identify_zip(data)
    if head[:2] == b"MZ" or head[:4] == b"\x7fELF":  # programs; like file(1), trust the magic
        return _Identified(None, _describe_binary(data))
    if b"%PDF-" in head:
        return _Identified("pdf", "a PDF")
    stripped = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if stripped[:5] == b"{\\rtf":
        return _Identified("rtf", "an RTF document")
    if _looks_html(head):
        return _Identified("html", "an HTML page")
    if _decode_text(data, probe=True) is not None:
        return _Identified("txt", "a plain-text file")
    return _Identified(None, _describe_binary(data))


def _describe_binary(data: bytes) -> str:
    if data[:2] == b"MZ":
        return "a Windows program (EXE)"
    if data[:4] == b"\x7fELF":
        return "a program (ELF executable)"
    try:
        import filetype

        guess = filetype.guess(data[:8192])
    except Exception:
        guess = None
    if guess is None:
        return ""
    name = _UNSUPPORTED_NAMES.get(guess.mime)
    if name:
        return name
    article = "an" if guess.extension[:1] in "aeiou" else "a"
    return f"{article} {guess.extension.upper()} file"


def _looks_html(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            head = head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            return False
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if not text.startswith(b"<"):
        return False
    return (
        text.startswith(b"<!doctype html")
        or b"<html" in text
        or _HTML_TAGS.search(text) is not None
    )


def _identify_zip(data: bytes) -> _Identified:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except Exception:
        # A damaged container: its local headers still name the parts.
        if b"word/document.xml" in data or (b"[Content_Types].xml" in data and b"word/" in data):
            return _Identified("docx", "a Word document")
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in data[:200]:
            return _Identified("odt", "an OpenDocument text")
        return _Identified(None, "a zip archive")
    with archive:
        if "mimetype" in names:
            mimetype = _small_entry(archive, "mimetype", 256).decode("ascii", "replace").strip()
            if mimetype in (
                "application/vnd.oasis.opendocument.text",
                "application/vnd.oasis.opendocument.text-template",
            ):
                return _Identified("odt", "an OpenDocument text")
            odf = {
                "spreadsheet": "an OpenDocument spreadsheet",
                "presentation": "an OpenDocument presentation",
                "graphics": "an OpenDocument drawing",
            }
            for part, description in odf.items():
                if mimetype.startswith(f"application/vnd.oasis.opendocument.{part}"):
                    return _Identified(None, description)
            if mimetype == "application/epub+zip":
                return _Identified(None, "an EPUB e-book")
        if "[Content_Types].xml" in names:
            types = _small_entry(archive, "[Content_Types].xml", 1024 * 1024)
            if (
                b"wordprocessingml.document.main+xml" in types
                or b"wordprocessingml.template.main+xml" in types
                or b"ms-word.document.macroEnabled.main+xml" in types
                or b"ms-word.template.macroEnabledTemplate.main+xml" in types
            ):
                return _Identified("docx", "a Word document")
            if b"spreadsheetml" in types or b"ms-excel" in types:
                return _Identified(None, "an Excel workbook (XLSX)")
            if b"presentationml" in types or b"ms-powerpoint" in types:
                return _Identified(None, "a PowerPoint presentation (PPTX)")
        if "word/document.xml" in names:
            return _Identified("docx", "a Word document")
    return _Identified(None, "a zip archive")


def _small_entry(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A small archive member's bytes; empty when it is too large or cannot be read."""
    try:
        info = archive.getinfo(name)
        if info.file_size > limit:
            return b""
        with archive.open(info) as entry:
            return entry.read(limit)
    except Exception:
        return b""


def _identify_ole(data: bytes) -> _Identified:
    try:
        cfb = _Cfb(data)
        names = cfb.stream_names()
    except Exception:
        cfb = None
        names = {
            name
            for name in ("EncryptedPackage", "WordDocument", "Workbook", "PowerPoint Document")
            if name.encode("utf-16-le") in data
        }
    if "EncryptedPackage" in names:
        return _Identified(
            None,
            "The document is password-protected (encrypted); "
            "remove the password in Word and upload it again.",
            encrypted=True,
        )
    if "WordDocument" in names:
        if cfb is not None and _word_fib_encrypted(cfb):
            return _Identified(
                None,
                "The Word document is password-protected; "
                "remove the password in Word and upload it again.",
                encrypted=True,
            )
        return _Identified("doc", "a Word 97-2003 document")
    if "Workbook" in names or "Book" in names:
        return _Identified(None, "an Excel 97-2003 workbook (XLS)")
    if "PowerPoint Document" in names:
        return _Identified(None, "a PowerPoint 97-2003 presentation (PPT)")
    if any(name.startswith("__substg1.0_") for name in names):
        return _Identified(None, "an Outlook message (MSG)")
    return _Identified(None, "an old Microsoft Office or Windows file (OLE compound file)")


def _word_fib_encrypted(cfb: _Cfb) -> bool:
    """The File Information Block's fEncrypted flag (MS-DOC 2.5.2)."""
    try:
        fib = cfb.read_stream("WordDocument", 12)
    except Exception:
        return False
    if len(fib) < 12:
        return False
    ident, flags = struct.unpack_from("<H", fib, 0)[0], struct.unpack_from("<H", fib, 10)[0]
    return ident in (0xA5EC, 0xA5DC) and bool(flags & 0x0100)


class _CfbError(ValueError):
    pass


class _Cfb:
    """Just enough of a Compound File Binary (OLE2) reader: directory names, stream starts."""

    _END = 0xFFFFFFFE
    _FREE = 0xFFFFFFFF

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(_OLE):
            raise _CfbError("not a compound file")
        self.data = data
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12):
            raise _CfbError("bad sector size")
        self.sector = 1 << shift
        if struct.unpack_from("<H", data, 32)[0] != 6:
            raise _CfbError("bad mini sector size")
        self.mini_sector = 64
        (
            fat_count,
            first_dir,
            _transaction,
            self.mini_cutoff,
            first_minifat,
            minifat_count,
            first_difat,
            difat_count,
        ) = struct.unpack_from("<IIIIIIII", data, 44)
        self.sectors = max(0, (len(data) - self.sector + self.sector - 1) // self.sector)
        difat = [s for s in struct.unpack_from("<109I", data, 76) if s < self.sectors]
        sector_id, seen = first_difat, 0
        while sector_id < self.sectors and seen < difat_count and seen <= self.sectors:
            values = struct.unpack(f"<{self.sector // 4}I", self._sector(sector_id))
            difat.extend(s for s in values[:-1] if s < self.sectors)
            sector_id, seen = values[-1], seen + 1
        difat = difat[: min(fat_count, self.sectors)]
        fat_bytes = b"".join(self._sector(s) for s in difat)
        self.fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes)
        directory = self._chain_bytes(first_dir)
        self.entries: list[tuple[str, int, int, int]] = []
        for offset in range(0, len(directory) - 127, 128):
            name_length, kind = struct.unpack_from("<HB", directory, offset + 64)
            if kind not in (1, 2, 5) or not 2 <= name_length <= 64:
                continue
            name = directory[offset : offset + name_length - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", directory, offset + 116)
            self.entries.append((name, kind, start, size))
        self.first_minifat = first_minifat
        self.minifat_count = minifat_count

    def _sector(self, sector_id: int) -> bytes:
        offset = (sector_id + 1) * self.sector
        return self.data[offset : offset + self.sector].ljust(self.sector, b"\0")

    def _chain(self, start: int, table: tuple[int, ...]) -> Iterator[int]:
        current, steps = start, 0
        while current < len(table) and current != self._END:
            yield current
            steps += 1
            if steps > len(table):
                raise _CfbError("sector chain loops")
            current = table[current]

    def _chain_bytes(self, start: int, limit: int | None = None) -> bytes:
        chunks, total = [], 0
        for sector_id in self._chain(start, self.fat):
            chunks.append(self._sector(sector_id))
            total += self.sector
            if limit is not None and total >= limit:
                break
        return b"".join(chunks)

    def stream_names(self) -> set[str]:
        return {name for name, kind, _, _ in self.entries if kind == 2}

    def read_stream(self, name: str, limit: int) -> bytes:
        entry = next((e for e in self.entries if e[1] == 2 and e[0] == name), None)
        if entry is None:
            raise _CfbError(f"no stream {name}")
        start, size = entry[2], entry[3]
        want = min(size, limit)
        if size >= self.mini_cutoff:
            return self._chain_bytes(start, want)[:want]
        root = next((e for e in self.entries if e[1] == 5), None)
        if root is None:
            raise _CfbError("no root entry")
        mini_stream = self._chain_bytes(root[2])
        minifat_bytes = self._chain_bytes(self.first_minifat)
        minifat = struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes)
        out = b"".join(
            mini_stream[s * self.mini_sector : (s + 1) * self.mini_sector]
            for s in self._chain(start, minifat)
        )
        return out[:want]


# =============================================================================================
# Plain text


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f\ufffd]")


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _decode_text(data: bytes, *, probe: bool = False) -> str | None:
    """Decode text bytes (UTF-8/16/32 with or without BOM, cp1252, latin-1...), else None."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = data.decode(encoding, "replace")
            return text if _text_is_clean(text) else None
    sample = data[:65536]
    if b"\0" in sample:
        # UTF-16 without a byte order mark puts NULs in every other byte for Latin text.
        evens, odds = sample[0::2], sample[1::2]
        for zeros, encoding in ((odds, "utf-16-le"), (evens, "utf-16-be")):
            if zeros and zeros.count(0) > 0.4 * len(zeros):
                text = data[: len(data) - len(data) % 2].decode(encoding, "replace")
                return text if _text_is_clean(text) else None
    if _control_ratio(sample) > 0.01:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        from charset_normalizer import from_bytes

        matches = from_bytes(sample if probe else data)
        best = matches.best()
        if best is None:
            return None
        encoding = best.encoding
        # Short Western texts fit several code pages equally well; Windows-1252 is by far
        # the likeliest of them.
        for match in matches:
            if match.encoding == "cp1252" and match.percent_chaos <= best.percent_chaos + 0.5:
                encoding = "cp1252"
                break
        text = data.decode(encoding, "replace")
    return text if _text_is_clean(text) else None


def _text_is_clean(text: str) -> bool:
    sample = text[:65536]
    if not sample.strip():
        return False
    bad = len(_BAD_TEXT.findall(sample))
    if not sample.isascii():
        bad += sum(1 for char in sample if ord(char) > 127 and unicodedata.category(char) == "Cn")
    return bad <= 0.01 * len(sample)


def _extract_txt(data: bytes, ocr: bool) -> _Raw:
    text = _decode_text(data)
    if text is None:
        raise ExtractionError("corrupt", "The text file's encoding could not be recognised.")
    return _Raw(text)


# =============================================================================================
# HTML


def _words(text: str) -> list[str]:
    return text.split()


_HTML_DROP = frozenset(
    _words("script style head noscript template svg iframe object embed canvas button select")
)
_HTML_BLOCKS = frozenset(
    _words(
        "address article aside blockquote caption dd details dialog div dl dt fieldset figcaption "
        "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table "
        "tbody thead tfoot tr ul body center"
    )
)

_HTML_PREFORMATTED = frozenset(("pre", "textarea"))

_DTD_SUBSET_END = re.compile(rb"\]\s*>")


def _without_internal_dtd(data: bytes) -> bytes:
    """The page without a leading DOCTYPE's internal subset (`<!DOCTYPE html [...]>`): the
    HTML parser ignores its entity declarations but would show the rest as text."""
    start = data[:1024].lower().find(b"<!doctype")
    if start < 0:
        return data
    bracket = data.find(b"[", start, start + 1024)
    if bracket < 0 or b">" in data[start:bracket]:
        return data
    end = _DTD_SUBSET_END.search(data, bracket)
    return data if end is None else data[:start] + data[end.end() :]


def _extract_html(data: bytes, ocr: bool) -> _Raw:
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        # XHTML is read as HTML on purpose: the HTML parser never processes entities.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(_without_internal_dtd(data), "lxml")
    # Block boundaries give one line break each, however many blocks nest there.
    return _Raw(re.sub(r"[ \t]*\n\s*", "\n", _html_text(soup)))


def _html_text(soup) -> str:
    """The page's text with line breaks at blocks and tabs before cells, in one walk.

    Iterative and linear in the number of nodes: changing the tree instead (inserting line
    breaks, asking each string for its ancestors) costs the square of the nesting depth,
    hours for a hostile page of 100,000 nested elements, and recursion would overflow.
    """
    from bs4 import CData, NavigableString, Tag

    out: list[str] = []
    preformatted = 0  # open <pre>/<textarea> elements: their line breaks are kept
    stack: list[tuple[object, bool]] = [(soup, False)]
    while stack:
        node, leaving = stack.pop()
        if not isinstance(node, Tag):
            if type(node) is NavigableString:
                out.append(str(node) if preformatted else re.sub(r"\s+", " ", node))
            elif type(node) is CData:
                out.append(str(node))
            continue
        name = node.name
        if leaving:
            if name in _HTML_PREFORMATTED:
                preformatted -= 1
            if name in _HTML_BLOCKS:
                out.append("\n")
            continue
        if name in _HTML_DROP:
            continue
        if name == "br":
            out.append("\n")
        elif name in ("td", "th"):
            out.append("\t")
        if name in _HTML_BLOCKS:
            out.append("\n")
        if name in _HTML_PREFORMATTED:
            preformatted += 1
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    return "".join(out)


# =============================================================================================
# RTF

_ANSICPG = re.compile(rb"\\ansicpg(\d{3,5})")
_RTF_LINK = re.compile(rb'HYPERLINK\s+(?:\\\\l\s+)?"((?:https?://|mailto:)[^"\\{}\s]{1,500})"')
_RTF_FCHARSET = re.compile(r"\\fcharset\d+")


_RTF_CELL = re.compile(r"\\(?:nest)?cell(?![a-zA-Z])")
_RTF_ROW = re.compile(r"\\(?:nest)?row(?![a-zA-Z])")
_CELL_MARK, _ROW_MARK = "\ue000", "\ue001"


def _rtf_tables(text: str) -> str:
    """Table rows from the cell/row markers: one-line cells side by side (" | "), cells
    holding paragraphs one after the other."""
    if _CELL_MARK not in text and _ROW_MARK not in text:
        return text
    pieces = text.split(_ROW_MARK)
    out = []
    for piece in pieces[:-1]:
        cells = piece.split(_CELL_MARK)
        if len(cells) > 1 and not cells[-1].strip():
            cells.pop()
        # The first cell also holds whatever text came before the row.
        before, _, first = cells[0].rpartition("\n")
        rest = [cell.strip() for cell in cells[1:]]
        if all("\n" not in cell for cell in rest):
            row = " | ".join(cell for cell in [first.strip(), *rest] if cell)
            out.append(f"{before}\n{row}\n" if before else f"{row}\n")
        else:
            out.append("\n".join([cells[0], *rest]) + "\n")
    out.append(pieces[-1].replace(_CELL_MARK, "\n"))
    return "".join(out)


def _extract_rtf(data: bytes, ocr: bool) -> _Raw:
    from striprtf import striprtf

    encoding = "cp1252"
    match = _ANSICPG.search(data[:8192])
    if match:
        candidate = f"cp{int(match.group(1))}"
        try:
            codecs.lookup(candidate)
            encoding = candidate
        except LookupError:
            pass
    links = list(dict.fromkeys(m.decode("ascii", "replace") for m in _RTF_LINK.findall(data)))
    # striprtf's hyperlink and font-table regular expressions take quadratic time on long
    # lines: field instructions become an ignorable destination (the visible link text stays,
    # targets are added below) and an oversized font table is dropped.
    source = data.replace(b"\\fldinst", b"\\*\\hotgigsfldinst").decode(encoding, "replace")
    # Table cells and rows become private-use marker characters, sorted out below.
    source = _RTF_CELL.sub(lambda _: "{\\uc1\\u57344?}", source)
    source = _RTF_ROW.sub(lambda _: "{\\uc1\\u57345?}", source)
    fonts = striprtf.font_table_group(source)
    if fonts and max(len(line) for line in fonts.splitlines() or [""]) > 8192:
        source = source.replace(fonts, "{\\fonttbl}", 1)
    try:
        text = striprtf.rtf_to_text(source, encoding=encoding, errors="replace")
    except LookupError:  # a font charset Python has no codec for
        text = striprtf.rtf_to_text(
            _RTF_FCHARSET.sub("", source), encoding=encoding, errors="replace"
        )
    # RTF \uN escapes come as UTF-16 units: join surrogate pairs (emoji, rare scripts).
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    text = _rtf_tables(text)
    missing = [link for link in links if link.removeprefix("mailto:") not in text]
    if missing:
        text += "\n" + "\n".join(missing)
    return _Raw(text)


# =============================================================================================
# Zip containers (DOCX, ODT)


def _open_zip(data: bytes, label: str) -> zipfile.ZipFile:
    """Open a zip container after checking it cannot expand to an unsafe size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ExtractionError(
            "corrupt", f"The {label} file is damaged (its zip container is broken). {_RESAVE}"
        ) from exc
    bomb = ExtractionError(
        "zip_bomb",
        f"The {label} file expands to an unsafe size when unpacked, so it was not opened. "
        f"{_RESAVE}",
    )
    if len(infos) > ZIP_MAX_ENTRIES:
        raise bomb
    total = 0
    for info in infos:
        total += info.file_size
        if total > ZIP_MAX_TOTAL_BYTES:
            raise bomb
        if info.file_size > ZIP_RATIO_MIN_SIZE and (
            info.compress_size == 0 or info.file_size / info.compress_size > ZIP_MAX_RATIO
        ):
            raise bomb
        if info.flag_bits & 0x1:
            raise ExtractionError(
                "encrypted",
                f"The {label} file is password-protected; remove the password and upload it again.",
            )
    return archive


def _xml_parser():
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


# Word and OpenDocument never declare a DTD in their XML parts (OPC forbids it); one that
# does is built to attack an XML parser: entities that expand a billion times, or that read
# a server file ("<!ENTITY xxe SYSTEM 'file:///etc/passwd'>"). Our parsers would neither
# expand nor load them; refusing says clearly why the file is not read.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_XML_PART_SUFFIXES = (".xml", ".rels")


def _dtd_refused(label: str) -> ExtractionError:
    return ExtractionError(
        "corrupt",
        f"The {label} file contains XML entity declarations (a DOCTYPE), which word "
        f"processors never write, so it was not opened. {_RESAVE}",
    )


def _declares_dtd(blob: bytes) -> bool:
    return any(marker in blob for marker in _DTD_MARKERS)


def _refuse_declared_dtds(archive: zipfile.ZipFile, label: str) -> None:
    """Raise when an XML part of a (size-checked) container declares a DTD."""
    for info in archive.infolist():
        if info.filename.lower().endswith(_XML_PART_SUFFIXES):
            with archive.open(info) as part:
                tail = b""
                # Read in chunks, keeping a marker's length of overlap between them.
                while chunk := part.read(1024 * 1024):
                    if _declares_dtd(tail + chunk):
                        raise _dtd_refused(label)
                    tail = chunk[-32:]


def _parse_xml(blob: bytes, label: str = "document"):
    from lxml import etree

    if _declares_dtd(blob):
        raise _dtd_refused(label)
    return etree.fromstring(blob, _xml_parser())


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


# ---------------------------------------------------------------------------------------------
# DOCX

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_W_P, _W_TBL, _W_TR, _W_TC = _w("p"), _w("tbl"), _w("tr"), _w("tc")
_W_T, _W_TAB, _W_BR, _W_CR = _w("t"), _w("tab"), _w("br"), _w("cr")
_W_TXBX = _w("txbxContent")
_W_NBH = _w("noBreakHyphen")
_W_SKIP = {
    _w(tag)
    for tag in (
        "delText",
        "instrText",
        "del",
        "moveFrom",
        "rPr",
        "pPr",
        "tblPr",
        "tblGrid",
        "trPr",
        "tcPr",
        "sectPr",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "delInstrText",
        "fldData",
    )
}
_W_BLOCK_CONTAINERS = {_w(tag) for tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo")}
_MC_ALTERNATE = f"{{{_MC}}}AlternateContent"
_MC_CHOICE = f"{{{_MC}}}Choice"
_MC_FALLBACK = f"{{{_MC}}}Fallback"


def _alternate_branch(element):
    """Of mc:AlternateContent, the branch to read: the first Choice, else the Fallback."""
    for child in element:
        if child.tag == _MC_CHOICE:
            return child
    for child in element:
        if child.tag == _MC_FALLBACK:
            return child
    return None


def _docx_blocks(container, out: list[str]) -> None:
    for child in container:
        tag = child.tag
        if tag == _W_P:
            boxes: list = []
            parts: list[str] = []
            _docx_inline(child, parts, boxes)
            out.append("".join(parts))
            for box in boxes:
                _docx_blocks(box, out)
        elif tag == _W_TBL:
            _docx_table(child, out)
        elif tag in _W_BLOCK_CONTAINERS:
            _docx_blocks(child, out)
        elif tag == _MC_ALTERNATE:
            branch = _alternate_branch(child)
            if branch is not None:
                _docx_blocks(branch, out)


def _docx_rows(table) -> Iterator:
    for child in table:
        if child.tag == _W_TR:
            yield child
        elif child.tag in _W_BLOCK_CONTAINERS:
            yield from _docx_rows(child)


def _docx_cells(row) -> Iterator:
    for child in row:
        if child.tag == _W_TC:
            yield child
        elif child.tag in _W_BLOCK_CONTAINERS:
            yield from _docx_cells(child)


def _docx_table(table, out: list[str]) -> None:
    for row in _docx_rows(table):
        cells = []
        for cell in _docx_cells(row):
            lines: list[str] = []
            _docx_blocks(cell, lines)
            cells.append(lines)
        _emit_row(cells, out)


def _docx_inline(element, parts: list[str], boxes: list) -> None:
    for child in element:
        tag = child.tag
        if tag == _W_T:
            if child.text:
                parts.append(child.text)
        elif tag == _W_TAB:
            parts.append("\t")
        elif tag in (_W_BR, _W_CR):
            parts.append("\n")
        elif tag == _W_NBH:
            parts.append("-")
        elif tag == _W_TXBX:
            boxes.append(child)
        elif tag == _MC_ALTERNATE:
            branch = _alternate_branch(child)
            if branch is not None:
                _docx_inline(branch, parts, boxes)
        elif tag in _W_SKIP or not isinstance(tag, str):
            continue
        else:
            _docx_inline(child, parts, boxes)


def _extract_docx(data: bytes, ocr: bool) -> _Raw:
    from docx.package import Package

    with _open_zip(data, "Word") as archive:
        _refuse_declared_dtds(archive, "Word")
    try:
        package = Package.open(io.BytesIO(data))
        part = package.main_document_part
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError(
            "corrupt", f"The Word document is damaged and cannot be read. {_RESAVE}"
        ) from exc
    root = _part_element(part)
    body = root.find(_w("body"))
    related = part.related_parts
    top: list[str] = []
    seen: set[str] = set()
    for reference in ("headerReference", "footerReference"):
        for ref in root.iter(_w(reference)):
            target = related.get(ref.get(f"{{{_R}}}id", ""))
            if target is None or target.partname in seen:
                continue
            seen.add(target.partname)
            lines: list[str] = []
            _docx_blocks(_part_element(target), lines)
            top.extend(line for line in lines if not _PAGE_NUMBER.match(line.strip()))
    lines = []
    if body is not None:
        _docx_blocks(body, lines)
    text_lines = [*_dedupe_lines(top), *lines]
    return _Raw("\n".join(text_lines))


def _part_element(part):
    element = getattr(part, "element", None)
    if element is not None:
        return element
    return _parse_xml(part.blob, "Word")


def _dedupe_lines(lines: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for line in lines:
        key = " ".join(line.split()).lower()
        if key and key not in seen:
            seen.add(key)
            out.append(line)
    return out


# ---------------------------------------------------------------------------------------------
# ODT

_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODF_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODF_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _t(tag: str) -> str:
    return f"{{{_ODF_TEXT}}}{tag}"


_O_P, _O_H = _t("p"), _t("h")
_O_S, _O_TAB, _O_BREAK = _t("s"), _t("tab"), _t("line-break")
_O_LIST, _O_LIST_ITEM, _O_LIST_HEADER = _t("list"), _t("list-item"), _t("list-header")
_O_TABLE = f"{{{_ODF_TABLE}}}table"
_O_ROW = f"{{{_ODF_TABLE}}}table-row"
_O_CELL = f"{{{_ODF_TABLE}}}table-cell"
_O_ROW_GROUPS = {
    f"{{{_ODF_TABLE}}}{tag}" for tag in ("table-header-rows", "table-rows", "table-row-group")
}
_O_FRAME = f"{{{_ODF_DRAW}}}frame"
_O_TEXT_BOX = f"{{{_ODF_DRAW}}}text-box"
_O_INLINE_SKIP = {
    _t("note"),
    _t("soft-page-break"),
    _t("bookmark"),
    _t("bookmark-start"),
    _t("bookmark-end"),
    _t("change"),
    _t("change-start"),
    _t("change-end"),
    _t("reference-mark"),
    f"{{{_ODF_OFFICE}}}annotation",
    f"{{{_ODF_OFFICE}}}annotation-end",
}
_O_BLOCK_CONTAINERS = {
    _t("section"),
    _t("index-body"),
    _t("table-of-content"),
    _t("alphabetical-index"),
    _t("illustration-index"),
    _t("user-index"),
    _t("bibliography"),
    _t("list-item"),
    _t("list-header"),
    _t("list"),
    _O_TEXT_BOX,
    _O_FRAME,
    f"{{{_ODF_OFFICE}}}text",
    f"{{{_ODF_STYLE}}}header",
    f"{{{_ODF_STYLE}}}header-first",
    f"{{{_ODF_STYLE}}}footer",
    f"{{{_ODF_STYLE}}}footer-first",
}
_XML_WHITESPACE = re.compile(r"[ \t\r\n]+")


def _odf_blocks(container, out: list[str]) -> None:
    for child in container:
        tag = child.tag
        if tag in (_O_P, _O_H):
            parts: list[str] = []
            boxes: list = []
            _odf_inline(child, parts, boxes)
            out.append("".join(parts))
            for box in boxes:
                _odf_blocks(box, out)
        elif tag == _O_TABLE:
            _odf_table(child, out)
        elif tag in _O_BLOCK_CONTAINERS:
            _odf_blocks(child, out)


def _odf_table(table, out: list[str]) -> None:
    for child in table:
        if child.tag in _O_ROW_GROUPS or child.tag == _O_TABLE:
            _odf_table(child, out)
        elif child.tag == _O_ROW:
            cells = []
            for cell in child:
                if cell.tag == _O_CELL:
                    lines: list[str] = []
                    _odf_blocks(cell, lines)
                    cells.append(lines)
            _emit_row(cells, out)


def _odf_inline(element, parts: list[str], boxes: list) -> None:
    if element.text:
        parts.append(_XML_WHITESPACE.sub(" ", element.text))
    for child in element:
        tag = child.tag
        if tag == _O_S:
            try:
                count = int(child.get(_t("c"), "1"))
            except ValueError:
                count = 1
            parts.append(" " * max(1, min(count, 50)))
        elif tag == _O_TAB:
            parts.append("\t")
        elif tag == _O_BREAK:
            parts.append("\n")
        elif tag == _O_FRAME:
            boxes.extend(box for box in child if box.tag == _O_TEXT_BOX)
        elif tag in _O_INLINE_SKIP or not isinstance(tag, str):
            pass
        else:
            _odf_inline(child, parts, boxes)
        if child.tail:
            parts.append(_XML_WHITESPACE.sub(" ", child.tail))


def _extract_odt(data: bytes, ocr: bool) -> _Raw:
    with _open_zip(data, "OpenDocument") as archive:
        names = set(archive.namelist())
        if "content.xml" not in names:
            raise ExtractionError(
                "corrupt", f"The OpenDocument file has no content part. {_RESAVE}"
            )
        _refuse_declared_dtds(archive, "OpenDocument")
        content = _parse_xml(archive.read("content.xml"), "OpenDocument")
        styles = (
            _parse_xml(archive.read("styles.xml"), "OpenDocument")
            if "styles.xml" in names
            else None
        )
    top: list[str] = []
    if styles is not None:
        for master in styles.iter(f"{{{_ODF_STYLE}}}master-page"):
            _odf_blocks(master, top)
    lines: list[str] = []
    body = content.find(f"{{{_ODF_OFFICE}}}body")
    if body is not None:
        for text in body.iter(f"{{{_ODF_OFFICE}}}text"):
            _odf_blocks(text, lines)
    top = [line for line in top if not _PAGE_NUMBER.match(line.strip())]
    return _Raw("\n".join([*_dedupe_lines(top), *lines]))


# =============================================================================================
# DOC (Word 97-2003 binary), through antiword or catdoc


def _extract_doc(data: bytes, ocr: bool) -> _Raw:
    antiword, catdoc = shutil.which("antiword"), shutil.which("catdoc")
    if antiword is None and catdoc is None:
        raise ExtractionError(
            "tool_unavailable",
            "Reading .doc files needs the Debian package antiword, which is not installed.",
        )
    with tempfile.TemporaryDirectory(prefix="hotgigs-doc-") as work:
        path = Path(work, "resume.doc")
        path.write_bytes(data)
        # antiword's DocBook output keeps table cells apart (its text output draws tables as
        # side-by-side grids); plain text and catdoc are the fallbacks.
        attempts: list[tuple[list[str], Callable[[str], str]]] = []
        if antiword:
            attempts.append(([antiword, "-x", "db", str(path)], _docbook_text))
            attempts.append(([antiword, "-w", "0", "-m", "UTF-8.txt", str(path)], str))
        if catdoc:
            attempts.append(([catdoc, "-w", "-d", "utf-8", str(path)], str))
        for command, convert in attempts:
            output = _run_tool(command, work)
            if output is None:
                continue
            try:
                text = convert(output).replace("[pic]", "")
            except Exception:
                continue
            if _meaningful(text) >= MIN_MEANINGFUL_CHARS:
                return _Raw(text)
    raise ExtractionError(
        "corrupt", f"The .doc file could not be read; it may be damaged. {_RESAVE}"
    )


def _run_tool(command: list[str], work: str) -> str | None:
    """Run a converter on a file in `work`; its output, or None when it failed."""
    env = {"HOME": work, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            timeout=TOOL_TIMEOUT,
            check=False,
            env=env,
            cwd=work,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(
            "timeout",
            f"Reading the .doc file took longer than {TOOL_TIMEOUT} seconds and was stopped.",
        ) from exc
    except OSError:
        return None
    if "encrypt" in result.stderr.decode("utf-8", "replace").lower():
        raise ExtractionError(
            "encrypted",
            "The Word document is password-protected; remove the password in Word and upload "
            "it again.",
        )
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", "replace")


_DOCBOOK_BLOCKS = {"para", "simpara", "title", "term", "literallayout", "programlisting"}
_DOCBOOK_SKIP = {"bookinfo", "info", "colspec", "footnote", "indexterm", "remark"}


def _docbook_text(xml: str) -> str:
    """Text of antiword's DocBook output: paragraphs in order, tables row by row."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=False
    )
    root = etree.fromstring(xml.encode("utf-8"), parser)
    if root is None:
        raise ValueError("no DocBook output")
    out: list[str] = []
    _docbook_blocks(root, out)
    return "\n".join(out)


def _docbook_blocks(container, out: list[str]) -> None:
    for child in container:
        _docbook_block(child, out)


def _docbook_block(element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if not tag or tag in _DOCBOOK_SKIP:
        return
    if tag in ("informaltable", "table"):
        for row in element.iter("row"):
            cells = []
            for entry in row.iter("entry"):
                lines: list[str] = []
                _docbook_block(entry, lines)
                cells.append(lines)
            _emit_row(cells, out)
    elif tag in _DOCBOOK_BLOCKS or tag == "entry":
        # Inline text in order; a table or list inside the paragraph is a block of its own.
        parts: list[str] = [element.text or ""]
        for inner in element:
            if inner.tag in ("informaltable", "table", "itemizedlist", "orderedlist", "para"):
                out.extend(line for line in "".join(parts).split("\n") if line.strip())
                parts = []
                _docbook_block(inner, out)
            elif isinstance(inner.tag, str) and inner.tag not in _DOCBOOK_SKIP:
                parts.append("".join(inner.itertext()))
            parts.append(inner.tail or "")
        out.extend(line for line in "".join(parts).split("\n") if line.strip())
    else:
        _docbook_blocks(element, out)


# =============================================================================================
# OCR


def _ocr_image(image) -> str:
    """OCR one PIL image with Tesseract (English)."""
    import pytesseract

    path = shutil.which("tesseract")
    if path is None:
        raise ExtractionError("ocr_unavailable", _ocr_missing_message("file"))
    pytesseract.pytesseract.tesseract_cmd = path
    image = image.convert("L")
    longest = max(image.size)
    if longest > OCR_MAX_SIDE:
        factor = OCR_MAX_SIDE / longest
        image = image.resize(
            (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
        )
    elif longest < 1000:
        image = image.resize((image.width * 2, image.height * 2))
    try:
        return pytesseract.image_to_string(
            image, lang="eng", config="--psm 3", timeout=OCR_PAGE_TIMEOUT
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise ExtractionError("ocr_unavailable", _ocr_missing_message("file")) from exc
    except RuntimeError as exc:  # pytesseract's timeout
        if "timeout" in str(exc).lower():
            raise ExtractionError(
                "timeout",
                f"Recognising the text (OCR) took longer than {OCR_PAGE_TIMEOUT} seconds a page "
                "and was stopped.",
            ) from exc
        raise ExtractionError(
            "corrupt", "Text recognition (OCR) failed on this file; upload a clearer copy."
        ) from exc
    except pytesseract.TesseractError as exc:
        raise ExtractionError(
            "corrupt", "Text recognition (OCR) failed on this file; upload a clearer copy."
        ) from exc


def _ocr_missing_message(what: str) -> str:
    if what == "pdf":
        start = "The PDF looks scanned (its pages are images with no text layer)"
    else:
        start = "The image needs text recognition (OCR)"
    return f"{start}, and OCR is not installed on this server (Debian package tesseract-ocr)."


def _ocr_disabled_message(what: str) -> str:
    if what == "pdf":
        return (
            "The PDF looks scanned (its pages are images with no text layer), and text "
            "recognition (OCR) is turned off on this server."
        )
    return "The image needs text recognition (OCR), which is turned off on this server."


def _extract_image(data: bytes, ocr: bool) -> _Raw:
    from PIL import Image, ImageOps

    if not ocr:
        raise ExtractionError("ocr_unavailable", _ocr_disabled_message("image"))
    if not ocr_available():
        raise ExtractionError("ocr_unavailable", _ocr_missing_message("image"))
    # Pillow refuses images over twice Image.MAX_IMAGE_PIXELS when opening them; the size
    # check below refuses anything over MAX_IMAGE_PIXELS before pixels are decoded.
    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ExtractionError(
                    "too_large",
                    f"The image is {width}x{height} pixels, too large to read; upload a "
                    "smaller picture or a PDF.",
                )
            opened.load()
            image = ImageOps.exif_transpose(opened) or opened
            image = image.convert("L")
    except ExtractionError:
        raise
    except Image.DecompressionBombError as exc:
        raise ExtractionError(
            "too_large", "The image is too large to read; upload a smaller picture or a PDF."
        ) from exc
    except Exception as exc:
        raise ExtractionError(
            "corrupt", f"The image is damaged or incomplete and cannot be read. {_RESAVE}"
        ) from exc
    text = _ocr_image(image)
    return _Raw(
        text,
        pages=1,
        used_ocr=True,
        warnings=["The text was recognised from an image (OCR); check it for errors."],
    )


# =============================================================================================
# PDF

_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe: one call at a time per process


@dataclass
class _Run:
    """Characters on one line that follow each other in the content stream."""

    text: list[str]
    left: float
    right: float
    bottom: float
    top: float
    last_left: float = 0.0

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @cached_property
    def string(self) -> str:
        return "".join(self.text).strip()


@dataclass
class _Line:
    text: str
    top: float
    bottom: float


@dataclass
class _PdfPage:
    lines: list[_Line]
    height: float
    meaningful: int


_SPACES = {0x20, 0xA0, 0x09, 0x2002, 0x2003, 0x2009, 0x200A, 0x202F, 0x3000}
# A gap between two runs of one line wider than this (in line heights; a word space is about
# a third) separates cells: "Title<tab>2019 - 2021", or skill tags printed as pills
# ("Python   R   Statistical Computing") that would otherwise read as one phrase.
PILL_GAP = 0.8


def _page_runs(textpage, pdfium_c) -> list[_Run]:
    """The page's characters (content-stream order) cut into runs: a run ends where the
    text jumps to another line, goes back, or leaves a gap wider than a word space."""
    handle = textpage.raw
    count = min(pdfium_c.FPDFText_CountChars(handle), MAX_PAGE_CHARS)
    box = pdfium_c.FS_RECTF()
    box_ref = ctypes.byref(box)
    get_unicode = pdfium_c.FPDFText_GetUnicode
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    spaces = _SPACES
    runs: list[_Run] = []
    text: list[str] | None = None  # the current run, kept in locals for speed
    r_left = r_right = r_bottom = r_top = r_last = 0.0
    pending_space = False
    high_surrogate = 0
    for index in range(count):
        code = get_unicode(handle, index)
        if code <= 32 or code in spaces:
            if code in (9, 10, 13, 32) or code in spaces:
                pending_space = True
            continue
        if 0xD800 <= code < 0xE000:
            if code < 0xDC00:
                high_surrogate = code
                continue
            if not high_surrogate:
                continue
            code = 0x10000 + ((high_surrogate - 0xD800) << 10) + (code - 0xDC00)
            high_surrogate = 0
        if code > 0x10FFFF:
            continue
        char = chr(code)
        if not get_box(handle, index, box_ref):
            if text is not None:
                text.append(char)
            continue
        left, right, bottom, top = box.left, box.right, box.bottom, box.top
        if left > right:
            left, right = right, left
        if bottom > top:
            bottom, top = top, bottom
        height = top - bottom
        if height <= 0.01:
            if text is not None:
                text.append(char)
            continue
        if text is not None:
            if r_top - r_bottom < height:
                height = r_top - r_bottom
            overlap = (top if top < r_top else r_top) - (bottom if bottom > r_bottom else r_bottom)
            gap = left - r_right
            # Same line, not going back (ligature parts share one box), no wide gap.
            if overlap >= 0.5 * height and left >= r_last - 0.25 * height and gap <= 0.8 * height:
                if pending_space or gap > 0.3 * height:
                    text.append(" ")
                text.append(char)
                if right > r_right:
                    r_right = right
                r_last = left
                if overlap >= 0.8 * height:  # grow with same-size text, not superscripts
                    if bottom < r_bottom:
                        r_bottom = bottom
                    if top > r_top:
                        r_top = top
                pending_space = False
                continue
            runs.append(_Run(text, r_left, r_right, r_bottom, r_top, r_last))
        text = [char]
        r_left, r_right, r_bottom, r_top, r_last = left, right, bottom, top, left
        pending_space = False
    if text is not None:
        runs.append(_Run(text, r_left, r_right, r_bottom, r_top, r_last))
    return [run for run in runs if run.string]


def _line_runs(runs: list[_Run]) -> list[list[_Run]]:
    """Runs grouped into lines (top to bottom), each line's runs left to right."""
    lines: list[list[_Run]] = []
    line_top = line_bottom = 0.0
    for run in sorted(runs, key=lambda r: -r.middle):
        if lines:
            height = min(run.height, line_top - line_bottom)
            overlap = min(line_top, run.top) - max(line_bottom, run.bottom)
            if overlap >= 0.5 * height:
                lines[-1].append(run)
                continue
        lines.append([run])
        line_top, line_bottom = run.top, run.bottom
    for line in lines:
        line.sort(key=lambda r: r.left)
    return lines


def _group_lines(runs: list[_Run]) -> list[_Line]:
    """The text lines of `runs`, top to bottom; a wide gap inside a line becomes a tab."""
    out = []
    for line in _line_runs(runs):
        parts = [line[0].string]
        for previous, run in itertools.pairwise(line):
            gap = run.left - previous.right
            height = min(previous.height, run.height)
            parts.append("\t" if gap > PILL_GAP * height else " ")
            parts.append(run.string)
        out.append(_Line("".join(parts), max(r.top for r in line), min(r.bottom for r in line)))
    return out


def _chars(runs: Iterable[_Run]) -> int:
    return sum(len(run.string) for run in runs)


def _find_gutter(runs: list[_Run]) -> tuple[float, float] | None:
    """The widest vertical strip (x0, x1) that few runs cross and that has text on both
    sides: the gap between two columns."""
    left_edge = min(r.left for r in runs)
    right_edge = max(r.right for r in runs)
    width = right_edge - left_edge
    if width < 100:
        return None
    heights = sorted(r.height for r in runs)
    min_gap = max(6.0, 0.9 * heights[len(heights) // 2])
    allowed = max(2, int(0.12 * len(runs)))
    # Coverage of every elementary x interval (a sweep over the run edges).
    edges = sorted({left_edge, right_edge, *(r.left for r in runs), *(r.right for r in runs)})
    starts = Counter(r.left for r in runs)
    ends = Counter(r.right for r in runs)
    coverage, depth = [], 0
    for x0, x1 in itertools.pairwise(edges):
        depth += starts.get(x0, 0) - ends.get(x0, 0)
        coverage.append((x0, x1, depth))
    low, high = left_edge + 0.08 * width, right_edge - 0.08 * width
    candidates: list[tuple[int, float, float, float]] = []
    start = None
    worst = 0
    for x0, _x1, depth in [*coverage, (right_edge, right_edge, allowed + 1)]:
        if depth <= allowed:
            if start is None:
                start, worst = x0, depth
            worst = max(worst, depth)
            continue
        if start is not None:
            g0, g1 = max(start, low), min(x0, high)
            if g1 - g0 >= min_gap:
                candidates.append((worst, -(g1 - g0), g0, g1))
            start = None
    total = _chars(runs)
    for _worst, _negative_width, g0, g1 in sorted(candidates)[:8]:
        left = [r for r in runs if r.right <= g1 and not r.left < g0 < g1 < r.right]
        right = [r for r in runs if r.left >= g0 and not r.left < g0 < g1 < r.right]
        if len(left) < 3 or len(right) < 3:
            continue
        if _chars(left) < 0.08 * total or _chars(right) < 0.08 * total:
            continue
        return g0, g1
    return None


def _paired(side: list[_Run], other: list[_Run]) -> float:
    """Fraction of `side`'s runs that sit on the same baseline as a run of `other`."""
    if not side:
        return 0.0
    bottoms = sorted(r.bottom for r in other)
    count = 0
    for run in side:
        tolerance = 0.25 * run.height
        position = bisect.bisect_left(bottoms, run.bottom - tolerance)
        if position < len(bottoms) and bottoms[position] <= run.bottom + tolerance:
            count += 1
    return count / len(side)


def _is_row_layout(left: list[_Run], right: list[_Run]) -> bool:
    """Whether two sides are one table/form read row by row rather than two columns:
    label/value pairs, right-aligned dates, rows of a skills grid."""
    left_paired, right_paired = _paired(left, right), _paired(right, left)
    if left_paired >= 0.9 and right_paired >= 0.9 and min(_fill(left), _fill(right)) < 0.6:
        # Level rows of short cells (a grid); lines that fill both columns are text flowing
        # in newspaper columns instead.
        return True
    labels = sum(1 for r in left if r.string.endswith(":"))
    if labels >= 0.6 * len(left):
        return True
    smaller, other_paired = (
        (right, right_paired) if _chars(right) <= _chars(left) else (left, left_paired)
    )
    if other_paired >= 0.9 and _chars(smaller) < 0.3 * (_chars(left) + _chars(right)):
        # Short fragments all level with the other side: right-aligned dates, for example,
        # unless they start at one x position as a real column's lines do.
        starts = Counter(round(r.left / 3) for r in smaller)
        aligned = sum(count for _, count in starts.most_common(2))
        if aligned < 0.7 * len(smaller) or (smaller is right and _right_aligned(smaller)):
            return True
    return False


def _fill(runs: list[_Run]) -> float:
    """How much of its side's width a typical line fills (0-1)."""
    width = max(r.right for r in runs) - min(r.left for r in runs)
    if width <= 0:
        return 1.0
    spans = sorted(line[-1].right - line[0].left for line in _line_runs(runs))
    return spans[len(spans) // 2] / width


def _right_aligned(runs: list[_Run]) -> bool:
    ends = Counter(round(r.right / 3) for r in runs)
    starts = Counter(round(r.left / 3) for r in runs)
    return ends.most_common(1)[0][1] > starts.most_common(1)[0][1]


def _vertical_overlap(a: list[_Run], b: list[_Run]) -> float:
    a_top, a_bottom = max(r.top for r in a), min(r.bottom for r in a)
    b_top, b_bottom = max(r.top for r in b), min(r.bottom for r in b)
    overlap = min(a_top, b_top) - max(a_bottom, b_bottom)
    smaller = min(a_top - a_bottom, b_top - b_bottom)
    return overlap / smaller if smaller > 0 else 0.0


def _reading_order(runs: list[_Run], depth: int = 0) -> list[_Line]:
    """Lines in reading order: columns one after the other, full-width lines between."""
    if depth >= 3 or len(runs) < 6:
        return _group_lines(runs)
    gutter = _find_gutter(runs)
    if gutter is None:
        return _group_lines(runs)
    g0, g1 = gutter
    # Runs crossing the gutter (a name or a rule across the page) cut the page into bands;
    # within a band the left column is read before the right one.
    out: list[_Line] = []
    band: list[_Run] = []
    ordered = sorted(runs, key=lambda r: -r.top)
    index = 0
    while index < len(ordered):
        run = ordered[index]
        if run.left < g0 and run.right > g1:
            out.extend(_order_band(band, g0, g1, depth))
            band = []
            spanning = [run]
            index += 1
            while index < len(ordered) and ordered[index].top > run.bottom + 0.5 * run.height:
                spanning.append(ordered[index])
                index += 1
            out.extend(_group_lines(spanning))
            continue
        band.append(run)
        index += 1
    out.extend(_order_band(band, g0, g1, depth))
    return out


def _split_off_top(side: list[_Run], level: float, line_height: float) -> list[_Run]:
    """Runs of one side above `level` that are not joined to the column below it by normal
    line spacing (a title or running header above the columns)."""
    above = sorted((r for r in side if r.bottom > level), key=lambda r: r.top)
    if not above:
        return []
    below = [r.top for r in side if r.bottom <= level]
    edge = max(below) if below else level
    for position, run in enumerate(above):
        if run.bottom - edge > 1.5 * line_height:
            return above[position:]
        edge = max(edge, run.top)
    return []


def _order_band(band: list[_Run], g0: float, g1: float, depth: int) -> list[_Line]:
    if not band:
        return []
    middle = (g0 + g1) / 2
    left = [r for r in band if (r.left + r.right) / 2 < middle]
    right = [r for r in band if (r.left + r.right) / 2 >= middle]
    if len(left) < 2 or len(right) < 2:
        return _group_lines(band)
    # Where both columns have begun; what floats above that on its own comes first.
    level = min(max(r.top for r in left), max(r.top for r in right))
    heights = sorted(r.height for r in band)
    line_height = heights[len(heights) // 2]
    lead = [*_split_off_top(left, level, line_height), *_split_off_top(right, level, line_height)]
    if lead:
        taken = {id(r) for r in lead}
        left = [r for r in left if id(r) not in taken]
        right = [r for r in right if id(r) not in taken]
    if (
        len(left) < 2
        or len(right) < 2
        or _vertical_overlap(left, right) < 0.25
        or _is_row_layout(left, right)
    ):
        return _group_lines(band)
    return _group_lines(lead) + _reading_order(left, depth + 1) + _reading_order(right, depth + 1)


_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:(?:page|pg\.?|p\.|seite|página|pagina|page n°)\s*)?\d{1,4}"
    r"(?:\s*(?:of|/|von|de|sur|di)\s*\d{1,4})?[\W_]*$",
    re.IGNORECASE,
)
_PAGE_FRAGMENT = re.compile(
    r"[\s|,\u00b7\u2022\-\u2013\u2014]*\bpage\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b"
    r"[\s|,\u00b7\u2022\-\u2013\u2014]*",
    re.IGNORECASE,
)


def _furniture_key(text: str, page: int, pages: int) -> str:
    """A header/footer line's identity: case, spacing and its page number ignored."""

    def number(match: re.Match) -> str:
        value = int(match.group())
        return "{page}" if value == page else "{pages}" if value == pages else match.group()

    key = re.sub(r"\d{1,4}", number, " ".join(text.lower().split()))
    return re.sub(r"[^\w{}]+", "", key)


def _drop_running_lines(pages: list[_PdfPage]) -> list[list[str]]:
    """Page lines without page numbers and with running headers/footers kept only once."""
    zones: list[set[int]] = []
    for page in pages:
        zone: set[int] = set()
        margin = 0.12 * page.height
        by_top = sorted(range(len(page.lines)), key=lambda i: -page.lines[i].top)
        for i in by_top[:3]:
            if page.lines[i].top >= page.height - margin:
                zone.add(i)
        for i in by_top[-3:]:
            if page.lines[i].bottom <= margin:
                zone.add(i)
        zones.append(zone)
    keys = [
        {i: _furniture_key(page.lines[i].text, number, len(pages)) for i in zone}
        for number, (page, zone) in enumerate(zip(pages, zones, strict=True), start=1)
    ]
    counts: Counter[str] = Counter()
    for page_keys in keys:
        counts.update(set(page_keys.values()))
    needed = max(2, (len(pages) + 1) // 2)
    repeated = {key for key, count in counts.items() if key and count >= needed}
    kept: set[str] = set()
    out = []
    for page, zone, page_keys in zip(pages, zones, keys, strict=True):
        lines = []
        for i, line in enumerate(page.lines):
            text = line.text
            if i in zone:
                if _PAGE_NUMBER.match(text.strip()):
                    continue
                key = page_keys[i]
                if key in repeated:
                    if key in kept:
                        continue
                    kept.add(key)
                text = _PAGE_FRAGMENT.sub(" ", text).strip()
                if not text:
                    continue
            lines.append(text)
        out.append(lines)
    return out


def _looks_scanned(page, pdfium_c, meaningful: int) -> bool:
    """Whether a page is a picture of text: (almost) no text layer but images or outlined
    text, or a page-sized image with only a little text (a scanner's watermark, say)."""
    if meaningful >= 200:
        return False
    handle = page.raw
    page_area = max(1.0, page.get_width() * page.get_height())
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    coverage, paths = 0.0, 0
    for index in range(min(pdfium_c.FPDFPage_CountObjects(handle), 100_000)):
        obj = pdfium_c.FPDFPage_GetObject(handle, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
        elif kind in (
            pdfium_c.FPDF_PAGEOBJ_IMAGE,
            pdfium_c.FPDF_PAGEOBJ_SHADING,
            pdfium_c.FPDF_PAGEOBJ_FORM,
        ):
            if pdfium_c.FPDFPageObj_GetBounds(
                obj,
                ctypes.byref(left),
                ctypes.byref(bottom),
                ctypes.byref(right),
                ctypes.byref(top),
            ):
                area = max(0.0, right.value - left.value) * max(0.0, top.value - bottom.value)
                coverage = max(coverage, min(1.0, area / page_area))
            else:
                coverage = max(coverage, 0.01)
    if meaningful < 10:
        return coverage > 0 or paths >= 50
    return coverage >= 0.5


def _largest_image(page, pdfium_c) -> tuple[int, int]:
    """Width and height of the page's largest image (forms included), read from the image
    dictionaries without decoding any pixels."""
    width, height = ctypes.c_uint(), ctypes.c_uint()
    largest = (0, 0)
    budget = 100_000  # objects looked at; a page with more is not a scan
    pending = [(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject)]
    while pending and budget > 0:
        holder, count, get = pending.pop()
        for index in range(min(count(holder), budget)):
            budget -= 1
            obj = get(holder, index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                pending.append(
                    (obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject)
                )
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                known = pdfium_c.FPDFImageObj_GetImagePixelSize(
                    obj, ctypes.byref(width), ctypes.byref(height)
                )
                if known and width.value * height.value > largest[0] * largest[1]:
                    largest = (width.value, height.value)
    return largest


_PDF_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
_PDF_IMAGE_DICT = re.compile(rb"/Subtype\s*/Image\b")


def _check_pdf_streams(data: bytes) -> None:
    """Refuse a PDF whose streams other than images unpack to an unsafe size (a few bytes of
    Flate can hold gigabytes of page contents that PDFium would parse into memory).

    Images are left to `_largest_image` (their pixels are only decoded to render a scan).
    """
    left = PDF_MAX_UNPACKED_BYTES
    position = 0
    while (match := _PDF_STREAM_START.search(data, position)) is not None:
        end = data.find(b"endstream", match.end())
        if end < 0:
            return
        header = data[max(0, match.start() - 2048) : match.start()]
        header = header[header.rfind(b"obj") + 1 :]
        if not _PDF_IMAGE_DICT.search(header):
            layers = max(1, header.count(b"/FlateDecode") + header.count(b"/Fl "))
            left -= _inflated_size(data[match.end() : end], layers, left)
            if left < 0:
                raise ExtractionError(
                    "too_large",
                    "The PDF's pages unpack to an unsafe size (over "
                    f"{_megabytes(PDF_MAX_UNPACKED_BYTES)} MB), so it was not opened. {_RESAVE}",
                )
        position = end + len(b"endstream")


def _inflated_size(stream: bytes, layers: int, limit: int) -> int:
    """How many bytes a Flate stream (applied `layers` times) unpacks to, counting no
    further than just past `limit`; the raw length when it is not Flate."""
    for layer in range(1, layers + 1):
        inflater = zlib.decompressobj()
        pieces, size, pending = [], 0, stream
        try:
            while pending and size <= limit:
                piece = inflater.decompress(pending, 1024 * 1024)
                size += len(piece)
                if layer < layers:
                    pieces.append(piece)
                pending = inflater.unconsumed_tail
        except zlib.error:
            return len(stream)
        if layer == layers or size > limit:
            return size
        stream = b"".join(pieces)
    return len(stream)


def _extract_pdf(data: bytes, ocr: bool) -> _Raw:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    _check_pdf_streams(data)
    raw = _Raw("")
    pages: list[_PdfPage] = []
    scanned: list[int] = []  # pages with pictures but (almost) no text layer
    images: dict[int, object] = {}
    oversized: dict[int, tuple[int, int]] = {}  # scanned pages too large to render for OCR
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            code = getattr(exc, "err_code", None)
            if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise ExtractionError(
                    "encrypted",
                    "The PDF is password-protected; remove the password and upload it again.",
                ) from exc
            raise ExtractionError(
                "corrupt", f"The PDF is damaged or incomplete and cannot be read. {_RESAVE}"
            ) from exc
        try:
            total = len(document)
            if total < 1:
                raise ExtractionError(
                    "corrupt", f"The PDF has no pages; it may be damaged or incomplete. {_RESAVE}"
                )
            raw.pages = total
            if total > MAX_PDF_PAGES:
                raw.warnings.append(f"Only the first {MAX_PDF_PAGES} of {total} pages were read.")
            for number in range(min(total, MAX_PDF_PAGES)):
                page = document[number]
                try:
                    textpage = page.get_textpage()
                    try:
                        runs = _page_runs(textpage, pdfium_c)
                    finally:
                        textpage.close()
                    lines = _reading_order(runs)
                    meaningful = _meaningful("".join(line.text for line in lines))
                    pages.append(_PdfPage(lines, page.get_height(), meaningful))
                    if _looks_scanned(page, pdfium_c, meaningful):
                        scanned.append(number)
                        if not ocr or len(images) >= MAX_OCR_PAGES or not ocr_available():
                            continue
                        # Rendering decodes every image at full size, whatever the scale: a
                        # tiny file can hold an image of gigabytes (a decompression bomb).
                        width, height = _largest_image(page, pdfium_c)
                        if width * height > MAX_IMAGE_PIXELS:
                            oversized[number] = (width, height)
                            continue
                        scale = OCR_DPI / 72
                        longest = max(page.get_width(), page.get_height()) * scale
                        if longest > OCR_MAX_SIDE:
                            scale *= OCR_MAX_SIDE / longest
                        bitmap = page.render(scale=scale, grayscale=True)
                        images[number] = bitmap.to_pil().copy()
                        bitmap.close()
                finally:
                    page.close()
        finally:
            document.close()

    text_pages = _drop_running_lines(pages)
    if scanned and (ocr and ocr_available()):
        started = time.monotonic()
        done: list[int] = []
        for number in scanned:
            if number not in images:
                continue
            if done and time.monotonic() - started > OCR_TOTAL_BUDGET:
                break
            text_pages[number] = [_ocr_image(images[number])]
            done.append(number)
        raw.used_ocr = bool(done)
        skipped = len(scanned) - len(done) - len(oversized)
        if oversized:
            width, height = max(oversized.values(), key=lambda size: size[0] * size[1])
            found = sum(_meaningful("\n".join(lines)) for lines in text_pages)
            if found < MIN_MEANINGFUL_CHARS:
                raise ExtractionError(
                    "too_large",
                    f"The PDF's scanned pages hold images of up to {width}x{height} pixels, too "
                    "large to read; upload a smaller scan or a PDF with a text layer.",
                )
            raw.warnings.append(
                f"{len(oversized)} scanned page(s) hold images too large to read "
                f"({width}x{height} pixels) and were skipped."
            )
        if skipped:
            raw.warnings.append(
                f"{len(done)} scanned pages were recognised (OCR); {skipped} more were skipped "
                "to keep processing time reasonable."
            )
        if raw.used_ocr:
            raw.warnings.append(
                "Scanned pages were read with text recognition (OCR); check the text for errors."
            )
    elif scanned:
        if sum(page.meaningful for page in pages) < MIN_MEANINGFUL_CHARS:
            message = _ocr_missing_message("pdf") if ocr else _ocr_disabled_message("pdf")
            raise ExtractionError("ocr_unavailable", message)
        if any(pages[n].meaningful == 0 for n in scanned):
            raw.warnings.append(
                f"{len(scanned)} page(s) look scanned and could not be read without OCR."
            )
    raw.text = "\n\n".join("\n".join(lines) for lines in text_pages)
    return raw


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
