"""Files to import from local paths: single files, folders (recursively) and zip archives."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# An archive is read entry by entry; these bounds stop zip bombs and absurd archives.
MAX_ARCHIVE_ENTRIES = 10_000
MAX_ARCHIVE_TOTAL_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class IncomingFile:
    """One file to import: its bytes, or why it could not be read."""

    name: str
    data: bytes | None = None
    error: str | None = None


def iter_files(paths: Iterable[Path], *, max_bytes: int) -> Iterator[IncomingFile]:
    """Every importable file under `paths`, in a stable order; unreadable ones carry an error."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from _from_file(child, max_bytes=max_bytes)
        elif path.exists():
            yield from _from_file(path, max_bytes=max_bytes)
        else:
            yield IncomingFile(str(path), error="No such file or folder.")


def _from_file(path: Path, *, max_bytes: int) -> Iterator[IncomingFile]:
    """A file, or the entries of a zip archive (a .docx/.odt is a zip too, but not an archive)."""
    if path.suffix.lower() == ".zip":
        yield from _from_archive(path, max_bytes=max_bytes)
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield IncomingFile(str(path), error=_too_large(max_bytes))
            return
        yield IncomingFile(str(path), data=path.read_bytes())
    except OSError as exc:
        yield IncomingFile(str(path), error=f"Cannot read the file: {exc.strerror or exc}.")


def _from_archive(path: Path, *, max_bytes: int) -> Iterator[IncomingFile]:
    """The files in a zip archive: each bounded in size, the whole in count and bytes."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        yield IncomingFile(str(path), error=f"Not a readable zip archive ({exc}).")
        return
    with archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        if len(entries) > MAX_ARCHIVE_ENTRIES:
            yield IncomingFile(
                str(path), error=f"The archive has more than {MAX_ARCHIVE_ENTRIES} files."
            )
            return
        total = 0
        for entry in entries:
            name = f"{path}:{entry.filename}"
            if any(part.startswith(".") for part in Path(entry.filename).parts):
                continue
            if entry.file_size > max_bytes:
                yield IncomingFile(name, error=_too_large(max_bytes))
                continue
            try:
                with archive.open(entry) as member:
                    # Read one byte past the limit: a lying header cannot make us read more.
                    data = member.read(max_bytes + 1)
            except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:
                yield IncomingFile(name, error=f"Cannot read this archive entry ({exc}).")
                continue
            if len(data) > max_bytes:
                yield IncomingFile(name, error=_too_large(max_bytes))
                continue
            total += len(data)
            if total > MAX_ARCHIVE_TOTAL_BYTES:
                yield IncomingFile(name, error="The archive unpacks to more than 2 GB; stopped.")
                return
            yield IncomingFile(name, data=data)


def _too_large(max_bytes: int) -> str:
    return f"The file is larger than the {max_bytes // (1024 * 1024)} MB limit."
