"""DOC (Word 97-2003 binary), through antiword or catdoc."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from hotgigs.resumes.extraction.base import (
    _RESAVE,
    MIN_MEANINGFUL_CHARS,
    TOOL_TIMEOUT,
    ExtractionError,
    _emit_row,
    _meaningful,
    _Raw,
)


def _extract_doc(data: bytes, ocr: bool) -> _Raw:
    antiword, catdoc = shutil.which("antiword"), shutil.which("catdoc")
    if antiword is None and catdoc is None:
        raise ExtractionError(
            "tool_unavailable",
            "Reading .doc files needs the Debian package antiword, which is not installed.",
        )
    with tempfile.TemporaryDirectory(prefix="hotgigs-doc-") as work:
        path = Path(work, "resume.doc")
        path.write_bytes(data)
        # antiword's DocBook output keeps table cells apart (its text output draws tables as
        # side-by-side grids); plain text and catdoc are the fallbacks.
        attempts: list[tuple[list[str], Callable[[str], str]]] = []
        if antiword:
            attempts.append(([antiword, "-x", "db", str(path)], _docbook_text))
            attempts.append(([antiword, "-w", "0", "-m", "UTF-8.txt", str(path)], str))
        if catdoc:
            attempts.append(([catdoc, "-w", "-d", "utf-8", str(path)], str))
        for command, convert in attempts:
            output = _run_tool(command, work)
            if output is None:
                continue
            try:
                text = convert(output).replace("[pic]", "")
            except Exception:
                continue
            if _meaningful(text) >= MIN_MEANINGFUL_CHARS:
                return _Raw(text)
    raise ExtractionError(
        "corrupt", f"The .doc file could not be read; it may be damaged. {_RESAVE}"
    )


def _run_tool(command: list[str], work: str) -> str | None:
    """Run a converter on a file in `work`; its output, or None when it failed."""
    env = {"HOME": work, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            timeout=TOOL_TIMEOUT,
            check=False,
            env=env,
            cwd=work,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(
            "timeout",
            f"Reading the .doc file took longer than {TOOL_TIMEOUT} seconds and was stopped.",
        ) from exc
    except OSError:
        return None
    if "encrypt" in result.stderr.decode("utf-8", "replace").lower():
        raise ExtractionError(
            "encrypted",
            "The Word document is password-protected; remove the password in Word and upload "
            "it again.",
        )
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", "replace")


_DOCBOOK_BLOCKS = {"para", "simpara", "title", "term", "literallayout", "programlisting"}
_DOCBOOK_SKIP = {"bookinfo", "info", "colspec", "footnote", "indexterm", "remark"}


def _docbook_text(xml: str) -> str:
    """Text of antiword's DocBook output: paragraphs in order, tables row by row."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=False
    )
    root = etree.fromstring(xml.encode("utf-8"), parser)
    if root is None:
        raise ValueError("no DocBook output")
    out: list[str] = []
    _docbook_blocks(root, out)
    return "\n".join(out)


def _docbook_blocks(container, out: list[str]) -> None:
    for child in container:
        _docbook_block(child, out)


def _docbook_block(element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if not tag or tag in _DOCBOOK_SKIP:
        return
    if tag in ("informaltable", "table"):
        for row in element.iter("row"):
            cells = []
            for entry in row.iter("entry"):
                lines: list[str] = []
                _docbook_block(entry, lines)
                cells.append(lines)
            _emit_row(cells, out)
    elif tag in _DOCBOOK_BLOCKS or tag == "entry":
        # Inline text in order; a table or list inside the paragraph is a block of its own.
        parts: list[str] = [element.text or ""]
        for inner in element:
            if inner.tag in ("informaltable", "table", "itemizedlist", "orderedlist", "para"):
                out.extend(line for line in "".join(parts).split("\n") if line.strip())
                parts = []
                _docbook_block(inner, out)
            elif isinstance(inner.tag, str) and inner.tag not in _DOCBOOK_SKIP:
                parts.append("".join(inner.itertext()))
            parts.append(inner.tail or "")
        out.extend(line for line in "".join(parts).split("\n") if line.strip())
    else:
        _docbook_blocks(element, out)
