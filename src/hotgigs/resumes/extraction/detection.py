"""Type detection: the supported kind of a file, judged by its content only."""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from hotgigs.resumes.extraction.plain_text import _decode_text


@dataclass(frozen=True)
class _Identified:
    kind: str | None
    description: str  # what the file looks like, for messages ("a GIF image")
    encrypted: bool = False


_PNG = b"\x89PNG\r\n\x1a\n"
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_HTML_TAGS = re.compile(
    rb"<(?:html|head|body|div|p|table|meta|title|h[1-6]|span|br|ul|ol|li|section|article"
    rb"|header|main|style|link|font|b|strong|center)[\s>/]"
)
_UNSUPPORTED_NAMES = {
    "image/gif": "a GIF image",
    "image/tiff": "a TIFF image",
    "image/webp": "a WebP image",
    "image/bmp": "a BMP image",
    "image/heic": "a HEIC photo",
    "image/heif": "a HEIF photo",
    "image/x-icon": "an icon",
    "image/vnd.adobe.photoshop": "a Photoshop image",
    "application/x-msdownload": "a Windows program (EXE)",
    "application/x-executable": "a program (ELF executable)",
    "application/zip": "a zip archive",
    "application/x-rar-compressed": "a RAR archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/gzip": "a gzip archive",
    "application/x-tar": "a tar archive",
    "application/x-bzip2": "a bzip2 archive",
    "application/x-xz": "an xz archive",
    "application/x-sqlite3": "an SQLite database",
    "application/epub+zip": "an EPUB e-book",
    "application/postscript": "a PostScript file",
}


def _identify(data: bytes) -> _Identified:
    head = data[:1024]
    # A signature at the very start decides before a PDF header further in: a program or
    # an archive with a PDF tucked into its first kilobyte (a polyglot) is what it starts as.
    if head.startswith(_PNG):
        return _Identified("png", "a PNG image")
    if head.startswith(b"\xff\xd8\xff"):
        return _Identified("jpg", "a JPEG image")
    if head.startswith(_OLE):
        return _identify_ole(data)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return _identify_zip(data)
    if head[:2] == b"MZ" or head[:4] == b"\x7fELF":  # programs; like file(1), trust the magic
        return _Identified(None, _describe_binary(data))
    if b"%PDF-" in head:
        return _Identified("pdf", "a PDF")
    stripped = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if stripped[:5] == b"{\\rtf":
        return _Identified("rtf", "an RTF document")
    if _looks_html(head):
        return _Identified("html", "an HTML page")
    if _decode_text(data, probe=True) is not None:
        return _Identified("txt", "a plain-text file")
    return _Identified(None, _describe_binary(data))


def _describe_binary(data: bytes) -> str:
    if data[:2] == b"MZ":
        return "a Windows program (EXE)"
    if data[:4] == b"\x7fELF":
        return "a program (ELF executable)"
    try:
        import filetype

        guess = filetype.guess(data[:8192])
    except Exception:
        guess = None
    if guess is None:
        return ""
    name = _UNSUPPORTED_NAMES.get(guess.mime)
    if name:
        return name
    article = "an" if guess.extension[:1] in "aeiou" else "a"
    return f"{article} {guess.extension.upper()} file"


def _looks_html(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            head = head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            return False
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if not text.startswith(b"<"):
        return False
    return (
        text.startswith(b"<!doctype html")
        or b"<html" in text
        or _HTML_TAGS.search(text) is not None
    )


def _identify_zip(data: bytes) -> _Identified:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except Exception:
        # A damaged container: its local headers still name the parts.
        if b"word/document.xml" in data or (b"[Content_Types].xml" in data and b"word/" in data):
            return _Identified("docx", "a Word document")
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in data[:200]:
            return _Identified("odt", "an OpenDocument text")
        return _Identified(None, "a zip archive")
    with archive:
        if "mimetype" in names:
            mimetype = _small_entry(archive, "mimetype", 256).decode("ascii", "replace").strip()
            if mimetype in (
                "application/vnd.oasis.opendocument.text",
                "application/vnd.oasis.opendocument.text-template",
            ):
                return _Identified("odt", "an OpenDocument text")
            odf = {
                "spreadsheet": "an OpenDocument spreadsheet",
                "presentation": "an OpenDocument presentation",
                "graphics": "an OpenDocument drawing",
            }
            for part, description in odf.items():
                if mimetype.startswith(f"application/vnd.oasis.opendocument.{part}"):
                    return _Identified(None, description)
            if mimetype == "application/epub+zip":
                return _Identified(None, "an EPUB e-book")
        if "[Content_Types].xml" in names:
            types = _small_entry(archive, "[Content_Types].xml", 1024 * 1024)
            if (
                b"wordprocessingml.document.main+xml" in types
                or b"wordprocessingml.template.main+xml" in types
                or b"ms-word.document.macroEnabled.main+xml" in types
                or b"ms-word.template.macroEnabledTemplate.main+xml" in types
            ):
                return _Identified("docx", "a Word document")
            if b"spreadsheetml" in types or b"ms-excel" in types:
                return _Identified(None, "an Excel workbook (XLSX)")
            if b"presentationml" in types or b"ms-powerpoint" in types:
                return _Identified(None, "a PowerPoint presentation (PPTX)")
        if "word/document.xml" in names:
            return _Identified("docx", "a Word document")
    return _Identified(None, "a zip archive")


def _small_entry(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A small archive member's bytes; empty when it is too large or cannot be read."""
    try:
        info = archive.getinfo(name)
        if info.file_size > limit:
            return b""
        with archive.open(info) as entry:
            return entry.read(limit)
    except Exception:
        return b""


def _identify_ole(data: bytes) -> _Identified:
    try:
        cfb = _Cfb(data)
        names = cfb.stream_names()
    except Exception:
        cfb = None
        names = {
            name
            for name in ("EncryptedPackage", "WordDocument", "Workbook", "PowerPoint Document")
            if name.encode("utf-16-le") in data
        }
    if "EncryptedPackage" in names:
        return _Identified(
            None,
            "The document is password-protected (encrypted); "
            "remove the password in Word and upload it again.",
            encrypted=True,
        )
    if "WordDocument" in names:
        if cfb is not None and _word_fib_encrypted(cfb):
            return _Identified(
                None,
                "The Word document is password-protected; "
                "remove the password in Word and upload it again.",
                encrypted=True,
            )
        return _Identified("doc", "a Word 97-2003 document")
    if "Workbook" in names or "Book" in names:
        return _Identified(None, "an Excel 97-2003 workbook (XLS)")
    if "PowerPoint Document" in names:
        return _Identified(None, "a PowerPoint 97-2003 presentation (PPT)")
    if any(name.startswith("__substg1.0_") for name in names):
        return _Identified(None, "an Outlook message (MSG)")
    return _Identified(None, "an old Microsoft Office or Windows file (OLE compound file)")


def _word_fib_encrypted(cfb: _Cfb) -> bool:
    """The File Information Block's fEncrypted flag (MS-DOC 2.5.2)."""
    try:
        fib = cfb.read_stream("WordDocument", 12)
    except Exception:
        return False
    if len(fib) < 12:
        return False
    ident, flags = struct.unpack_from("<H", fib, 0)[0], struct.unpack_from("<H", fib, 10)[0]
    return ident in (0xA5EC, 0xA5DC) and bool(flags & 0x0100)


class _CfbError(ValueError):
    pass


class _Cfb:
    """Just enough of a Compound File Binary (OLE2) reader: directory names, stream starts."""

    _END = 0xFFFFFFFE
    _FREE = 0xFFFFFFFF

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(_OLE):
            raise _CfbError("not a compound file")
        self.data = data
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12):
            raise _CfbError("bad sector size")
        self.sector = 1 << shift
        if struct.unpack_from("<H", data, 32)[0] != 6:
            raise _CfbError("bad mini sector size")
        self.mini_sector = 64
        (
            fat_count,
            first_dir,
            _transaction,
            self.mini_cutoff,
            first_minifat,
            minifat_count,
            first_difat,
            difat_count,
        ) = struct.unpack_from("<IIIIIIII", data, 44)
        self.sectors = max(0, (len(data) - self.sector + self.sector - 1) // self.sector)
        difat = [s for s in struct.unpack_from("<109I", data, 76) if s < self.sectors]
        sector_id, seen = first_difat, 0
        while sector_id < self.sectors and seen < difat_count and seen <= self.sectors:
            values = struct.unpack(f"<{self.sector // 4}I", self._sector(sector_id))
            difat.extend(s for s in values[:-1] if s < self.sectors)
            sector_id, seen = values[-1], seen + 1
        difat = difat[: min(fat_count, self.sectors)]
        fat_bytes = b"".join(self._sector(s) for s in difat)
        self.fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes)
        directory = self._chain_bytes(first_dir)
        self.entries: list[tuple[str, int, int, int]] = []
        for offset in range(0, len(directory) - 127, 128):
            name_length, kind = struct.unpack_from("<HB", directory, offset + 64)
            if kind not in (1, 2, 5) or not 2 <= name_length <= 64:
                continue
            name = directory[offset : offset + name_length - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", directory, offset + 116)
            self.entries.append((name, kind, start, size))
        self.first_minifat = first_minifat
        self.minifat_count = minifat_count

    def _sector(self, sector_id: int) -> bytes:
        offset = (sector_id + 1) * self.sector
        return self.data[offset : offset + self.sector].ljust(self.sector, b"\0")

    def _chain(self, start: int, table: tuple[int, ...]) -> Iterator[int]:
        current, steps = start, 0
        while current < len(table) and current != self._END:
            yield current
            steps += 1
            if steps > len(table):
                raise _CfbError("sector chain loops")
            current = table[current]

    def _chain_bytes(self, start: int, limit: int | None = None) -> bytes:
        chunks, total = [], 0
        for sector_id in self._chain(start, self.fat):
            chunks.append(self._sector(sector_id))
            total += self.sector
            if limit is not None and total >= limit:
                break
        return b"".join(chunks)

    def stream_names(self) -> set[str]:
        return {name for name, kind, _, _ in self.entries if kind == 2}

    def read_stream(self, name: str, limit: int) -> bytes:
        entry = next((e for e in self.entries if e[1] == 2 and e[0] == name), None)
        if entry is None:
            raise _CfbError(f"no stream {name}")
        start, size = entry[2], entry[3]
        want = min(size, limit)
        if size >= self.mini_cutoff:
            return self._chain_bytes(start, want)[:want]
        root = next((e for e in self.entries if e[1] == 5), None)
        if root is None:
            raise _CfbError("no root entry")
        mini_stream = self._chain_bytes(root[2])
        minifat_bytes = self._chain_bytes(self.first_minifat)
        minifat = struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes)
        out = b"".join(
            mini_stream[s * self.mini_sector : (s + 1) * self.mini_sector]
            for s in self._chain(start, minifat)
        )
        return out[:want]
