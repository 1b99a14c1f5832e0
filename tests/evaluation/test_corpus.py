"""hotgigs.evaluation.corpus and `hotgigs eval --truth`: a tiny rendered corpus end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hotgigs.cli import app
from hotgigs.evaluation import corpus

RESUME_A = """Ana Souza
ana@example.org
Skills
Python, Go
Experience
Acme Corp
2019-03 to Present
Backend Developer
"""
RESUME_B = "Ben Ode\nben@example.org\nSkills\nRust\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "jr0001.txt").write_text(RESUME_A, encoding="utf-8")
    (tmp_path / "jr0002.txt").write_text(RESUME_B, encoding="utf-8")
    truth = [
        {
            "file": "jr0001.txt",
            "resume": {
                "basics": {"name": "Ana Souza", "email": "ana@example.org"},
                "work": [
                    {
                        "name": "Acme Corp",
                        "position": "Backend Developer",
                        "startDate": "2019-03",
                        "endDate": None,
                    }
                ],
                "skills": [{"name": "Python"}, {"name": "Go"}],
            },
        },
        {
            "file": "jr0002.txt",
            "resume": {"basics": {"name": "Ben Ode"}, "skills": [{"name": "C"}]},
        },
    ]
    (tmp_path / "truth.jsonl").write_text("\n".join(json.dumps(t) for t in truth) + "\n")
    (tmp_path / "split.json").write_text(
        json.dumps({"train": ["jr0001.txt"], "dev": ["jr0002.txt"]})
    )
    manifest = [
        {"file": "jr0001.txt", "theme": "jsonresume-theme-flat", "format": "txt"},
        {"file": "jr0002.txt", "theme": "jsonresume-theme-paper", "format": "txt"},
    ]
    (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(m) for m in manifest) + "\n")
    return tmp_path


def test_load_corpus_follows_the_fixed_split(folder: Path) -> None:
    train = corpus.load_corpus(folder / "truth.jsonl", "train")
    assert [(d.file, d.theme, d.format) for d in train] == [("jr0001.txt", "flat", "txt")]
    assert [d.file for d in corpus.load_corpus(folder / "truth.jsonl", "all")] == [
        "jr0001.txt",
        "jr0002.txt",
    ]
    with pytest.raises(ValueError):
        corpus.load_corpus(folder / "truth.jsonl", "test")  # type: ignore[arg-type]


def test_report_has_fields_formats_themes_and_ends_with_overall(folder: Path) -> None:
    docs = corpus.load_corpus(folder / "truth.jsonl", "all")
    results = corpus.run(docs, lambda doc: doc.truth if doc.file == "jr0001.txt" else {})
    report = corpus.format_report(results, "all")
    lines = report.splitlines()
    assert lines[-1] == f"overall_micro_f1 {2 * 8 / (8 + 10):.3f}"  # 8 of 10 truth values, no fp
    assert any(line.startswith("skills.name") for line in lines)
    assert any(line.startswith("flat (1)") for line in lines)
    assert any(line.startswith("txt (2)") for line in lines)


def test_cli_scores_real_files_through_extraction_and_parsing(folder: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "--truth", str(folder / "truth.jsonl"), "--split", "all"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert re.fullmatch(r"overall_micro_f1 [01]\.\d{3}", lines[-1])
    row = next(line for line in lines if line.startswith("basics.name"))
    assert row.split()[1:4] == ["1.000", "1.000", "1.000"]
    bad = runner.invoke(app, ["eval", "--truth", str(folder / "truth.jsonl"), "--split", "eval"])
    assert bad.exit_code == 2


def test_folds_keep_each_person_whole_and_report_their_spread(folder: Path) -> None:
    docs = corpus.load_corpus(folder / "truth.jsonl", "all")
    # Two documents of one person and one of another: a person's documents share a fold.
    docs = [
        corpus.Document(d.file, d.path, d.truth, d.theme, d.format, person)
        for d, person in zip([*docs, docs[0]], ["s001", "s002", "s001"], strict=True)
    ]
    assert corpus.fold_of(docs[0], 2) == corpus.fold_of(docs[2], 2)
    results = corpus.run(docs, lambda doc: doc.truth)
    report = corpus.format_folds(results, 2, "cv").splitlines()
    assert report[-1] == "cv_micro_f1 1.000 0.000"  # perfect predictions in every fold
    counts = next(line for line in report if line.startswith("documents")).split()[1:]
    assert sorted(int(c) for c in counts if c.isdigit()) in ([0, 3], [1, 2])


def test_cli_folds_need_a_sensible_count(folder: Path) -> None:
    runner = CliRunner()
    args = ["eval", "--truth", str(folder / "truth.jsonl"), "--split", "all", "--folds"]
    result = runner.invoke(app, [*args, "2"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"cv_micro_f1 [01]\.\d{3} \d\.\d{3}", result.output.strip().splitlines()[-1]
    )
    assert runner.invoke(app, [*args, "1"]).exit_code == 2
