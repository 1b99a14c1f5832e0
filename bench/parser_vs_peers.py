"""Our parser side by side with the open resume parsers on PyPI, on jsonresume-real ``dev``.

Method
------
* Corpus: the ``dev`` part of ``../shared/data/jsonresume-real`` (``split.json``), loaded
  and scored exactly as ``hotgigs eval --truth ... --split dev`` does
  (``hotgigs.evaluation.corpus.load_corpus`` and the fair scorer
  ``hotgigs.evaluation.scoring.score_document``; micro-F1 over the 12 fields).
* Ours: the upload path (``extract_resume_text`` then ``parse_resume_text``), run in this
  interpreter; its prediction is already a JSON Resume dict.
* Peers: each PyPI package is installed with ``python3 -m venv`` + ``pip install`` into
  its own virtual environment under ``--venvs`` (default ``/tmp/hotgigs-peer-venvs``,
  kept, so a second run only re-parses).  ``bench/peers/driver.py`` runs inside that
  venv, gets the list of files and prints each file's raw peer output as one JSON line;
  this script maps that output to a JSON Resume dict (``map_*`` below) and scores it.
  Peers get the original PDF/DOCX/TXT files.  Where a peer cannot read a format at all
  (openresume-parser and sereena-parser read no TXT/DOCX resp. TXT, rb-resume-parser no
  DOCX, zero-resume-parser no TXT) it gets the text of OUR extraction instead, run
  through its own parsing code, and the time of our extraction is added to its time.
* A peer that does not install, or whose set-up fails (e.g. a spaCy model that only
  downloads from GitHub, which this machine cannot reach), gets a row with the reason.
  Nothing is downloaded at run time beyond the pip installs.
* Table: parser, version, micro-F1 over all 12 fields (a field a peer does not produce
  counts its truth values as misses), per-field F1 (blank where the peer's output has no
  such field at all), files per second (sum of per-file parse seconds, set-up and model
  loading excluded, on this 2-core machine; ours includes its sandboxed extraction).

Run (from the repository root)::

    .venv/bin/python bench/parser_vs_peers.py                 # all peers, dev split
    .venv/bin/python bench/parser_vs_peers.py --peers leverparser --reinstall
    .venv/bin/python bench/parser_vs_peers.py --venvs /tmp/elsewhere --split train
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from hotgigs.evaluation import corpus  # noqa: E402
from hotgigs.evaluation.scoring import FIELDS, Counts, micro, score_document, total  # noqa: E402

DEFAULT_TRUTH = REPO.parent / "shared/data/jsonresume-real/truth.jsonl"
DEFAULT_VENVS = Path("/tmp/hotgigs-peer-venvs")
DRIVER = REPO / "bench/peers/driver.py"
SHORT = {
    "basics.name": "name",
    "basics.email": "email",
    "basics.phone": "phone",
    "basics.location.city": "city",
    "work.name": "w.name",
    "work.position": "w.pos",
    "work.startDate": "w.start",
    "work.endDate": "w.end",
    "education.institution": "e.inst",
    "education.studyType": "e.type",
    "education.endDate": "e.end",
    "skills.name": "skills",
}
ALL = frozenset(FIELDS)
JsonResume = dict[str, Any]


# --------------------------------------------------------------------------- mapping helpers

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_PRESENT = re.compile(r"\b(present|current|now|today|ongoing)\b", re.I)
_ISO = re.compile(r"\b((?:19|20)\d{2})-(\d{1,2})(?:-\d{1,2})?\b")
_MONTH_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d{2})\b")
_NUM_MONTH_YEAR = re.compile(r"\b(\d{1,2})[/.]((?:19|20)\d{2})\b")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_DASHES = "-\u2013\u2014"  # hyphen, en dash, em dash
_RANGE_SEP = re.compile(rf"\s+(?:[{_DASHES}]|to|until)\s+|(?<=\d)\s*[{_DASHES}]\s*(?=[A-Za-z\d])")


def to_date(value: Any) -> str | None:
    """A peer's date text to ``YYYY-MM``/``YYYY``; ``None`` for present; "" if unreadable."""
    if value is None:
        return ""
    text = str(value).strip()
    if _PRESENT.search(text):
        return None
    if m := _ISO.search(text):
        return f"{m.group(1)}-{int(m.group(2)):02d}" if 1 <= int(m.group(2)) <= 12 else m.group(1)
    if (m := _MONTH_YEAR.search(text)) and m.group(1)[:3].lower() in _MONTHS:
        return f"{m.group(2)}-{_MONTHS[m.group(1)[:3].lower()]:02d}"
    if m := _NUM_MONTH_YEAR.search(text):
        return f"{m.group(2)}-{int(m.group(1)):02d}" if 1 <= int(m.group(1)) <= 12 else m.group(2)
    if m := _YEAR.search(text):
        return m.group(1)
    return ""


def split_range(text: Any) -> tuple[str | None, str | None]:
    """``"Jan 2020 - Present"`` to (start, end); end ``None`` means present."""
    if not isinstance(text, str) or not text.strip():
        return "", ""
    parts = _RANGE_SEP.split(text, maxsplit=1)
    start = to_date(parts[0])
    end = to_date(parts[1]) if len(parts) > 1 else ""
    return start or "", end


def city_of(value: Any) -> str:
    """The city of a location string: ``"Austin, TX"`` and ``"1 Main St, Austin, TX"``."""
    if not isinstance(value, str) or not value.strip():
        return ""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts:
        return ""
    city = parts[-2] if len(parts) >= 3 else parts[0]
    return re.sub(r"\s*\d{4,6}$", "", city).strip()


def _s(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [v for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []


def _job(name: Any, position: Any, start: str | None = "", end: str | None = "") -> dict:
    """A work entry; an unknown date ("") is left out, a present end is ``None``."""
    job: dict[str, Any] = {"name": _s(name), "position": _s(position)}
    if start:
        job["startDate"] = start
    if end is None or end:
        job["endDate"] = end
    return job


def _basics(name: Any = "", email: Any = "", phone: Any = "", city: str = "") -> dict:
    return {
        "name": _s(name),
        "email": _s(email),
        "phone": _s(phone),
        "location": {"city": city},
    }


def _skills(names: Any) -> list[dict[str, str]]:
    return [{"name": n} for n in _strings(names)]


# --------------------------------------------------------------------------- peer mappings


def map_openresume(raw: Mapping[str, Any]) -> JsonResume:
    """openresume-parser: ``resume.{full_name,email,phone,location,experience,education,skills}``.

    Its education is ONE flattened entry (``degree_course``, ``passing_year``), with no
    institution; ``current: true`` means a present end date."""
    r = raw.get("resume") or {}
    work = []
    for j in (r.get("experience") or {}).get("work_history") or []:
        end = None if j.get("current") else (to_date(j.get("end_date")) or "")
        work.append(_job(j.get("company"), j.get("title"), to_date(j.get("start_date")), end))
    edu = r.get("education") or {}
    education = []
    if _s(edu.get("degree_course")) or edu.get("passing_year"):
        entry: dict[str, Any] = {"studyType": _s(edu.get("degree_course"))}
        if edu.get("passing_year"):
            entry["endDate"] = str(edu["passing_year"])
        education.append(entry)
    loc = r.get("location") or {}
    return {
        "basics": _basics(r.get("full_name"), r.get("email"), r.get("phone"), _s(loc.get("city"))),
        "work": work,
        "education": education,
        "skills": _skills(r.get("skills")),
    }


def map_rb(raw: Mapping[str, Any]) -> JsonResume:
    """rb-resume-parser: ``name, email, phone, location ("City, ST"), role`` (the headline
    under the name, so ``basics.label``, not scored); its ``achievements`` are bullet texts,
    not jobs."""
    basics = _basics(
        raw.get("name"), raw.get("email"), raw.get("phone"), city_of(raw.get("location"))
    )
    basics["label"] = _s(raw.get("role"))
    return {"basics": basics, "work": [], "education": [], "skills": []}


def map_pyresparser(raw: Mapping[str, Any]) -> JsonResume:
    """pyresparser: flat lists ``company_names``, ``designation``, ``college_name``,
    ``degree``, ``skills``; companies and designations are paired by position."""
    companies, titles = _strings(raw.get("company_names")), _strings(raw.get("designation"))
    work = [
        _job(companies[i] if i < len(companies) else "", titles[i] if i < len(titles) else "")
        for i in range(max(len(companies), len(titles)))
    ]
    schools, degrees = _strings(raw.get("college_name")), _strings(raw.get("degree"))
    education = [
        {
            "institution": schools[i] if i < len(schools) else "",
            "studyType": degrees[i] if i < len(degrees) else "",
        }
        for i in range(max(len(schools), len(degrees)))
    ]
    return {
        "basics": _basics(raw.get("name"), raw.get("email"), raw.get("mobile_number")),
        "work": work,
        "education": education,
        "skills": _skills(raw.get("skills")),
    }


def map_leverparser(raw: Mapping[str, Any]) -> JsonResume:
    """leverparser: ``contact_info``, ``experience[].{company,title,start_date,end_date,
    current}``, ``education[].{institution,degree,graduation_date}``, ``skills[].name``.
    Dates are ``datetime.date`` (``YYYY-MM-DD``), so a year-only date reads as January."""
    c = raw.get("contact_info") or {}
    work = []
    for j in raw.get("experience") or []:
        end = None if j.get("current") else (to_date(j.get("end_date")) or "")
        work.append(_job(j.get("company"), j.get("title"), to_date(j.get("start_date")), end))
    education = []
    for e in raw.get("education") or []:
        entry: dict[str, Any] = {
            "institution": _s(e.get("institution")),
            "studyType": _s(e.get("degree")),
        }
        if year := to_date(e.get("graduation_date")):
            entry["endDate"] = year[:4]
        education.append(entry)
    return {
        "basics": _basics(c.get("name"), c.get("email"), c.get("phone"), city_of(c.get("address"))),
        "work": work,
        "education": education,
        "skills": [
            {"name": _s(s.get("name"))} for s in raw.get("skills") or [] if isinstance(s, dict)
        ],
    }


def map_zero(raw: Mapping[str, Any]) -> JsonResume:
    """zero-resume-parser: ``email, phone, skills`` (a fixed 12-word list) and at most one
    ``experience`` entry ``{role, duration}`` (duration is a start ``Month YYYY``)."""
    phone = raw.get("phone")
    phone = phone[0] if isinstance(phone, list) and phone else phone
    email = raw.get("email")
    email = email[0] if isinstance(email, list) and email else email
    work = [
        _job("", j.get("role"), to_date(j.get("duration")))
        for j in raw.get("experience") or []
        if isinstance(j, dict)
    ]
    return {
        "basics": _basics("", email, phone),
        "work": work,
        "education": [],
        "skills": _skills(raw.get("skills")),
    }


def map_sereena(raw: Mapping[str, Any]) -> JsonResume:
    """sereena-parser: ``personal_info``, ``experience[].{job_title,company,duration}``,
    ``education[].{degree,institution,year}``, ``skills``."""
    p = raw.get("personal_info") or {}
    work = []
    for j in raw.get("experience") or []:
        start, end = split_range(j.get("duration"))
        work.append(_job(j.get("company"), j.get("job_title"), start, end))
    education = []
    for e in raw.get("education") or []:
        entry: dict[str, Any] = {
            "institution": _s(e.get("institution")),
            "studyType": _s(e.get("degree")),
        }
        if year := to_date(e.get("year")):
            entry["endDate"] = year[:4]
        education.append(entry)
    return {
        "basics": _basics(
            p.get("name"), p.get("email"), p.get("phone"), city_of(p.get("location"))
        ),
        "work": work,
        "education": education,
        "skills": _skills(raw.get("skills")),
    }


@dataclass(frozen=True)
class Peer:
    """A PyPI resume parser: what to install, which formats it reads, how to map it."""

    name: str
    requirement: str
    dist: str
    reads: frozenset[str]
    mapper: Callable[[Mapping[str, Any]], JsonResume]
    produces: frozenset[str]
    extra: tuple[str, ...] = ()  # undeclared dependencies its code imports


WORK4 = {"work.name", "work.position", "work.startDate", "work.endDate"}
CONTACT = {"basics.name", "basics.email", "basics.phone"}
PEERS: tuple[Peer, ...] = (
    Peer("openresume-parser", "openresume-parser", "openresume-parser", frozenset({"pdf"}),
         map_openresume, ALL - {"education.institution"}),
    Peer("rb-resume-parser", "rb-resume-parser", "rb-resume-parser", frozenset({"pdf", "txt"}),
         map_rb, frozenset(CONTACT | {"basics.location.city"})),
    Peer("pyresparser-py3-10", "pyresparser-py3-10", "pyresparser-py3.10",
         frozenset({"pdf", "docx", "txt"}), map_pyresparser,
         frozenset(CONTACT | {"work.name", "work.position", "education.institution",
                              "education.studyType", "skills.name"})),
    Peer("leverparser", "leverparser", "leverparser", frozenset({"pdf", "docx", "txt"}),
         map_leverparser, ALL),
    Peer("zero-resume-parser", "zero-resume-parser", "zero-resume-parser",
         frozenset({"pdf", "docx"}), map_zero,
         frozenset({"basics.email", "basics.phone", "work.position", "work.startDate",
                    "skills.name"})),
    Peer("sereena-parser", "sereena-parser", "sereena-parser", frozenset({"pdf", "docx"}),
         map_sereena, ALL, ("pypdf",)),  # imports pypdf, declares only PyPDF2
)  # fmt: skip


# --------------------------------------------------------------------------- running


@dataclass
class Row:
    """One line of the table."""

    parser: str
    version: str = ""
    counts: dict[str, Counts] = field(default_factory=dict)
    produces: frozenset[str] = ALL
    seconds: float = 0.0
    files: int = 0
    note: str = ""


@dataclass(frozen=True)
class Ours:
    """Our prediction, extracted text and per-file seconds for one document."""

    prediction: JsonResume
    text: str
    extract_seconds: float
    seconds: float


def _version_of_ours() -> str:
    """Package version plus the commit (and ``+dirty`` when the tree has changes)."""
    from importlib.metadata import version

    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return version("hotgigs")
    return f"{version('hotgigs')} {head}{'+dirty' if dirty else ''}"


def run_ours(docs: list[corpus.Document]) -> dict[str, Ours]:
    """Our upload path per document, as ``hotgigs eval --truth`` runs it."""
    from hotgigs.config import get_settings
    from hotgigs.resumes import extraction
    from hotgigs.resumes.flows import extract_resume_text, parse_resume_text

    settings = get_settings()
    out = {}
    for doc in docs:
        started = time.perf_counter()
        try:
            text = extract_resume_text(doc.path.read_bytes(), settings).text
        except extraction.ExtractionError:
            text = ""
        extracted = time.perf_counter()
        prediction = parse_resume_text(text, settings).resume if text else {}
        done = time.perf_counter()
        out[doc.file] = Ours(dict(prediction), text, extracted - started, done - started)
    return out


def _tail(text: str, lines: int = 2) -> str:
    """The telling lines of a tool's output (exceptions and errors first), on one line."""
    keep = [ln.strip() for ln in text.splitlines() if ln.strip()]
    telling = re.compile(r"\b\w+(Error|Exception)\b:|^ERROR:|^Missing |No matching|not find")
    noise = re.compile("^note:|subprocess-exited-with-error|^[\u2570\u2502\u00d7]")
    errors = [ln for ln in keep if telling.search(ln) and not noise.search(ln)]
    return " / ".join(dict.fromkeys((errors or keep)[-lines:]))[:300]


def install(peer: Peer, root: Path, reinstall: bool) -> tuple[Path | None, str, str]:
    """The peer's venv python, its version and "" — or None, "" and why it is not there.

    The outcome (also a failure) is cached in ``root/NAME/state.json``."""
    home = root / peer.name
    state_file = home / "state.json"
    python = home / "venv/bin/python"
    if reinstall and home.exists():
        shutil.rmtree(home)
    wanted = [peer.requirement, *peer.extra]
    if state_file.is_file() and json.loads(state_file.read_text()).get("wanted") != wanted:
        shutil.rmtree(home)  # installed with other requirements: start again
    if state_file.is_file():
        state = json.loads(state_file.read_text())
        if not state["ok"]:
            return None, "", state["reason"]
        if python.is_file():
            return python, state["version"], ""
    home.mkdir(parents=True, exist_ok=True)
    print(f"[setup] {peer.name}: venv + pip install {peer.requirement} ...", file=sys.stderr)
    base = shutil.which("python3") or sys.executable
    try:
        subprocess.run([base, "-m", "venv", str(home / "venv")], check=True, capture_output=True)
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
             *wanted],
            capture_output=True, text=True, timeout=1800,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        done = None
    ok = done is not None and done.returncode == 0
    version, reason = "", ""
    if ok:
        version = subprocess.run(
            [str(python), "-c",
             f"import importlib.metadata as m; print(m.version({peer.dist!r}))"],
            capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    elif done is None:
        reason = "pip install timed out (30 min)"
    else:
        reason = "pip install failed: " + _tail(done.stdout + "\n" + done.stderr)
    state_file.write_text(
        json.dumps({"ok": ok, "version": version, "reason": reason, "wanted": wanted})
    )
    return (python, version, "") if ok else (None, "", reason)


def run_peer(
    peer: Peer, python: Path, docs: list[corpus.Document], ours: dict[str, Ours], timeout: float
) -> tuple[dict[str, dict[str, Any]], str, str]:
    """Raw peer output per file (``raw``, ``seconds``, ``error``) or {} and why not; a note."""
    files = []
    for doc in docs:
        fmt = doc.path.suffix.lstrip(".").lower()
        text = None if fmt in peer.reads else ours[doc.file].text
        files.append({"path": str(doc.path), "text": text})
    try:
        done = subprocess.run(
            [str(python), str(DRIVER), peer.name],
            input=json.dumps({"files": files}), capture_output=True, text=True, timeout=timeout,
            cwd=python.parent.parent,  # a peer's own log files land in its venv, not here
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {}, f"driver timed out after {timeout:.0f} s", ""
    rows = [json.loads(ln) for ln in done.stdout.splitlines() if ln.startswith("{")]
    if not rows or "setup" not in rows[0]:
        return {}, f"driver crashed (exit {done.returncode}): {_tail(done.stderr)}", ""
    setup = rows[0]["setup"]
    if not setup["ok"]:
        return {}, f"set-up failed: {setup['error']} ({_tail(done.stderr)})", ""
    note = ""
    if setup.get("spacy") and not setup.get("en_core_web_sm"):
        note = "ran without spaCy model en_core_web_sm (only on GitHub, unreachable)"
    return {r["file"]: r for r in rows[1:]}, "", note


def score_peer(
    peer: Peer, raw: dict[str, dict[str, Any]], docs: list[corpus.Document], ours: dict[str, Ours]
) -> tuple[dict[str, Counts], float, str]:
    """Per-field counts, total seconds and a note on failed files."""
    per_doc, seconds, failed = [], 0.0, []
    for doc in docs:
        row = raw.get(doc.file) or {"raw": None, "seconds": 0.0, "error": "no output"}
        fmt = doc.path.suffix.lstrip(".").lower()
        seconds += row["seconds"] + (0.0 if fmt in peer.reads else ours[doc.file].extract_seconds)
        prediction: JsonResume = {}
        if row["error"] or row["raw"] is None:
            failed.append(f"{doc.file}: {row['error'] or 'returned nothing'}")
        else:
            try:
                prediction = peer.mapper(row["raw"])
            except (AttributeError, TypeError, KeyError, ValueError) as exc:
                failed.append(f"{doc.file}: mapping failed ({exc})")
        per_doc.append(score_document(doc.truth, prediction))
    note = f"{len(failed)} of {len(docs)} files gave nothing" if failed else ""
    for line in failed[:5]:
        print(f"[{peer.name}] {line}", file=sys.stderr)
    return total(per_doc), seconds, note


# --------------------------------------------------------------------------- table


def format_table(rows: list[Row], title: str) -> str:
    """One Markdown table: parser, version, micro-F1, per-field F1, files/s, note."""
    head = ["parser", "version", "micro-F1", *(SHORT[f] for f in FIELDS), "files/s", "note"]
    lines = [title, "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        if not r.counts:
            cells = [r.parser, r.version or "-", "", *([""] * len(FIELDS)), "", r.note]
        else:
            per_field = [f"{r.counts[f].f1:.3f}" if f in r.produces else "" for f in FIELDS]
            rate = f"{r.files / r.seconds:.1f}" if r.seconds else ""
            overall = f"{micro(r.counts).f1:.3f}"
            cells = [r.parser, r.version, overall, *per_field, rate, r.note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """Install the peers, run everyone on the split, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truth", type=Path, default=DEFAULT_TRUTH)
    ap.add_argument("--split", default="dev", choices=corpus.SPLITS)
    ap.add_argument("--venvs", type=Path, default=DEFAULT_VENVS, help="where peer venvs live")
    ap.add_argument("--reinstall", action="store_true", help="rebuild the peers' venvs")
    ap.add_argument("--peers", nargs="*", help="only these peers (default: all)")
    ap.add_argument("--limit", type=int, help="only the first N documents")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per peer run")
    ap.add_argument("--dump", type=Path, help="write each parser's raw and mapped output here")
    args = ap.parse_args()

    docs = corpus.load_corpus(args.truth, args.split)[: args.limit]  # type: ignore[arg-type]
    print(f"[ours] parsing {len(docs)} {args.split} documents ...", file=sys.stderr)
    ours = run_ours(docs)
    mine = total(score_document(d.truth, ours[d.file].prediction) for d in docs)
    rows = [
        Row("hotgigs (ours)", _version_of_ours(), mine, ALL,
            sum(o.seconds for o in ours.values()), len(docs)),
    ]  # fmt: skip
    chosen = [p for p in PEERS if not args.peers or p.name in args.peers]
    for peer in chosen:
        python, version, reason = install(peer, args.venvs, args.reinstall)
        if python is None:
            rows.append(Row(peer.name, note=f"not run: {reason}"))
            continue
        print(f"[{peer.name}] parsing {len(docs)} documents ...", file=sys.stderr)
        raw, reason, run_note = run_peer(peer, python, docs, ours, args.timeout)
        if reason:
            rows.append(Row(peer.name, version, note=f"not run: {reason}"))
            continue
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            with (args.dump / f"{peer.name}.jsonl").open("w", encoding="utf-8") as fh:
                for name, row in raw.items():
                    mapped = peer.mapper(row["raw"]) if row["raw"] is not None else None
                    line = {"file": name, "raw": row["raw"], "mapped": mapped}
                    fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        counts, seconds, note = score_peer(peer, raw, docs, ours)
        note = "; ".join(n for n in (run_note, note) if n)
        rows.append(Row(peer.name, version, counts, peer.produces, seconds, len(docs), note))
    title = (
        f"Parsers on jsonresume-real {args.split} ({len(docs)} documents); "
        "F1 by the fair scorer, blank = the parser has no such field"
    )
    print(format_table(rows, title))


if __name__ == "__main__":
    main()
