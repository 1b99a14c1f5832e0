"""HTML: a page's text (BeautifulSoup + lxml), line breaks at blocks, tabs before cells."""

from __future__ import annotations

import re

from hotgigs.resumes.extraction.base import _Raw


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
