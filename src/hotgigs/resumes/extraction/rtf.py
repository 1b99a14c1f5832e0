"""RTF: text through striprtf, with table rows and hyperlink targets kept."""

from __future__ import annotations

import codecs
import re

from hotgigs.resumes.extraction.base import _Raw

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
