"""Generators of resume documents in every supported format, and hostile ones.

Used by the tests and by the benchmarks, so every generator takes a resume's plain text (or a
list of lines) and returns the file's bytes. Nothing here touches the network.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

Lines = str | Sequence[str]

# Characters the PDF core fonts (latin-1) cannot show, with a readable stand-in.
_LATIN1_STAND_INS = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2022": "*",
    "\u2026": "...",
    "\u00a0": " ",
}


def as_lines(text_or_lines: Lines) -> list[str]:
    """A resume's lines, from either its plain text or a list of lines."""
    if isinstance(text_or_lines, str):
        return text_or_lines.splitlines()
    return [str(line) for line in text_or_lines]


def latin1(text: str) -> str:
    """`text` with what latin-1 cannot encode replaced (for the PDF core fonts)."""
    for char, stand_in in _LATIN1_STAND_INS.items():
        text = text.replace(char, stand_in)
    return text.encode("latin-1", "replace").decode("latin-1")


# --------------------------------------------------------------------------------------------
# PDF


def make_pdf(
    text_or_lines: Lines,
    *,
    two_columns: tuple[list[str], list[str]] | None = None,
    header: str | None = None,
    footer: str | None = None,
    pages: int = 1,
) -> bytes:
    """A text PDF (A4, Helvetica 11 pt).

    The lines are split evenly over `pages` pages (more pages follow if they do not fit).
    `two_columns` = (left, right) lines are laid out side by side below the first page's
    lines, in a narrow left column and a wide right one, on the same baselines (the hard case
    for reading order). `header` and `footer` repeat on every page; `{page}` and `{pages}` in
    them become the page number and the page count.
    """
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class _Pdf(FPDF):
        def header(self) -> None:
            if header:
                self.set_font("Helvetica", size=9)
                self.set_y(8)
                self.cell(0, 5, latin1(_page_text(header, self)), align="C")
                self.set_font("Helvetica", size=11)
                self.set_y(20)

        def footer(self) -> None:
            if footer:
                self.set_font("Helvetica", size=9)
                self.set_y(-14)
                self.cell(0, 5, latin1(_page_text(footer, self)), align="C")
                self.set_font("Helvetica", size=11)

    pdf = _Pdf(unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(15, 20, 15)
    pdf.set_font("Helvetica", size=11)
    lines = as_lines(text_or_lines)
    pages = max(1, pages)
    per_page = -(-len(lines) // pages) if lines else 0
    for number in range(pages):
        pdf.add_page()
        chunk = lines[number * per_page : (number + 1) * per_page]
        for line in chunk:
            pdf.multi_cell(0, 6, latin1(line), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if number == 0 and two_columns is not None:
            _two_columns(pdf, *two_columns)
    return bytes(pdf.output())


def _page_text(template: str, pdf) -> str:
    return template.replace("{page}", str(pdf.page_no())).replace("{pages}", "{nb}")


def _two_columns(pdf, left: list[str], right: list[str]) -> None:
    # Lines are wrapped to their column, then drawn row by row (left line 1, right line 1,
    # left line 2, ...): the content stream interleaves the columns, so only a reader that
    # looks at positions gets the reading order right.
    top = pdf.get_y() + 4
    columns = []
    for x, width, column in ((15, 55, left), (80, 115, right)):
        wrapped: list[str] = []
        for line in column:
            wrapped.extend(pdf.multi_cell(width, 6, latin1(line), dry_run=True, output="LINES"))
        columns.append((x, width, wrapped))
    pdf.set_auto_page_break(False)
    for row in range(max(len(wrapped) for _, _, wrapped in columns)):
        for x, width, wrapped in columns:
            if row < len(wrapped):
                pdf.set_xy(x, top + 6 * row)
                pdf.cell(width, 6, wrapped[row])
    pdf.set_y(top + 6 * max(len(wrapped) for _, _, wrapped in columns))
    pdf.set_auto_page_break(True, margin=20)


def make_scanned_pdf(text_or_lines: Lines) -> bytes:
    """An image-only PDF: the lines drawn on an A4 page image at 200 dpi, no text layer."""
    from fpdf import FPDF

    image = _text_image(as_lines(text_or_lines), width=1654, height=2339, font_size=34)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.image(buffer, x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def make_encrypted_pdf(text_or_lines: Lines, password: str = "secret") -> bytes:
    """A text PDF that needs `password` to open."""
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod, XPos, YPos

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_encryption(
        owner_password=password + "-owner",
        user_password=password,
        encryption_method=EncryptionMethod.AES_128,
    )
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in as_lines(text_or_lines):
        pdf.multi_cell(0, 6, latin1(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def make_truncated_pdf(text_or_lines: Lines = ("Jane Doe", "Software Engineer")) -> bytes:
    """A text PDF cut off a third of the way through, as an interrupted upload leaves it."""
    data = make_pdf(text_or_lines)
    return data[: len(data) // 3]


# --------------------------------------------------------------------------------------------
# Word (DOCX, DOC)

_TEXT_BOX_XML = """\
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
     xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps">
      <w:drawing>
        <wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0"
                   relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1"
                   allowOverlap="1">
          <wp:simplePos x="0" y="0"/>
          <wp:positionH relativeFrom="column"><wp:posOffset>3200400</wp:posOffset></wp:positionH>
          <wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
          <wp:extent cx="2286000" cy="1371600"/>
          <wp:effectExtent l="0" t="0" r="0" b="0"/>
          <wp:wrapSquare wrapText="bothSides"/>
          <wp:docPr id="{id}" name="Text Box {id}"/>
          <wp:cNvGraphicFramePr/>
          <a:graphic>
            <a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
              <wps:wsp>
                <wps:cNvSpPr txBox="1"/>
                <wps:spPr>
                  <a:xfrm><a:off x="0" y="0"/><a:ext cx="2286000" cy="1371600"/></a:xfrm>
                  <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
                </wps:spPr>
                <wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx>
                <wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720"
                            rIns="91440" bIns="45720" anchor="t" anchorCtr="0">
                  <a:noAutofit/>
                </wps:bodyPr>
              </wps:wsp>
            </a:graphicData>
          </a:graphic>
        </wp:anchor>
      </w:drawing>
    </mc:Choice>
    <mc:Fallback>
      <w:pict>
        <v:shape id="Text Box {id}" type="#_x0000_t202"
                 style="position:absolute;margin-left:252pt;width:180pt;height:108pt">
          <v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox>
        </v:shape>
      </w:pict>
    </mc:Fallback>
  </mc:AlternateContent>
</w:r>"""


def make_docx(
    text_or_lines: Lines,
    *,
    table_rows: Sequence[Sequence[str]] | None = None,
    text_box: Lines | None = None,
    header: str | None = None,
    footer: str | None = None,
) -> bytes:
    """A Word document: one paragraph a line, then an optional table.

    `text_box` lines go into a real floating text box (DrawingML with the VML fallback Word
    writes beside it) anchored to the first paragraph; `header`/`footer` into the section's.
    """
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    lines = as_lines(text_or_lines)
    paragraphs = [document.add_paragraph(line) for line in lines]
    if table_rows:
        width = max(len(row) for row in table_rows)
        table = document.add_table(rows=0, cols=width)
        for row in table_rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=False):
                cell.text = value
    if text_box is not None:
        anchor = paragraphs[0] if paragraphs else document.add_paragraph()
        inner = "".join(
            f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
            for line in as_lines(text_box)
        )
        anchor._p.append(
            parse_xml(_TEXT_BOX_XML.replace("{paragraphs}", inner).replace("{id}", "7"))
        )
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class GeneratorUnavailable(RuntimeError):
    """A generator needs a tool that is not installed here (the message names it)."""


def soffice_path() -> str | None:
    """LibreOffice's command line, which `make_doc` needs, or None when not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@lru_cache(maxsize=1)
def _soffice_profile() -> str:
    # One private LibreOffice profile per process: a first start in a new profile is slower,
    # and a shared one could be locked by a desktop session.
    return tempfile.mkdtemp(prefix="hotgigs-soffice-profile-")


def make_doc(text_or_lines: Lines, **docx_options) -> bytes:
    """A genuine Word 97-2003 binary .doc, converted from `make_docx` by headless LibreOffice.

    Needs LibreOffice (Debian `libreoffice-writer-nogui`); raises GeneratorUnavailable
    without it (or when the conversion fails).
    """
    soffice = soffice_path()
    if soffice is None:
        raise GeneratorUnavailable(
            "making a .doc needs LibreOffice (apt-get install libreoffice-writer-nogui)"
        )
    with tempfile.TemporaryDirectory(prefix="hotgigs-doc-") as work:
        source = Path(work, "resume.docx")
        source.write_bytes(make_docx(text_or_lines, **docx_options))
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{_soffice_profile()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "doc:MS Word 97",
                "--outdir",
                work,
                str(source),
            ],
            capture_output=True,
            timeout=180,
            check=False,
            env={**os.environ, "HOME": work},
        )
        target = Path(work, "resume.doc")
        if not target.exists():
            detail = result.stderr.decode(errors="replace").strip()
            raise GeneratorUnavailable(f"LibreOffice did not convert the document: {detail}")
        return target.read_bytes()


# --------------------------------------------------------------------------------------------
# RTF, ODT, HTML, TXT


def _rtf_escape(text: str) -> str:
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif ord(char) < 128:
            out.append(char)
        else:
            code = ord(char)
            if code > 0xFFFF:  # outside the BMP: RTF wants UTF-16 surrogates
                encoded = char.encode("utf-16-le")
                for (unit,) in struct.iter_unpack("<H", encoded):
                    out.append(f"\\u{unit - 65536 if unit > 32767 else unit}?")
            else:
                out.append(f"\\u{code - 65536 if code > 32767 else code}?")
    return "".join(out)


def make_rtf(text_or_lines: Lines) -> bytes:
    """An RTF document, one paragraph a line; non-ASCII as \\uN escapes."""
    body = "".join(f"{_rtf_escape(line)}\\par\n" for line in as_lines(text_or_lines))
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0"
        "{\\fonttbl{\\f0\\fswiss Helvetica;}}"
        "{\\info{\\title Resume}}"
        "\\f0\\fs22\n" + body + "}"
    ).encode("ascii")


_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'office:version="1.3"'
)


def _odt_text(text: str) -> str:
    # Runs of spaces are written as <text:s/> the way ODF wants them.
    out, spaces = [], 0
    for char in text:
        if char == " ":
            spaces += 1
            continue
        if spaces:
            out.append(" " if spaces == 1 else f' <text:s text:c="{spaces - 1}"/>')
            spaces = 0
        out.append("<text:tab/>" if char == "\t" else escape(char))
    if spaces:
        out.append(f'<text:s text:c="{spaces}"/>')
    return "".join(out)


def make_odt(
    text_or_lines: Lines,
    *,
    list_items: Sequence[str] | None = None,
    table_rows: Sequence[Sequence[str]] | None = None,
    header: str | None = None,
) -> bytes:
    """An OpenDocument text: the first line as a heading, the rest as paragraphs, then an
    optional bulleted list and table; `header` goes into the page style's header."""
    lines = as_lines(text_or_lines)
    parts = []
    for index, line in enumerate(lines):
        tag = 'text:h text:outline-level="1"' if index == 0 else "text:p"
        parts.append(f"<{tag}>{_odt_text(line)}</{tag.split()[0]}>")
    if list_items:
        items = "".join(
            f"<text:list-item><text:p>{_odt_text(item)}</text:p></text:list-item>"
            for item in list_items
        )
        parts.append(f"<text:list>{items}</text:list>")
    if table_rows:
        width = max(len(row) for row in table_rows)
        rows = "".join(
            "<table:table-row>"
            + "".join(
                f"<table:table-cell><text:p>{_odt_text(cell)}</text:p></table:table-cell>"
                for cell in row
            )
            + "</table:table-row>"
            for row in table_rows
        )
        parts.append(
            f'<table:table table:name="T1"><table:table-column '
            f'table:number-columns-repeated="{width}"/>{rows}</table:table>'
        )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODT_NS}>'
        f"<office:body><office:text>{''.join(parts)}</office:text></office:body>"
        "</office:document-content>"
    )
    header_xml = (
        f"<style:header><text:p>{_odt_text(header)}</text:p></style:header>" if header else ""
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_ODT_NS}>'
        '<office:master-styles><style:master-page style:name="Standard">'
        f"{header_xml}</style:master-page></office:master-styles></office:document-styles>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3"'
        ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # ODF wants "mimetype" first and stored, so the type shows at a fixed offset.
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", styles, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def make_html(text_or_lines: Lines, *, encoding: str = "utf-8") -> bytes:
    """An HTML page: the first line as <h1>, the rest as paragraphs, plus a script and a
    style sheet whose text must not show up in extracted text."""
    lines = as_lines(text_or_lines)
    body = []
    for index, line in enumerate(lines):
        tag = "h1" if index == 0 else "p"
        body.append(f"<{tag}>{escape(line)}</{tag}>")
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head>'
        f'<meta charset="{encoding}"><title>Resume</title>'
        "<style>body { font-family: sans-serif; } .hidden-style-rule { color: red; }</style>"
        "<script>var trackingScriptText = 'do not extract me';</script>"
        "</head><body>\n" + "\n".join(body) + "\n<script>console.log('nor me');</script>"
        "</body></html>\n"
    )
    return page.encode(encoding, "xmlcharrefreplace")


def make_txt(text_or_lines: Lines, encoding: str = "utf-8") -> bytes:
    """Plain text, one line a line ("utf-16" writes a byte order mark, as Python does)."""
    return "\n".join(as_lines(text_or_lines)).encode(encoding)


# --------------------------------------------------------------------------------------------
# Images


def _font(size: int):
    from PIL import ImageFont

    if DEJAVU_SANS.exists():
        return ImageFont.truetype(str(DEJAVU_SANS), size)
    return ImageFont.load_default(size=size)


def _text_image(lines: list[str], *, width: int, height: int | None, font_size: int):
    from PIL import Image, ImageDraw

    font = _font(font_size)
    line_height = int(font_size * 1.5)
    margin = font_size * 3
    if height is None:
        height = 2 * margin + line_height * max(1, len(lines))
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((margin, margin + index * line_height), line, fill=0, font=font)
    return image


def make_png(text_or_lines: Lines) -> bytes:
    """A photo-like PNG of the lines in a large legible font (for OCR)."""
    image = _text_image(as_lines(text_or_lines), width=1600, height=None, font_size=36)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_jpg(text_or_lines: Lines) -> bytes:
    """A JPEG of the lines in a large legible font (for OCR)."""
    image = _text_image(as_lines(text_or_lines), width=1600, height=None, font_size=36)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Hostile and odd inputs

_DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="bin" ContentType="application/octet-stream"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOCX_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Jane Doe, Software Engineer, jane@example.com</w:t></w:r></w:p>"
    "</w:body></w:document>"
)


def make_zip_bomb_docx(megabytes: int = 200, *, part: str = "word/media/padding.bin") -> bytes:
    """A valid-looking DOCX whose extra `part` inflates to `megabytes` MB of zeros.

    Written in streaming fashion, so neither memory nor the result (~200 KB) grows large.
    """
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        archive.writestr("word/document.xml", _DOCX_DOCUMENT)
        with archive.open(part, "w") as entry:
            for _ in range(megabytes):
                entry.write(chunk)
    return buffer.getvalue()


def make_plain_zip() -> bytes:
    """An ordinary zip archive holding a text file (neither DOCX nor ODT)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("resume.txt", "Jane Doe\nSoftware Engineer\n" * 5)
    return buffer.getvalue()


def make_exe() -> bytes:
    """The start of a Windows PE executable (MZ header, DOS stub, PE signature)."""
    stub = b"This program cannot be run in DOS mode.\r\r\n$"
    header = b"MZ" + bytes(58) + struct.pack("<I", 0x80)
    body = header + bytes(0x40 - len(header) % 0x40) + stub
    body += bytes(0x80 - len(body)) if len(body) < 0x80 else b""
    return body + b"PE\0\0" + bytes(512)


def make_gif() -> bytes:
    """A small GIF image (a supported image kind would be PNG or JPEG)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (40, 20), 255).save(buffer, format="GIF")
    return buffer.getvalue()


_CFB_FREE = 0xFFFFFFFF
_CFB_END = 0xFFFFFFFE
_CFB_FAT = 0xFFFFFFFD
_CFB_NONE = 0xFFFFFFFF


def make_cfb(streams: dict[str, bytes]) -> bytes:
    """A Compound File Binary (OLE2, version 3) holding `streams` at the root.

    Streams shorter than 4096 bytes are zero-padded to 4096 so that everything lives in
    regular sectors (no mini stream). Enough for readers that walk the directory.
    """
    sector = 512
    items = sorted(
        ((name, data.ljust(4096, b"\0")) for name, data in streams.items()),
        key=lambda item: (len(item[0]), item[0].upper()),
    )
    data_sectors = [-(-len(data) // sector) for _, data in items]
    entries = 1 + len(items)
    dir_sectors = -(-entries // 4)
    fat_sectors = 1
    while True:
        total = fat_sectors + dir_sectors + sum(data_sectors)
        if -(-total // 128) <= fat_sectors:
            break
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("streams too large for a DIFAT-less compound file")
    fat: list[int] = [_CFB_FAT] * fat_sectors
    first_dir = len(fat)
    fat += [first_dir + i + 1 for i in range(dir_sectors - 1)] + [_CFB_END]
    starts = []
    for count in data_sectors:
        start = len(fat)
        starts.append(start)
        fat += [start + i + 1 for i in range(count - 1)] + [_CFB_END]
    fat += [_CFB_FREE] * (fat_sectors * 128 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _CFB_NONE, right, child)
            + bytes(16 + 4 + 8 + 8)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1 if items else _CFB_NONE, _CFB_NONE, _CFB_END, 0)
    for index, ((name, data), start) in enumerate(zip(items, starts, strict=True)):
        right = index + 2 if index + 1 < len(items) else _CFB_NONE
        directory += entry(name, 2, _CFB_NONE, right, start, len(data))
    directory = directory.ljust(dir_sectors * sector, b"\0")
    # Unused directory slots must say "no siblings/child" rather than point at entry 0.
    for slot in range(entries, dir_sectors * 4):
        offset = slot * 128
        directory = (
            directory[: offset + 68]
            + struct.pack("<III", _CFB_NONE, _CFB_NONE, _CFB_NONE)
            + directory[offset + 80 :]
        )

    difat = [*range(fat_sectors)] + [_CFB_FREE] * (109 - fat_sectors)
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, fat_sectors, first_dir, 0, 4096, _CFB_END, 0, _CFB_END, 0)
        + struct.pack("<109I", *difat)
    )
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    for _, data in items:
        body += data.ljust(-(-len(data) // sector) * sector, b"\0")
    return header + body


def mark_doc_encrypted(doc: bytes) -> bytes:
    """A Word 97 .doc (from `make_doc`) with its FIB's fEncrypted flag set, as Word writes
    it for a password-protected file (the text itself stays readable: this only tests that
    the flag is honoured)."""
    for offset in range(512, len(doc) - 12, 512):
        ident, nfib = struct.unpack_from("<HH", doc, offset)
        if ident == 0xA5EC and 0x00C1 <= nfib <= 0x0112:
            flags = struct.unpack_from("<H", doc, offset + 10)[0] | 0x0100
            return doc[: offset + 10] + struct.pack("<H", flags) + doc[offset + 12 :]
    raise ValueError("no Word 97 File Information Block found")


def make_fake_doc() -> bytes:
    """An OLE compound file with a `WordDocument` stream that is not a real Word document
    (detected as .doc; antiword cannot read it)."""
    fib = struct.pack("<HH", 0xA5EC, 0x00C1) + bytes(8) + b"garbage" * 700
    return make_cfb({"WordDocument": fib, "1Table": bytes(512)})


def make_huge_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG file that claims enormous dimensions (a decompression bomb's header)."""
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(1024)))
        + chunk(b"IEND", b"")
    )


def make_encrypted_ooxml() -> bytes:
    """What Word saves for a password-protected .docx: an OLE compound file with the
    `EncryptionInfo` (agile) and `EncryptedPackage` streams instead of a zip."""
    info_xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
        b'saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>'
    )
    encryption_info = struct.pack("<HHI", 4, 4, 0x40) + info_xml
    package = struct.pack("<Q", 12000) + bytes(range(256)) * 48
    return make_cfb({"EncryptionInfo": encryption_info, "EncryptedPackage": package})


# --------------------------------------------------------------------------------------------
# Attacks on the readers: decompression bombs, XML entities, polyglots


def make_pdf_from_objects(objects: Sequence[bytes]) -> bytes:
    """A PDF written by hand: `objects[0]` is object 1, the catalog; a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def _pdf_text(lines: Lines) -> bytes:
    shown = b"".join(
        b"(%s) Tj T* " % latin1(line).encode("latin-1").translate(None, b"()\\")
        for line in as_lines(lines)
    )
    return b"BT /F1 11 Tf 14 TL 50 780 Td " + shown + b"ET " if shown else b""


_PDF_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def make_many_pages_pdf(pages: int, first_page: Lines = ()) -> bytes:
    """A PDF of `pages` empty A4 pages (a few dozen bytes each); `first_page` lines on the first."""
    kids = b" ".join(b"%d 0 R" % (5 + n) for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids),
        _PDF_HELVETICA,
        _pdf_stream(b"", _pdf_text(first_page)),
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 3 0 R >> >>"
    )
    objects.append(page + b" /Contents 4 0 R >>")
    objects += [page + b" >>"] * (pages - 1)
    return make_pdf_from_objects(objects)


def make_page_tree_bomb_pdf(fanout: int = 10, depth: int = 8) -> bytes:
    """A 1 KB PDF whose page tree claims fanout**depth pages: each level lists the next
    level's one node `fanout` times."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = 2 + level
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        kids = b" ".join([b"%d 0 R" % (number + 1)] * fanout)
        count = fanout ** (depth - level)
        objects.append(b"<< /Type /Pages%s /Count %d /Kids [%s] >>" % (parent, count, kids))
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (1 + depth))
    return make_pdf_from_objects(objects)


def _deflated_zeros(size: int, row: int) -> bytes:
    """`size` zero bytes, deflated a row at a time (never all in memory)."""
    compressor = zlib.compressobj(9)
    zeros = bytes(row)
    parts = [compressor.compress(zeros) for _ in range(size // row)]
    return b"".join(parts) + compressor.flush()


def make_image_bomb_pdf(side: int = 12_000, text: Lines = ()) -> bytes:
    """A scanned-looking page: a `side` x `side` 8-bit grey image of zeros (deflated twice:
    `side`=12,000 unpacks to 144 MB from a few KB), with `text` lines drawn over it."""
    pixels = zlib.compress(_deflated_zeros(side * side, side), 9)
    content = _pdf_text(text) + b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    return make_pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R"
            b" /Resources << /XObject << /Im1 4 0 R >> /Font << /F1 6 0 R >> >> >>",
            _pdf_stream(
                b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
                b" /BitsPerComponent 8 /Filter [/FlateDecode /FlateDecode]" % (side, side),
                pixels,
            ),
            _pdf_stream(b"", content),
            _PDF_HELVETICA,
        ]
    )


def make_content_bomb_pdf(megabytes: int = 64, operator: bytes = b"q\n") -> bytes:
    """A 1 KB PDF whose page contents (deflated twice) unpack to `megabytes` MB of one
    operator repeated ("q" pushes a graphics state: the costliest for a PDF reader)."""
    chunk = operator * (1024 * 1024 // len(operator))
    compressor = zlib.compressobj(9)
    once = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    return make_pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _pdf_stream(b"/Filter [/FlateDecode /FlateDecode]", zlib.compress(once, 9)),
        ]
    )


def make_exe_pdf_polyglot(text_or_lines: Lines) -> bytes:
    """A Windows program with a readable PDF starting inside its first kilobyte."""
    return make_exe() + make_pdf(text_or_lines)


_ENTITY_ATTACKS = {
    # Ten references a level, nine levels: a billion "lol"s from a few hundred bytes.
    "billion_laughs": (
        '<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{level} "{("&lol" + ("" if level == 1 else str(level - 1)) + ";") * 10}">'
            for level in range(1, 10)
        ),
        "&lol9;",
    ),
    "external_file": ('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;"),
}
ENTITY_ATTACKS = tuple(_ENTITY_ATTACKS)
_ATTACK_LINES = [
    "Jane Doe, Software Engineer, jane.doe@example.com",
    "Experience: Acme Corp 2019 - 2024, Python and PostgreSQL",
]


def _with_dtd(xml: str, root: str, attack: str, padding: int) -> str:
    """`xml` with the attack's DTD after its declaration (behind `padding` bytes of comment,
    past any check of the first few kilobytes only) and its reference in the text."""
    declarations, reference = _ENTITY_ATTACKS[attack]
    declaration_end = xml.index("?>") + 2
    comment = f"<!--{'x' * padding}-->" if padding else ""
    doctype = f"<!DOCTYPE {root} [{declarations}]>"
    xml = xml[:declaration_end] + comment + doctype + xml[declaration_end:]
    return xml.replace("REFERENCE_HERE", reference)


def make_entity_docx(attack: str, *, padding: int = 0) -> bytes:
    """A Word document whose word/document.xml declares an entity attack (see ENTITY_ATTACKS)
    and uses it in the resume's text."""
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>"
        for line in [*_ATTACK_LINES, "REFERENCE_HERE"]
    )
    document = _with_dtd(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{paragraphs}</w:body></w:document>",
        "w:document",
        attack,
        padding,
    )
    return make_docx_from_document(document)


def make_docx_from_document(document: str) -> bytes:
    """The smallest Word package around a word/document.xml written by the caller."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def with_part_changed(package: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """A copy of a zip package (ODT, DOCX) with one XML part rewritten by `change`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as original, zipfile.ZipFile(buffer, "w") as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == part:
                data = change(data.decode()).encode()
            out.writestr(info, data)
    return buffer.getvalue()


def make_entity_odt(attack: str, *, padding: int = 0) -> bytes:
    """An OpenDocument text whose content.xml declares an entity attack and uses it."""
    return with_part_changed(
        make_odt([*_ATTACK_LINES, "REFERENCE_HERE"]),
        "content.xml",
        lambda xml: _with_dtd(xml, "office:document-content", attack, padding),
    )


def make_entity_html(attack: str) -> bytes:
    """An HTML resume whose DOCTYPE declares an entity attack and whose text uses it."""
    declarations, reference = _ENTITY_ATTACKS[attack]
    body = "".join(f"<p>{escape(line)}</p>" for line in _ATTACK_LINES)
    return (
        f"<!DOCTYPE html [{declarations}]><html><body>{body}<p>{reference}</p></body></html>"
    ).encode()


def make_many_members_docx(members: int = 60, megabytes_each: int = 1) -> bytes:
    """A DOCX of many moderately sized parts, none alone suspicious (1 MB of zeros each),
    that together unpack to members x megabytes_each MB."""
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        archive.writestr("word/document.xml", _DOCX_DOCUMENT)
        for number in range(members):
            with archive.open(f"word/media/part{number}.bin", "w") as entry:
                for _ in range(megabytes_each):
                    entry.write(chunk)
    return buffer.getvalue()


def make_understated_zip_docx(megabytes: int = 200, part: str = "word/settings.xml") -> bytes:
    """`make_zip_bomb_docx` with its padding part's size rewritten to 1,000 bytes in both
    zip headers, so a size check that trusts them lets it through."""
    data = bytearray(make_zip_bomb_docx(megabytes, part=part))
    name = part.encode()
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        name_offset = 30 if signature == b"PK\x03\x04" else 46
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                struct.pack_into("<I", data, start + size_offset, 1000)
            start += 4
    return bytes(data)
