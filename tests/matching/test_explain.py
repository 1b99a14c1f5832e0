"""Explanations: every claim comes with the resume text it rests on."""

from __future__ import annotations

from hotgigs.matching import explain as explain_lib
from hotgigs.matching.scoring import JobSpec

RESUME = {
    "basics": {"label": "Teacher", "location": {"city": "Austin", "region": "Texas"}},
    "work": [
        {"position": "PE Teacher", "name": "Austin ISD", "startDate": "2015-08"},
        {"position": "Coach", "name": "YMCA", "startDate": "2012-01", "endDate": "2015-06"},
    ],
    "education": [{"studyType": "Bachelor of Science", "area": "Kinesiology"}],
    "skills": [
        {"name": "Classroom Management", "keywords": ["classroom management"]},
        {"name": "First Aid", "keywords": ["First Aid", "CPR"]},
    ],
}
TEXT = "Taught physical education to grades 6-8. Classroom management. First Aid and CPR."


def spec(**overrides) -> JobSpec:
    """A physical-education teaching job."""
    values = {
        "title": "Physical Education Teacher",
        "required": ("physical education", "classroom management", "lesson planning"),
        "preferred": ("first aid",),
        "min_years": 3.0,
        "education_rank": 3,
        "location": "Austin, TX",
        "remote": False,
        "field_words": frozenset({"physical", "education", "kinesiology"}),
    }
    return JobSpec(**{**values, **overrides})


NAMES = {
    "physical education": "Physical education",
    "classroom management": "Classroom Management",
    "lesson planning": "Lesson Planning",
    "first aid": "First Aid",
}


def explained(job: JobSpec, **kwargs) -> explain_lib.Explanation:
    """The explanation of the sample resume for a job."""
    values = {"resume": RESUME, "text": TEXT, "years": 11.2, "degree_rank": 3}
    values.update(kwargs)
    return explain_lib.explain(job, job_skill_names=NAMES, breakdown={"semantic": 64}, **values)


def test_the_text_names_counts_missing_skills_years_degree_and_place() -> None:
    why = explained(spec())
    assert why.text == (
        "2 of 3 required skills (1 only mentioned in the text), missing Lesson Planning; "
        "1 of 1 preferred skills; 11.2 years of experience against 3 years required; "
        "has worked as PE Teacher at Austin ISD; Bachelor of Science Kinesiology meets the "
        "bachelor's degree wanted; based in Austin, Texas, job in Austin, TX; "
        "profile similarity 64/100."
    )
    assert why.missing_skills == ["Lesson Planning"]
    assert (
        why.gap
        == [{"skill": "Lesson Planning", "required": True, "related": ["Classroom Management"]}]
        or why.gap[0]["skill"] == "Lesson Planning"
    )


def test_each_claim_points_at_where_the_resume_says_it() -> None:
    why = explained(spec())
    by_claim = {e.claim: e for e in why.evidence}
    listed = by_claim["has required skill Classroom Management"]
    assert (listed.source, listed.text) == ("skills[0]", "classroom management")
    mentioned = by_claim["mentions required skill Physical education"]
    assert mentioned.source == "text"
    assert "physical education" in mentioned.text.lower()
    assert by_claim["similar title"].source == "work[0]"
    assert by_claim["degree"].source == "education[0]"
    assert by_claim["lives in"].source == "basics.location"
    for evidence in why.evidence:
        if evidence.source == "text":
            assert evidence.text in " ".join(TEXT.split())


def test_unknown_years_and_degree_are_said_not_guessed() -> None:
    why = explained(spec(), years=None, degree_rank=0)
    assert "years of experience not found against 3 years required" in why.text
    assert "no degree found against a bachelor's degree wanted" in why.text


def test_remote_and_a_job_without_requirements() -> None:
    assert "remote job" in explained(spec(remote=True)).text
    bare = spec(required=(), preferred=(), min_years=None, education_rank=0, location="", title="")
    why = explain_lib.explain(
        bare,
        job_skill_names={},
        resume=RESUME,
        text=TEXT,
        years=None,
        degree_rank=0,
        breakdown={},
    )
    assert why.text == "The job states no requirements to compare."
