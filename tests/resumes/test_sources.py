"""Collecting files to import from paths, folders and zip archives."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hotgigs.resumes.sources import iter_files
from tests.support import documents

LIMIT = 1024 * 1024


def test_folders_are_walked_recursively_in_order_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "b" / "c.txt").write_text("two")
    (tmp_path / ".git" / "config").write_text("hidden")
    (tmp_path / ".DS_Store").write_text("hidden")
    found = list(iter_files([tmp_path], max_bytes=LIMIT))
    assert [Path(f.name).relative_to(tmp_path).as_posix() for f in found] == ["a.txt", "b/c.txt"]
    assert [f.data for f in found] == [b"one", b"two"]


def test_zip_archives_are_opened_but_docx_files_are_not(tmp_path: Path) -> None:
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("one.txt", "first resume")
        zf.writestr("nested/two.docx", documents.make_docx(["Second resume"]))
        zf.writestr("__MACOSX/._one.txt", "junk")
    docx = tmp_path / "three.docx"
    docx.write_bytes(documents.make_docx(["Third resume"]))
    names = [f.name for f in iter_files([archive, docx], max_bytes=LIMIT)]
    assert names[:2] == [f"{archive}:one.txt", f"{archive}:nested/two.docx"]
    assert names[-1] == str(docx)


def test_bad_and_oversized_inputs_carry_their_reason(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    big.write_bytes(b"0" * (LIMIT + 1))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.txt", b"\0" * (LIMIT * 5))
    results = {
        Path(f.name.split(":")[0]).name: f
        for f in iter_files([big, broken, bomb, tmp_path / "missing.pdf"], max_bytes=LIMIT)
    }
    assert "1 MB limit" in results["big.pdf"].error
    assert "zip archive" in results["broken.zip"].error
    assert "1 MB limit" in results["bomb.zip"].error
    assert results["missing.pdf"].error == "No such file or folder."
