"""Resume text extraction: bytes in, normalised plain text out.

A pure library (no web, no database). The file type is decided by content only; every
failure becomes an `ExtractionError` whose `code` is machine-readable and whose message is
written for a recruiter.

Formats: PDF (pypdfium2 text layer with column-aware reading order, running headers and
footers removed, OCR of scanned pages), DOCX (body order, tables, text boxes, headers and
footers), DOC (Debian `antiword`, `catdoc` as a fallback), RTF (striprtf), ODT (content.xml),
HTML (BeautifulSoup + lxml), TXT (charset-normalizer), PNG/JPEG (OCR with Tesseract).

Modules:

- ``base``: supported kinds, error codes, limits, `ExtractionError`, `ExtractedText`
- ``api``: the public functions, dispatch to a format's reader, normalisation
- ``detection``: the file type, judged by content
- ``plain_text``, ``html``, ``rtf``: text, web pages, rich text
- ``containers``: zip containers (DOCX, ODT) checked before unpacking, safe XML parsing
- ``docx``, ``odt``, ``legacy_doc``: Word, OpenDocument, Word 97-2003
- ``ocr``: Tesseract, for images and scanned PDF pages
- ``pdf``: the text layer, running lines removed, scanned pages sent to OCR
- ``pdf_layout``: reading order on a page (columns, sidebars, a margin of labels)

Besides `__all__`, `normalise_text`, `MAX_PDF_PAGES` and `MAX_TEXT_CHARS` are importable
from here. A limit or helper is read by the module that uses it (each binds its own name):
to change one in a test, patch that module (`extraction.pdf.MAX_PDF_PAGES`), not this
package.
"""

from hotgigs.resumes.extraction.api import check_upload, detect_kind, extract_text, load_readers
from hotgigs.resumes.extraction.api import normalise_text as normalise_text
from hotgigs.resumes.extraction.base import (
    ERROR_CODES,
    SUPPORTED_KINDS,
    ExtractedText,
    ExtractionError,
)
from hotgigs.resumes.extraction.base import MAX_PDF_PAGES as MAX_PDF_PAGES
from hotgigs.resumes.extraction.base import MAX_TEXT_CHARS as MAX_TEXT_CHARS
from hotgigs.resumes.extraction.ocr import ocr_available

__all__ = [
    "ERROR_CODES",
    "SUPPORTED_KINDS",
    "ExtractedText",
    "ExtractionError",
    "check_upload",
    "detect_kind",
    "extract_text",
    "load_readers",
    "ocr_available",
]
