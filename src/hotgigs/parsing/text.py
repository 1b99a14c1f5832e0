"""Text normalisation with an offset map back to the caller's text, and logical lines.

Extractors work on a *normalised* copy of the input (unicode spaces and dashes folded,
literal ``\\xe2\\x80\\xa2`` byte escapes decoded, HTML entities resolved, control
characters blanked).  Every normalised span maps back to the original text, so evidence
offsets always index the string the caller passed in.

Lines are *logical* lines: physical lines, further split at wide gaps (tabs, runs of
spaces) because many resume exports flatten the layout into one long line where two
spaces stand for a line break and four for a blank line.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace

MAX_CHARS = 400_000
"""Only this many leading characters are analysed; longer input is not a resume."""

# One-to-one replacements (length preserving, so no offset bookkeeping is needed).
_TRANSLATE: dict[int, str] = {}
for _cp in [*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)]:
    _TRANSLATE[_cp] = " "
for _cp in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029):
    _TRANSLATE[_cp] = "\n"
for _cp in (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000):
    _TRANSLATE[_cp] = " "
for _cp in (*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63, 0xFF0D):
    _TRANSLATE[_cp] = "-"
for _cp in (0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x00B4, 0x0060):
    _TRANSLATE[_cp] = "'"
for _cp in (0x201C, 0x201D, 0x201E, 0x201F, 0x2033):
    _TRANSLATE[_cp] = '"'
for _cp in range(0xE000, 0xF900):  # private use area: symbol-font bullets
    _TRANSLATE[_cp] = "\u2022"
_TRANSLATE[0xFFFD] = " "
_TRANSLATE[0x0D] = " "  # CRLF: the LF ends the line
_TRANSLATE_CR_NL = {**_TRANSLATE, 0x0D: "\n"}  # old Mac line ends

_FIX = re.compile(
    r"(?P<esc>(?:\\x[0-9a-fA-F]{2})+)"
    r"|(?P<ent>&(?:amp|lt|gt|quot|apos|nbsp|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});)"
    # Invisible characters are dropped: zero-width ones, direction marks and overrides, NULs
    # (text read in the wrong encoding has one between every letter) and lone surrogates
    # (half a character, which no JSON or database can store).
    r"|(?P<zw>[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u00ad\x00\ud800-\udfff]+)"
    r"|(?P<bs>\\[tnr](?![a-z]))"
)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": " "}


def _spaced(word: str) -> str:
    return " ?".join(word)


# Some PDF fonts come out letter-spaced ("Se pte mbe r 2016 to Pre s e nt"): date words are
# put back together, a month only right before a year so that ordinary words stay as they
# are.  Both searches start on a character class, which keeps them cheap on long text.
_SPACED_MONTH = re.compile(
    r"(?i)(?<![^\W\d_])(?:"
    + "|".join(
        _spaced(w)
        for w in (
            *("january", "february", "march", "april", "june", "july", "august"),
            *("september", "october", "november", "december", "jan", "feb", "mar", "apr"),
            *("may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        )
    )
    + r")[ \t]*[,.]?[ \t]*$"
)
_YEAR_DIGITS = re.compile(r"[12][09]\d\d")
_SPACED_NOW = re.compile(r"[PpCc](?: ?[Rr] ?[Ee] ?[Ss] ?[Ee]| ?[Uu] ?[Rr] ?[Rr] ?[Ee]) ?[Nn] ?[Tt]")
# "2019-03-01  t o  P r e s e n t": the word between the two ends of a range.
_SPACED_TO = re.compile(r"(?<=\d)[ \t]+(?P<to>[Tt] [Oo])(?=[ \t])")

BULLET_CHARS = (
    "\u2022\u2023\u2043\u2219\u00b7\u25aa\u25ab\u25a0\u25a1\u25cf\u25cb\u25e6\u25c6\u25c7"
    "\u25ba\u25b6\u27a2\u27a4\u2794\u2713\u2714\u2756\u2666\u2665\u2660\u2663\u3013\u2605"
    "\u2606\u25d8\u25d9\u2192\u21d2\u00bb\u2023\u2219*>~-"
)
_BULLET_LEAD = re.compile("[\\s" + re.escape(BULLET_CHARS) + "]+")
_HAS_WORD = re.compile(r"[^\W_]")
_BULLET_ONLY = re.compile("[" + re.escape(BULLET_CHARS.replace("-", "").replace(">", "")) + "]")
_WIDE = re.compile(r"\t+[ \t]*| {3,}")
_WIDE_FLAT = re.compile(r"\t+[ \t]*| {2,}")


def _decode_escapes(run: str) -> str:
    """Literal ``\\xNN`` byte escapes (a common export bug) back to readable text."""
    try:
        decoded = bytes.fromhex(run.replace("\\x", "")).decode("utf-8", errors="replace")
    except ValueError:
        return " "
    out = []
    for ch in decoded.translate(_TRANSLATE):
        if ch == "\u00c2" or ch == "\u00e2":  # double-encoding debris
            continue
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or ch in "-'\"\n\u2022":
            out.append(ch)
        elif cat[0] == "Z" or ch == " ":
            out.append(" ")
        else:
            out.append(" \u2022 ")
    text = "".join(out)
    return text if text.strip() else " "


class OffsetMap:
    """Maps spans of the normalised text back to the original text."""

    __slots__ = ("_n_starts", "_segments")

    def __init__(self) -> None:
        self._n_starts: list[int] = []
        self._segments: list[tuple[int, int, int, bool]] = []  # orig_start, n_len, o_len, copy

    def add(self, n_start: int, o_start: int, n_len: int, o_len: int, copy: bool) -> None:
        if n_len <= 0:
            return
        self._n_starts.append(n_start)
        self._segments.append((o_start, n_len, o_len, copy))

    def _seg(self, pos: int) -> tuple[int, tuple[int, int, int, bool]]:
        i = max(bisect_right(self._n_starts, pos) - 1, 0)
        return self._n_starts[i], self._segments[i]

    def char_start(self, pos: int) -> int:
        if not self._segments:
            return pos
        n0, (o0, n_len, _o_len, copy) = self._seg(pos)
        return o0 + min(pos - n0, n_len) if copy else o0

    def char_end(self, pos: int) -> int:
        if not self._segments:
            return pos + 1
        n0, (o0, n_len, o_len, copy) = self._seg(pos)
        return o0 + min(pos - n0, n_len - 1) + 1 if copy else o0 + o_len


@dataclass(frozen=True, slots=True)
class Line:
    """A logical line: content span in the normalised text, bullets and blanks stripped."""

    index: int
    start: int
    end: int
    text: str
    bullet: bool
    gap_before: bool
    physical_start: bool  # first piece of its physical line

    @property
    def words(self) -> list[str]:
        return self.text.split()


class Document:
    """The normalised text, its logical lines and the way back to the original."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.text, self._map = normalise(original[:MAX_CHARS])
        self.lines = split_lines(self.text)
        self._line_starts = [ln.start for ln in self.lines]

    def span(self, start: int, end: int) -> list[int]:
        """Original ``[start, end)`` offsets for a normalised span."""
        if end <= start:
            pos = self._map.char_start(start) if start < len(self.text) else len(self.original)
            return [pos, pos]
        return [self._map.char_start(start), self._map.char_end(end - 1)]

    def line_at(self, pos: int) -> Line | None:
        """The logical line containing normalised offset ``pos``, if any."""
        i = bisect_right(self._line_starts, pos) - 1
        if i < 0:
            return None
        line = self.lines[i]
        return line if pos < line.end else None


def normalise(text: str) -> tuple[str, OffsetMap]:
    """Normalised text and the map from its offsets to ``text``'s."""
    table = _TRANSLATE_CR_NL if "\r" in text and "\n" not in text else _TRANSLATE
    text_t = text.translate(table)
    omap = OffsetMap()
    parts: list[str] = []
    n_pos = 0
    o_pos = 0
    changed = False
    for s, e, rep in _fixes(text_t):
        if s > o_pos:
            parts.append(text_t[o_pos:s])
            omap.add(n_pos, o_pos, s - o_pos, s - o_pos, True)
            n_pos += s - o_pos
        parts.append(rep)
        omap.add(n_pos, s, len(rep), e - s, False)
        n_pos += len(rep)
        o_pos = e
        changed = True
    if not changed:
        return text_t, OffsetMap()
    if o_pos < len(text_t):
        parts.append(text_t[o_pos:])
        omap.add(n_pos, o_pos, len(text_t) - o_pos, len(text_t) - o_pos, True)
    return "".join(parts), omap


def _fixes(text: str) -> list[tuple[int, int, str]]:
    """Spans to replace, in order and disjoint, each with its replacement."""
    out: list[tuple[int, int, str]] = []
    for m in _FIX.finditer(text):
        kind = m.lastgroup
        if kind == "esc":
            rep = _decode_escapes(m.group())
        elif kind == "ent":
            rep = _entity(m.group()[1:-1])
        elif kind == "bs":
            rep = {"t": "\t", "n": "\n", "r": ""}[m.group()[1]]
        else:
            rep = ""
        out.append((m.start(), m.end(), rep))
    spaced = [
        (m.start(), m.end(), m.group().replace(" ", ""))
        for m in _SPACED_NOW.finditer(text)
        if " " in m.group()
        and not _letter_at(text, m.start() - 1)
        and not _letter_at(text, m.end())
    ]
    spaced += [(m.start("to"), m.end("to"), "to") for m in _SPACED_TO.finditer(text)]
    for y in _YEAR_DIGITS.finditer(text):
        start = max(0, y.start() - 24)
        m = _SPACED_MONTH.search(text, start, y.start())
        if m is not None and " " in m.group().strip(" \t,."):
            word = m.group().rstrip(" \t,.")
            spaced.append((m.start(), m.start() + len(word), word.replace(" ", "")))
    if not spaced:
        return out
    merged: list[tuple[int, int, str]] = []
    for fix in sorted(out + spaced):
        if merged and fix[0] < merged[-1][1]:
            continue  # overlapping: the first one wins
        merged.append(fix)
    return merged


def _letter_at(text: str, pos: int) -> bool:
    return 0 <= pos < len(text) and text[pos].isalpha()


def _entity(name: str) -> str:
    if name in _ENTITIES:
        return _ENTITIES[name]
    try:
        cp = int(name[2:], 16) if name[1:2] in "xX" else int(name[1:])
        ch = chr(cp)
    except (ValueError, OverflowError):
        return " "
    ch = ch.translate(_TRANSLATE)
    return ch if ch.isprintable() or ch == "\n" else " "


def split_lines(text: str) -> list[Line]:
    """Logical lines of a normalised text."""
    lines: list[Line] = []
    gap = False
    pending_bullet = False
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        phys = text[pos:nl]
        if not phys.strip():
            gap = True
            pos = nl + 1
            continue
        flat = len(phys) > 200 and phys.count("  ") >= 4
        splitter = _WIDE_FLAT if flat else _WIDE
        pieces: list[tuple[int, int, bool]] = []
        piece_start = 0
        for m in splitter.finditer(phys):
            pieces.append((piece_start, m.start(), flat and m.end() - m.start() >= 4))
            piece_start = m.end()
        pieces.append((piece_start, len(phys), False))
        first = True
        for p_start, p_end, wide_after in pieces:
            line = _make_line(text, pos + p_start, pos + p_end, len(lines), gap, first)
            if line is not None:
                if pending_bullet and not line.bullet:
                    line = replace(line, bullet=True)
                lines.append(line)
                gap = False
                first = False
                pending_bullet = False
            elif _BULLET_ONLY.search(phys, p_start, p_end):
                pending_bullet = True
            if wide_after:
                gap = True
        pos = nl + 1
    return lines


def _make_line(text: str, start: int, end: int, index: int, gap: bool, first: bool) -> Line | None:
    seg = text[start:end]
    if not _HAS_WORD.search(seg):
        return None
    lead = _BULLET_LEAD.match(seg)
    bullet = False
    if lead:
        lead_text = lead.group()
        bullet = any(not ch.isspace() for ch in lead_text)
        start += lead.end()
        seg = seg[lead.end() :]
    stripped = seg.rstrip()
    end = start + len(stripped)
    # a stray quote that opens a flattened export is not content
    if stripped[:1] == '"' and stripped.count('"') == 1:
        start += 1
        stripped = stripped[1:].lstrip()
        start = end - len(stripped)
    if stripped[-1:] == '"' and stripped.count('"') == 1:
        stripped = stripped[:-1].rstrip()
        end = start + len(stripped)
    if not _HAS_WORD.search(stripped):
        return None
    return Line(index, start, end, stripped, bullet, gap, first)
