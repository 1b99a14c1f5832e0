"""Sanity over real-world resumes: the first 20 records of the dotin TRAINING part.

Only dotin-1 .. dotin-250 may be used here; dotin-251 .. dotin-310 are held out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotgigs.parsing import parse_text
from tests.parsing.test_hostile_input import assert_well_formed

_REPO = Path(__file__).resolve().parents[2]
_CANDIDATES = [
    _REPO.parent / "shared" / "data" / "resumes-labelled" / "dotin-train.jsonl",
    Path("/work/shared/data/resumes-labelled/dotin-train.jsonl"),
]


def _training_records(limit: int) -> list[dict]:
    path = next((p for p in _CANDIDATES if p.is_file()), None)
    if path is None:
        pytest.skip("dotin-train.jsonl is not available")
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            number = int(record["id"].split("-")[1])
            if number > 250:
                continue  # the evaluation part stays unseen
            out.append(record)
            if len(out) == limit:
                break
    return out


def test_first_twenty_training_resumes_parse_sanely() -> None:
    records = _training_records(20)
    assert [r["id"] for r in records] == [f"dotin-{i}" for i in range(1, 21)]
    with_name = with_email = with_work = with_skills = 0
    for record in records:
        text = record["text"]
        result = parse_text(text)
        assert_well_formed(text, result)
        basics = result.resume.get("basics", {})
        gold = {e["label"]: e["text"] for e in record["entities"]}
        if "Email Address" in gold:
            assert basics.get("email") == gold["Email Address"].strip(), record["id"]
            with_email += 1
        if basics.get("name"):
            with_name += 1
            start, end = result.meta["evidence"]["basics.name"]
            assert text[start:end].lower() == basics["name"].lower(), record["id"]
        with_work += bool(result.resume.get("work"))
        with_skills += len(result.meta["skill_mentions"]) >= 3
        for item in result.resume.get("work", []):
            for key in ("startDate", "endDate"):
                value = item.get(key)
                assert value is None or len(value) in (4, 7), (record["id"], value)
        for i, skill in enumerate(result.meta["skill_mentions"]):
            start, end = result.meta["evidence"][f"skill_mentions[{i}].name"]
            assert text[start:end] in skill["keywords"], record["id"]
        for i, skill in enumerate(result.resume.get("skills", [])):
            start, end = result.meta["evidence"][f"skills[{i}].name"]
            assert " ".join(text[start:end].split()) == skill["name"], record["id"]
    assert with_email >= 18
    assert with_name >= 18
    assert with_work >= 15
    assert with_skills >= 18
