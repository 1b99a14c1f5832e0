"""DOCX: body order, tables, text boxes, headers and footers."""

from __future__ import annotations

import io
from collections.abc import Iterator

from hotgigs.resumes.extraction.base import (
    _PAGE_NUMBER,
    _RESAVE,
    ExtractionError,
    _dedupe_lines,
    _emit_row,
    _Raw,
)
from hotgigs.resumes.extraction.containers import _open_zip, _parse_xml, _refuse_declared_dtds

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_W_P, _W_TBL, _W_TR, _W_TC = _w("p"), _w("tbl"), _w("tr"), _w("tc")
_W_T, _W_TAB, _W_BR, _W_CR = _w("t"), _w("tab"), _w("br"), _w("cr")
_W_TXBX = _w("txbxContent")
_W_R, _W_RPR, _W_BDR = _w("r"), _w("rPr"), _w("bdr")
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


def _docx_children(node, tag: str) -> Iterator:
    """The `tag` children of a table or row, also those wrapped in block containers."""
    for child in node:
        if child.tag == tag:
            yield child
        elif child.tag in _W_BLOCK_CONTAINERS:
            yield from _docx_children(child, tag)


def _docx_table(table, out: list[str]) -> None:
    for row in _docx_children(table, _W_TR):
        cells = []
        for cell in _docx_children(row, _W_TC):
            lines: list[str] = []
            _docx_blocks(cell, lines)
            cells.append(lines)
        _emit_row(cells, out)


class _Pills:
    """Runs drawn with a border of their own (skill tags printed as pills) in one paragraph:
    the space between two of them becomes a tab, as a wide gap does in a PDF."""

    def __init__(self) -> None:
        self.after_pill = False
        self.gap: int | None = None  # the index in parts of the space after the last pill

    def run(self, run, parts: list[str], boxes: list) -> None:
        props = run.find(_W_RPR)
        pill = props is not None and props.find(_W_BDR) is not None
        start = len(parts)
        _docx_inline(run, parts, boxes, self)
        text = "".join(parts[start:])
        if pill and text.strip():
            if self.gap is not None:
                parts[self.gap] = "\t"
            self.after_pill, self.gap = True, None
        elif text and not text.strip() and "\n" not in text and self.after_pill:
            parts[start:] = [" "]
            self.gap = start
        elif text:
            self.after_pill, self.gap = False, None


def _docx_inline(element, parts: list[str], boxes: list, pills: _Pills | None = None) -> None:
    pills = pills or _Pills()
    for child in element:
        tag = child.tag
        if tag == _W_R:
            pills.run(child, parts, boxes)
        elif tag == _W_T:
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
                _docx_inline(branch, parts, boxes, pills)
        elif tag in _W_SKIP or not isinstance(tag, str):
            continue
        else:
            _docx_inline(child, parts, boxes, pills)


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
