"""ODT: an OpenDocument text's content.xml, with its headers and footers."""

from __future__ import annotations

import re

from hotgigs.resumes.extraction.base import (
    _PAGE_NUMBER,
    _RESAVE,
    ExtractionError,
    _dedupe_lines,
    _emit_row,
    _Raw,
)
from hotgigs.resumes.extraction.containers import _open_zip, _parse_xml, _refuse_declared_dtds

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
