"""The committed match ranking set (bench/data/match_ranking.json) and the bench's NDCG@k.

The bench script is loaded from its file path (``bench/`` is not a package); importing it
is cheap: the parser, the embedder and the baselines are imported only when it runs.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench" / "match_quality.py"
RANKING_SET = REPO / "bench" / "data" / "match_ranking.json"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """bench/match_quality.py as a module."""
    spec = importlib.util.spec_from_file_location("bench_match_quality", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ranking_set() -> dict:
    """The committed ranking set."""
    return json.loads(RANKING_SET.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records(bench: ModuleType) -> list[dict]:
    """The labelled resumes, or a skip when the data file is not on this machine."""
    if not bench.DEFAULT_DATA.is_file():
        pytest.skip(f"labelled data not found: {bench.DEFAULT_DATA}")
    return bench.load_labelled(bench.DEFAULT_DATA)


def test_every_job_is_complete(ranking_set: dict) -> None:
    jobs = ranking_set["jobs"]
    assert len(jobs) >= 15
    assert len({job["id"] for job in jobs}) == len(jobs)
    for job in jobs:
        assert job["title"].strip(), job["id"]
        assert len(job["description"]) > 100, job["id"]
        assert job["required_skills"], job["id"]
        assert all(isinstance(s, str) and s.strip() for s in job["required_skills"])
        assert isinstance(job["preferred_skills"], list)
        assert job["relevance_rule"].strip(), job["id"]
        assert job["location"] == "" and job["remote"] is False
        assert job["education"] in ("", "school", "diploma", "bachelor", "master", "doctorate")


def test_grades_are_ints_from_1_to_3(ranking_set: dict) -> None:
    for job in ranking_set["jobs"]:
        for resume_id, grade in job["grades"].items():
            assert type(grade) is int and 1 <= grade <= 3, (job["id"], resume_id, grade)


def test_each_job_has_at_least_three_relevant_resumes(ranking_set: dict) -> None:
    for job in ranking_set["jobs"]:
        relevant = [i for i, g in job["grades"].items() if g >= 2]
        assert len(relevant) >= 3, job["id"]


def test_graded_ids_exist_in_the_labelled_data(ranking_set: dict, records: list[dict]) -> None:
    ids = {r["id"] for r in records}
    assert ranking_set["resumes"] == len(records)
    for job in ranking_set["jobs"]:
        unknown = set(job["grades"]) - ids
        assert not unknown, (job["id"], sorted(unknown))


def test_the_committed_grades_are_the_rules_output(
    bench: ModuleType, ranking_set: dict, records: list[dict]
) -> None:
    """Nobody edited grades by hand: --build on the same data gives the same set."""
    rebuilt, _ = bench.build_set(records, bench.DEFAULT_DATA)
    assert rebuilt["data_sha256"] == ranking_set["data_sha256"]
    assert rebuilt["jobs"] == ranking_set["jobs"]


def test_grade_rule(bench: ModuleType) -> None:
    job = bench.JobDef(
        id="t",
        title="Java Developer",
        description="",
        required=("Java", "Spring", "Hibernate", "Maven"),
        preferred=(),
        min_years=None,
        education="",
        roles=("java developer", "=principal"),
        exclude_roles=("intern",),
    )
    tok = bench.gold_tokens

    def grade(designations: list[str], skills: list[str]) -> int:
        return bench.grade(job, [tok(d) for d in designations], [tok(s) for s in skills])

    assert grade(["Sr. Java Developer"], ["Core Java", "Spring MVC"]) == 3
    assert grade(["Sr. Java Developer"], ["Java"]) == 2  # role only
    assert grade(["Tester"], ["java", "spring"]) == 2  # coverage 0.5 only
    assert grade(["Tester"], ["Java Script", "spring"]) == 1  # "Java Script" is JavaScript
    assert grade(["Java Developer Intern"], []) == 0  # excluded designation
    assert grade(["Principal"], []) == 2 and grade(["Principal Engineer"], []) == 0
    assert grade([], []) == 0


def test_ndcg_on_a_hand_computed_example(bench: ModuleType) -> None:
    grades = {"a": 3, "b": 2, "d": 1}  # "c" is not relevant (0)
    # ranked c, a, d, b: gains 0, 7, 1, 3 at ranks 1-4; ideal order 7, 3, 1
    dcg = 0 + 7 / math.log2(3) + 1 / math.log2(4) + 3 / math.log2(5)
    ideal = 7 / math.log2(2) + 3 / math.log2(3) + 1 / math.log2(4)
    value = bench.ndcg(["c", "a", "d", "b"], grades)
    assert value == pytest.approx(dcg / ideal)
    assert value == pytest.approx(0.66099, abs=1e-5)


def test_ndcg_edges(bench: ModuleType) -> None:
    grades = {"a": 3, "b": 1}
    assert bench.ndcg(["a", "b", "x"], grades) == pytest.approx(1.0)
    assert bench.ndcg(["b", "a"], grades) < 1.0
    # only the first k ranks count
    assert bench.ndcg(["x", "y", "a"], grades, k=2) == 0.0
    with pytest.raises(ValueError):
        bench.ndcg(["a"], {})


def test_rank_breaks_ties_by_resume_number(bench: ModuleType) -> None:
    ranked = bench.rank(["dotin-10", "dotin-9", "dotin-100"], [1.0, 1.0, 2.0])
    assert ranked == ["dotin-100", "dotin-9", "dotin-10"]
