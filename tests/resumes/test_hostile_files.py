"""Hostile files through extraction, parsing and the real import: each fails alone, clearly.

Bombs are checked for what they make the readers do (pages opened, bytes unpacked, pages
rendered), never for how long they take.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import tempfile
import unicodedata
import uuid
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pypdfium2
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotgigs.auth.models import Role
from hotgigs.config import Settings
from hotgigs.parsing import parse_text
from hotgigs.resumes import extraction
from hotgigs.resumes.extraction import ExtractedText, ExtractionError, check_upload, extract_text
from tests.parsing.test_hostile_input import assert_well_formed
from tests.support import documents as docs
from tests.support.sample_resumes import sample_resume

RESUME = sample_resume()
# Words that would mean a library's internals leaked into a reason shown to a recruiter.
INTERNALS = re.compile(r"Error\(|Traceback|lxml|pdfium|zipfile|libxml|errno|\b0x[0-9a-f]", re.I)


def assert_human_reason(reason: str | None, *words: str) -> None:
    """A reason a recruiter can read: a sentence naming the problem, no library internals."""
    assert reason and reason.strip()[-1] in ".)", reason
    assert not INTERNALS.search(reason), reason
    for word in words:
        assert word.lower() in reason.lower(), (word, reason)


def refusal(data: bytes, code: str, *words: str) -> ExtractionError:
    """Extraction refuses `data` with `code` and a human reason naming `words`."""
    with pytest.raises(ExtractionError) as caught:
        extract_text(data)
    assert caught.value.code == code, caught.value
    assert_human_reason(str(caught.value), *words)
    return caught.value


def read_and_parse(data: bytes) -> tuple[ExtractedText, dict]:
    """Extract and parse `data`; the parse is a well-formed JSON Resume."""
    extracted = extract_text(data)
    parsed = parse_text(extracted.text)
    assert_well_formed(extracted.text, parsed)
    return extracted, parsed.resume


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch):
    """Wrap a real method so calls (and what they return) are recorded; returns the calls."""

    def wrap(owner, name: str) -> list:
        calls: list = []
        real = getattr(owner, name)

        def recorded(*args, **kwargs):
            result = real(*args, **kwargs)
            calls.append(result)
            return result

        monkeypatch.setattr(owner, name, recorded)
        return calls

    return wrap


# ---------------------------------------------------------------------------------------------
# PDF: page counts, page trees, images and contents that unpack to gigabytes


def test_thousands_of_pages_are_capped(spy) -> None:
    opened = spy(pypdfium2.PdfDocument, "__getitem__")
    extracted, resume = read_and_parse(docs.make_many_pages_pdf(5000, RESUME))
    assert extracted.pages == 5000
    assert len(opened) == extraction.MAX_PDF_PAGES
    assert "Only the first 30 of 5000 pages were read." in extracted.warnings
    assert resume["basics"]["email"] == "priya.raman@example.com"

    opened.clear()
    refusal(docs.make_many_pages_pdf(5000), "no_text", "empty")
    assert len(opened) == extraction.MAX_PDF_PAGES


@pytest.mark.parametrize(
    ("depth", "code"), [(5, "no_text"), (8, "corrupt")], ids=["1e5-pages", "1e8-pages"]
)
def test_page_tree_claiming_millions_of_pages_fails_cleanly(depth: int, code: str) -> None:
    data = docs.make_page_tree_bomb_pdf(fanout=10, depth=depth)
    assert len(data) < 2048
    refusal(data, code)


@pytest.fixture(scope="module")
def image_bomb() -> bytes:
    return docs.make_image_bomb_pdf()


@pytest.mark.slow
def test_scanned_image_too_large_to_decode_is_never_rendered(
    image_bomb: bytes, spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extraction.pdf, "ocr_available", lambda: True)
    rendered = spy(pypdfium2.PdfPage, "render")
    assert len(image_bomb) < 4096  # unpacks to 144 MB of pixels
    refusal(image_bomb, "too_large", "12000x12000 pixels")
    # Beside a thin text layer (a scanner's) the oversized scan is skipped and the text read.
    extracted, resume = read_and_parse(docs.make_image_bomb_pdf(text=RESUME[:3]))
    assert "too large to read" in " ".join(extracted.warnings)
    assert resume["basics"]["email"] == "priya.raman@example.com"
    assert rendered == []


def test_page_contents_unpacking_to_an_unsafe_size_are_refused_unopened(spy) -> None:
    opened = spy(pypdfium2, "PdfDocument")
    refusal(docs.make_content_bomb_pdf(megabytes=64), "too_large", "unsafe size")
    assert opened == []
    # Under the limit the same kind of file is read (it holds no text).
    refusal(docs.make_content_bomb_pdf(megabytes=2), "no_text")
    assert len(opened) == 1


# ---------------------------------------------------------------------------------------------
# Zip containers: ratio, total size and lying headers, all refused before unpacking


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (docs.make_zip_bomb_docx, "zip_bomb"),
        (docs.make_many_members_docx, "zip_bomb"),
        (docs.make_understated_zip_docx, "corrupt"),
    ],
    ids=["high-ratio-member", "many-moderate-members", "understated-sizes"],
)
@pytest.mark.slow
def test_zip_bombs_are_refused_before_unpacking(make, code: str, spy) -> None:
    data = make()
    unpacked = spy(zipfile.ZipExtFile, "read")
    error = refusal(data, code)
    assert sum(len(chunk) for chunk in unpacked) < 64 * 1024
    assert "unsafe size" in str(error) if code == "zip_bomb" else "damaged" in str(error)


# ---------------------------------------------------------------------------------------------
# XML entities: a billion laughs and external entities


@pytest.mark.parametrize("padding", [0, 5000], ids=["at-start", "after-5kb"])
@pytest.mark.parametrize("attack", docs.ENTITY_ATTACKS)
@pytest.mark.parametrize("make", [docs.make_entity_docx, docs.make_entity_odt], ids=["docx", "odt"])
def test_xml_entity_declarations_are_refused(make, attack: str, padding: int) -> None:
    refusal(make(attack, padding=padding), "corrupt", "entity declarations", "not opened")


@pytest.mark.parametrize("attack", docs.ENTITY_ATTACKS)
@pytest.mark.parametrize("make", [docs.make_entity_docx, docs.make_entity_odt], ids=["docx", "odt"])
def test_xml_parsers_neither_expand_entities_nor_read_files(
    make, attack: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the refusal above, the parsers themselves still hold: nothing expands, no
    # file is read.
    monkeypatch.setattr(extraction.containers, "_declares_dtd", lambda blob: False)
    try:
        extracted, resume = read_and_parse(make(attack))
    except ExtractionError as error:
        assert error.code == "corrupt" and attack == "billion_laughs"
        return
    assert "root:" not in extracted.text and "lollol" not in extracted.text
    assert resume["basics"]["email"] == "jane.doe@example.com"


@pytest.mark.parametrize("attack", docs.ENTITY_ATTACKS)
def test_html_entities_are_neither_expanded_nor_shown(attack: str) -> None:
    extracted, resume = read_and_parse(docs.make_entity_html(attack))
    assert extracted.kind == "html"
    for leak in ("root:", "lollol", "ENTITY", "]>"):
        assert leak not in extracted.text
    assert resume["basics"]["email"] == "jane.doe@example.com"


# ---------------------------------------------------------------------------------------------
# Type lies and oversized text


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (docs.make_plain_zip, "a zip archive"),
        (docs.make_exe, "a Windows program"),
        (lambda: docs.make_exe_pdf_polyglot(RESUME), "a Windows program"),
    ],
    ids=["zip", "exe", "exe-with-a-pdf-inside"],
)
def test_content_decides_even_when_a_pdf_hides_inside(make, named: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        check_upload(make())
    assert caught.value.code == "unsupported_type"
    assert_human_reason(str(caught.value), named, "not supported")


@pytest.mark.slow
def test_huge_text_is_cut_before_parsing() -> None:
    source = ("\n".join(RESUME) + "\n") * 5000  # 3 MB
    extracted, resume = read_and_parse(docs.make_txt(source))
    assert len(extracted.text) <= extraction.MAX_TEXT_CHARS
    assert extraction.normalise_text(source).startswith(extracted.text + "\n")  # at a line end
    assert any("cut to its first" in warning for warning in extracted.warnings)
    assert resume["basics"]["email"] == "priya.raman@example.com"


HOSTILE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300
) | st.sampled_from(
    ["\x00" * 50, "\u202eevil\u202c", "\U0001f600" * 200, "x" * 20_000, "\x1b[31m", "&lol9;"]
)
MAKERS = {
    "pdf": docs.make_pdf,
    "docx": docs.make_docx,
    "odt": docs.make_odt,
    "rtf": docs.make_rtf,
    "html": docs.make_html,
    "txt": docs.make_txt,
}


# Characters XML 1.0 cannot hold: no Word or OpenDocument file contains them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(MAKERS)), hostile=st.lists(HOSTILE_TEXT, max_size=3))
def test_hostile_text_inside_real_documents_is_read_and_parsed(kind: str, hostile) -> None:
    if kind in ("docx", "odt"):
        hostile = [NOT_XML.sub("", line) for line in hostile]
    data = MAKERS[kind]([*RESUME[:3], *hostile, *RESUME[3:]])
    if kind == "txt" and re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "".join(hostile)):
        # Text full of control bytes may pass for binary: then it is refused, clearly.
        try:
            extract_text(data)
        except ExtractionError as error:
            assert error.code == "unsupported_type"
            assert_human_reason(str(error), "not")
            return
    extracted, resume = read_and_parse(data)
    assert not re.search("[\x00-\x08\x0b-\x1f\ud800-\udfff\u202a-\u202e]", extracted.text)
    assert resume["basics"]["email"] == "priya.raman@example.com"


# ---------------------------------------------------------------------------------------------
# End to end: one bulk upload of hostile files and good neighbours, through the real worker

MARKER = "hostile7f3a"  # in every hostile name, to look for files named after them
GOOD_NAMES = {
    "pdf": f"../../../etc/{MARKER}-passwd.pdf",
    "docx": f"/etc/cron.d/{MARKER}\x00.docx",
    "txt": f"{MARKER}\u202efdp.exe.txt",
    # Over 255 characters, astral and joined emoji, within a multipart header's 4 KB.
    "html": "\U0001f600" * 500
    + "\U0001f469\u200d\U0001f4bb" * 50
    + "\u00e9" * 300
    + f"{MARKER}.html",
    "rtf": f"{MARKER}\t\x1b[31m\x7f\u0085 C:\\Windows\\x.rtf",
}
UNSAFE_NAME_CHARS = re.compile("[\x00-\x1f\x7f-\x9f/\\\\\u202a-\u202e\u2066-\u2069]")


def person(number: int) -> list[str]:
    return sample_resume(
        name=f"Neighbour Number{number}",
        email=f"neighbour{number}@example.com",
        phone=f"+1 415 555 02{number:02d}",
    )


def hostile_files(image_bomb: bytes) -> list[tuple[str, bytes, dict[str, str]]]:
    """(name, content, {error code: word its reason must name}) for each hostile file."""
    scan = {"too_large": "too large", "ocr_unavailable": "OCR"}  # with or without Tesseract
    return [
        ("locked.pdf", docs.make_encrypted_pdf(RESUME, "s3cret"), {"encrypted": "password"}),
        ("cut.pdf", docs.make_truncated_pdf(RESUME), {"corrupt": "damaged"}),
        ("bomb.docx", docs.make_zip_bomb_docx(), {"zip_bomb": "unsafe size"}),
        ("parts.docx", docs.make_many_members_docx(), {"zip_bomb": "unsafe size"}),
        ("sizes.docx", docs.make_understated_zip_docx(), {"corrupt": "damaged"}),
        ("laughs.docx", docs.make_entity_docx("billion_laughs"), {"corrupt": "entity"}),
        ("xxe.odt", docs.make_entity_odt("external_file", padding=5000), {"corrupt": "entity"}),
        ("pages.pdf", docs.make_many_pages_pdf(5000), {"no_text": "empty"}),
        ("contents.pdf", docs.make_content_bomb_pdf(), {"too_large": "unsafe size"}),
        ("scan.pdf", image_bomb, scan),
        ("huge.png", docs.make_huge_png(), scan),
        ("photo.docx", docs.make_png([]), {"no_text": "image", "ocr_unavailable": "image"}),
        ("resume.pdf", docs.make_plain_zip(), {"unsupported_type": "zip archive"}),
        ("resume.pdf", docs.make_exe(), {"unsupported_type": "Windows program"}),
        ("cv.pdf", docs.make_exe_pdf_polyglot(RESUME), {"unsupported_type": "Windows program"}),
    ]


def good_files() -> list[tuple[str, bytes]]:
    """Good resumes under hostile names, plus two that test the caps and still import."""
    makers = {**MAKERS, "pdf": lambda lines: docs.make_many_pages_pdf(3000, lines)}
    files = [(name, makers[kind](person(n))) for n, (kind, name) in enumerate(GOOD_NAMES.items())]
    long_text = "\n".join(person(9)) * 20
    return [*files, ("long.txt", docs.make_txt([long_text] * 150))]


def multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart body with the names as raw bytes: no client-side escaping of NULs or
    control characters, as a hostile client would send them (HTTP clients percent-encode)."""
    boundary = uuid.uuid4().hex
    body = b""
    for name, data in files:
        raw_name = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="{raw_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def assert_safe_name(name: str) -> None:
    assert name and len(name) <= 255
    assert not UNSAFE_NAME_CHARS.search(name), repr(name)
    assert name == unicodedata.normalize("NFC", name) and name not in (".", "..")


def assert_download_is_safe(client: TestClient, headers: dict, resume_id: str, name: str) -> None:
    response = client.get(f"/api/resumes/{resume_id}/download", headers=headers)
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.isascii() and not re.search("[\x00-\x1f]", disposition)
    fallback = re.fullmatch(
        r'attachment; filename="([^"]*)"; filename\*=UTF-8\'\'(\S+)', disposition
    )
    assert fallback is not None, disposition
    assert unquote(fallback.group(2)) == name


def test_file_name_longer_than_a_multipart_header_is_a_clear_400(
    client: TestClient, auth_headers, upload
) -> None:
    headers = auth_headers(Role.RECRUITER)
    response = upload(headers, docs.make_txt(RESUME), filename="\U0001f600" * 5000 + ".txt")
    assert response.status_code == 400
    assert "multipart" in response.json()["detail"]
    assert client.get("/api/resumes", headers=headers).json()["total"] == 0


def files_named_like(folder: Path, marker: str) -> list[Path]:
    return [path for path in folder.rglob("*") if marker in path.name]


def test_bulk_upload_of_hostile_files_fails_each_alone_and_neighbours_import(
    worker: subprocess.Popen,
    image_bomb: bytes,
    client: TestClient,
    auth_headers,
    finished,
    settings: Settings,
) -> None:
    headers = auth_headers(Role.RECRUITER)
    hostile, good = hostile_files(image_bomb), good_files()
    # Good files between the hostile ones: each must import whatever its neighbours do.
    pairs = itertools.zip_longest(hostile, good)
    uploads = [entry[:2] for pair in pairs for entry in pair if entry is not None]
    body, content_type = multipart(uploads)
    response = client.post(
        "/api/resumes/bulk-upload", headers={**headers, "content-type": content_type}, content=body
    )
    assert response.status_code == 202, response.text
    items = response.json()["items"]
    assert len(items) == len(uploads)
    outcome = {}
    for (_, data), item in zip(uploads, items, strict=True):
        assert_safe_name(item["filename"])
        if item["resume_id"] is None:  # refused at the door: nothing stored
            outcome[id(data)] = {**item, "status": "refused"}
        else:
            outcome[id(data)] = finished(headers, item["resume_id"], timeout=120)

    for name, data, expected in hostile:
        result = outcome[id(data)]
        assert result["status"] in ("failed", "refused"), (name, result)
        code, reason = result["error_code"], result["error"]
        assert code in expected, (name, code, reason)
        assert_human_reason(reason, expected[code])
        assert result.get("candidate_id") is None
    for name, data in good:
        result = outcome[id(data)]
        assert result["status"] == "completed", (name, result)
        assert result["candidate_id"]
        assert_safe_name(result["filename"])
        assert_download_is_safe(client, headers, result["resume_id"], result["filename"])
    candidates = client.get("/api/resumes/candidates", headers=headers).json()
    assert candidates["total"] == len(good)

    # The worker survived all of it and imports the next file.
    assert worker.poll() is None
    after = client.post(
        "/api/resumes/upload",
        headers=headers,
        files={"file": ("after.docx", docs.make_docx(person(42)), "application/octet-stream")},
    )
    assert finished(headers, after.json()["resume_id"])["status"] == "completed"

    # Files live under their digest in the storage folder only, never under a given name.
    stored = [path for path in settings.storage_dir.rglob("*") if path.is_file()]
    assert stored and all(re.fullmatch("[0-9a-f]{64}", path.name) for path in stored)
    assert files_named_like(settings.hotgigs_home, MARKER) == []
    assert list(Path(tempfile.gettempdir()).glob(f"*{MARKER}*")) == []
    assert not Path(f"/etc/cron.d/{MARKER}").exists()
