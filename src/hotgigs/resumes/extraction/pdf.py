"""PDF: the text layer in reading order, running lines removed, scanned pages read by OCR."""

from __future__ import annotations

import bisect
import ctypes
import itertools
import re
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

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
    strip: list[tuple[float, float, int]] = []
    for x0, x1, depth in [*coverage, (right_edge, right_edge, allowed + 1)]:
        if depth <= allowed:
            strip.append((max(x0, low), min(x1, high), depth))
            continue
        gap = _least_crossed([part for part in strip if part[1] > part[0]], min_gap)
        if gap is not None:
            candidates.append(gap)
        strip = []
    total = _chars(runs)
    for _worst, _negative_width, g0, g1 in sorted(candidates)[:8]:
        left = [r for r in runs if r.right <= g1 and not r.left < g0 < g1 < r.right]
        right = [r for r in runs if r.left >= g0 and not r.left < g0 < g1 < r.right]
        if len(left) < 3 or len(right) < 3:
            continue
        if _chars(right) < 0.08 * total or (
            _chars(left) < 0.08 * total
            and _label_column(left, right) is not left
            and not _sidebar(left, right)
        ):
            # a thin left margin of headings and dates is a column too (the text beside
            # it is read block by block), and so is a sidebar's last few lines; a thin side
            # of anything else is not
            continue
        return g0, g1
    return None


def _least_crossed(
    strip: list[tuple[float, float, int]], min_gap: float
) -> tuple[int, float, float, float] | None:
    """The widest stretch of a low-coverage strip that the fewest runs cross, as a
    candidate (crossings, -width, x0, x1); None when it is narrower than `min_gap`.

    The strip between two columns can reach into one of them where a few runs sit (a
    margin's wrapped dates): the gutter is its least-crossed part, not its middle."""
    if not strip or strip[-1][1] - strip[0][0] < min_gap:
        return None
    best: tuple[int, float, float, float] | None = None
    for fewest in sorted({depth for _x0, _x1, depth in strip}):
        for _same, parts in itertools.groupby(strip, key=lambda part: part[2] <= fewest):
            parts = list(parts)
            if not _same:
                continue
            g0, g1 = parts[0][0], parts[-1][1]
            if g1 - g0 >= min_gap and (best is None or (fewest, g0 - g1) < best[:2]):
                best = (fewest, g0 - g1, g0, g1)
        if best is not None:
            return best
    return None


SIDEBAR_LINES = 5  # a thin left side of this many lines or more can be a sidebar
# Beside dense text a sidebar's lines meet a baseline on the right by chance about half the
# time; a row layout's labels and dates nearly always do.
SIDEBAR_PAIRED = 0.7


def _sidebar(left: list[_Run], right: list[_Run]) -> bool:
    """Whether a thin left side is a sidebar of its own: several lines, not all of them
    level with a line on the right (a row layout's labels and dates are)."""
    return len(_line_runs(left)) >= SIDEBAR_LINES and _paired(left, right) < SIDEBAR_PAIRED


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
    dates = _dates_beside_headers(left, right, line_height)
    if dates:
        moved = {id(r) for r in dates}
        left += dates
        right = [r for r in right if id(r) not in moved]
    labels = _label_column(left, right)
    if labels is not None:
        text = right if labels is left else left
        return _group_lines(lead) + _labels_with_blocks(_group_lines(labels), _group_lines(text))
    return _group_lines(lead) + _reading_order(left, depth + 1) + _reading_order(right, depth + 1)


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _dates_beside_headers(left: list[_Run], right: list[_Run], line_height: float) -> list[_Run]:
    """Short dated runs on the right level with the first line of a block on the left: an
    entry's dates printed at the end of its title line ("Senior Developer ... May 2021 -
    Mar 2022") above two columns of bullets, which belong to that line, not the column.
    Not when the left side is the smaller one: a sidebar's line does not own the dates of
    the main column beside it."""
    if _chars(left) < _chars(right):
        return []
    out = []
    for run in right:
        if len(run.string) > 40 or not _YEAR.search(run.string):
            continue
        tolerance = 0.25 * run.height
        beside = [r for r in left if abs(r.bottom - run.bottom) <= tolerance]
        if not beside:
            continue
        row_top = max(r.top for r in beside)
        above = [r for r in left if r.bottom > row_top and r.bottom - row_top < line_height]
        if not above:  # the left line starts its block: nothing right above it
            out.append(run)
    return out


# A side whose lines are typically this many line heights apart (baseline to baseline) or
# more holds labels beside the other side's blocks, not text of its own.
LABEL_SPACING = 2.5
# Lines further apart than this (in line heights, bottom of one to top of the next) belong to
# different blocks: one entry ends, the next begins.
BLOCK_GAP = 0.5
LABEL_SHARE = 0.4


def _label_column(left: list[_Run], right: list[_Run]) -> list[_Run] | None:
    """The side that is a margin of labels (section headings and dates printed beside the
    entries they belong to, as in moderncv-like layouts) rather than a sidebar: little
    text, in short lines spread far apart down the page; None when neither is."""
    smaller = left if _chars(left) <= _chars(right) else right
    if _chars(smaller) >= LABEL_SHARE * (_chars(left) + _chars(right)):
        return None
    lines = _line_runs(smaller)
    if len(lines) < 3:
        return None
    baselines = [min(run.bottom for run in line) for line in lines]
    steps = sorted(upper - lower for upper, lower in itertools.pairwise(baselines))
    heights = sorted(run.height for run in smaller)
    spread = steps[len(steps) // 2] >= LABEL_SPACING * heights[len(heights) // 2]
    return smaller if spread else None


def _labels_with_blocks(labels: list[_Line], text: list[_Line]) -> list[_Line]:
    """The text side's blocks top to bottom, each led by the labels printed beside it (or,
    for a label in a gap, by those nearest to it)."""
    heights = sorted(line.top - line.bottom for line in text)
    gap = BLOCK_GAP * heights[len(heights) // 2]
    blocks: list[list[_Line]] = []
    for line in text:
        if not blocks or blocks[-1][-1].bottom - line.top > gap:
            blocks.append([])
        blocks[-1].append(line)
    leading: list[list[_Line]] = [[] for _ in blocks]
    trailing: list[list[_Line]] = [[] for _ in blocks]

    def closeness(label: _Line, block: list[_Line]) -> float:
        # the overlap of the two vertical extents; negative: the distance between them
        return min(label.top, block[0].top) - max(label.bottom, block[-1].bottom)

    owned: set[int] = set()  # blocks a heading printed beside them already leads
    for label in labels:
        nearest = max(range(len(blocks)), key=lambda index: closeness(label, blocks[index]))
        # a heading with nothing beside it, below everything, follows the last block
        below = label.top < blocks[nearest][-1].bottom
        if closeness(label, blocks[nearest]) > 0 and not _YEAR.search(label.text):
            # A second heading beside a block heads an empty section printed next to the
            # first one's text (labels centred on their blocks): it follows that text.
            below = below or nearest in owned
            owned.add(nearest)
        (trailing if below else leading)[nearest].append(label)
    return [
        line
        for before, block, after in zip(leading, blocks, trailing, strict=True)
        for line in before + block + after
    ]


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
