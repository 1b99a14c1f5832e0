"""Candidate search on the run's database: ranking, filters, facets, pages, scope, safety."""

from __future__ import annotations

import base64
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, func, insert, inspect, select, text
from sqlalchemy.orm import Session

from hotgigs import migrations
from hotgigs.auth.models import Role, User
from hotgigs.candidates import search
from hotgigs.candidates.access import visible_to
from hotgigs.candidates.models import (
    Candidate,
    CandidateShare,
    CandidateSkill,
    CandidateTag,
    SharePermission,
)
from hotgigs.candidates.search import InvalidSearch, SearchParams
from hotgigs.candidates.service import search_document
from hotgigs.db import create_db_engine, new_session
from hotgigs.models import Base
from tests.conftest import BASE_DATABASE_URL
from tests.support.databases import create_scratch_database, drop_scratch_database

START = datetime(2025, 1, 1, tzinfo=UTC)


class Profiles:
    """Makes candidates of one owner the way imports do, one hour apart by default."""

    def __init__(self, session: Session, owner: User) -> None:
        self.session, self.owner, self.count = session, owner, 0

    def add(
        self,
        name: str,
        *,
        headline: str = "",
        skills: tuple[str, ...] = (),
        text: str = "",
        location: str = "",
        years: float | None = None,
        study: str | None = None,
        tags: tuple[str, ...] = (),
        source: str = "upload",
        created_at: datetime | None = None,
        owner: User | None = None,
    ) -> Candidate:
        """A flushed, indexed candidate."""
        self.count += 1
        resume = {
            "basics": {"name": name, "label": headline},
            "skills": [{"name": skill} for skill in skills],
            "education": [{"studyType": study}] if study else [],
        }
        candidate = Candidate(
            owner_id=(owner or self.owner).id,
            full_name=name,
            headline=headline,
            location=location,
            total_years_experience=years,
            resume=resume,
            search_document=search_document(resume, text),
            source=source,
            created_at=created_at or START + timedelta(hours=self.count),
        )
        self.session.add(candidate)
        self.session.flush()
        search.index_candidate(self.session, candidate)
        for tag in tags:
            self.session.add(CandidateTag(candidate_id=candidate.id, name=tag))
        self.session.commit()
        return candidate


@pytest.fixture
def session() -> Iterator[Session]:
    with new_session() as session:
        yield session


@pytest.fixture
def profiles(session: Session, recruiter: User) -> Profiles:
    return Profiles(session, recruiter)


def find(session: Session, scope=None, **params) -> search.SearchPage:
    """Search everything (or `scope`) with these parameters."""
    scope = select(Candidate) if scope is None else scope
    return search.search(session, scope=scope, params=SearchParams(**params))


def names(page: search.SearchPage) -> list[str]:
    return [candidate.full_name for candidate in page.items]


@pytest.mark.parametrize(
    ("study_types", "level"),
    [
        (["B.E."], 3),
        (["B.Tech", "M.Tech"], 4),
        (["Bachelor of Science"], 3),
        (["MBA"], 4),
        (["M.Sc."], 4),
        (["Master of Computer Applications"], 4),
        (["Ph.D"], 5),
        (["Doctor of Philosophy", "MSc"], 5),
        (["Diploma"], 2),
        (["Associate Degree"], 2),
        (["SSC", "HSC"], 1),
        (["Class XII"], 1),
        (["High School Diploma"], 1),
        (["Computer Science"], 0),
        ([], 0),
    ],
)
def test_degree_level_is_the_highest_study_type(study_types: list[str], level: int) -> None:
    resume = {"education": [{"studyType": study} for study in study_types]}
    assert search.degree_level(resume) == level


def test_degree_level_ignores_malformed_education() -> None:
    assert search.degree_level({"education": ["BSc", {"studyType": None}, {}]}) == 0
    assert search.degree_level({}) == 0


def test_index_candidate_stores_canonical_skills_and_degree(session, profiles) -> None:
    candidate = profiles.add("Ada", skills=("k8s", "Kubernetes", "JS", "Basket Weaving", " "))
    candidate.resume = {**candidate.resume, "education": [{"studyType": "M.Tech"}]}
    search.index_candidate(session, candidate)
    session.commit()
    stored = set(
        session.scalars(
            select(CandidateSkill.skill).where(CandidateSkill.candidate_id == candidate.id)
        )
    )
    assert stored == {"kubernetes", "javascript", "basket weaving"}
    assert candidate.degree_level == 4

    candidate.resume = {"skills": [{"name": "golang"}]}
    search.index_candidate(session, candidate)
    session.commit()
    assert session.scalars(
        select(CandidateSkill.skill).where(CandidateSkill.candidate_id == candidate.id)
    ).all() == ["go"]
    assert candidate.degree_level == 0


def test_a_name_hit_ranks_above_headline_skill_and_body_hits(session, profiles) -> None:
    # Created in reverse: recency alone would give the opposite order.
    profiles.add("Rowan Body", text="Worked with a hunter on recruiting")
    profiles.add("Sam Skill", skills=("Hunter",))
    profiles.add("Kim Headline", headline="Talent Hunter")
    profiles.add("Hunter Name")
    profiles.add("Nobody Else", text="unrelated")
    page = find(session, q="hunter")
    assert names(page) == ["Hunter Name", "Kim Headline", "Sam Skill", "Rowan Body"]
    assert page.total == 4


def test_each_word_scores_where_it_is_found_best(session, profiles) -> None:
    profiles.add("Lee Java", text="kotlin")
    profiles.add("Pat Kotlin", headline="Java developer")
    profiles.add("Ray Other", headline="Java and Kotlin developer")
    # Pat: name 8 + headline 4; Lee: name 8 + body 1; Ray: headline 4 + headline 4.
    assert names(find(session, q="java kotlin")) == ["Pat Kotlin", "Lee Java", "Ray Other"]


def test_words_must_all_match_and_the_last_one_may_be_a_prefix(session, profiles) -> None:
    profiles.add("Java Only", skills=("Java",))
    profiles.add("Spring Java", skills=("Java", "Spring"))
    profiles.add("Script Person", skills=("JavaScript",))
    profiles.add("Python Person", skills=("Python",))
    assert names(find(session, q="java spring")) == ["Spring Java"]
    assert names(find(session, q="pyth")) == ["Python Person"]
    # The word itself before what only starts with it.
    assert names(find(session, q="java", sort="relevance"))[-1] == "Script Person"
    assert set(names(find(session, q="java"))) == {"Java Only", "Spring Java", "Script Person"}
    # A one-letter last word is a whole word, not every word starting with it.
    assert find(session, q="j").total == 0


def test_a_fragment_of_a_name_finds_it(session, profiles) -> None:
    profiles.add("Priya Sharma")
    profiles.add("Connor O'Brien")
    profiles.add("Harmony Jones", text="harm reduction")
    assert names(find(session, q="harm"))[0] == "Harmony Jones"
    assert set(names(find(session, q="harm"))) == {"Harmony Jones", "Priya Sharma"}
    assert names(find(session, q="o'bri")) == ["Connor O'Brien"]
    assert names(find(session, q="priya sha")) == ["Priya Sharma"]
    assert find(session, q="ar").total == 0  # fragments start at three characters
    assert set(names(find(session, q="arm"))) == {"Harmony Jones", "Priya Sharma"}


def test_a_name_fragment_is_literal_text(session, profiles) -> None:
    profiles.add("Ann_Lee Co")
    profiles.add("AnnXLee Co")
    profiles.add("Full 100% Match")
    assert names(find(session, q="n_l")) == ["Ann_Lee Co"]
    assert names(find(session, q="0% m")) == ["Full 100% Match"]


def test_case_and_accents_fold_alike_on_both_sides(session, profiles) -> None:
    profiles.add("José Álvarez", location="München, Bayern")
    profiles.add("Zoë Müller")
    assert names(find(session, q="jose alvarez")) == ["José Álvarez"]
    assert names(find(session, q="ZOE MULLER")) == ["Zoë Müller"]
    assert names(find(session, q="Álvarez")) == ["José Álvarez"]


def test_punctuation_splits_words_like_the_index_does(session, profiles) -> None:
    profiles.add("Node Dev", text="Built APIs in node.js and C++ (3.5 years); mail a@b.io")
    for q in ("node js", "node.js", "c++", "a b io", "3 5"):
        assert names(find(session, q=q)) == ["Node Dev"], q


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ('"', 2),  # no words at all: nothing to match, everything is found
        ("*", 2),
        ("'; --", 2),
        ('"java', 1),
        ("java*", 1),
        ("NEAR(java", 1),
        ("NEAR(java kotlin)", 1),  # the document says "near"
        ("NEAR(java kotlin, 2)", 0),  # and "2" is a word it lacks
        ("'; DROP TABLE candidate_profiles; --", 0),
        ("-java", 1),
        ("java -kotlin", 1),  # "-" is no NOT: both words must match
        ("java -cobol", 0),
        ("name:java", 0),  # "name" is a word like any other
        ("{name}: java", 0),
        ("(java) OR (cobol)", 0),
        ("java AND NOT kotlin", 1),  # the document says "and", "not"
        ("java & !kotlin | python:*", 1),
        ("%java_", 1),
        ("back\\slash java", 0),
        ("java\x00", 1),
        ("日本語 java", 0),
        ("😀 java", 1),  # an emoji is no word on either database
        ("java " * 12, 1),
        ("x" * 500, 0),
    ],
)
def test_hostile_queries_are_plain_words(session, profiles, q: str, found: int) -> None:
    profiles.add("Java Dev", headline="Java developer", text="kotlin python and or not near")
    profiles.add("Someone Else")
    assert find(session, q=q).total == found
    assert session.scalar(select(func.count()).select_from(Candidate)) == 2


def test_free_text_understands_skill_aliases_as_the_skills_filter_does(session, profiles) -> None:
    profiles.add("Kube Listed", skills=("Kubernetes",))
    profiles.add("Kube Written", text="ran k8s clusters for five years")
    profiles.add("Learner", headline="Machine learning engineer")
    profiles.add("Seller", headline="Sales lead", text="retail ml of paint")
    assert set(names(find(session, q="k8s"))) == {"Kube Listed", "Kube Written"}
    assert set(names(find(session, q="kubernetes"))) == {"Kube Listed"}
    assert set(names(find(session, q="k8s", skills_any=["k8s"]))) == {"Kube Listed"}
    # "ml" finds the words themselves too; an alias phrase keeps its word order.
    assert set(names(find(session, q="ml"))) == {"Learner", "Seller"}
    ranked = names(find(session, q="k8s", sort="relevance"))
    assert ranked[0] == "Kube Listed"  # a listed skill ranks above a word in the text


def test_unicode_words_are_searchable(session, profiles) -> None:
    profiles.add("Tanaka", text="経験 日本語 Москва")
    assert find(session, q="日本語").total == 1
    assert find(session, q="москва").total == 1
    assert find(session, q="😀").total == 1  # no word in it: it filters nothing


def cursor_of(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 501}, "longer than"),
        ({"q": " ".join(f"w{i}" for i in range(13))}, "words"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"sort": "name"}, "sort"),
        ({"cursor": "not a cursor"}, "cursor"),
        ({"cursor": "eyJzb3J0IjogImRhdGUifQ"}, "cursor"),
        ({"skills_all": ["x"] * 51}, "skills_all"),
        ({"offset": -1}, "skip"),
        ({"offset": 100_001}, "skip"),
        ({"offset": 2, "cursor": cursor_of({"sort": "date", "after": [1, 2]})}, "not both"),
    ],
)
def test_bad_requests_raise_invalid_search(session, params: dict, message: str) -> None:
    with pytest.raises(InvalidSearch, match=message):
        find(session, **params)


@pytest.mark.parametrize(
    "cursor",
    [
        cursor_of({"sort": "date", "after": [1, 2]}),
        cursor_of({"sort": "date", "after": "ab"}),
        cursor_of({"sort": "date", "after": ["2025-01-01T00:00:00", "0" * 32]}),
        cursor_of({"sort": "date", "after": ["2025-01-01T00:00:00+00:00", "xyz"]}),
        cursor_of({"sort": "relevance", "after": [True, "2025-01-01T00:00:00+00:00", "0" * 32]}),
        cursor_of(["date"]),
        "é",
        "A" * 501,
    ],
)
def test_forged_cursors_are_refused(session, cursor: str) -> None:
    with pytest.raises(InvalidSearch, match="cursor"):
        find(session, cursor=cursor)
    with pytest.raises(InvalidSearch, match="cursor"):
        find(session, q="x", cursor=cursor)


def test_a_cursor_only_fits_the_order_it_came_from(session, profiles) -> None:
    for i in range(3):
        profiles.add(f"Dev {i}", headline="developer")
    by_date = find(session, sort="date", limit=1)
    with pytest.raises(InvalidSearch):
        find(session, q="developer", cursor=by_date.next_cursor, limit=1)
    # Without words, relevance is newest first: the date cursor fits.
    assert find(session, cursor=by_date.next_cursor, limit=1).total == 3


def test_skill_filters_resolve_taxonomy_aliases(session, profiles) -> None:
    profiles.add("Both", skills=("Kubernetes", "JavaScript"))
    profiles.add("Kube", skills=("k8s",))
    profiles.add("Go Ts", skills=("Golang", "TypeScript"))
    profiles.add("Weaver", skills=("Basket Weaving",))
    assert names(find(session, skills_all=["k8s", "JS"])) == ["Both"]
    assert set(names(find(session, skills_all=["kubernetes"]))) == {"Both", "Kube"}
    assert set(names(find(session, skills_any=["go", "ts", "k8s"]))) == {"Go Ts", "Kube", "Both"}
    assert names(find(session, skills_any=["basket  WEAVING"])) == ["Weaver"]
    assert names(find(session, skills_all=["k8s"], skills_any=["js", "cobol"])) == ["Both"]
    assert find(session, skills_all=["cobol"]).total == 0


def test_every_filter(session, profiles, recruiter, make_user) -> None:
    other = make_user(Role.RECRUITER)
    profiles.add(
        "Alpha",
        location="Bengaluru, Karnataka",
        years=8,
        study="M.Tech",
        tags=("shortlist", "java-2025"),
        source="bulk",
        created_at=START,
    )
    profiles.add(
        "Beta",
        location="Pune, Maharashtra",
        years=3,
        study="B.E.",
        tags=("shortlist",),
        source="drive",
        created_at=START + timedelta(days=1),
        owner=other,
    )
    profiles.add("Gamma", years=None, created_at=START + timedelta(days=2))

    def only(**params) -> set[str]:
        return set(names(find(session, **params)))

    assert only(min_years=5) == {"Alpha"}
    assert only(min_years=3) == {"Alpha", "Beta"}
    assert only(location="BENGALURU") == {"Alpha"}
    assert only(location="ma") == {"Beta"}  # "Pune, Maharashtra"
    assert only(location="%") == set()  # a literal percent sign, not a wildcard
    assert only(min_degree_level=4) == {"Alpha"}
    assert only(min_degree_level=3) == {"Alpha", "Beta"}
    assert only(tags=["Shortlist"]) == {"Alpha", "Beta"}
    assert only(tags=["shortlist", "java-2025"]) == {"Alpha"}
    assert only(tags=["shortlist", "nope"]) == set()
    assert only(owner_id=other.id) == {"Beta"}
    assert only(owner_id=recruiter.id) == {"Alpha", "Gamma"}
    assert only(source="drive") == {"Beta"}
    # From is inclusive, to is exclusive; a naive timestamp is taken as UTC.
    assert only(imported_from=START + timedelta(days=1)) == {"Beta", "Gamma"}
    assert only(imported_to=START + timedelta(days=1)) == {"Alpha"}
    assert only(imported_from=START.replace(tzinfo=None), imported_to=START + timedelta(1)) == {
        "Alpha"
    }
    assert only(min_years=1, location="pune", source="drive", tags=["shortlist"]) == {"Beta"}


def all_pages(session: Session, **params) -> tuple[list[uuid.UUID], set[int]]:
    """Ids of every page in order, and the totals the pages reported."""
    ids, totals, cursor = [], set(), None
    while True:
        page = find(session, cursor=cursor, **params)
        ids += [candidate.id for candidate in page.items]
        totals.add(page.total)
        assert len(page.items) <= params["limit"]
        if page.next_cursor is None:
            return ids, totals
        assert len(page.items) == params["limit"]
        cursor = page.next_cursor


@pytest.mark.parametrize(
    "params",
    [
        {"q": "engineer", "sort": "relevance"},
        {"q": "engineer", "sort": "date"},
        {"sort": "relevance"},
        {"sort": "date", "skills_any": ["python", "java"]},
    ],
)
def test_cursor_pages_cover_the_result_once_in_order(session, profiles, params) -> None:
    for i in range(23):
        profiles.add(
            f"Person {i}",
            headline="Engineer" if i % 3 else "Manager",
            skills=("Python",) if i % 2 else ("Java",),
            text="engineer" if i % 5 == 0 else "",
            # Ties on the import time: the id breaks them.
            created_at=START + timedelta(hours=i // 4),
        )
    expected = [c.id for c in find(session, limit=200, **params).items]
    for limit in (1, 4, 5, 22, 23):
        ids, totals = all_pages(session, limit=limit, **params)
        assert ids == expected
        assert totals == {len(expected)}
    assert len(set(expected)) == len(expected) > 5
    # the spec's offset paging walks the same order
    for skip in (0, 4, 20):
        assert [c.id for c in find(session, offset=skip, limit=4, **params).items] == (
            expected[skip : skip + 4]
        )


def test_date_order_is_newest_first(session, profiles) -> None:
    for i in range(4):
        profiles.add(f"Dev {i}", headline="developer", created_at=START + timedelta(days=i))
    profiles.add("Dev Name developer", created_at=START - timedelta(days=9))
    assert names(find(session, sort="date", q="developer")) == [
        "Dev 3",
        "Dev 2",
        "Dev 1",
        "Dev 0",
        "Dev Name developer",
    ]
    assert names(find(session, q="developer"))[0] == "Dev Name developer"
    assert names(find(session))[0] == "Dev 3"


def test_facets_count_the_whole_result_not_the_page(session, profiles) -> None:
    skills = ["Python", "Java", "SQL", "Docker", "AWS", "Go", "Rust", "Scala", "Ruby", "PHP", "C#"]
    expected_skills: Counter[str] = Counter()
    expected_places: Counter[str] = Counter()
    expected_tags: Counter[str] = Counter()
    for i in range(30):
        mine = tuple(skills[: 1 + i % len(skills)])
        place = ["Pune, Maharashtra", "Austin, TX", ""][i % 3]
        tags = ("shortlist",) if i % 4 == 0 else ()
        profiles.add(f"Dev {i}", headline="developer", skills=mine, location=place, tags=tags)
        expected_skills.update(mine)
        expected_places.update([place] if place else [])
        expected_tags.update(tags)
    profiles.add("Outsider", skills=("Cobol",), location="Elsewhere", tags=("other",))

    page = find(session, q="developer", limit=2)
    assert page.total == 30 and len(page.items) == 2

    def top(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:10]

    assert page.facets == {
        "skills": top(expected_skills),
        "locations": top(expected_places),
        "tags": top(expected_tags),
    }
    assert len(page.facets["skills"]) == 10 and page.facets_exact
    assert find(session, q="developer", facets=False).facets == {}


def test_facets_of_a_large_result_count_its_best_matches(session, profiles, monkeypatch) -> None:
    for i in range(6):
        # newest first: Dev 5 .. Dev 0; the two newest know Rust, the rest Java
        profiles.add(f"Dev {i}", headline="developer", skills=("Rust",) if i >= 4 else ("Java",))
    monkeypatch.setattr(search, "FACET_SAMPLE", 3)
    page = find(session, q="developer", sort="date")
    assert page.total == 6 and not page.facets_exact
    assert page.facets["skills"] == [("Rust", 2), ("Java", 1)]
    monkeypatch.setattr(search, "FACET_SAMPLE", 6)
    assert find(session, q="developer", sort="date").facets["skills"] == [("Java", 4), ("Rust", 2)]


def test_facet_skills_feed_back_into_the_skill_filter(session, profiles) -> None:
    profiles.add("Kube", skills=("k8s", "Node.js"))
    page = find(session)
    assert page.facets["skills"] == [("Kubernetes", 1), ("Node.js", 1)]
    for skill, count in page.facets["skills"]:
        assert find(session, skills_all=[skill]).total == count


def test_scope_is_kept_in_results_totals_and_facets(session, profiles, make_user) -> None:
    owner, other = make_user(Role.RECRUITER), make_user(Role.RECRUITER)
    profiles.add("Mine Python", skills=("Python",), tags=("mine",), owner=owner)
    hidden = profiles.add("Hidden Python", skills=("Rust",), tags=("secret",), owner=other)
    shared = profiles.add("Shared Python", skills=("Go",), location="Oslo, Oslo", owner=other)
    session.add(
        CandidateShare(
            candidate_id=shared.id, recruiter_id=owner.id, permission=SharePermission.VIEW
        )
    )
    session.commit()
    for params in ({"q": "python"}, {}, {"sort": "date"}, {"skills_any": ["rust", "python"]}):
        page = find(session, scope=visible_to(user=owner), **params)
        assert hidden.id not in {c.id for c in page.items}
        assert page.total == len(page.items) <= 2
        flat = [value for values in page.facets.values() for value, _ in values]
        assert "Rust" not in flat and "secret" not in flat
    everything = find(session, q="python", scope=visible_to(user=make_user(Role.ADMIN)))
    assert everything.total == 3


def test_deleting_a_candidate_removes_it_from_search(session, profiles, make_user) -> None:
    gone = profiles.add("Erased Person", headline="developer", skills=("Python",))
    kept = profiles.add("Kept Person", headline="developer", skills=("Python",))
    session.delete(gone)
    session.commit()
    page = find(session, q="erased")
    assert page.total == 0 and page.items == []
    page = find(session, q="developer person")
    assert names(page) == ["Kept Person"]
    assert page.facets["skills"] == [("Python", 1)]
    # A deleted owner takes its candidates out of search with them (foreign-key cascade).
    owner = make_user(Role.RECRUITER)
    profiles.add("Cascade Person", headline="developer", owner=owner)
    session.execute(delete(User).where(User.id == owner.id))
    session.commit()
    assert find(session, q="cascade").total == 0
    assert find(session, q="developer").total == 1
    assert kept.id == find(session, q="developer").items[0].id


def test_edits_are_searchable_at_once(session, profiles) -> None:
    candidate = profiles.add("Old Name", headline="Tester", skills=("Welding",))
    candidate.full_name = "New Name"
    candidate.headline = "Architect"
    candidate.resume = {"basics": {"name": "New Name"}, "skills": [{"name": "CAD"}]}
    candidate.search_document = search_document(candidate.resume, "drawings")
    session.commit()
    assert find(session, q="old").total == 0
    assert find(session, q="tester").total == 0
    assert find(session, q="welding").total == 0
    assert names(find(session, q="cad drawings")) == ["New Name"]
    assert names(find(session, q="new architect")) == ["New Name"]
    candidate.last_activity_at = START  # not an indexed column: nothing to redo
    session.commit()
    assert names(find(session, q="new name")) == ["New Name"]


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    url = create_scratch_database(BASE_DATABASE_URL, tmp_path, "search")
    yield url
    drop_scratch_database(BASE_DATABASE_URL, url)


def test_migration_indexes_existing_profiles_and_goes_back(scratch_url: str) -> None:
    migrations.upgrade("0003", url=scratch_url)
    engine = create_db_engine(scratch_url)
    try:
        owner_id = uuid.uuid4()
        with engine.begin() as connection:
            connection.execute(
                insert(User.__table__).values(
                    id=owner_id, email="o@example.com", password_hash="-", role="recruiter"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO candidate_profiles (id, owner_id, full_name, headline, location,"
                    " resume, search_document, source, degree_level, created_at, updated_at,"
                    " last_activity_at) VALUES (:id, :owner, 'Early Bird', 'Welder', '',"
                    " :resume, 'Early Bird welding', 'upload', 0, :at, :at, :at)"
                ),
                {
                    "id": uuid.uuid4().hex if engine.dialect.name == "sqlite" else uuid.uuid4(),
                    "owner": owner_id.hex if engine.dialect.name == "sqlite" else owner_id,
                    "resume": '{"skills": [{"name": "TIG"}]}',
                    "at": "2024-01-01 00:00:00.000000",
                },
            )
        migrations.upgrade(url=scratch_url)
        with Session(engine) as session:
            assert names(find(session, q="early welding")) == ["Early Bird"]
            assert names(find(session, q="tig")) == ["Early Bird"]

        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert {t for t in tables if search.include_name(t, "table", {})} == set(
            Base.metadata.tables
        )
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": search.include_name}
            )
            assert compare_metadata(context, Base.metadata) == []

        migrations.downgrade("0003", url=scratch_url)
        inspector = inspect(engine)
        # the index tables are gone; the tables of 0003 stay (later revisions' go too)
        left = set(inspector.get_table_names())
        assert not {t for t in left if not search.include_name(t, "table", {})}
        assert {"candidate_profiles", "candidate_skills", "candidate_tags"} <= left
        columns = {c["name"] for c in inspector.get_columns("candidate_profiles")}
        assert not columns & {"search_vector", "search_head"}
        indexes = {i["name"] for i in inspector.get_indexes("candidate_profiles")}
        assert not {i for i in indexes if not search.include_name(i, "index", {})}
        migrations.upgrade(url=scratch_url)
        with Session(engine) as session:
            assert find(session, q="bird").total == 1
    finally:
        engine.dispose()
