"""candidate full-text search index

Revision ID: 0004
Revises: 0003

SQLite: two contentless FTS5 tables keyed by the profile's rowid and kept in step by
triggers (so deleting a profile, directly or by a cascade, drops its entries):
`candidate_fts` (words of name, headline, skill names, search document) and
`candidate_name_fts` (trigrams of the name, for name fragments); and a covering index of
every column a search filters, sorts or scopes on, since the profile rows themselves are
wide. PostgreSQL: generated tsvectors, `search_vector` (everything, GIN-indexed, to match)
and `search_head` (name A, headline B, skills C, small, to rank), a pg_trgm GIN index on the
name, and a narrow heap (the resume and document move to TOAST). Both fold case and accents
and split words on punctuation alike, so a query finds the same profiles on either database.

None of this is in the models: `hotgigs.candidates.search.include_name` hides it from
autogenerate. On SQLite, a later batch migration that recreates candidate_profiles drops the
triggers and renumbers rowids: it must recreate the triggers and rebuild both FTS tables.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Skill names of the JSON Resume in `row` (NEW or OLD), space-separated; non-objects skipped.
_SQLITE_SKILLS = (
    "(SELECT group_concat(json_extract(s.value, '$.name'), ' ') "
    "FROM json_each({row}.resume, '$.skills') AS s WHERE s.type = 'object')"
)


def _sqlite_values(row: str) -> str:
    """The indexed columns of `row` (NEW, OLD or the table itself) for candidate_fts."""
    return (
        f"{row}.full_name, {row}.headline, {_SQLITE_SKILLS.format(row=row)}, {row}.search_document"
    )


def _sqlite_add(row: str) -> str:
    """Statements indexing `row` in both FTS tables."""
    return (
        "INSERT INTO candidate_fts(rowid, name, headline, skills, body) "
        f"VALUES ({row}.rowid, {_sqlite_values(row)}); "
        f"INSERT INTO candidate_name_fts(rowid, name) VALUES ({row}.rowid, {row}.full_name);"
    )


def _sqlite_remove(row: str) -> str:
    """Statements removing `row` from both FTS tables (contentless: old values are needed)."""
    return (
        "INSERT INTO candidate_fts(candidate_fts, rowid, name, headline, skills, body) "
        f"VALUES ('delete', {row}.rowid, {_sqlite_values(row)}); "
        "INSERT INTO candidate_name_fts(candidate_name_fts, rowid, name) "
        f"VALUES ('delete', {row}.rowid, {row}.full_name);"
    )


# ASCII punctuation becomes a space before PostgreSQL's parser sees the text, so "node.js",
# "a@b.com" or "3.5" split into words as FTS5's unicode61 tokenizer splits them.
_PG_WORDS = "regexp_replace(coalesce({}, ''), '[!-/:-@\\[-`{{-~]+', ' ', 'g')"


def _pg_weighted(expression: str, weight: str) -> str:
    """A weighted tsvector of `expression` in the search configuration."""
    words = _PG_WORDS.format(expression)
    return f"setweight(to_tsvector('hotgigs_search'::regconfig, {words}), '{weight}')"


def upgrade() -> None:
    """Apply this revision."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE candidate_fts USING fts5("
            "name, headline, skills, body, content='', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE VIRTUAL TABLE candidate_name_fts USING fts5("
            "name, content='', tokenize='trigram')"
        )
        op.execute(
            "CREATE TRIGGER candidate_fts_insert AFTER INSERT ON candidate_profiles "
            f"BEGIN {_sqlite_add('new')} END"
        )
        op.execute(
            "CREATE TRIGGER candidate_fts_delete AFTER DELETE ON candidate_profiles "
            f"BEGIN {_sqlite_remove('old')} END"
        )
        op.execute(
            "CREATE TRIGGER candidate_fts_update AFTER UPDATE OF "
            "full_name, headline, resume, search_document ON candidate_profiles "
            f"BEGIN {_sqlite_remove('old')} {_sqlite_add('new')} END"
        )
        op.execute(
            "INSERT INTO candidate_fts(rowid, name, headline, skills, body) "
            f"SELECT rowid, {_sqlite_values('candidate_profiles')} FROM candidate_profiles"
        )
        op.execute(
            "INSERT INTO candidate_name_fts(rowid, name) "
            "SELECT rowid, full_name FROM candidate_profiles"
        )
        # Profile rows are wide (resume JSON, document) and SQLite stores them whole: every
        # column scope, filters and sort read is here so that a search never touches them.
        op.execute(
            "CREATE INDEX ix_candidate_profiles_search ON candidate_profiles "
            "(owner_id, created_at, id, user_id, source, degree_level, "
            "total_years_experience, location)"
        )
        return
    # Trusted extensions (PostgreSQL 13+): the database owner may create them.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE TEXT SEARCH CONFIGURATION hotgigs_search (COPY = simple)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION hotgigs_search ALTER MAPPING FOR "
        "word, numword, hword, hword_part, hword_numpart WITH unaccent, simple"
    )
    # Keep the heap narrow: resume, document and full vector go to TOAST; the small columns a
    # search reads for every matching row (filters, search_head) stay in line.
    op.execute("ALTER TABLE candidate_profiles SET (toast_tuple_target = 1024)")
    skills = "jsonb_path_query_array(resume::jsonb, '$.skills[*].name')::text"
    head = " || ".join(
        (_pg_weighted("full_name", "A"), _pg_weighted("headline", "B"), _pg_weighted(skills, "C"))
    )
    # search_vector finds the matches (GIN); search_head ranks them (weights A/B/C).
    op.execute(
        "ALTER TABLE candidate_profiles "
        f"ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({head} || "
        f"{_pg_weighted('search_document', 'D')}) STORED, "
        f"ADD COLUMN search_head tsvector GENERATED ALWAYS AS ({head}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_candidate_profiles_search_vector "
        "ON candidate_profiles USING gin (search_vector)"
    )
    op.execute(
        "CREATE INDEX ix_candidate_profiles_full_name_trgm "
        "ON candidate_profiles USING gin (full_name gin_trgm_ops)"
    )


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_candidate_profiles_search")
        for trigger in ("candidate_fts_insert", "candidate_fts_delete", "candidate_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS candidate_name_fts")
        op.execute("DROP TABLE IF EXISTS candidate_fts")
        return
    op.execute("DROP INDEX IF EXISTS ix_candidate_profiles_full_name_trgm")
    op.execute("DROP INDEX IF EXISTS ix_candidate_profiles_search_vector")
    op.execute(
        "ALTER TABLE candidate_profiles DROP COLUMN IF EXISTS search_head, "
        "DROP COLUMN IF EXISTS search_vector"
    )
    op.execute("ALTER TABLE candidate_profiles RESET (toast_tuple_target)")
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS hotgigs_search")
    # The extensions stay: other objects may use them, and creating them again is harmless.
