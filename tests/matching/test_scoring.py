"""Scoring over feature matrices: each category, weights, N/A categories and ranking."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from hotgigs.matching import scoring, semantic
from hotgigs.matching.scoring import CandidateFeatures, FeatureMatrix, FeatureRows, JobSpec
from hotgigs.parsing import skills as skills_lib


def person(**overrides) -> CandidateFeatures:
    """A candidate's features with empty defaults."""
    values = {
        "skills": [],
        "years": None,
        "degree_rank": 0,
        "title_words": [],
        "field_words": [],
        "location_words": [],
        "vector": None,
    }
    return CandidateFeatures(**{**values, **overrides})


def job(**overrides) -> JobSpec:
    """A job asking nothing unless told."""
    values = {
        "title": "",
        "required": (),
        "preferred": (),
        "min_years": None,
        "education_rank": 0,
        "location": "",
        "remote": False,
        "field_words": frozenset(),
    }
    return JobSpec(**{**values, **overrides})


def scores_of(spec: JobSpec, *people: CandidateFeatures, embedder=None) -> scoring.Scores:
    """Scores of the given people for a job."""
    dimensions = next((p.vector.shape[0] for p in people if p.vector is not None), None)
    return scoring.score(spec, FeatureMatrix(FeatureRows.of(people), dimensions), embedder)


def test_required_skills_weigh_twice_preferred_and_related_ones_earn_half() -> None:
    spec = job(required=("kubernetes", "java"), preferred=("kafka",))
    exact = person(skills=["kubernetes", "java", "kafka"])
    related = person(skills=["openshift", "java"])  # OpenShift is in Kubernetes' family
    preferred_only = person(skills=["kafka"])
    nothing = person(skills=["excel"])
    result = scores_of(spec, exact, related, preferred_only, nothing)
    skills = result.categories["skills"]
    assert skills[0] == pytest.approx(100.0)
    assert skills[1] == pytest.approx(100 * (2 * 0.5 + 2 * 1) / 5)
    assert skills[2] == pytest.approx(100 * 1 / 5)
    assert skills[3] == 0
    assert result.breakdown(1) == {"skills": 60}


def test_skill_aliases_meet_in_the_taxonomy_name() -> None:
    assert skills_lib.canonical_key("k8s") == "kubernetes"
    assert skills_lib.canonical_key("  Golang ") == "go"
    assert "openshift" in scoring.related_keys("kubernetes")
    assert scoring.related_keys("no such skill at all") == frozenset()


def test_experience_is_linear_below_the_minimum_and_counts_title_words() -> None:
    spec = job(title="Senior Data Engineer", min_years=4)
    result = scores_of(
        spec,
        person(years=8, title_words=["data", "engineer"]),
        person(years=2, title_words=["data", "analyst"]),
        person(years=None, title_words=["data", "engineer"]),
        person(years=None),
    )
    experience = result.categories["experience"]
    assert experience[0] == pytest.approx(100)
    # years 2/4 -> 50 (weight 0.6); title 1 of 2 words ("senior" says nothing) -> 50 (0.4)
    assert experience[1] == pytest.approx(50)
    # unknown years are not zero years: the title speaks alone
    assert experience[2] == pytest.approx(100)
    assert experience[3] == 0
    no_title = scores_of(job(min_years=4), person(years=None))
    assert "experience" not in no_title.breakdown(0)


def test_education_level_and_field() -> None:
    spec = job(education_rank=4, field_words=frozenset({"computer", "science", "data"}))
    result = scores_of(
        spec,
        person(degree_rank=5, field_words=["computer", "science"]),
        person(degree_rank=4, field_words=["history"]),
        person(degree_rank=3),
        person(degree_rank=2),
        person(degree_rank=0),
    )
    assert result.categories["education"][:4].tolist() == pytest.approx([100, 75, 50, 0])
    assert "education" not in result.breakdown(4)  # no degree found: does not count


def test_location_city_region_and_remote() -> None:
    spec = job(location="Austin, Texas")
    result = scores_of(
        spec,
        person(location_words=scoring.words("Austin, Texas")),
        person(location_words=scoring.words("Dallas, Texas")),
        person(location_words=scoring.words("Pune")),
    )
    assert result.categories["location"].tolist() == [100, 50, 0]
    remote = scores_of(job(location="Austin, Texas", remote=True), person())
    assert "location" not in remote.breakdown(0)


def test_categories_a_job_does_not_ask_about_do_not_count() -> None:
    spec = job(required=("python",))
    result = scores_of(spec, person(skills=["python"], years=1, location_words=["x"]))
    assert result.breakdown(0) == {"skills": 100}
    assert result.total[0] == pytest.approx(100)
    nothing_asked = scores_of(job(), person(skills=["python"]))
    assert nothing_asked.breakdown(0) == {}
    assert nothing_asked.total[0] == 0


def test_total_is_the_weighted_mean_with_per_job_weights() -> None:
    candidate = person(skills=["python"], degree_rank=1)
    default = scores_of(job(required=("python",), education_rank=3), candidate)
    # skills 100 (weight 40), education 0 (school against bachelor; weight 10)
    assert default.total[0] == pytest.approx(80)
    heavy_education = job(
        required=("python",), education_rank=3, weights={**scoring.DEFAULT_WEIGHTS, "education": 40}
    )
    assert scores_of(heavy_education, candidate).total[0] == pytest.approx(50)
    no_skills = job(required=("python",), education_rank=3, weights={"skills": 0, "education": 10})
    assert scores_of(no_skills, candidate).total[0] == pytest.approx(0)


def test_semantic_uses_vectors_of_the_same_embedder_only() -> None:
    embedder = semantic.get_embedder("tfidf")
    texts = ["java spring microservices developer", "kindergarten teacher lesson planning"]
    a, b = embedder.encode(texts)
    spec = job(vector=embedder.encode(["senior java developer spring boot"])[0])
    result = scores_of(spec, person(vector=a), person(vector=b), person(), embedder=embedder)
    values = result.categories["semantic"]
    assert values[0] > values[1]
    assert np.isnan(values[2])  # no vector: semantic does not count for this one
    assert "semantic" not in result.breakdown(2)
    wrong_size = scores_of(job(vector=np.ones(3, dtype=np.float32)), person(vector=a))
    assert "semantic" not in wrong_size.breakdown(0)


def test_a_large_matrix_scores_each_row_as_alone() -> None:
    rng = np.random.default_rng(7)
    pool_skills = ["java", "python", "docker", "kubernetes", "openshift", "mysql", "postgresql"]
    people = [
        person(
            skills=list(rng.choice(pool_skills, size=rng.integers(0, 5), replace=False)),
            years=float(rng.integers(0, 15)),
            degree_rank=int(rng.integers(0, 6)),
            title_words=["java", "developer"][: int(rng.integers(0, 3))],
            location_words=["pune"] if rng.random() < 0.5 else ["austin"],
        )
        for _ in range(300)
    ]
    spec = job(
        title="Java developer",
        required=("java", "kubernetes"),
        preferred=("postgresql",),
        min_years=5,
        education_rank=3,
        location="Pune",
    )
    together = scores_of(spec, *people)
    for row in (0, 57, 299):
        alone = scores_of(spec, people[row])
        assert alone.total[0] == pytest.approx(together.total[row])
        assert alone.breakdown(0) == together.breakdown(row)


def test_top_rows_are_best_first_above_the_floor_and_limited() -> None:
    totals = np.array([10, 90, 50, 70, 90, 30], dtype=np.float32)
    scores = scoring.Scores(total=totals, categories={}, has_required=np.ones(6, dtype=bool))
    assert scoring.top_rows(scores, None, limit=3, min_score=0)[:1] in ([1], [4])
    assert sorted(scoring.top_rows(scores, None, limit=3, min_score=0)) == [1, 3, 4]
    assert scoring.top_rows(scores, None, limit=10, min_score=50) in ([1, 4, 3, 2], [4, 1, 3, 2])
    mask = np.array([True, False, True, True, False, True])
    assert scoring.top_rows(scores, mask, limit=10, min_score=0) == [3, 2, 5, 0]


def test_a_candidate_with_none_of_the_required_skills_is_never_a_top_row() -> None:
    spec = job(
        title="Senior Data Engineer",
        required=("kubernetes", "physical education"),
        preferred=("kafka",),
        location="Austin",
    )
    fits = person(skills=["kubernetes"])
    related = person(skills=["openshift"])  # Kubernetes' family: half credit, still a fit
    mentioned = person(signature=scoring.word_signature("Taught physical education"))
    # Everything but the required skills: the preferred one, the title, the city.
    elsewhere = person(
        skills=["kafka"], title_words=["data", "engineer"], location_words=["austin"]
    )
    result = scores_of(spec, fits, related, mentioned, elsewhere)
    assert result.has_required.tolist() == [True, True, True, False]
    assert result.total[3] > result.total[1]  # it outscores a fit, and still is no match
    assert sorted(scoring.top_rows(result, None, limit=10, min_score=0)) == [0, 1, 2]
    mask = np.array([False, True, True, True])
    assert sorted(scoring.top_rows(result, mask, limit=10, min_score=0)) == [1, 2]
    # A job requiring no skill lets anyone through.
    open_ended = scores_of(job(preferred=("kafka",)), fits, elsewhere, person())
    assert open_ended.has_required.tolist() == [True, True, True]
    assert scores_of(job(title="Data Engineer"), person()).has_required.tolist() == [True]


def test_words_fold_case_plurals_and_stop_words() -> None:
    assert scoring.words("Engineers of the C++ and .NET Systems") == [
        "engineer",
        "c++",
        "net",
        "system",
    ]
    assert scoring.words("Business") == ["business"]
    assert scoring.words(None) == []


def test_a_skill_outside_the_taxonomy_counts_when_the_text_holds_it() -> None:
    spec = job(required=("physical education",))
    taught = person(signature=scoring.word_signature("Taught Physical Education, grades K-12"))
    other = person(signature=scoring.word_signature("Taught mathematics and coached chess"))
    unsigned = person()
    result = scores_of(spec, taught, other, unsigned)
    assert result.categories["skills"].tolist() == pytest.approx([75, 0, 0])
    # a taxonomy skill in prose only is no claim: the parser already judged it so
    prose = person(signature=scoring.word_signature("Our team moved to Kubernetes last year"))
    assert scores_of(job(required=("kubernetes",)), prose).categories["skills"][0] == 0


def test_word_signatures_never_miss_a_word_and_rarely_invent_one() -> None:
    rng = np.random.default_rng(3)
    vocabulary = [f"w{n}x" for n in range(20_000)]
    texts = [" ".join(rng.choice(vocabulary, size=300)) for _ in range(200)]
    matrix = FeatureMatrix(
        FeatureRows.of([person(signature=scoring.word_signature(t)) for t in texts]), None
    )
    for row, text in enumerate(texts[:20]):
        for word in text.split()[:25]:
            assert matrix.mentions(word)[row] == 1.0
    absent = [f"absent{n}" for n in range(200)]
    wrong = np.mean([matrix.mentions(word).mean() for word in absent])
    assert wrong < 0.05  # one word against 300-word texts: about 2% by design
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(absent)]
    two_words = np.mean([matrix.mentions(pair).mean() for pair in pairs])
    assert two_words < 0.005


def test_an_appended_matrix_scores_like_one_built_whole() -> None:
    head = [person(skills=["java"], title_words=["java", "developer"], years=6.0)]
    tail = [
        person(skills=["kubernetes", "helm"], title_words=["sre"], location_words=["pune"]),
        person(skills=["java", "kafka"], degree_rank=4, field_words=["computer"]),
    ]
    spec = job(
        title="Java SRE",
        required=("java", "kubernetes"),
        preferred=("kafka", "helm"),
        min_years=3,
        education_rank=3,
        location="Pune",
        field_words=frozenset({"computer"}),
    )
    original = FeatureMatrix(FeatureRows.of(head), None)
    appended = original.appended(FeatureRows.of(tail))
    whole = FeatureMatrix(FeatureRows.of(head + tail), None)
    assert appended.size == 3 and original.size == 1  # the kept matrix is left as it was
    assert scoring.score(spec, appended, None).total.tolist() == pytest.approx(
        scoring.score(spec, whole, None).total.tolist()
    )
    assert scoring.score(spec, original, None).total.tolist() == pytest.approx(
        scoring.score(spec, whole, None).total[:1].tolist()
    )
