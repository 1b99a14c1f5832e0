"""Zip containers (DOCX, ODT): size checks before unpacking and safe XML parsing."""

from __future__ import annotations

import io
import zipfile

from hotgigs.resumes.extraction.base import (
    _RESAVE,
    ZIP_MAX_ENTRIES,
    ZIP_MAX_RATIO,
    ZIP_MAX_TOTAL_BYTES,
    ZIP_RATIO_MIN_SIZE,
    ExtractionError,
)


def _open_zip(data: bytes, label: str) -> zipfile.ZipFile:
    """Open a zip container after checking it cannot expand to an unsafe size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ExtractionError(
            "corrupt", f"The {label} file is damaged (its zip container is broken). {_RESAVE}"
        ) from exc
    bomb = ExtractionError(
        "zip_bomb",
        f"The {label} file expands to an unsafe size when unpacked, so it was not opened. "
        f"{_RESAVE}",
    )
    if len(infos) > ZIP_MAX_ENTRIES:
        raise bomb
    total = 0
    for info in infos:
        total += info.file_size
        if total > ZIP_MAX_TOTAL_BYTES:
            raise bomb
        if info.file_size > ZIP_RATIO_MIN_SIZE and (
            info.compress_size == 0 or info.file_size / info.compress_size > ZIP_MAX_RATIO
        ):
            raise bomb
        if info.flag_bits & 0x1:
            raise ExtractionError(
                "encrypted",
                f"The {label} file is password-protected; remove the password and upload it again.",
            )
    return archive


def _xml_parser():
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


# Word and OpenDocument never declare a DTD in their XML parts (OPC forbids it); one that
# does is built to attack an XML parser: entities that expand a billion times, or that read
# a server file ("<!ENTITY xxe SYSTEM 'file:///etc/passwd'>"). Our parsers would neither
# expand nor load them; refusing says clearly why the file is not read.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_XML_PART_SUFFIXES = (".xml", ".rels")


def _dtd_refused(label: str) -> ExtractionError:
    return ExtractionError(
        "corrupt",
        f"The {label} file contains XML entity declarations (a DOCTYPE), which word "
        f"processors never write, so it was not opened. {_RESAVE}",
    )


def _declares_dtd(blob: bytes) -> bool:
    return any(marker in blob for marker in _DTD_MARKERS)


def _refuse_declared_dtds(archive: zipfile.ZipFile, label: str) -> None:
    """Raise when an XML part of a (size-checked) container declares a DTD."""
    for info in archive.infolist():
        if info.filename.lower().endswith(_XML_PART_SUFFIXES):
            with archive.open(info) as part:
                tail = b""
                # Read in chunks, keeping a marker's length of overlap between them.
                while chunk := part.read(1024 * 1024):
                    if _declares_dtd(tail + chunk):
                        raise _dtd_refused(label)
                    tail = chunk[-32:]


def _parse_xml(blob: bytes, label: str = "document"):
    from lxml import etree

    if _declares_dtd(blob):
        raise _dtd_refused(label)
    return etree.fromstring(blob, _xml_parser())
