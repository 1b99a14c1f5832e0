"""PDF: the text layer in reading order, running lines removed, scanned pages read by OCR."""

from __future__ import annotations

import ctypes
import re
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass

from hotgigs.resumes.extraction.base import (
    _PAGE_NUMBER,
    _RESAVE,
    MAX_IMAGE_PIXELS,
    MAX_OCR_PAGES,
    MAX_PAGE_CHARS,
    MAX_PDF_PAGES,
    MIN_MEANINGFUL_CHARS,
    OCR_DPI,
    OCR_MAX_SIDE,
    OCR_TOTAL_BUDGET,
    PDF_MAX_UNPACKED_BYTES,
    ExtractionError,
    _meaningful,
    _megabytes,
    _Raw,
)
from hotgigs.resumes.extraction.ocr import (
    _ocr_disabled_message,
    _ocr_image,
    _ocr_missing_message,
    ocr_available,
)
from hotgigs.resumes.extraction.pdf_layout import Run, TextLine, reading_order

_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe: one call at a time per process


@dataclass
class _PdfPage:
    lines: list[TextLine]
    height: float
    meaningful: int


_SPACES = {0x20, 0xA0, 0x09, 0x2002, 0x2003, 0x2009, 0x200A, 0x202F, 0x3000}


def _page_runs(textpage, pdfium_c) -> list[Run]:
    """The page's characters (content-stream order) cut into runs: a run ends where the
    text jumps to another line, goes back, or leaves a gap wider than a word space."""
    handle = textpage.raw
    count = min(pdfium_c.FPDFText_CountChars(handle), MAX_PAGE_CHARS)
    box = pdfium_c.FS_RECTF()
    box_ref = ctypes.byref(box)
    get_unicode = pdfium_c.FPDFText_GetUnicode
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    spaces = _SPACES
    runs: list[Run] = []
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
            runs.append(Run(text, r_left, r_right, r_bottom, r_top, r_last))
        text = [char]
        r_left, r_right, r_bottom, r_top, r_last = left, right, bottom, top, left
        pending_space = False
    if text is not None:
        runs.append(Run(text, r_left, r_right, r_bottom, r_top, r_last))
    return [run for run in runs if run.string]


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
                    lines = reading_order(runs)
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
