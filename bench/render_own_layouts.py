"""Layouts no JSON Resume theme of the corpus has: the ``train`` people of jsonresume-real
printed with this project's own HTML layouts (``bench/layouts/``), truth by the corpus's own
``build/make.py``.

The hidden measure of the parser is real resumes in layouts it never saw. The corpus's eight
themes (and ``bench/rerender_train_people.py``'s renders of them) are what the rules were
read on, so this set asks the same question with six other designs found in resumes at
large: a centred classic with "Title, Company" and the dates on the right; a moderncv-like
table with the dates in a left column; a sidebar of contact and skill tags; dense
"Title — Company (dates)" one-liners with one comma list of skills; "Title at COMPANY"
headings with the dates below; and employer-first rows with the title in italics. Each
person gets a date style (``Jan 2019``, ``January 2019``, ``01/2019``, ``2019-01``, years
only) and a heading for their jobs of their own, so layouts and spellings vary
independently. Only ``train`` people are used::

    .venv/bin/python bench/render_own_layouts.py --out /tmp/jr-own
    .venv/bin/hotgigs eval --truth /tmp/jr-own/truth.jsonl --split train

Needs Debian's chromium (PDF), libreoffice-writer-nogui (DOCX), w3m (TXT) and
poppler-utils, like ``build/make.py``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rerender_train_people import DEFAULT_CORPUS, Person, _jsonl, load_make, train_people

LAYOUTS = ("classic", "timeline", "sidebar", "compact", "stacked", "employer_first")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
# (month style, separator, word for an open end)
DATE_STYLES = (
    ("short", " \u2013 ", "Present"),
    ("long", " - ", "Current"),
    ("numeric", " \u2013 ", "Present"),
    ("iso", " to ", "now"),
    ("year", " \u2013 ", "Present"),
)
WORK_HEADINGS = ("Experience", "Work Experience", "Professional Experience",
                 "Employment History", "Career")  # fmt: skip
# pdf for half the documents, docx for three in ten, txt for two in ten, as in the corpus
FORMATS = ("pdf", "docx", "pdf", "txt", "pdf", "docx", "pdf", "docx", "pdf", "txt")
PREFIX = "jo"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def format_date(make: ModuleType, value: Any, style: tuple[str, str, str]) -> str:
    """One JSON Resume date as the person's style prints it ("" when it is not a date)."""
    parsed = make.parse_date(value)
    if parsed == "present":
        return style[2]
    if not isinstance(parsed, tuple):
        return ""
    year, month = parsed
    kind = style[0]
    if month is None or kind == "year":
        return year
    index = int(month) - 1
    return {
        "short": f"{MONTHS[index][:3]} {year}",
        "long": f"{MONTHS[index]} {year}",
        "numeric": f"{month}/{year}",
        "iso": f"{year}-{month}",
    }[kind]


def date_range(make: ModuleType, item: dict[str, Any], style: tuple[str, str, str]) -> str:
    """Start and end with the separator, or the start to the open-end word, or one date."""
    start = format_date(make, item.get("startDate"), style)
    end = format_date(make, item.get("endDate"), style)
    if start and not end:
        end = style[2]
    return style[1].join(d for d in (start, end) if d)


def degree_line(item: dict[str, Any], variant: int) -> str:
    """The study type and area in one of the usual orders."""
    study, area = _text(item.get("studyType")), _text(item.get("area"))
    if study and area:
        return (f"{study} in {area}", f"{study}, {area}", f"{area} ({study})")[variant % 3]
    return study or area


def context(make: ModuleType, person: Person, index: int) -> dict[str, Any]:
    """What the layouts print for one person."""
    resume = person.resume
    basics = resume.get("basics") if isinstance(resume.get("basics"), dict) else {}
    style = DATE_STYLES[index % len(DATE_STYLES)]
    location = basics.get("location") if isinstance(basics.get("location"), dict) else {}
    place = ", ".join(
        _text(location.get(k)) for k in ("city", "region", "countryCode") if _text(location.get(k))
    )
    contact, labels = [], []
    for label, value in (
        ("E-mail", basics.get("email")),
        ("Phone", basics.get("phone")),
        ("Address", place),
        ("Web", basics.get("url") or basics.get("website")),
    ):
        if _text(value):
            contact.append(_text(value))
            labels.append(label)
    work = []
    for item in resume.get("work") or []:
        if not isinstance(item, dict):
            continue
        position, name = _text(item.get("position")), _text(item.get("name") or item.get("company"))
        if not position and not name:
            continue
        highlights = [_text(h) for h in item.get("highlights") or [] if _text(h)][:4]
        work.append(
            {
                "position": position or name,
                "name": name if position else "",
                "location": _text(item.get("location")),
                "summary": _text(item.get("summary") or item.get("description")),
                "highlights": highlights,
                "when": date_range(make, item, style),
            }
        )
    education = []
    for item in resume.get("education") or []:
        if isinstance(item, dict) and (_text(item.get("institution")) or degree_line(item, 0)):
            education.append(
                {
                    "institution": _text(item.get("institution")),
                    "degree": degree_line(item, index),
                    "when": date_range(make, item, style),
                }
            )
    skills, keywords = [], []
    for item in resume.get("skills") or []:
        if not isinstance(item, dict):
            continue
        words = [_text(k) for k in item.get("keywords") or [] if _text(k)]
        name = _text(item.get("name"))
        if name or words:
            skills.append({"name": name, "keywords": words, "level": _text(item.get("level"))})
            keywords.extend(words or [name])
    return {
        "b": {k: _text(basics.get(k)) for k in ("name", "label", "summary")},
        "contact": contact,
        "contact_labels": labels,
        "words": {"work": WORK_HEADINGS[index % len(WORK_HEADINGS)]},
        "work": work,
        "education": education,
        "skills": skills,
        "all_keywords": keywords,
    }


def main() -> None:
    """Render every train person with every layout, convert, make truth, write the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=Path("/tmp/jr-own"))
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    args = parser.parse_args()
    make = load_make(args.corpus)
    people = train_people(args.corpus)
    sources = {row["id"]: row for row in _jsonl(args.corpus / "sources.jsonl")}
    env = Environment(
        loader=FileSystemLoader(Path(__file__).resolve().parent / "layouts"),
        autoescape=True,
        undefined=StrictUndefined,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="jr-own-"))
    planned: list[tuple[str, Person, str, str, Path]] = []
    try:
        for p_index, person in enumerate(people):
            page = context(make, person, p_index)
            for l_index, layout in enumerate(args.layouts.split(",")):
                name = f"{PREFIX}{len(planned) + 1:04d}"
                html = work / f"{name}.html"
                html.write_text(env.get_template(f"{layout}.html.j2").render(**page), "utf-8")
                fmt = FORMATS[(p_index + 3 * l_index) % len(FORMATS)]
                planned.append((name, person, layout, fmt, html))
        words = [str(html) for _, _, _, fmt, html in planned if fmt == "docx"]
        if words:
            make.to_docx_batch(words, str(work))
        truth, manifest = [], []
        for name, person, layout, fmt, html in planned:
            target = args.out / f"{name}.{fmt}"
            if fmt == "pdf":
                ok, converter = make.to_pdf(str(html), str(target)), "chromium --print-to-pdf"
            elif fmt == "txt":
                ok, converter = make.to_txt(str(html), str(target)), "w3m -dump -cols 100"
            else:
                converted = work / f"{name}.docx"
                ok, converter = converted.is_file(), "libreoffice"
                if ok:
                    shutil.move(converted, target)
            if not ok:
                print(f"{name}: conversion failed", file=sys.stderr)
                continue
            resume = make.build_truth(person.resume, make.Doc(make.extract_text(str(target))))
            truth.append({"file": target.name, "resume": resume})
            source = sources[person.source_id]
            manifest.append(
                {
                    "file": target.name,
                    "source_id": source["id"],
                    "theme": f"own-{layout}",
                    "format": fmt,
                    "converter": converter,
                    "orig_file": person.original_file,
                }
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for file_name, rows in (("truth.jsonl", truth), ("manifest.jsonl", manifest)):
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        (args.out / file_name).write_text(lines, encoding="utf-8")
    split = {"train": [row["file"] for row in truth], "dev": []}
    (args.out / "split.json").write_text(json.dumps(split, indent=1))
    print(f"{len(truth)} documents of {len(people)} train people written to {args.out}")


if __name__ == "__main__":
    main()
