"""Candidate search: ranked full text, filters, facets and cursor pages on SQLite or PostgreSQL.

The text index is kept by the database itself (migration 0004): FTS5 tables maintained by
triggers on SQLite, generated tsvector columns on PostgreSQL. Both split words alike, so a
query finds the same candidates, in the same order, on either database.

Ranking: each query word scores where it occurs at best, name 8, headline 4, skill names
2, elsewhere 1; a name containing the whole query text scores 8 a word. Ties go to the
newest profile. Unlike bm25/ts_rank, this needs no pass over every matching document's
text, so broad words ("developer") stay fast, and both databases agree on the order.
"""

from __future__ import annotations

import base64
import binascii
import enum
import functools
import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    case,
    cast,
    column,
    delete,
    func,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    table,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session, defer
from sqlalchemy.sql import operators
from sqlalchemy.sql.expression import UnaryExpression

from hotgigs.candidates.models import Candidate, CandidateSkill, CandidateTag
from hotgigs.db import UTCDateTime
from hotgigs.parsing import skills as skills_lib

MAX_LIMIT = 200
MAX_OFFSET = 100_000  # deep offsets scan what they skip: past this, page with cursors
MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 12
MAX_FILTER_VALUES = 50
MAX_CURSOR_CHARS = 500
FACET_SIZE = 10
# Facets count at most this many of the best matches (in the page order): exact for results
# up to this size, a sample of the top beyond it (counting 100,000 candidates' skills costs
# half a second; the top few thousand say what a recruiter will read).
FACET_SAMPLE = 2_000
# Where a query word occurs, best first: the score it adds.
NAME_SCORE, HEADLINE_SCORE, SKILL_SCORE, OTHER_SCORE = 8, 4, 2, 1
# FTS5's unicode61 tokenizer (and our PostgreSQL configuration) splits on anything but letters
# and digits; a query is cut the same way, so its words are plain index terms.
_WORD = re.compile(r"[^\W_]+")
# The last word matches as a prefix from this length ("pyth" finds Python); one letter would
# expand to thousands of index terms.
_PREFIX_MIN = 2
# The trigram indexes match a name fragment from three characters.
_FRAGMENT_MIN = 3
_FTS5_TABLES = ("candidate_fts", "candidate_name_fts")
_FTS5_SHADOWS = ("", "_data", "_idx", "_content", "_docsize", "_config")
_INDEX_COLUMNS = ("search_vector", "search_head")
_INDEXES = (
    "ix_candidate_profiles_search",
    "ix_candidate_profiles_search_vector",
    "ix_candidate_profiles_full_name_trgm",
)
# Degree levels, highest first: the first pattern found in a normalised studyType wins.
_DEGREES: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (level, re.compile(rf"\b(?:{pattern})\b"))
    for level, pattern in (
        (5, r"ph ?d|d ?phil|doctor\w*|ed ?d|dsc"),
        (4, r"m ?(?:tech|e|s|sc|a|com|phil)|mba|mca|llm|pgdm|pg|master\w*|post ?grad\w*"),
        (
            3,
            r"b ?(?:tech|e|s|sc|a|com|arch|pharm)|bba|bca|llb|mbbs|bachelor\w*|(?:under ?)?grad\w*",
        ),
        (2, r"(?<!high school )diploma|associate\w*|polytechnic"),
        (
            1,
            r"h?ssc|hsc|sslc|cbse|icse|gcse|a ?levels?|high ?school|(?:higher )?secondary"
            r"|matric\w*|intermediate|class ?(?:x|xii|10|12)|1[02]th|x|xii",
        ),
    )
)


class DegreeLevel(enum.StrEnum):
    """Degree levels by name; ``rank`` is the number `degree_level` gives (1 school ... 5)."""

    SCHOOL = "school"
    DIPLOMA = "diploma"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @property
    def rank(self) -> int:
        """1 for school up to 5 for a doctorate."""
        return list(DegreeLevel).index(self) + 1


class InvalidSearch(ValueError):
    """The search request cannot be run (bad cursor, sort, limit or an overlong value)."""


@dataclass
class SearchParams:
    """What the caller asks for; every field is optional."""

    q: str | None = None
    skills_all: list[str] = field(default_factory=list)
    skills_any: list[str] = field(default_factory=list)
    min_years: float | None = None
    location: str | None = None
    min_degree_level: int | None = None
    tags: list[str] = field(default_factory=list)
    owner_id: uuid.UUID | None = None
    source: str | None = None
    imported_from: datetime | None = None
    imported_to: datetime | None = None
    sort: Literal["relevance", "date"] = "relevance"
    cursor: str | None = None
    offset: int = 0  # rows passed over, for clients that page by offset instead of cursor
    limit: int = 50
    facets: bool = True


@dataclass
class SearchPage:
    """One page of results, the size of the whole result and its facets (if asked for)."""

    items: list[Candidate]
    total: int
    next_cursor: str | None
    facets: dict[str, list[tuple[str, int]]]
    # False when the result was larger than FACET_SAMPLE and facets count its best part.
    facets_exact: bool = True


def degree_level(resume: Mapping[str, Any]) -> int:
    """The highest degree in a JSON Resume: 0 unknown, 1 school ... 5 doctorate."""
    best = 0
    for entry in resume.get("education") or []:
        study = entry.get("studyType") if isinstance(entry, Mapping) else None
        if not isinstance(study, str):
            continue
        # "B.E." -> "be", "M. Tech" -> "m tech", "Ph.D" -> "phd", "Class-XII" -> "class xii"
        text = " ".join(re.sub(r"[^\w\s-]", "", study.lower()).replace("-", " ").split())
        best = max(best, next((lvl for lvl, form in _DEGREES if form.search(text)), 0))
    return best


def resume_skills(resume: Mapping[str, Any]) -> list[str]:
    """The canonical, de-duplicated skill names of a JSON Resume's `skills` section."""
    names = (
        entry.get("name") for entry in resume.get("skills") or [] if isinstance(entry, Mapping)
    )
    return _skill_names(name for name in names if isinstance(name, str))


def candidate_skills(candidate: Candidate) -> list[str]:
    """What search and matching count as a candidate's skills: the listed ones and those
    the resume mentions anywhere else, canonical and de-duplicated."""
    listed = resume_skills(candidate.resume or {})
    return _skill_names([*listed, *(candidate.mentioned_skills or [])])


def index_candidate(session: Session, candidate: Candidate) -> None:
    """Refresh a flushed candidate's skill rows and degree level from its resume."""
    resume = candidate.resume or {}
    session.execute(delete(CandidateSkill).where(CandidateSkill.candidate_id == candidate.id))
    rows = [{"candidate_id": candidate.id, "skill": skill} for skill in candidate_skills(candidate)]
    if rows:
        session.execute(insert(CandidateSkill), rows)
    candidate.degree_level = degree_level(resume)


def include_name(name: str | None, type_: str, parent_names: Mapping[str, Any]) -> bool:
    """Alembic autogenerate hook: skip the search index objects, which no model describes."""
    if type_ == "table":
        return name not in {base + shadow for base in _FTS5_TABLES for shadow in _FTS5_SHADOWS}
    if type_ == "column":
        return not (
            name in _INDEX_COLUMNS and parent_names.get("table_name") == "candidate_profiles"
        )
    if type_ == "index":
        return name not in _INDEXES
    return True


def search(
    session: Session, *, scope: Select[tuple[Candidate]], params: SearchParams
) -> SearchPage:
    """One page of the candidates in `scope` that match `params`, with total and facets."""
    _check(params)
    postgres = session.get_bind().dialect.name == "postgresql"
    words, fragment = _query_text(params.q)
    ranked = bool(words) and params.sort == "relevance"
    result = scope.with_only_columns(Candidate.id, Candidate.created_at, Candidate.location)
    result = result.order_by(None).where(*_filters(params, postgres=postgres))
    if words:
        prefix = len(words[-1]) >= _PREFIX_MIN
        matched, score = (_postgres_text if postgres else _sqlite_text)(words, fragment, prefix)
        result = result.where(matched)
        if ranked:
            result = result.add_columns(score.label("score"))
    # Read by the page, the count and the facets: compute it once. (Inlined, SQLite plans
    # the copies differently and may read every wide profile row.) Every profile (an admin,
    # no words, no filters): PostgreSQL does better inlining it, as the count scans an index
    # only and the best rows come from the import-date index, newest first, instead of a sort
    # of everything. With any condition, each copy would evaluate it again.
    inline = postgres and result.whereclause is None
    rows = result.cte("result").prefix_with("NOT MATERIALIZED" if inline else "MATERIALIZED")
    order = ["score"] if ranked else []
    order += ["created_at", "id"]
    # The facets' sample is the result's best rows in page order: sorted once, and a first
    # page that fits in it is read from it rather than sorting the whole result again.
    best = None
    if params.facets:
        best = select(*(rows.c[name] for name in order), rows.c.location)
        best = best.order_by(*(rows.c[name].desc() for name in order)).limit(FACET_SAMPLE)
        best = best.cte("best").prefix_with("MATERIALIZED")
    within_best = not params.cursor and params.offset + params.limit < FACET_SAMPLE
    source = best if best is not None and within_best else rows
    key = [source.c[name] for name in order]
    page = select(*key).order_by(*(k.desc() for k in key)).limit(params.limit + 1)
    if params.cursor:
        after = _decode_cursor(params.cursor, ranked=ranked)
        bounds = (literal(value, k.type) for value, k in zip(after, key, strict=True))
        page = page.where(tuple_(*key) < tuple_(*bounds))
    elif params.offset:
        page = page.offset(params.offset)
    parts = {
        "page": page.subquery(),
        "total": select(func.count().label("n")).select_from(rows).subquery(),
    }
    if best is not None:
        parts |= _facet_queries(best, postgres=postgres)
    statement = union_all(*(_shaped(kind, part) for kind, part in parts.items()))
    with _planner_settings(session, _postgres_settings(bool(words)) if postgres else {}):
        found = session.execute(statement).all()

    page_rows = (r._mapping for r in found if r.kind == "page")
    keys = sorted((tuple(r[name] for name in order) for r in page_rows), reverse=True)
    ids = [k[-1] for k in keys[: params.limit]]
    # The search document is the largest column and no page shows it (loaded if asked for).
    wanted = select(Candidate).options(defer(Candidate.search_document))
    loaded = {c.id: c for c in session.scalars(wanted.where(Candidate.id.in_(ids)))}
    facets: dict[str, list[tuple[str, int]]] = {}
    if params.facets:
        for kind in ("skills", "locations", "tags"):
            values = sorted(((r.value, r.n) for r in found if r.kind == kind), key=_by_count)
            names = _display_names() if kind == "skills" else {}
            facets[kind] = [(names.get(value, value), n) for value, n in values]
    more = len(keys) > params.limit
    total = next(r.n for r in found if r.kind == "total")
    return SearchPage(
        items=[loaded[i] for i in ids if i in loaded],
        total=total,
        next_cursor=_encode_cursor(keys[params.limit - 1], ranked=ranked) if more else None,
        facets=facets,
        facets_exact=total <= FACET_SAMPLE,
    )


def _check(params: SearchParams) -> None:
    """Refuse requests that cannot be run."""
    if params.sort not in ("relevance", "date"):
        raise InvalidSearch(f"sort must be 'relevance' or 'date', not {params.sort!r}.")
    if not 1 <= params.limit <= MAX_LIMIT:
        raise InvalidSearch(f"limit must be between 1 and {MAX_LIMIT}.")
    if not 0 <= params.offset <= MAX_OFFSET:
        raise InvalidSearch(f"skip must be between 0 and {MAX_OFFSET}.")
    if params.offset and params.cursor:
        raise InvalidSearch("Give skip or cursor, not both.")
    if params.q and len(params.q) > MAX_QUERY_CHARS:
        raise InvalidSearch(f"q is longer than {MAX_QUERY_CHARS} characters.")
    for name in ("skills_all", "skills_any", "tags"):
        if len(getattr(params, name)) > MAX_FILTER_VALUES:
            raise InvalidSearch(f"{name} has more than {MAX_FILTER_VALUES} values.")


def _clean(text: str) -> str:
    """Text without control characters (PostgreSQL refuses NUL) and with single spaces."""
    kept = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(kept.split())


def _query_text(q: str | None) -> tuple[list[str], str | None]:
    """The distinct words of a query, and the text to look for inside names (if long enough)."""
    text = _clean(q or "")
    words = list(dict.fromkeys(word.lower() for word in _WORD.findall(text)))
    if len(words) > MAX_QUERY_WORDS:
        raise InvalidSearch(f"q has more than {MAX_QUERY_WORDS} words.")
    fragment = text if words and _FRAGMENT_MIN <= len(text) <= 200 else None
    return words, fragment


def _skill_alias_of(word: str) -> list[str] | None:
    """The words of the skill `word` is an alias of ("k8s": kubernetes; "ml": machine
    learning), so free text finds what the skills filter finds; None for other words."""
    canonical = skills_lib.canonical_key(word)
    if not canonical or canonical == word:
        return None
    words = [w.lower() for w in _WORD.findall(canonical)]
    # "cpp" is C++, but a search for the letter "c" would find every C programmer and more.
    return words if words and all(len(w) >= _PREFIX_MIN for w in words) else None


def _skill_names(names: Iterable[str]) -> list[str]:
    """Canonical stored forms of skill names, without blanks and repeats."""
    return list(dict.fromkeys(skill for skill in map(skills_lib.canonical_key, names) if skill))


def _utc(value: datetime) -> datetime:
    """A timestamp in UTC; a naive one is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _filters(params: SearchParams, *, postgres: bool) -> list[ColumnElement[bool]]:
    """WHERE conditions for every filter that is set."""
    # SQLite would otherwise walk a skill's or tag's candidates and read each wide profile
    # row; scanning the covering index and checking the set stays cheap.
    candidate_id = Candidate.id if postgres else _unindexed(Candidate.id)
    conditions: list[ColumnElement[bool]] = [
        candidate_id.in_(select(CandidateSkill.candidate_id).where(CandidateSkill.skill == skill))
        for skill in _skill_names(params.skills_all)
    ]
    if any_of := _skill_names(params.skills_any):
        conditions.append(
            candidate_id.in_(
                select(CandidateSkill.candidate_id).where(CandidateSkill.skill.in_(any_of))
            )
        )
    for tag in dict.fromkeys(t for t in (_clean(t).lower() for t in params.tags) if t):
        conditions.append(
            candidate_id.in_(select(CandidateTag.candidate_id).where(CandidateTag.name == tag))
        )
    if params.min_years is not None:
        conditions.append(Candidate.total_years_experience >= params.min_years)
    if params.location and (place := _clean(params.location)):
        conditions.append(Candidate.location.icontains(place, autoescape=True))
    if params.min_degree_level is not None:
        conditions.append(Candidate.degree_level >= params.min_degree_level)
    if params.owner_id is not None:
        conditions.append(Candidate.owner_id == params.owner_id)
    if params.source is not None:
        conditions.append(Candidate.source == _clean(params.source))
    if params.imported_from is not None:
        conditions.append(Candidate.created_at >= _utc(params.imported_from))
    if params.imported_to is not None:
        conditions.append(Candidate.created_at < _utc(params.imported_to))
    return conditions


def _fts_rowids(name: str, query: str) -> Select[Any]:
    """Rowids of an FTS5 table's rows that match `query` (FTS5 syntax, built by us)."""
    fts = table(name, column("rowid"))
    return select(fts.c.rowid).where(literal_column(name).op("MATCH")(literal(query)))


def _ranking(
    words: list[str], has: Callable[[str, str], ColumnElement[bool]], in_head: ColumnElement[bool]
) -> Any:
    """The score of a match: where each word occurs at best (`has(word, field)`).

    Fields are checked for the whole word, so a prefix match ("java" in JavaScript) counts
    as found elsewhere, below the word itself. `in_head` says whether any word is in any of
    the three fields: most matches of a broad word have none, and one check tells them
    apart instead of three a word.
    """
    fields = (("name", NAME_SCORE), ("headline", HEADLINE_SCORE), ("skills", SKILL_SCORE))
    scores = [
        case(*((has(word, name), score) for name, score in fields), else_=OTHER_SCORE)
        for word in words
    ]
    return case((in_head, sum(scores[1:], start=scores[0])), else_=OTHER_SCORE * len(words))


def _sqlite_text(
    words: list[str], fragment: str | None, prefix: bool
) -> tuple[ColumnElement[bool], ColumnElement[int]]:
    """Match condition and score on SQLite (FTS5); words are quoted, so never FTS5 syntax."""
    # The unary + stops SQLite from driving the query by rowid lookups into the wide profile
    # rows: it scans the narrow covering index (migration 0004) and checks each rowid in the
    # matched set instead.
    rowid = _unindexed(literal_column("candidate_profiles.rowid"))

    aliases = {word: _skill_alias_of(word) for word in words}

    def term(word: str, star: str = "") -> str:
        alias = aliases[word]
        if alias is None:
            return f'"{word}"{star}'
        return f'("{word}"{star} OR "{" ".join(alias)}")'

    def has(word: str, name: str) -> ColumnElement[bool]:
        return rowid.in_(_fts_rowids("candidate_fts", f"{name} : {term(word)}"))

    last = len(words) - 1
    query = " AND ".join(term(w, "*" if prefix and i == last else "") for i, w in enumerate(words))
    found = _fts_rowids("candidate_fts", query)
    in_head = " OR ".join(term(word) for word in words)
    score = _ranking(
        words,
        has,
        rowid.in_(_fts_rowids("candidate_fts", f"{{name headline skills}} : ({in_head})")),
    )
    if fragment is None:
        return rowid.in_(found), score
    quoted = '"' + fragment.replace('"', '""') + '"'
    in_name = _fts_rowids("candidate_name_fts", quoted)
    # One set of both kinds of match: every scanned row is checked once, not twice.
    matched = rowid.in_(union_all(found, in_name))
    return matched, case((rowid.in_(in_name), NAME_SCORE * len(words)), else_=score)


def _tsquery(query: str) -> ColumnElement[Any]:
    """A tsquery in the search configuration (`query` in tsquery syntax, built by us)."""
    return func.to_tsquery(literal_column("'hotgigs_search'::regconfig"), literal(query))


def _postgres_text(
    words: list[str], fragment: str | None, prefix: bool
) -> tuple[ColumnElement[bool], ColumnElement[int]]:
    """Match condition and score on PostgreSQL; words are quoted, so never tsquery syntax."""
    vector = literal_column("candidate_profiles.search_vector")
    # Name (weight A), headline (B) and skills (C): small and kept in line, cheap per row.
    head = literal_column("candidate_profiles.search_head")
    weights = {"name": "A", "headline": "B", "skills": "C"}

    aliases = {word: _skill_alias_of(word) for word in words}

    def term(word: str, suffix: str = "") -> str:
        alias = aliases[word]
        if alias is None:
            return f"'{word}'{suffix}"
        phrase = " <-> ".join(f"'{w}'{suffix.removeprefix(':*')}" for w in alias)
        return f"('{word}'{suffix} | {phrase})"

    def has(word: str, name: str) -> ColumnElement[bool]:
        return head.op("@@", is_comparison=True)(_tsquery(term(word, f":{weights[name]}")))

    last = len(words) - 1
    query = " & ".join(term(w, ":*" if prefix and i == last else "") for i, w in enumerate(words))
    matched = vector.op("@@", is_comparison=True)(_tsquery(query))
    # search_head holds the three fields only: any word in it is in one of them.
    in_head = head.op("@@", is_comparison=True)(_tsquery(" | ".join(map(term, words))))
    score = _ranking(words, has, in_head)
    if fragment is not None:
        escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        in_name = Candidate.full_name.ilike(f"%{escaped}%", escape="\\")
        matched = or_(matched, in_name)
        score = case((in_name, NAME_SCORE * len(words)), else_=score)
    return matched, score


def _unindexed(expression: ColumnElement[Any]) -> ColumnElement[Any]:
    """`+expression`: the same value, which SQLite's planner will not look up by an index."""
    return UnaryExpression(expression, operator=operators.custom_op("+"), type_=expression.type)


def _facet_queries(rows: Any, *, postgres: bool) -> dict[str, Any]:
    """Top skills, locations and tags of `rows` (id, location), as subqueries of (value, n)."""
    count = func.count().label("n")

    def per_candidate(value: Any, candidate_id: Any) -> Select[Any]:
        """Counts of `value` over the result's candidates, looked up candidate by candidate."""
        # Both planners would rather scan every skill row and probe the result (seconds on a
        # large database); force the walk over the result with primary-key lookups.
        if postgres:
            # OFFSET keeps PostgreSQL from flattening the lateral subquery into a hash join.
            values = select(value.label("value")).where(candidate_id == rows.c.id).offset(0)
            values = values.lateral()
            return select(values.c.value, count).join_from(rows, values, true())
        joined = select(value.label("value"), count).select_from(rows)
        return joined.join(value.table, candidate_id == _unindexed(rows.c.id))

    queries = {
        "skills": per_candidate(CandidateSkill.skill, CandidateSkill.candidate_id),
        "locations": select(rows.c.location.label("value"), count).where(rows.c.location != ""),
        "tags": per_candidate(CandidateTag.name, CandidateTag.candidate_id),
    }
    value = literal_column("value")
    return {
        kind: query.group_by(value).order_by(count.desc(), value).limit(FACET_SIZE).subquery()
        for kind, query in queries.items()
    }


@contextmanager
def _planner_settings(session: Session, settings: dict[str, str]) -> Iterator[None]:
    """Apply PostgreSQL planner settings to the statements inside, then restore them."""
    if not settings:
        yield
        return
    # One round trip: the select list reads the old values, then sets (transaction-local).
    row = session.execute(
        select(
            *(func.current_setting(name) for name in settings),
            *(func.set_config(name, value, True) for name, value in settings.items()),
        )
    ).one()
    yield
    # Only after success: a failed statement aborts the transaction, which undoes them.
    old = row[: len(settings)]
    session.execute(
        select(
            *(func.set_config(name, value, True) for name, value in zip(settings, old, strict=True))
        )
    )


def _postgres_settings(text: bool) -> dict[str, str]:
    """Planner settings for a search statement on PostgreSQL.

    JIT: the scope's OR inflates row estimates past the JIT threshold, and compiling then
    costs more (100-200 ms) than the whole query. Sequential scans, for a text search: the
    cost model takes `@@` on a row for free, but each one unpacks a TOASTed tsvector, so a
    scan testing 100,000 rows takes a second where the GIN index takes milliseconds.
    """
    return {"jit": "off", "enable_seqscan": "off"} if text else {"jit": "off"}


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    """Sort key of a facet value: most frequent first, then alphabetical."""
    return -item[1], item[0]


# The columns every part of the one search statement returns (absent ones as typed NULLs).
_SHAPE = {
    "id": Candidate.id.type,
    "created_at": UTCDateTime(),
    "score": Integer(),
    "value": String(),
    "n": Integer(),
}


def _shaped(kind: str, part: Any) -> Select[Any]:
    """A part of the search statement in the common shape, labelled with its kind."""
    columns = [cast(literal(kind), String()).label("kind")]
    for name, type_ in _SHAPE.items():
        columns.append((part.c[name] if name in part.c else cast(null(), type_)).label(name))
    return select(*columns).select_from(part)


def _encode_cursor(row: tuple[Any, ...], *, ranked: bool) -> str:
    """An opaque cursor for the rows after `row` (its sort key: [score,] created_at, id)."""
    *score, created_at, candidate_id = row
    after = [*score, created_at.isoformat(), candidate_id.hex]
    payload = json.dumps({"sort": "relevance" if ranked else "date", "after": after})
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, *, ranked: bool) -> list[Any]:
    """The sort key in a cursor from `_encode_cursor` for the same kind of order."""
    try:
        if len(cursor) > MAX_CURSOR_CHARS:
            raise ValueError("too long")
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        *score, created_at, candidate_id = payload["after"]
        if payload["sort"] != ("relevance" if ranked else "date") or len(score) != ranked:
            raise ValueError("cursor of another order")
        if any(type(value) is not int for value in score):
            raise ValueError("score is not an integer")
        if not isinstance(created_at, str) or not isinstance(candidate_id, str):
            raise TypeError("sort key is not text")
        after = datetime.fromisoformat(created_at)
        if after.tzinfo is None:
            raise ValueError("timestamp without zone")
        return [*score, after, uuid.UUID(hex=candidate_id)]
    except (ValueError, TypeError, KeyError, binascii.Error) as error:
        raise InvalidSearch("The cursor does not belong to this search.") from error


@functools.cache
def _display_names() -> dict[str, str]:
    """Taxonomy skill names by their stored (lower-case) form."""
    return {entry.name.lower(): entry.name for entry in skills_lib.taxonomy().entries}
