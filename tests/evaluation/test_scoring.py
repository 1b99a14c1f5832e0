"""hotgigs.evaluation.scoring: the corpus README's fair-scorer rules on hand-made pairs."""

from __future__ import annotations

from hotgigs.evaluation.scoring import (
    Counts,
    micro,
    normalise_date,
    normalise_degree,
    normalise_skill,
    score_document,
    total,
)


def _counts(truth: dict, pred: dict, field: str) -> tuple[int, int, int]:
    c = score_document(truth, pred)[field]
    return c.tp, c.fp, c.fn


def test_text_ignores_case_whitespace_and_punctuation() -> None:
    truth = {"work": [{"position": "Software Engineer: DevOps"}]}
    pred = {"work": [{"position": "software  engineer - devops"}]}
    assert _counts(truth, pred, "work.position") == (1, 0, 0)


def test_positions_are_not_fuzzy_but_companies_are() -> None:
    truth = {"work": [{"name": "FieldAware (Remote)", "position": "Senior Engineer"}]}
    pred = {"work": [{"name": "FieldWorks Inc", "position": "Senior Engineers"}]}
    assert _counts(truth, pred, "work.name") == (0, 1, 1)  # ratio below 0.85
    pred = {"work": [{"name": "Field Aware (Remote)", "position": "Senior Engineers"}]}
    assert _counts(truth, pred, "work.name") == (1, 0, 0)
    assert _counts(truth, pred, "work.position") == (0, 1, 1)


def test_multisets_pair_one_to_one_exact_first() -> None:
    truth = {"work": [{"name": "Acme Labs"}, {"name": "Acme Lab"}]}
    pred = {"work": [{"name": "Acme Lab"}, {"name": "Acme Lab"}, {"name": "Acme Lab"}]}
    # the exact "Acme Lab" pairs first, the second prediction pairs fuzzily with "Acme Labs"
    assert _counts(truth, pred, "work.name") == (2, 1, 0)


def test_names_and_institutions_match_fuzzily() -> None:
    truth = {"basics": {"name": "Stijn Koopal MSc."}, "education": [{"institution": "MIT"}]}
    pred = {"basics": {"name": "Stijn Koopal"}, "education": [{"institution": "M.I.T"}]}
    assert _counts(truth, pred, "basics.name") == (1, 0, 0)
    assert _counts(truth, pred, "education.institution") == (0, 1, 1)


def test_phone_compares_the_last_ten_digits() -> None:
    truth = {"basics": {"phone": "(555) 123-4567 ext"}}
    assert _counts(truth, {"basics": {"phone": "+1 555 123 4567"}}, "basics.phone") == (1, 0, 0)
    assert _counts(truth, {"basics": {"phone": "+1 555 123 4568"}}, "basics.phone") == (0, 1, 1)


def test_city_is_one_value_and_missing_truth_makes_predictions_false() -> None:
    pred = {"basics": {"location": {"city": "Austin"}}}
    assert _counts({"basics": {"location": {"city": "austin"}}}, pred, "basics.location.city") == (
        1,
        0,
        0,
    )
    assert _counts({"basics": {"name": "Austin Moss"}}, pred, "basics.location.city") == (0, 1, 0)


def test_degrees_compare_after_alias_normalisation() -> None:
    assert normalise_degree("B.S.") == normalise_degree("Bachelor of Science")
    assert normalise_degree("BS") == normalise_degree("B.S.")
    assert normalise_degree("Bachelors") == normalise_degree("Bachelor's degree")
    assert normalise_degree("Ph.D.") == normalise_degree("Doctorate")
    assert normalise_degree("M.Sc.") == normalise_degree("Master of Science")
    assert normalise_degree("Master") != normalise_degree("Bachelor")
    truth = {"education": [{"studyType": "Bachelor of Science"}, {"studyType": "MBA"}]}
    pred = {"education": [{"studyType": "B.S."}, {"studyType": "Master of Arts"}]}
    assert _counts(truth, pred, "education.studyType") == (1, 1, 1)


def test_dates_compare_at_the_truths_precision() -> None:
    assert normalise_date("2019-03-15") == "2019-03"
    assert normalise_date("2019") == "2019"
    assert normalise_date(None) == normalise_date("Present") == normalise_date("current")
    truth = {"work": [{"startDate": "2019"}, {"startDate": "2020-03"}]}
    pred = {"work": [{"startDate": "2019-05"}, {"startDate": "2020"}]}
    # a year-only truth needs only the year; a year-month truth needs the month
    assert _counts(truth, pred, "work.startDate") == (1, 1, 1)


def test_present_end_dates_match_and_empty_truth_is_skipped() -> None:
    truth = {"work": [{"endDate": None}, {"endDate": ""}, {"endDate": "2018-01"}]}
    pred = {"work": [{"endDate": "Present"}, {"endDate": "2017"}, {"endDate": "2018-01"}]}
    # "2017" stands against the unscored "" and is not a false positive
    assert _counts(truth, pred, "work.endDate") == (2, 0, 0)
    pred = {"work": [{"endDate": None}, {"endDate": "2017"}, {"endDate": "2016"}]}
    assert _counts(truth, pred, "work.endDate") == (1, 1, 1)


def test_education_end_date_is_a_year() -> None:
    truth = {"education": [{"endDate": "2016"}]}
    pred = {"education": [{"endDate": "2016-06"}]}
    assert _counts(truth, pred, "education.endDate") == (1, 0, 0)


def test_skills_are_lower_cased_sets_with_inner_punctuation_kept() -> None:
    assert normalise_skill(" C++, ") == "c++"
    assert normalise_skill(".NET") == ".net"
    assert normalise_skill("Node.js.") == "node.js"
    assert normalise_skill("C#") != normalise_skill("C")
    truth = {"skills": [{"name": "C++"}, {"name": "C#"}, {"name": "Python"}]}
    pred = {"skills": [{"name": "c++"}, {"name": "C"}, {"name": "python"}, {"name": "Python"}]}
    assert _counts(truth, pred, "skills.name") == (2, 1, 1)


def test_skills_score_names_not_keywords() -> None:
    truth = {"skills": [{"name": "Kubernetes"}]}
    pred = {"skills": [{"name": "Container orchestration", "keywords": ["Kubernetes"]}]}
    assert _counts(truth, pred, "skills.name") == (0, 1, 1)


def test_micro_sums_every_field() -> None:
    truth = {"basics": {"name": "Ana Núñez", "email": "ana@example.org"}}
    pred = {
        "basics": {"name": "ana  NÚÑEZ", "email": "ana@example.com"},
        "skills": [{"name": "Go"}],
    }
    fields = total([score_document(truth, pred)])
    overall = micro(fields)
    assert (overall.tp, overall.fp, overall.fn) == (1, 2, 1)
    assert fields["basics.name"] == Counts(1, 0, 0)
    assert fields["basics.email"] == Counts(0, 1, 1)
    assert round(overall.f1, 3) == round(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5), 3)


def test_malformed_predictions_score_as_missing() -> None:
    truth = {"work": [{"name": "Acme", "position": "Engineer"}]}
    pred = {"work": "not a list", "basics": None, "skills": [None, {"name": 3}]}
    fields = total([score_document(truth, pred)])
    assert fields["work.name"] == Counts(0, 0, 1)
    assert micro(fields).fp == 0
