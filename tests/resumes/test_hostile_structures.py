"""Generated hostile structures of every supported format finish within extraction's bound.

Each document nests or repeats what its format allows (elements, tables, sections, groups,
page trees, lines) to depths and sizes no resume has. Read through the limited child
process as a worker reads it, every one must end as text or as a clear ExtractionError
with a known code, and none may take the worker with it.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotgigs.resumes import extraction
from hotgigs.resumes.isolation import ExtractionLimits, extract_text_limited
from tests.support import documents

LIMITS = ExtractionLimits(cpu_seconds=10, memory_bytes=768 * 1024 * 1024)
HEAVY = settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
DEPTHS = st.integers(min_value=1_000, max_value=60_000)
WORD = "Engineer "
ODT_CONTENT = "content.xml"
DOCX_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def read_within_bound(data: bytes) -> None:
    """Extraction ends, with text or a known refusal, inside the limits."""
    try:
        extracted = extract_text_limited(data, max_bytes=10 * 1024**2, ocr=False, limits=LIMITS)
    except extraction.ExtractionError as refused:
        assert refused.code in extraction.ERROR_CODES
        assert str(refused)
    else:
        assert isinstance(extracted.text, str)


@pytest.mark.slow
@HEAVY
@given(depth=DEPTHS, tag=st.sampled_from(["div", "span", "table", "li", "b", "pre"]))
def test_html_nested_to_any_depth(depth: int, tag: str) -> None:
    opening, closing = f"<{tag}>{WORD}", f"</{tag}>"
    read_within_bound(f"<html><body>{opening * depth}{closing * depth}</body></html>".encode())


@HEAVY
@given(depth=st.integers(min_value=200, max_value=5_000))
def test_docx_tables_nested_in_cells(depth: int) -> None:
    cell_open = f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{WORD}</w:t></w:r></w:p>"
    cell_close = "</w:tc></w:tr></w:tbl>"
    body = cell_open * depth + "<w:p/>" + cell_close * depth
    document = f'<?xml version="1.0"?><w:document {DOCX_NS}><w:body>{body}</w:body></w:document>'
    read_within_bound(documents.make_docx_from_document(document))


@HEAVY
@given(depth=DEPTHS)
def test_docx_runs_nested_in_content_controls(depth: int) -> None:
    body = "<w:sdt><w:sdtContent>" * depth + "<w:p/>" + "</w:sdtContent></w:sdt>" * depth
    document = f'<?xml version="1.0"?><w:document {DOCX_NS}><w:body>{body}</w:body></w:document>'
    read_within_bound(documents.make_docx_from_document(document))


@HEAVY
@given(depth=DEPTHS, tag=st.sampled_from(["text:section", "text:span", "text:list"]))
def test_odt_nested_sections_spans_and_lists(depth: int, tag: str) -> None:
    nested = f"<{tag}>" * depth + f"<text:p>{WORD}</text:p>" + f"</{tag}>" * depth
    odt = documents.with_part_changed(
        documents.make_odt(["Jane Doe", "Engineer"]),
        ODT_CONTENT,
        lambda xml: xml.replace("</office:text>", f"{nested}</office:text>"),
    )
    read_within_bound(odt)


@HEAVY
@given(depth=DEPTHS)
def test_rtf_groups_nested_to_any_depth(depth: int) -> None:
    read_within_bound(("{\\rtf1\\ansi " + "{\\b " * depth + WORD + "}" * depth + "}").encode())


@HEAVY
@given(fanout=st.integers(min_value=2, max_value=12), depth=st.integers(min_value=2, max_value=9))
def test_pdf_page_trees_of_any_shape(fanout: int, depth: int) -> None:
    read_within_bound(documents.make_page_tree_bomb_pdf(fanout=fanout, depth=depth))


@HEAVY
@given(line=st.integers(min_value=10_000, max_value=2_000_000), lines=st.integers(1, 5))
def test_text_with_endless_lines(line: int, lines: int) -> None:
    read_within_bound((("Engineer," * (line // 9)) + "\n").encode() * lines)


@HEAVY
@given(side=st.integers(min_value=20_000, max_value=200_000))
def test_images_claiming_any_size(side: int) -> None:
    read_within_bound(documents.make_huge_png(width=side, height=side))
