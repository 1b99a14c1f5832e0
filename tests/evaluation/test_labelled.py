"""hotgigs.evaluation.labelled: normalising, the fixed split, label mapping and scoring.

Only the first training records of dotin are read here; the evaluation part stays unseen.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from hotgigs.evaluation.labelled import (
    LABELS,
    SKILL_LABELS,
    Entity,
    LabelScore,
    Record,
    evaluate,
    format_comparison,
    format_report,
    gold_sets,
    load_records,
    normalise,
    parse_predict,
    predicted_sets,
    score,
    split,
)
from hotgigs.parsing import ParseResult

_REPO = Path(__file__).resolve().parents[2]
_CANDIDATES = [
    _REPO.parent / "shared" / "data" / "resumes-labelled" / "dotin-train.jsonl",
    Path("/work/shared/data/resumes-labelled/dotin-train.jsonl"),
]


def _empty() -> dict[str, set[str]]:
    return {label: set() for label in LABELS}


# --------------------------------------------------------------------------- normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Bangalore,\nKarnataka ", "bangalore karnataka"),
        ("SENIOR   Financial\tAnalyst", "senior financial analyst"),
        ("B.Tech (Computer Science)", "b tech computer science"),
        ("Tatyana.D'Amore@zsaw.biz", "tatyana d amore zsaw biz"),
        ("2007 - Present", "2007 present"),
        ("snake_case", "snake case"),
        ("\uff33\uff31\uff2c", "sql"),  # full-width letters fold too (NFKC)
        ("C++", "c"),
        ("  ...  ", ""),
        ("", ""),
    ],
)
def test_normalise_folds_case_whitespace_and_punctuation(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
    assert normalise(normalise(raw)) == normalise(raw)


# --------------------------------------------------------------------------- data and split


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_split_is_fixed_by_the_number_in_the_id(tmp_path: Path) -> None:
    rows = [{"id": f"dotin-{n}", "text": "x", "entities": []} for n in range(310, 0, -1)]
    records = load_records(_write(tmp_path, rows))
    train, held_out = split(records, "train"), split(records, "eval")
    assert len(train) == 250
    assert len(held_out) == 60
    assert {r.number for r in train} == set(range(1, 251))
    assert {r.number for r in held_out} == set(range(251, 311))
    assert len(split(records, "all")) == 310
    with pytest.raises(ValueError):
        split(records, "test")  # type: ignore[arg-type]


def test_split_of_the_real_file_is_250_and_60() -> None:
    path = next((p for p in _CANDIDATES if p.is_file()), None)
    if path is None:
        pytest.skip("dotin-train.jsonl is not available")
    ids = []
    with path.open(encoding="utf-8") as fh:
        ids = [json.loads(line)["id"] for line in fh]  # ids only: no text is looked at
    records = [Record(i, "") for i in ids]
    train, held_out = split(records, "train"), split(records, "eval")
    assert (len(train), len(held_out)) == (250, 60)
    assert not {r.id for r in train} & {r.id for r in held_out}
    assert max(r.number or 0 for r in train) == 250
    assert min(r.number or 0 for r in held_out) == 251


def test_load_records_rejects_offsets_that_do_not_select_the_text(tmp_path: Path) -> None:
    bad = {
        "id": "dotin-1",
        "text": "Jane Doe",
        "entities": [{"start": 0, "end": 3, "label": "Name", "text": "Jane"}],
    }
    with pytest.raises(ValueError):
        load_records(_write(tmp_path, [bad]))


def test_gold_sets_on_a_hand_written_record(tmp_path: Path) -> None:
    text = "Jane Doe\nJane.Doe@x.io\nPython, SQL, python\nTeam player\n"

    def ent(surface: str, label: str, nth: int = 0) -> dict:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        return {"start": start, "end": start + len(surface), "label": label, "text": surface}

    row = {
        "id": "dotin-7",
        "text": text,
        "entities": [
            ent("Jane Doe\n", "Name"),
            ent("Jane.Doe@x.io", "Email Address"),
            ent("Python", "Tech Tools"),
            ent("SQL", "Tech Tools"),
            ent("python", "Tech Tools"),
            ent("Team player", "Soft Skills"),
            ent(", ", "Tech Tools"),  # folds to nothing: dropped
            ent("Jane", "Not A Label"),
        ],
    }
    (record,) = load_records(_write(tmp_path, [row]))
    assert record.number == 7
    assert record.entities[0] == Entity(0, 9, "Name", "Jane Doe\n")
    gold = gold_sets(record)
    assert set(gold) == set(LABELS)
    assert gold["Name"] == {"jane doe"}
    assert gold["Email Address"] == {"jane doe x io"}
    assert gold["Tech Tools"] == {"python", "sql"}
    assert gold["Soft Skills"] == {"team player"}
    assert all(
        not gold[label]
        for label in LABELS
        if label not in {"Name", "Email Address", "Tech Tools", "Soft Skills"}
    )


# --------------------------------------------------------------------------- predicted_sets

_TEXT = (
    "Ravi Kumar\n"
    "Senior Developer\n"
    "Bangalore, Karnataka\n"
    "ravi@x.io\n"
    "Over 7 years of experience.\n"
    "Developer, Infosys Ltd, Pune, Maharashtra, Jan 2015 - Present\n"
    "B.Tech in Computer Science, Anna University, 2010 - 2014\n"
    "Skills: Python, Java script, Communication, Payroll\n"
)


def _span(s: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = _TEXT.index(s, start + 1)
    return [start, start + len(s)]


def _hand_built() -> ParseResult:
    resume = {
        "basics": {
            "name": "Ravi Kumar",
            "label": "Senior Developer",
            "email": "ravi@x.io",
            "location": {"city": "Bengaluru", "region": "Karnataka", "countryCode": "IN"},
        },
        "work": [
            {
                "name": "Infosys Limited",
                "position": "Developer",
                "location": "Pune, Maharashtra",
                "startDate": "2015-01",
                "endDate": None,
            },
            # no evidence at all: the values are used
            {"name": "Wipro", "position": "Intern", "startDate": "2014-01", "endDate": "2014-06"},
        ],
        "education": [
            {
                "institution": "Anna University",
                "studyType": "B.Tech",
                "area": "Computer Science",
                "startDate": "2010",
                "endDate": "2014",
            },
            {"institution": "Kendriya Vidyalaya", "studyType": "Class XII", "endDate": "2010-05"},
        ],
        # what the person listed is not what dotin labels: the taxonomy's mentions are
        "skills": [{"name": "Listed Only"}],
        # the dataset labels spoken languages as Soft Skills
        "languages": [{"language": "Hindi", "fluency": "Native speaker"}],
    }
    evidence = {
        "basics.name": _span("Ravi Kumar"),
        "basics.label": _span("Senior Developer"),
        "basics.email": _span("ravi@x.io"),
        "basics.location": _span("Bangalore, Karnataka"),
        "work[0].name": _span("Infosys Ltd"),
        "work[0].position": _span("Developer", 1),
        "work[0].location": _span("Pune, Maharashtra"),
        "work[0].startDate": _span("Jan 2015 - Present"),
        "work[0].endDate": _span("Jan 2015 - Present"),
        "education[0].institution": _span("Anna University"),
        "education[0].studyType": _span("B.Tech"),
        "education[0].area": _span("Computer Science"),
        "education[0].startDate": _span("2010 - 2014"),
        "education[0].endDate": _span("2010 - 2014"),
        "skill_mentions[0].name": _span("Python"),
        "skill_mentions[1].name": _span("Java script"),
        "stated_years_experience": _span("7 years"),
    }
    meta = {
        "confidence": {},
        "evidence": evidence,
        "total_years_experience": 9.5,
        "stated_years_experience": 7,
        "skill_mentions": [
            {"name": "Python", "keywords": ["Python"], "category": "tool"},
            {"name": "JavaScript", "keywords": ["Java script"], "category": "tool"},
            {"name": "Communication", "keywords": ["Communication"], "category": "soft"},
            {"name": "Payroll", "keywords": ["Payroll"], "category": "domain"},
            {"name": "Kubernetes", "keywords": [], "category": "tool"},  # no surface: the name
        ],
    }
    return ParseResult(resume=resume, meta=meta)


def test_predicted_sets_maps_json_resume_to_labels() -> None:
    pred = predicted_sets(_hand_built(), _TEXT)
    assert set(pred) == set(LABELS)
    assert pred["Name"] == {"ravi kumar"}
    assert pred["Email Address"] == {"ravi x io"}
    assert pred["Designation"] == {"senior developer", "developer", "intern"}
    # evidence surface ("Infosys Ltd") wins over the value ("Infosys Limited")
    assert pred["Companies worked at"] == {"infosys ltd", "wipro"}
    # surface "Bangalore", not the canonical "Bengaluru"
    assert pred["Location"] == {"bangalore karnataka", "pune maharashtra"}
    assert pred["Years of Experience"] == {"jan 2015 present", "2014 01 2014 06", "7 years"}
    assert pred["College Name"] == {"anna university", "kendriya vidyalaya"}
    # studyType + area written together are one degree phrase
    assert pred["Degree"] == {"b tech in computer science", "class xii"}
    assert pred["Graduation Year"] == {"2010 2014", "2010"}
    assert pred["Tech Tools"] == {"python", "java script", "kubernetes"}
    assert pred["Soft Skills"] == {"communication", "hindi"}
    assert pred["Job Specific Skills"] == {"payroll"}


def test_predicted_sets_of_an_empty_or_odd_result() -> None:
    assert predicted_sets(ParseResult(resume={}, meta={}), "") == _empty()
    odd = ParseResult(
        resume={"basics": {"name": "A B"}, "education": [{"endDate": None}]},
        meta={"evidence": {"basics.name": [5, 999]}, "stated_years_experience": 3.5},
    )
    pred = predicted_sets(odd, "short")
    assert pred["Name"] == {"a b"}  # out-of-range evidence: the value
    assert pred["Years of Experience"] == {"3 5 years"}
    assert not pred["Graduation Year"]


# --------------------------------------------------------------------------- score


def test_score_arithmetic_on_known_sets() -> None:
    doc1_gold = _empty() | {"Name": {"a"}, "Tech Tools": {"python", "sql"}, "Soft Skills": {"lead"}}
    doc1_pred = _empty() | {
        "Name": {"a"},
        "Tech Tools": {"python", "java"},
        "Job Specific Skills": {"lead"},
    }
    doc2_gold = {"Name": {"b"}, "Degree": {"b tech"}}  # missing labels are empty sets
    doc2_pred = {"Name": {"c"}, "Unknown": {"x"}}
    report = score([(doc1_gold, doc1_pred), (doc2_gold, doc2_pred)])

    assert report.documents == 2
    assert list(report.labels) == list(LABELS)
    name = report.labels["Name"]
    assert (name.tp, name.fp, name.fn) == (1, 1, 1)
    assert name.precision == name.recall == name.f1 == 0.5
    tools = report.labels["Tech Tools"]
    assert (tools.tp, tools.fp, tools.fn) == (1, 1, 1)
    assert report.labels["Soft Skills"] == LabelScore(0, 0, 1)
    assert report.labels["Job Specific Skills"] == LabelScore(0, 1, 0)
    assert report.labels["Degree"] == LabelScore(0, 0, 1)
    assert report.labels["Location"] == LabelScore(0, 0, 0)

    # micro: tp 2 (a, python), fp 3 (c, java, lead as domain), fn 4 (b, sql, lead as soft, b tech)
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (2, 3, 4)
    assert math.isclose(report.micro.precision, 2 / 5)
    assert math.isclose(report.micro.recall, 2 / 6)
    assert math.isclose(report.micro_f1, 2 * (2 / 5) * (2 / 6) / (2 / 5 + 2 / 6))

    # pooled skills: the three skill labels as one set per document, so "lead" matches
    assert report.skills == LabelScore(tp=2, fp=1, fn=1)
    assert math.isclose(report.skills.f1, 2 / 3)


def test_score_of_empty_sets_is_zero_without_division_errors() -> None:
    empty = score([])
    assert empty.documents == 0
    assert empty.micro_f1 == 0.0
    nothing = score([(_empty(), _empty())])
    for _, s in nothing.rows():
        assert (s.precision, s.recall, s.f1, s.support) == (0.0, 0.0, 0.0, 0)
    only_fp = score([(_empty(), _empty() | {"Name": {"x"}})])
    assert only_fp.labels["Name"].precision == 0.0
    assert only_fp.labels["Name"].recall == 0.0
    assert format_report(nothing).splitlines()[-1] == "micro_f1 0.000"


def test_pooled_skills_rows_are_not_counted_twice_in_micro() -> None:
    gold = _empty() | {key: {"x"} for key in SKILL_LABELS}
    report = score([(gold, gold)])
    assert report.micro.tp == 3
    assert report.skills.tp == 1
    assert report.micro_f1 == 1.0
    assert format_report(report, "perfect").splitlines()[-1] == "micro_f1 1.000"


# --------------------------------------------------------------------------- real data


def test_evaluate_on_five_training_records() -> None:
    path = next((p for p in _CANDIDATES if p.is_file()), None)
    if path is None:
        pytest.skip("dotin-train.jsonl is not available")
    records = split(load_records(path), "train")[:5]
    assert [r.id for r in records] == [f"dotin-{i}" for i in range(1, 6)]
    report = evaluate(records, parse_predict)
    assert report.documents == 5
    assert set(report.labels) == set(LABELS)
    for _, s in report.rows():
        assert 0.0 <= s.precision <= 1.0
        assert 0.0 <= s.recall <= 1.0
        assert 0.0 <= s.f1 <= 1.0
    assert report.micro.support == sum(len(v) for r in records for v in gold_sets(r).values())
    assert report.labels["Email Address"].f1 > 0.5

    text = format_report(report, "dotin train[:5]")
    last = text.splitlines()[-1]
    assert last.startswith("micro_f1 0.") or last == "micro_f1 1.000"
    assert last == f"micro_f1 {report.micro_f1:.3f}"
    for label in LABELS:
        assert label in text

    # a predictor returning raw (unnormalised) strings is normalised by evaluate
    by_text = {r.text: r for r in records}

    def echo(text: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for e in by_text[text].entities:
            out.setdefault(e.label, set()).add(f"  {e.text.upper()}! ")
        return out

    gold_echo = evaluate(records, echo)
    assert gold_echo.micro_f1 == 1.0
    assert gold_echo.skills.f1 == 1.0

    table = format_comparison({"parser": report, "echo": gold_echo})
    lines = table.splitlines()
    assert any(line.startswith("Name ") for line in lines)
    assert (
        sum(1 for line in lines if line.split() and line.split()[0] in {"micro*", "skills*"}) == 2
    )
