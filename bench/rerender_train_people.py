"""More unseen layouts from the ``train`` people of jsonresume-real: each one rendered again
with the corpus's other themes, truth made by the corpus's own ``build/make.py``.

``dev`` is 18 documents; this gives several hundred documents of people the parser was tuned
on, in themes those people were never seen in, which is how an unseen layout reads. Only
``train`` people are used (the script stops if a ``dev`` person would be); the output has
the corpus's layout (``truth.jsonl``, ``manifest.jsonl``, ``split.json`` with everything in
``train``), so ``hotgigs eval --truth OUT/truth.jsonl --split train`` scores it.

Needs what ``build/make.py`` needs: Debian's chromium, libreoffice-writer-nogui and w3m,
poppler-utils, and an npm folder with ``resumed`` and the corpus's eight themes::

    mkdir -p /tmp/jr-npm && cd /tmp/jr-npm && npm init -y && npm install resumed@6.1.0 \\
      jsonresume-theme-flat@0.3.7 jsonresume-theme-paper@0.5.0 jsonresume-theme-short@0.1.7 \\
      jsonresume-theme-caffeine@1.2.3 jsonresume-theme-eloquent@5.0.0 \\
      jsonresume-theme-straightforward@0.5.0 jsonresume-theme-actual@0.2.2 \\
      jsonresume-theme-minyma@0.0.5
    .venv/bin/python bench/rerender_train_people.py --npm /tmp/jr-npm --out /tmp/jr-aug

Pass k renders every person with the k-th theme after their own in make.py's list (the next
unused one when a theme fails on a resume); passes 1 and 2 print PDF, later passes make a
Word file for every ``--docx-every``-th person. Seven passes (467 documents) take about
9 minutes on this machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared/data/jsonresume-real"
PREFIX = "ja"


@dataclass
class Person:
    """One train person: their JSON Resume and the themes they have been printed with."""

    source_id: str
    original_file: str
    original_theme: str
    resume: dict[str, Any]
    used: set[str] = field(default_factory=set)


@dataclass
class Render:
    """One document to make: the theme's HTML and the format to convert it to."""

    name: str
    person: Person
    html: Path
    theme: str
    format: str
    rerender_pass: int


def load_make(corpus: Path) -> ModuleType:
    """The corpus's own ``build/make.py`` (rendering, conversion and truth), unchanged."""
    spec = importlib.util.spec_from_file_location("jsonresume_make", corpus / "build/make.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def train_people(corpus: Path) -> list[Person]:
    """The people behind the ``train`` documents; none of them is behind a ``dev`` one."""
    split = json.loads((corpus / "split.json").read_text())
    manifest = {row["file"]: row for row in _jsonl(corpus / "manifest.jsonl")}
    dev_ids = {manifest[name]["source_id"] for name in split["dev"]}
    people = []
    for name in split["train"]:
        row = manifest[name]
        if row["source_id"] in dev_ids:
            raise SystemExit(f"{row['source_id']} is behind both a train and a dev document")
        raw = (corpus / "resumes" / f"{row['source_id']}.json").read_bytes()
        theme = row["theme"].removeprefix("jsonresume-theme-")
        people.append(
            Person(row["source_id"], name, theme, json.loads(raw.decode("utf-8-sig")), {theme})
        )
    return people


def plan_renders(
    make: ModuleType, people: list[Person], npm: str, work: Path, passes: int, docx_every: int
) -> list[Render]:
    """Render every person's HTML once a pass with a theme they have not had yet."""
    renders: list[Render] = []
    for k in range(1, passes + 1):
        for index, person in enumerate(people):
            fmt = "pdf" if k <= 2 or index % docx_every != k % docx_every else "docx"
            name = f"{PREFIX}{len(renders) + 1:04d}"
            source = work / f"{name}.json"
            source.write_text(json.dumps(make.render_copy(person.resume), ensure_ascii=False))
            html = work / f"{name}.html"
            first = make.THEMES.index(person.original_theme)
            for step in range(k, k + len(make.THEMES)):
                theme = make.THEMES[(first + step) % len(make.THEMES)]
                if theme in person.used:
                    continue
                if make.render_html(npm, theme, str(source), str(html)):
                    person.used.add(theme)
                    renders.append(Render(name, person, html, theme, fmt, k))
                    break
                print(f"{theme} failed on {person.source_id}", file=sys.stderr)
    return renders


def convert(make: ModuleType, render: Render, work: Path, out: Path) -> tuple[Path, str] | None:
    """The rendered HTML as the planned document (the Word files were converted in a batch)."""
    target = out / f"{render.name}.{render.format}"
    if render.format == "pdf":
        return (
            (target, "chromium --print-to-pdf")
            if make.to_pdf(str(render.html), str(target))
            else None
        )
    converted = work / f"{render.name}.docx"
    if converted.exists() and converted.stat().st_size > 2000:
        shutil.move(converted, target)
        return target, "libreoffice"
    return None


def main() -> None:
    """Render, convert, make truth, and write the corpus files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--npm", default="/tmp/jr-npm")
    parser.add_argument("--out", type=Path, default=Path("/tmp/jr-aug"))
    parser.add_argument("--passes", type=int, default=7)
    parser.add_argument("--docx-every", type=int, default=3)
    args = parser.parse_args()
    make = load_make(args.corpus)
    people = train_people(args.corpus)
    sources = {row["id"]: row for row in _jsonl(args.corpus / "sources.jsonl")}
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="jr-rerender-"))
    try:
        renders = plan_renders(make, people, args.npm, work, args.passes, args.docx_every)
        words = [str(r.html) for r in renders if r.format == "docx"]
        if words:
            make.to_docx_batch(words, str(work))
        truth, manifest = [], []
        for render in renders:
            made = convert(make, render, work, args.out)
            if made is None:
                print(f"{render.name}: conversion failed", file=sys.stderr)
                continue
            document, converter = made
            resume = make.build_truth(
                render.person.resume, make.Doc(make.extract_text(str(document)))
            )
            truth.append({"file": document.name, "resume": resume})
            source = sources[render.person.source_id]
            manifest.append(
                {
                    "file": document.name,
                    "source_id": source["id"],
                    "repo": source["repo"],
                    "path": source["path"],
                    "commit": source["commit"],
                    "theme": f"jsonresume-theme-{render.theme}",
                    "format": render.format,
                    "converter": converter,
                    "orig_file": render.person.original_file,
                    "orig_theme": f"jsonresume-theme-{render.person.original_theme}",
                    "pass": render.rerender_pass,
                }
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in truth)
    (args.out / "truth.jsonl").write_text(lines, encoding="utf-8")
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in manifest)
    (args.out / "manifest.jsonl").write_text(lines, encoding="utf-8")
    split = {"train": [row["file"] for row in truth], "dev": []}
    (args.out / "split.json").write_text(json.dumps(split, indent=1))
    print(f"{len(truth)} documents of {len(people)} train people written to {args.out}")


if __name__ == "__main__":
    main()
