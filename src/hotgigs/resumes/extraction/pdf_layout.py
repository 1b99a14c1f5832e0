"""PDF reading order: runs of characters grouped into lines, columns found and read one
after the other, a margin of labels put beside the blocks it belongs to."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property


@dataclass
class Run:
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
class TextLine:
    """One line of a page in reading order (cells joined by tabs) and its vertical extent."""

    text: str
    top: float
    bottom: float


# A gap between two runs of one line wider than this (in line heights; a word space is about
# a third) separates cells: "Title<tab>2019 - 2021", or skill tags printed as pills
# ("Python   R   Statistical Computing") that would otherwise read as one phrase.
PILL_GAP = 0.8


def _line_runs(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into lines (top to bottom), each line's runs left to right."""
    lines: list[list[Run]] = []
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


def _group_lines(runs: list[Run]) -> list[TextLine]:
    """The text lines of `runs`, top to bottom; a wide gap inside a line becomes a tab."""
    out = []
    for line in _line_runs(runs):
        parts = [line[0].string]
        for previous, run in itertools.pairwise(line):
            gap = run.left - previous.right
            height = min(previous.height, run.height)
            parts.append("\t" if gap > PILL_GAP * height else " ")
            parts.append(run.string)
        out.append(TextLine("".join(parts), max(r.top for r in line), min(r.bottom for r in line)))
    return out


def _chars(runs: Iterable[Run]) -> int:
    return sum(len(run.string) for run in runs)


def _find_gutter(runs: list[Run]) -> tuple[float, float] | None:
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
        for crossed_less, group in itertools.groupby(strip, key=lambda part: part[2] <= fewest):
            if not crossed_less:
                continue
            parts = list(group)
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


def _sidebar(left: list[Run], right: list[Run]) -> bool:
    """Whether a thin left side is a sidebar of its own: several lines, not all of them
    level with a line on the right (a row layout's labels and dates are)."""
    return len(_line_runs(left)) >= SIDEBAR_LINES and _paired(left, right) < SIDEBAR_PAIRED


def _paired(side: list[Run], other: list[Run]) -> float:
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


def _is_row_layout(left: list[Run], right: list[Run]) -> bool:
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


def _fill(runs: list[Run]) -> float:
    """How much of its side's width a typical line fills (0-1)."""
    width = max(r.right for r in runs) - min(r.left for r in runs)
    if width <= 0:
        return 1.0
    spans = sorted(line[-1].right - line[0].left for line in _line_runs(runs))
    return spans[len(spans) // 2] / width


def _right_aligned(runs: list[Run]) -> bool:
    ends = Counter(round(r.right / 3) for r in runs)
    starts = Counter(round(r.left / 3) for r in runs)
    return ends.most_common(1)[0][1] > starts.most_common(1)[0][1]


def _vertical_overlap(a: list[Run], b: list[Run]) -> float:
    a_top, a_bottom = max(r.top for r in a), min(r.bottom for r in a)
    b_top, b_bottom = max(r.top for r in b), min(r.bottom for r in b)
    overlap = min(a_top, b_top) - max(a_bottom, b_bottom)
    smaller = min(a_top - a_bottom, b_top - b_bottom)
    return overlap / smaller if smaller > 0 else 0.0


def reading_order(runs: list[Run], depth: int = 0) -> list[TextLine]:
    """Lines in reading order: columns one after the other, full-width lines between."""
    if depth >= 3 or len(runs) < 6:
        return _group_lines(runs)
    gutter = _find_gutter(runs)
    if gutter is None:
        return _group_lines(runs)
    g0, g1 = gutter
    # Runs crossing the gutter (a name or a rule across the page) cut the page into bands;
    # within a band the left column is read before the right one.
    out: list[TextLine] = []
    band: list[Run] = []
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


def _split_off_top(side: list[Run], level: float, line_height: float) -> list[Run]:
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


def _order_band(band: list[Run], g0: float, g1: float, depth: int) -> list[TextLine]:
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
    return _group_lines(lead) + reading_order(left, depth + 1) + reading_order(right, depth + 1)


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _dates_beside_headers(left: list[Run], right: list[Run], line_height: float) -> list[Run]:
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
# A margin of labels holds less than this share of the two sides' text (a margin of dates
# and letter-spaced headings beside short entries can come near a third of it).
LABEL_SHARE = 0.4


def _label_column(left: list[Run], right: list[Run]) -> list[Run] | None:
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
    other = right if smaller is left else left
    return smaller if spread or _date_margin(lines, other) else None


# A date column too narrow for its ranges: this share of its lines dated, and this share of
# those level with a line beside them (a sidebar's lines meet one only by chance).
DATE_MARGIN_LEVEL = 0.8
DATE_MARGIN_DATED = 0.3
_DATE_START = re.compile(
    r"(?i)(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?(?:19|20)\d\d\b"
    r"|\d{1,2}[/.](?:19|20)\d\d\b"
)


# The first line of a range the margin wrapped ("June 2011 -", "June 2013 - April").
_RANGE_OPEN = re.compile(
    r"(?i)(?:[-\u2013\u2014]|\b(?:to|until)|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)$"
)


def _date_margin(lines: list[list[Run]], other: list[Run]) -> bool:
    """A margin of dates whose ranges wrap ("September 2019 -" / "Current"), its lines
    close together: each date starts level with a line of the entry beside it."""
    dated = [line[0] for line in lines if _DATE_START.match(line[0].string)]
    enough = len(dated) >= max(3, DATE_MARGIN_DATED * len(lines))
    # A wrapped range's second line has nothing beside it when its entry is one line long.
    starts = [
        line[0]
        for previous, line in zip([None, *lines], lines, strict=False)
        if _DATE_START.match(line[0].string)
        and not (previous and _RANGE_OPEN.search(previous[-1].string))
    ]
    return enough and _paired(starts, other) >= DATE_MARGIN_LEVEL


def _label_groups(labels: list[TextLine], gap: float) -> list[list[TextLine]]:
    """Labels one per group, but a range the margin wrapped ("June 2011 -" / "August 2013")
    stays one group."""
    groups: list[list[TextLine]] = []
    for label in labels:
        above = groups[-1][-1] if groups else None
        if above and above.bottom - label.top <= gap and _RANGE_OPEN.search(above.text):
            groups[-1].append(label)
            continue
        groups.append([label])
    return groups


def _split_at_dates(
    block: list[TextLine], dates: list[float], tolerance: float
) -> list[list[TextLine]]:
    """A block beside two dates or more, cut at each date after the first: the text ran on
    without a gap (dated rows of one or two lines each), the dates show where rows begin."""
    cuts = [
        index
        for index, line in enumerate(block)
        if any(abs(line.bottom - bottom) <= tolerance for bottom in dates)
    ]
    edges = [0, *cuts[1:], len(block)]
    return [block[start:end] for start, end in itertools.pairwise(edges) if end > start]


def _labels_with_blocks(labels: list[TextLine], text: list[TextLine]) -> list[TextLine]:
    """The text side's blocks top to bottom, each led by the labels printed beside it (or,
    for a label in a gap, by those nearest to it)."""
    heights = sorted(line.top - line.bottom for line in text)
    line_height = heights[len(heights) // 2]
    gap = BLOCK_GAP * line_height
    groups = _label_groups(labels, gap)
    blocks: list[list[TextLine]] = []
    for line in text:
        if not blocks or blocks[-1][-1].bottom - line.top > gap:
            blocks.append([])
        blocks[-1].append(line)
    dates = [group[0].bottom for group in groups if _DATE_START.match(group[0].text)]
    blocks = [
        part for block in blocks for part in _split_at_dates(block, dates, 0.25 * line_height)
    ]
    leading: list[list[TextLine]] = [[] for _ in blocks]
    trailing: list[list[TextLine]] = [[] for _ in blocks]

    def closeness(label: TextLine, block: list[TextLine]) -> float:
        # the overlap of the two vertical extents; negative: the distance between them
        return min(label.top, block[0].top) - max(label.bottom, block[-1].bottom)

    owned: set[int] = set()  # blocks a heading printed beside them already leads
    for group in groups:
        label = group[0]
        nearest = max(range(len(blocks)), key=lambda index: closeness(label, blocks[index]))
        # a heading with nothing beside it, below everything, follows the last block
        below = label.top < blocks[nearest][-1].bottom
        if closeness(label, blocks[nearest]) > 0 and not _YEAR.search(label.text):
            # A second heading beside a block heads an empty section printed next to the
            # first one's text (labels centred on their blocks): it follows that text.
            below = below or nearest in owned
            owned.add(nearest)
        (trailing if below else leading)[nearest].extend(group)
    return [
        line
        for before, block, after in zip(leading, blocks, trailing, strict=True)
        for line in before + block + after
    ]
