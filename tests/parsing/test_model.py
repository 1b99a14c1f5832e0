"""The learned tagger (hotgigs.parsing.model) and its merge into parse_text."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from hotgigs.parsing import merge, parse_text
from hotgigs.parsing import model as model_mod
from hotgigs.parsing.api import analyse
from hotgigs.training import tagger
from tests.parsing import resumes

_FIRST = ["Asha", "Ravi", "Meena", "Arjun", "Lena", "Tomas", "Priya", "Omar", "Nina", "Kiran"]
_LAST = ["Rao", "Iyer", "Kapoor", "Silva", "Novak", "Mehta", "Haddad", "Joshi", "Berg", "Das"]
_TITLES = ["Software Engineer", "Data Analyst", "Project Manager", "QA Engineer", "Consultant"]
_STEMS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne"]
_SUFFIXES = ["Ltd", "Inc", "Systems", "Labs", "Technologies"]


def _record(rid: str, name: str, title: str, company: str, y1: int, y2: int) -> dict:
    email = name.lower().replace(" ", ".") + "@example.com"
    text = (
        f"{name}\n{email}\n\nEXPERIENCE\n{title} at {company}\n{y1} - {y2}\n"
        "- Built reporting tools for the operations team.\n"
    )
    entities = []
    for label, value in (
        ("Name", name),
        ("Email Address", email),
        ("Designation", title),
        ("Companies worked at", company),
        ("Years of Experience", f"{y1} - {y2}"),
    ):
        start = text.index(value)
        entities.append({"start": start, "end": start + len(value), "label": label, "text": value})
    return {"id": rid, "text": text, "entities": entities}


def _synthetic(n: int, seed: int = 0, prefix: str = "synthetic") -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        company = f"{rng.choice(_STEMS)} {rng.choice(_SUFFIXES)}"
        y1 = rng.randint(2005, 2016)
        out.append(_record(f"{prefix}-{i + 1}", name, rng.choice(_TITLES), company, y1, y1 + 3))
    return out


_UNSEEN = _record("new", "Zara Quint", "Data Analyst", "Quorvex Labs", 2018, 2021)


def _tagged(model: model_mod.Model, text: str) -> list[tuple[str, str]]:
    analysis = analyse(text)
    return [
        (e.label, analysis.doc.text[e.start : e.end]) for e in model_mod.predict(analysis, model)
    ]


# ---------------------------------------------------------------- training


def test_training_on_a_tiny_synthetic_set_learns_the_pattern(tmp_path: Path) -> None:
    path = tmp_path / "tiny.crfsuite"
    report = tagger.train(_synthetic(40), path, iterations=60)
    assert report.records == 40 and report.tokens > 0 and report.size_bytes == path.stat().st_size
    info = json.loads(path.with_suffix(".json").read_text("utf-8"))
    assert info["feature_version"] == model_mod.FEATURE_VERSION
    model = model_mod.load_file(path)
    assert model is not None
    tagged = _tagged(model, _UNSEEN["text"])
    # a company never seen in training, read from its place in the pattern
    assert ("Companies worked at", "Quorvex Labs") in tagged
    assert ("Designation", "Data Analyst") in tagged


def test_training_is_deterministic(tmp_path: Path) -> None:
    records = _synthetic(30, seed=3)
    a = tagger.train(records, tmp_path / "a.crfsuite", iterations=30)
    b = tagger.train(list(reversed(records)), tmp_path / "b.crfsuite", iterations=30)
    assert Path(a.model_path).read_bytes() == Path(b.model_path).read_bytes()
    model_a = model_mod.load_file(a.model_path)
    model_b = model_mod.load_file(b.model_path)
    assert model_a is not None and model_b is not None
    for record in [_UNSEEN, *_synthetic(5, seed=99)]:
        assert _tagged(model_a, record["text"]) == _tagged(model_b, record["text"])


def test_evaluation_records_are_never_trained_on(tmp_path: Path) -> None:
    held_out = _synthetic(1, prefix="dotin")[0] | {"id": "dotin-251"}
    with pytest.raises(ValueError, match="dotin-251"):
        tagger.train([*_synthetic(12), held_out], tmp_path / "m.crfsuite", iterations=5)
    data = tmp_path / "dotin.jsonl"
    rows = _synthetic(12, prefix="dotin") + [
        r | {"id": f"dotin-{300 + i}"} for i, r in enumerate(_synthetic(3, seed=7))
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    report = tagger.train_from_jsonl(data, tmp_path / "m.crfsuite", iterations=5)
    assert report.records == 12
    assert report.held_out == 3


def test_unannotated_and_partly_annotated_records() -> None:
    long_text = "Jane Roe\n" + "Worked at Acme Ltd as an engineer.\n" * 200
    only_name = {"text": long_text, "entities": [{"start": 0, "end": 8, "label": "Name"}]}
    assert tagger.annotated_extent(only_name) is None  # left unlabelled: not trained on
    record = _synthetic(1)[0]
    last = max(e["end"] for e in record["entities"])
    assert tagger.annotated_extent(record) == last + tagger.UNLABELLED_TAIL


def test_bio_decoding_and_lexicon_matching() -> None:
    tags = ["B-COMP", "I-COMP", "O", "I-DESIG", "I-DESIG", "B-DESIG", "B-LOC"]
    assert model_mod.decode(tags) == [
        ("COMP", 0, 2),
        ("DESIG", 3, 5),
        ("DESIG", 5, 6),
        ("LOC", 6, 7),
    ]
    lex = model_mod.Lexicon({"project management": ["JOB"], "project": ["JOB"], "java": ["TOOL"]})
    words = ["Led", "Project", "Management", "in", "Java", "project"]
    assert lex.matches(words) == [(1, 3, ["JOB"]), (4, 5, ["TOOL"]), (5, 6, ["JOB"])]


# ---------------------------------------------------------------- the shipped model

PROSE = """\
Anita Desai
Senior Web Developer with 8 years of experience.
Worked as Senior Web Developer at Brightwave Interactive from 2016 to 2020 and as Web \
Developer at Kettle Digital from 2012 to 2015.
"""


def test_shipped_artefact_is_small_and_loads() -> None:
    model = model_mod.shipped_model()
    assert model is not None
    assert model.info["feature_version"] == model_mod.FEATURE_VERSION
    assert model.info["last_record"] == "dotin-250"
    data = Path(model_mod.__file__).parent / "data" / model_mod.MODEL_FILE
    assert data.stat().st_size < 5_000_000


def test_parse_text_uses_the_model_for_jobs_the_rules_miss() -> None:
    result = parse_text(PROSE)
    assert result.meta["model"]["name"] == model_mod.MODEL_NAME
    work = result.resume["work"]
    first = work[0]
    assert (first["name"], first["position"]) == ("Brightwave Interactive", "Senior Web Developer")
    assert (first["startDate"], first["endDate"]) == ("2016", "2020")
    evidence, confidence = result.meta["evidence"], result.meta["confidence"]
    for i, item in enumerate(work):
        for key in ("name", "position"):
            if key in item:
                start, end = evidence[f"work[{i}].{key}"]
                assert PROSE[start:end] == item[key]
                assert 0.0 < confidence[f"work[{i}].{key}"] <= 1.0


def test_model_and_rules_agree_on_a_clean_layout() -> None:
    text = resumes.INDIAN_WITH_HEADINGS
    result = parse_text(text)
    assert result.meta["model"] is not None
    assert [w["name"] for w in result.resume["work"]] == [
        "Flipkart Internet Pvt Ltd",
        "Infosys Limited",
    ]
    for path, (start, end) in result.meta["evidence"].items():
        assert 0 <= start < end <= len(text), path
        assert text[start:end].strip() == text[start:end], path


def test_without_the_artefact_parse_text_is_rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    with_model = parse_text(PROSE)
    monkeypatch.setattr(model_mod, "shipped_model", lambda: None)
    rules = parse_text(PROSE)
    assert rules.meta["model"] is None
    assert "work" not in rules.resume  # the rules find no dated job header here
    assert "work" in with_model.resume
    assert "failed_stages" not in rules.meta
    full = parse_text(resumes.INDIAN_WITH_HEADINGS)
    assert full.resume["work"][0]["name"] == "Flipkart Internet Pvt Ltd"


def test_a_failing_model_leaves_the_rules_result(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_mod, "shipped_model", lambda: None)
    rules = parse_text(resumes.US_NURSE_NO_HEADINGS)
    monkeypatch.undo()

    def broken(*_args, **_kwargs):
        raise RuntimeError("tagger exploded")

    monkeypatch.setattr(merge, "merge", broken)
    result = parse_text(resumes.US_NURSE_NO_HEADINGS)
    assert result.meta["failed_stages"] == ["model"]
    assert result.resume == rules.resume
    assert result.meta["evidence"] == rules.meta["evidence"]


def test_missing_or_foreign_artefacts_load_as_none(tmp_path: Path) -> None:
    assert model_mod.load_file(tmp_path / "absent.crfsuite") is None
    path = tmp_path / "old.crfsuite"
    tagger.train(_synthetic(12), path, iterations=5)
    info = json.loads(path.with_suffix(".json").read_text("utf-8"))
    info["feature_version"] = -1
    path.with_suffix(".json").write_text(json.dumps(info), "utf-8")
    assert model_mod.load_file(path) is None  # features changed since: not used
