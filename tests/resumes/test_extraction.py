"""Text extraction from resume files: every format, reading order, and every failure."""

from __future__ import annotations

import inspect
import io
import shutil
import zipfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hotgigs.resumes import extraction
from hotgigs.resumes.extraction import (
    SUPPORTED_KINDS,
    ExtractedText,
    ExtractionError,
    check_upload,
    detect_kind,
    extract_text,
)
from tests.support import documents as docs

RESUME = [
    "Jane Doe",
    "Senior Software Engineer",
    "jane.doe@example.com | +1 555 0100 | Berlin, Germany",
    "Experience",
    "Acme Corp - Lead Engineer (2019 - 2024)",
    "Built a resume parsing pipeline in Python and PostgreSQL",
    "Education",
    "BSc Computer Science, Technical University of Munich",
]
UNICODE_RESUME = [
    "José Núñez-Müller",
    "Ingénieur logiciel — Zürich",
    "Compétences: Python, Kubernetes, Go",
    "Expérience: Société Générale (2018\u20132023)",
]

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="OCR tests need Tesseract (apt-get install tesseract-ocr)",
)
needs_antiword = pytest.mark.skipif(
    shutil.which("antiword") is None and shutil.which("catdoc") is None,
    reason="reading .doc needs antiword (apt-get install antiword)",
)
needs_soffice = pytest.mark.skipif(
    docs.soffice_path() is None,
    reason="generating a real .doc needs LibreOffice (apt-get install libreoffice-writer-nogui)",
)


def lines_of(result: ExtractedText) -> list[str]:
    return [line.strip() for line in result.text.splitlines() if line.strip()]


def assert_in_order(text: str, expected: list[str]) -> None:
    """Every expected line occurs in `text`, in this order."""
    position = 0
    for line in expected:
        found = text.find(line, position)
        assert found >= 0, f"{line!r} missing (or out of order) in:\n{text}"
        position = found + len(line)


def error_of(data: bytes, **options) -> ExtractionError:
    with pytest.raises(ExtractionError) as caught:
        extract_text(data, **options)
    assert caught.value.code in extraction.ERROR_CODES
    assert str(caught.value).strip(), "an error needs a human-readable reason"
    return caught.value


@pytest.fixture(scope="module")
def doc_bytes() -> bytes:
    try:
        return docs.make_doc(RESUME, table_rows=[["Python", "8 years"], ["SQL", "5 years"]])
    except docs.GeneratorUnavailable as exc:
        pytest.skip(str(exc))


# ---------------------------------------------------------------------------------------------
# Type detection


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("pdf", lambda: docs.make_pdf(RESUME)),
        ("docx", lambda: docs.make_docx(RESUME)),
        ("odt", lambda: docs.make_odt(RESUME)),
        ("rtf", lambda: docs.make_rtf(RESUME)),
        ("html", lambda: docs.make_html(RESUME)),
        ("txt", lambda: docs.make_txt(RESUME)),
        ("txt", lambda: docs.make_txt(UNICODE_RESUME, "utf-16")),
        ("txt", lambda: docs.make_txt(UNICODE_RESUME, "cp1252")),
        ("png", lambda: docs.make_png(RESUME[:2])),
        ("jpg", lambda: docs.make_jpg(RESUME[:2])),
    ],
)
def test_detect_kind_by_content(kind: str, make) -> None:
    data = make()
    assert detect_kind(data) == kind
    assert kind in SUPPORTED_KINDS
    assert check_upload(data) == kind


@pytest.mark.slow
def test_detect_kind_finds_word_97_documents(doc_bytes: bytes) -> None:
    assert detect_kind(doc_bytes) == "doc"
    assert check_upload(doc_bytes) == "doc"


def test_detect_kind_reads_content_never_names() -> None:
    assert list(inspect.signature(detect_kind).parameters) == ["data"]
    # Text that talks about other formats is still text; a PDF with junk before its
    # header (as some mailers produce) is still a PDF.
    assert detect_kind(b"resume.pdf\nPK zip docx %PDF mentioned later\n" * 3) == "txt"
    assert detect_kind(b"\r\n\r\n" + docs.make_pdf(RESUME)) == "pdf"


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (docs.make_exe, "Windows program"),
        (docs.make_gif, "GIF image"),
        (docs.make_plain_zip, "zip archive"),
        (lambda: bytes(range(256)) * 40, ""),
    ],
)
def test_unsupported_types_are_rejected_and_named(make, named: str) -> None:
    data = make()
    assert detect_kind(data) is None
    error = error_of(data)
    assert error.code == "unsupported_type"
    assert named in str(error)
    assert "PDF" in str(error), "the message says what to upload instead"
    with pytest.raises(ExtractionError) as caught:
        check_upload(data)
    assert caught.value.code == "unsupported_type"


def test_office_zip_that_is_not_a_word_document_is_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert detect_kind(buffer.getvalue()) is None
    assert "Excel" in str(error_of(buffer.getvalue()))


# ---------------------------------------------------------------------------------------------
# Round trips


def test_pdf_round_trip() -> None:
    result = extract_text(docs.make_pdf(RESUME))
    assert result.kind == "pdf"
    assert result.pages == 1
    assert not result.used_ocr
    assert lines_of(result) == RESUME


def test_pdf_two_columns_are_read_one_after_the_other() -> None:
    left = ["CONTACT", "jane.doe@example.com", "+1 555 0100", "SKILLS", "Python", "SQL", "Docker"]
    right = [
        "EXPERIENCE",
        "Lead Engineer, Acme Corp, 2019 - 2024",
        "Designed the ingestion platform",
        "Engineer, Beta GmbH, 2015 - 2019",
        "Maintained billing services",
        "Mentored four junior developers",
        "EDUCATION",
        "BSc Computer Science, TU Munich",
    ]
    data = docs.make_pdf(["Jane Doe", "Senior Software Engineer"], two_columns=(left, right))
    found = lines_of(extract_text(data))
    assert found[:2] == ["Jane Doe", "Senior Software Engineer"]
    for column in (left, right):
        positions = [found.index(line) for line in column]
        assert positions == list(range(positions[0], positions[0] + len(column))), (
            f"column lines are interleaved with others:\n{found}"
        )
    assert found.index(left[-1]) < found.index(right[0])


def _margin_layout_pdf(entries: list[tuple[str, list[str]]], *, heading_beside: bool) -> bytes:
    """A page whose left margin holds labels (a section heading, then each entry's dates)
    beside the entries printed in the wider right column, as moderncv-like themes do: the
    heading on a row of its own, or beside the first entry (its dates a row lower)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 8, "Ada Stone", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    y = pdf.get_y()
    pdf.set_xy(10, y)
    pdf.cell(45, 5, "Work Experience")
    if not heading_beside:
        y += 8
    for number, (dates, lines) in enumerate(entries):
        pdf.set_xy(10, y + 5 if heading_beside and number == 0 else y)
        pdf.cell(45, 5, dates)
        for offset, line in enumerate(lines):
            pdf.set_xy(60, y + 5 * offset)
            pdf.cell(130, 5, line)
        y += 5 * len(lines) + 6
    return bytes(pdf.output())


def test_pdf_margin_labels_lead_the_entries_they_sit_beside() -> None:
    # Read as two columns, every date would come before every job; read row by row, a
    # heading would join a job's first line. Each label belongs with its block.
    entries = [
        (
            "2019 - 2024",
            [
                "Lead Engineer at Acme Corp",
                "Designed the ingestion platform",
                "Ran the on-call rota",
            ],
        ),
        (
            "2015 - 2019",
            ["Engineer at Beta GmbH", "Maintained billing services", "Mentored two juniors"],
        ),
        ("2012 - 2015", ["Intern at Gamma Ltd", "Wrote tests", "Fixed builds"]),
    ]
    for heading_beside in (False, True):
        found = lines_of(extract_text(_margin_layout_pdf(entries, heading_beside=heading_beside)))
        expected = ["Ada Stone", "Work Experience"]
        for dates, lines in entries:
            expected += [dates, *lines]
        assert found == expected


def _wrapped_dates_pdf(entries: list[tuple[list[str], list[str]]], row_gap: float = 4) -> bytes:
    """A table whose narrow left column wraps each range over two lines ("September 2019 -"
    / "Current") beside the entry's lines, rows `row_gap` mm apart."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 8, "Hugo Martin", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "Work Experience", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 2
    for dates, lines in entries:
        for offset, label in enumerate(dates):
            pdf.set_xy(10, y + 5 * offset)
            pdf.cell(30, 5, label)
        for offset, line in enumerate(lines):
            pdf.set_xy(50, y + 5 * offset)
            pdf.cell(140, 5, line)
        y += 5 * max(len(lines), len(dates)) + row_gap
    return bytes(pdf.output())


def _assert_each_range_leads_its_entry(
    entries: list[tuple[list[str], list[str]]], row_gap: float = 4
) -> None:
    """The table read back row by row: each entry's dates, then its lines."""
    found = lines_of(extract_text(_wrapped_dates_pdf(entries, row_gap)))
    expected = ["Hugo Martin", "Work Experience"]
    for dates, lines in entries:
        expected += [*dates, *lines]
    assert found == expected


def test_pdf_a_date_column_with_wrapped_ranges_leads_each_entry() -> None:
    # Its lines sit a line apart, not spread down the page like a margin of labels, but
    # each one is level with a line of its entry: read as a column, every date would come
    # before every job.
    entries = [
        (["September 2019 -", "Current"], [
            "Software developer, Orange, Arcueil",
            "Built the new customer usage mediation application",
            "Stack: Node.js, Express, MongoDB, Angular",
        ]),
        (["April 2019 - June", "2019"], [
            "Software developer, Renault, Guyancourt",
            "Developed the GUI of a simulator piloting application",
        ]),
        (["March 2017 -", "March 2019"], [
            "Intern, Thales, Paris",
            "Wrote test benches for radar software",
        ]),
    ]  # fmt: skip
    _assert_each_range_leads_its_entry(entries)


def test_pdf_a_wrapped_range_beside_a_one_line_entry_still_makes_a_date_column() -> None:
    # A range's second line has nothing beside it when its entry is one line long; only
    # the lines that start a range are asked to sit level with the text.
    entries = [
        (["September 2014 -", "September 2014"], [
            "Symfony Certified Developer (Professional training), SensioLabs, Paris",
        ]),
        (["September 2012 -", "June 2013"], [
            "Professional Title - Application Developer, Cefim Centre de Formation, Tours",
        ]),
        (["June 2010 - July", "2012"], [
            "Professional Title - Multimedia Designer, Cefim Centre de Formation, Tours",
        ]),
    ]  # fmt: skip
    _assert_each_range_leads_its_entry(entries)


def test_pdf_dated_rows_without_a_gap_between_them_keep_their_own_dates() -> None:
    # The entries run on line after line, so nothing but the dates beside them shows where
    # one ends; each range leads the line it is level with, not the first entry.
    entries = [
        (["2015 to 2017"], ["Master's degree in Management,", "Slezska Univerzita v Opave"]),
        (["2010 to 2011"], ["Software Development, Brno University of Technology"]),
        (["2006 to 2010"], [
            "Graduated in Electrotechnics and Computers",
            "Technology, Industrial High School of Electrotechnics,",
            "Frenstat pod Radhostem",
        ]),
    ]  # fmt: skip
    _assert_each_range_leads_its_entry(entries, row_gap=0)


def _margin_pdf(skills: list[str], jobs: list[tuple[list[tuple[float, str]], str]]) -> bytes:
    """A page in the style of themes that centre each heading on its section in a narrow
    left margin: an empty "Contact" section, "Skills" beside the skill lines with an empty
    "Summary" section's heading right under it, then jobs with their dates beside them (the
    cells of one margin line, at x positions in mm). The margin holds far less text than
    the page."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(64, 10)
    pdf.cell(100, 6, "Ada Stone")
    pdf.set_xy(10, 24)
    pdf.cell(40, 6, "Contact")
    for row, line in enumerate(skills):
        pdf.set_xy(64, 36 + 5 * row)
        pdf.cell(130, 5, line)
    pdf.set_xy(10, 40)
    pdf.cell(40, 6, "Skills")
    pdf.set_xy(10, 45)
    pdf.cell(40, 6, "Summary")
    pdf.set_xy(10, 64)
    pdf.cell(40, 6, "Work Experience")
    y = 64
    for dates, title in jobs:
        pdf.set_xy(64, y)
        pdf.cell(130, 5, title)
        for row in range(6):
            pdf.set_xy(64, y + 5 * (row + 1))
            pdf.cell(130, 5, f"Built and ran the billing and payment services of region {row}.")
        for x, cell in dates:
            pdf.set_xy(x, y + 6)
            pdf.cell(0, 5, cell)
        y += 45
    return bytes(pdf.output())


SKILL_LINES = [
    "Languages: Python, Go, TypeScript, SQL",
    "Platforms: Kubernetes, Terraform, AWS",
    "Practices: Code review, Testing, Mentoring",
    "Data: PostgreSQL, Kafka, Airflow",
]


def test_pdf_headings_centred_in_a_thin_margin_lead_their_sections() -> None:
    # Read line by line, "Skills" would land inside its own list, and a second heading
    # beside the same lines heads an empty section.
    jobs = [
        ([(10, "2019 - 2024")], "Lead Engineer at Acme Corp"),
        ([(10, "2015 - 2018")], "Engineer at Beta GmbH"),
    ]
    found = lines_of(extract_text(_margin_pdf(SKILL_LINES, jobs)))
    skills = found.index("Skills")
    assert found[skills + 1 : skills + 6] == [*SKILL_LINES, "Summary"]
    acme = found.index("Lead Engineer at Acme Corp")
    assert found[found.index("Work Experience") + 1 : acme] == ["2019 - 2024"]
    assert found[found.index("Engineer at Beta GmbH") - 1] == "2015 - 2018"


def test_pdf_the_gutter_is_where_no_line_crosses() -> None:
    # Only the end dates reach far right in the margin, so the strip few lines cross starts
    # well inside the margin; split at its middle, each end date would leave its line.
    jobs = [
        ([(10, "2019-01-01"), (32.5, "to"), (40, "2024-03-31")], "Lead Engineer at Acme Corp"),
        ([(10, "2015-05-01"), (32.5, "to"), (40, "2018-12-31")], "Engineer at Beta GmbH"),
    ]
    found = lines_of(extract_text(_margin_pdf(SKILL_LINES, jobs)))
    assert found[found.index("Lead Engineer at Acme Corp") - 1] == "2019-01-01\tto\t2024-03-31"
    assert found[found.index("Engineer at Beta GmbH") - 1] == "2015-05-01\tto\t2018-12-31"


def test_pdf_a_thin_sidebar_beside_dense_text_is_a_column() -> None:
    # A page where the sidebar is down to a few short lines (its list ended on the page
    # before) holds far under a tenth of the text; it is still read as a column of its own.
    from fpdf import FPDF

    sidebar = ["TORONTO", "ME@EXAMPLE.COM", "BACKEND", "DEVELOPMENT", "AWS", "LEADERSHIP"]
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for row, line in enumerate(sidebar):
        pdf.set_xy(10, 22.5 + 9 * row)
        pdf.cell(40, 5, line)
    for row in range(40):
        pdf.set_xy(62, 20 + 5 * row)
        pdf.cell(130, 5, f"Led the migration of the billing platform to managed services ({row}).")
    found = lines_of(extract_text(bytes(pdf.output())))
    first = found.index(sidebar[0])
    assert found[first : first + len(sidebar)] == sidebar


def test_pdf_dates_on_a_title_line_above_two_columns_of_bullets_stay_on_it() -> None:
    # Themes print an entry's bullets in two columns under a title line that ends in its
    # dates; read as columns, the dates would land in the middle of the bullets.
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    y = 20
    for title, dates in (("Senior Java Developer", "May 2021 - Mar 2022"), ("Engineer", "2018")):
        pdf.set_xy(10, y)
        pdf.cell(90, 5, title)
        pdf.set_xy(110, y)
        pdf.cell(90, 5, dates, align="R")
        for row in range(4):
            pdf.set_xy(10, y + 7 + 5 * row)
            pdf.cell(90, 5, f"- Ported the views of module {row} to Angular and Java")
            pdf.set_xy(110, y + 7 + 5 * row)
            pdf.cell(90, 5, f"- Designed the schemas of service {row} with the team")
        y += 40
    found = lines_of(extract_text(bytes(pdf.output())))
    assert found[0] == "Senior Java Developer\tMay 2021 - Mar 2022"
    assert "Engineer\t2018" in found


def test_pdf_tabbed_dates_stay_on_their_lines() -> None:
    # Right-aligned dates level with job titles are one line each, not a second column.
    rows = [
        ("Lead Engineer, Acme Corp", "2019 - 2024"),
        ("Engineer, Beta GmbH", "2015 - 2019"),
        ("Intern, Gamma Ltd", "Jun 2014 - Aug 2014"),
        ("Tutor, TU Munich", "2012 - 2014"),
    ]
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for title, dates in rows:
        pdf.cell(120, 7, title)
        pdf.cell(60, 7, dates, align="R", new_x="LMARGIN", new_y="NEXT")
    found = lines_of(extract_text(bytes(pdf.output())))
    assert found == [f"{title}\t{dates}" for title, dates in rows]


def test_pdf_skill_tags_printed_as_pills_are_separate_items() -> None:
    # Themes print skills as tags a little more than a word space apart; read as one phrase,
    # "Python R Statistical Computing" would be one skill.
    from fpdf import FPDF

    from hotgigs.parsing import parse_text

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ("Ada Stone", "Data Scientist", "Skills"):
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    for row in (("Python", "R", "Statistical Computing"), ("Deep Learning", "Online Learning")):
        for tag in row:
            pdf.cell(pdf.get_string_width(tag) + 2, 7, tag, border=1, align="C")
            pdf.cell(2.5, 7, "")  # the gap between two tags: under one em
        pdf.ln(9)
    pdf.cell(0, 7, "I like statistics and computing very much.", new_x="LMARGIN", new_y="NEXT")
    found = lines_of(extract_text(bytes(pdf.output())))
    assert found[3:] == [
        "Python\tR\tStatistical Computing",
        "Deep Learning\tOnline Learning",
        "I like statistics and computing very much.",
    ]
    skills = [s["name"] for s in parse_text("\n".join(found)).resume["skills"]]
    assert skills == ["Python", "R", "Statistical Computing", "Deep Learning", "Online Learning"]


def test_pdf_running_header_and_footer_are_dropped() -> None:
    body = [f"Achievement {n}: shipped project number {n} for a client" for n in range(90)]
    data = docs.make_pdf(
        body, header="Jane Doe - jane.doe@example.com", footer="Page {page} of {pages}", pages=3
    )
    result = extract_text(data)
    assert result.pages == 3
    assert result.text.count("Jane Doe - jane.doe@example.com") == 1
    assert "Page " not in result.text
    assert lines_of(result)[0] == "Jane Doe - jane.doe@example.com"
    assert_in_order(result.text, body)


def test_pdf_page_cap_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction.pdf, "MAX_PDF_PAGES", 2)
    result = extract_text(
        docs.make_pdf([f"Line {n} of the resume text" for n in range(40)], pages=4)
    )
    assert result.pages == 4
    assert "Line 0 of" in result.text
    assert "Line 39 of" not in result.text
    assert any("first 2 of 4 pages" in warning for warning in result.warnings)


def test_docx_round_trip_with_table_text_box_and_header() -> None:
    data = docs.make_docx(
        RESUME,
        table_rows=[["Python", "8 years"], ["PostgreSQL", "5 years"]],
        text_box=["Languages", "German (native)"],
        header="Curriculum Vitae - Jane Doe",
        footer="Confidential",
    )
    result = extract_text(data)
    assert result.kind == "docx"
    assert lines_of(result)[0] == "Curriculum Vitae - Jane Doe"
    assert_in_order(result.text, RESUME)
    assert_in_order(result.text, ["Python | 8 years", "PostgreSQL | 5 years"])
    assert_in_order(result.text, ["Languages", "German (native)"])
    # Word writes every text box twice (DrawingML and a VML fallback): read it once.
    assert result.text.count("German (native)") == 1
    assert result.text.count("Confidential") == 1


def test_docx_skill_tags_drawn_as_pills_are_separate_cells() -> None:
    # Word (and LibreOffice converting a web page) draws tags as runs with a border of
    # their own, a plain space between them: each tag is a cell, as a wide gap is in a PDF.
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.add_paragraph("Kubernetes")
    tags = document.add_paragraph()
    for number, tag in enumerate(["Kubeadm", "Helm", "Bare-Metal", "Prompt Engineering"]):
        if number:
            tags.add_run(" ")
        run = tags.add_run(tag)
        border = OxmlElement("w:bdr")
        border.set(qn("w:val"), "single")
        run._r.get_or_add_rPr().append(border)
    document.add_paragraph("Plain words stay as they are")
    out = io.BytesIO()
    document.save(out)
    assert lines_of(extract_text(out.getvalue())) == [
        "Kubernetes",
        "Kubeadm\tHelm\tBare-Metal\tPrompt Engineering",
        "Plain words stay as they are",
    ]


def test_docx_unicode_round_trip() -> None:
    result = extract_text(docs.make_docx(UNICODE_RESUME))
    assert lines_of(result) == UNICODE_RESUME


@pytest.mark.skipif(
    shutil.which("antiword") is None,
    reason="reading .doc needs antiword (apt-get install antiword)",
)
def test_doc_round_trip(doc_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    # antiword alone (catdoc is only a fallback), table rows kept together.
    real_which = shutil.which
    monkeypatch.setattr(
        extraction.legacy_doc.shutil,
        "which",
        lambda name, *a, **k: None if name == "catdoc" else real_which(name),
    )
    result = extract_text(doc_bytes)
    assert result.kind == "doc"
    assert lines_of(result) == [*RESUME, "Python | 8 years", "SQL | 5 years"]


def test_rtf_round_trip() -> None:
    result = extract_text(docs.make_rtf(RESUME + UNICODE_RESUME))
    assert result.kind == "rtf"
    assert lines_of(result) == RESUME + UNICODE_RESUME


def test_rtf_keeps_link_targets() -> None:
    data = (
        b"{\\rtf1\\ansi\\ansicpg1252 Jane Doe, Senior Software Engineer\\par "
        b'{\\field{\\*\\fldinst{HYPERLINK "https://www.linkedin.com/in/janedoe"}}'
        b"{\\fldrslt{LinkedIn}}}\\par}"
    )
    assert lines_of(extract_text(data)) == [
        "Jane Doe, Senior Software Engineer",
        "LinkedIn",
        "https://www.linkedin.com/in/janedoe",
    ]


def test_rtf_tables_keep_rows_and_cells_apart() -> None:
    data = (
        b"{\\rtf1\\ansi Jane Doe, Senior Software Engineer\\par "
        b"\\trowd\\cellx2000\\cellx6000 "
        b"\\intbl CONTACT\\par jane@example.com\\cell "
        b"\\intbl EXPERIENCE\\par Acme Corp 2019-2024\\cell \\row "
        b"\\trowd\\cellx2000\\cellx6000 \\intbl Python\\cell \\intbl 8 years\\cell \\row "
        b"References on request\\par}"
    )
    assert lines_of(extract_text(data)) == [
        "Jane Doe, Senior Software Engineer",
        "CONTACT",
        "jane@example.com",
        "EXPERIENCE",
        "Acme Corp 2019-2024",
        "Python | 8 years",
        "References on request",
    ]


def test_odt_round_trip_with_list_table_and_header() -> None:
    data = docs.make_odt(
        RESUME,
        list_items=["Python", "Kubernetes"],
        table_rows=[["Go", "3 years"]],
        header="Jane Doe - CV",
    )
    result = extract_text(data)
    assert result.kind == "odt"
    assert lines_of(result) == ["Jane Doe - CV", *RESUME, "Python", "Kubernetes", "Go | 3 years"]


def test_html_round_trip_without_scripts_or_styles() -> None:
    result = extract_text(docs.make_html(RESUME + UNICODE_RESUME))
    assert result.kind == "html"
    assert lines_of(result) == RESUME + UNICODE_RESUME
    for hidden in ("do not extract", "nor me", "font-family", "Resume</title"):
        assert hidden not in result.text


def test_html_table_rows_and_line_breaks() -> None:
    page = (
        b"<html><body><div>Jane <b>Doe</b>\n   Senior   Engineer<br>Berlin</div>"
        b"<table><tr><td>Python</td><td>8 years</td></tr></table></body></html>"
    )
    assert lines_of(extract_text(page)) == ["Jane Doe Senior Engineer", "Berlin", "Python\t8 years"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_txt_round_trip_in_common_encodings(encoding: str) -> None:
    lines = RESUME + [
        line for line in UNICODE_RESUME if line.encode(encoding, "ignore").decode(encoding) == line
    ]
    result = extract_text(docs.make_txt(lines, encoding))
    assert result.kind == "txt"
    assert lines_of(result) == lines


def test_text_is_normalised() -> None:
    tail = "\n".join(RESUME[3:])
    raw = (
        "Jane\x00 Doe\r\n\r\n\r\n\r\nSenior\u00a0 Engineer\x07\n\n\n"
        f"Cafe\u0301 owner\ufeff\u200b since 2019\u2028  {tail}  \n\n"
    ).encode()
    assert extract_text(raw).text == (
        f"Jane Doe\n\nSenior Engineer\n\nCafé owner since 2019\n{tail}"
    )


@needs_tesseract
@pytest.mark.parametrize("make", [docs.make_png, docs.make_jpg])
def test_images_are_read_with_ocr(make) -> None:
    result = extract_text(make(RESUME[:3]))
    assert result.used_ocr
    assert result.pages == 1
    assert "Jane Doe" in result.text
    assert "Senior Software Engineer" in result.text
    assert result.warnings


@needs_tesseract
@pytest.mark.slow
def test_scanned_pdf_is_read_with_ocr() -> None:
    result = extract_text(docs.make_scanned_pdf(RESUME[:4]))
    assert result.kind == "pdf"
    assert result.used_ocr
    assert_in_order(result.text, ["Jane Doe", "Senior Software Engineer", "Experience"])


# ---------------------------------------------------------------------------------------------
# Failures, each from a realistic input


def test_empty_file() -> None:
    assert error_of(b"").code == "empty_file"
    with pytest.raises(ExtractionError) as caught:
        check_upload(b"")
    assert caught.value.code == "empty_file"


def test_too_large_names_the_limit() -> None:
    error = error_of(b"x" * (600 * 1024), max_bytes=1024 * 1024 // 2)
    assert error.code == "too_large"
    assert "0.5 MB" in str(error)
    assert "10 MB" in str(error_of(b"x" * (10 * 1024 * 1024 + 1)))


def test_encrypted_pdf() -> None:
    error = error_of(docs.make_encrypted_pdf(RESUME, "s3cret"))
    assert error.code == "encrypted"
    assert "password" in str(error)


def test_encrypted_office_document() -> None:
    data = docs.make_encrypted_ooxml()
    assert detect_kind(data) is None
    assert error_of(data).code == "encrypted"
    with pytest.raises(ExtractionError) as caught:
        check_upload(data)
    assert caught.value.code == "encrypted"


@needs_soffice
def test_encrypted_word_97_document(doc_bytes: bytes) -> None:
    error = error_of(docs.mark_doc_encrypted(doc_bytes))
    assert error.code == "encrypted"
    assert "password" in str(error)


def test_truncated_pdf_is_corrupt() -> None:
    error = error_of(docs.make_truncated_pdf(RESUME))
    assert error.code == "corrupt"
    assert "damaged" in str(error)


def test_truncated_docx_is_corrupt() -> None:
    data = docs.make_docx(RESUME)
    assert error_of(data[: len(data) // 2]).code == "corrupt"


@pytest.mark.slow
def test_zip_bomb_is_refused_before_unpacking() -> None:
    bomb = docs.make_zip_bomb_docx()
    assert len(bomb) < 1024 * 1024
    assert detect_kind(bomb) == "docx"
    assert error_of(bomb).code == "zip_bomb"


def test_image_claiming_huge_dimensions_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction.ocr, "ocr_available", lambda: True)
    assert error_of(docs.make_huge_png()).code == "too_large"


def test_truncated_image_is_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction.ocr, "ocr_available", lambda: True)
    data = docs.make_png(RESUME[:2])
    assert error_of(data[: len(data) // 3]).code == "corrupt"


def test_scanned_pdf_without_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction.pdf, "ocr_available", lambda: False)
    error = error_of(docs.make_scanned_pdf(RESUME[:3]))
    assert error.code == "ocr_unavailable"
    assert "scanned" in str(error)
    assert "tesseract-ocr" in str(error)


def test_scanned_pdf_with_ocr_turned_off() -> None:
    error = error_of(docs.make_scanned_pdf(RESUME[:3]), ocr=False)
    assert error.code == "ocr_unavailable"
    assert "turned off" in str(error)


def test_image_without_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction.ocr, "ocr_available", lambda: False)
    assert error_of(docs.make_png(RESUME[:2])).code == "ocr_unavailable"


@pytest.mark.parametrize(
    "data",
    [
        docs.make_pdf(["", " "]),
        docs.make_docx(["", "-", "* * *"]),
        docs.make_html(["Hi"]),
        b"--- ... ---\n\n  ***  \n",
    ],
    ids=["blank-pdf", "docx-punctuation", "html-greeting", "txt-punctuation"],
)
def test_files_without_meaningful_text(data: bytes) -> None:
    assert error_of(data).code == "no_text"


def test_doc_without_antiword(monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = shutil.which
    monkeypatch.setattr(
        extraction.legacy_doc.shutil,
        "which",
        lambda name, *a, **k: None if name in ("antiword", "catdoc") else real_which(name),
    )
    data = docs.make_fake_doc()
    assert detect_kind(data) == "doc"
    error = error_of(data)
    assert error.code == "tool_unavailable"
    assert "antiword" in str(error)


@needs_antiword
def test_unreadable_doc_is_corrupt() -> None:
    assert error_of(docs.make_fake_doc()).code == "corrupt"


def test_errors_survive_pickling() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(ExtractionError("encrypted", "The PDF is locked.")))
    assert (error.code, str(error)) == ("encrypted", "The PDF is locked.")


def test_concurrent_pdf_extraction_is_safe() -> None:
    # PDFium is not thread-safe; extraction serialises its calls.
    from concurrent.futures import ThreadPoolExecutor

    files = [docs.make_pdf([*RESUME, f"Reference number {n}"]) for n in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(extract_text, files * 3))
    assert all(f"Reference number {n % 8}" in r.text for n, r in enumerate(results))


def test_library_failures_become_extraction_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(data: bytes, ocr: bool):
        raise KeyError("internal detail")

    monkeypatch.setitem(extraction.api._EXTRACTORS, "txt", explode)
    error = error_of(docs.make_txt(RESUME))
    assert error.code == "corrupt"
    assert isinstance(error.__cause__, KeyError)
    assert "internal detail" not in str(error)


# ---------------------------------------------------------------------------------------------
# Hostile input never raises anything but ExtractionError

PREFIXES = [
    b"",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"{\\rtf1\\ansi ",
    bytes.fromhex("D0CF11E0A1B11AE1"),
    b"<!DOCTYPE html><html>",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
]


def _only_extraction_errors(data: bytes) -> None:
    try:
        result = extract_text(data, ocr=False)
    except ExtractionError as error:
        assert error.code in extraction.ERROR_CODES
    else:
        assert result.kind in SUPPORTED_KINDS
        assert len([c for c in result.text if c.isalnum()]) >= 20
    detect_kind(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=4096))
@example(prefix=b"%PDF-", body=b"")
@example(prefix=b"PK\x03\x04", body=b"\x00" * 26)
def test_random_bytes_only_raise_extraction_errors(prefix: bytes, body: bytes) -> None:
    _only_extraction_errors(prefix + body)


_VALID = {
    "pdf": docs.make_pdf(RESUME),
    "docx": docs.make_docx(RESUME, table_rows=[["a", "b"]]),
    "odt": docs.make_odt(RESUME),
    "rtf": docs.make_rtf(RESUME),
}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(_VALID)),
    edits=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), max_size=6),
    cut=st.floats(0.05, 1),
)
def test_damaged_documents_only_raise_extraction_errors(kind, edits, cut) -> None:
    data = bytearray(_VALID[kind])
    for where, junk in edits:
        at = int(where * (len(data) - 1))
        data[at : at + len(junk)] = junk
    _only_extraction_errors(bytes(data[: max(1, int(len(data) * cut))]))
