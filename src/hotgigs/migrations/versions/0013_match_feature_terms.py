"""Matching features store skill keys and words as term bytes, and the profile's years and
degree, so that they load as arrays without reading the profiles

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hotgigs.matching.scoring import term_bytes

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The joined word lists of revision 0006, their separators and the columns replacing them.
WORD_COLUMNS = (
    ("skills", "|", "skill_terms"),
    ("title_words", None, "title_terms"),
    ("field_words", None, "field_terms"),
    ("location_words", None, "location_terms"),
)
BATCH = 5000


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("match_features") as batch_op:
        for _old, _separator, new in WORD_COLUMNS:
            batch_op.add_column(sa.Column(new, sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("total_years_experience", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("degree_level", sa.Integer(), nullable=True))
    # Stored rows keep their vectors (making them again takes minutes at scale): their
    # words become terms here.
    table = sa.table(
        "match_features",
        sa.column("candidate_id", sa.Uuid()),
        *(sa.column(old, sa.Text()) for old, _separator, _new in WORD_COLUMNS),
        *(sa.column(new, sa.LargeBinary()) for _old, _separator, new in WORD_COLUMNS),
        sa.column("total_years_experience", sa.Float()),
        sa.column("degree_level", sa.Integer()),
    )
    profiles = sa.table(
        "candidate_profiles",
        sa.column("id", sa.Uuid()),
        sa.column("total_years_experience", sa.Float()),
        sa.column("degree_level", sa.Integer()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(table.c.candidate_id, *(table.c[old] for old, _s, _n in WORD_COLUMNS))
    ).all()
    update = (
        table.update()
        .where(table.c.candidate_id == sa.bindparam("id"))
        .values({new: sa.bindparam(f"{new}_value") for _old, _separator, new in WORD_COLUMNS})
    )
    for start in range(0, len(rows), BATCH):
        values = [
            {
                "id": row[0],
                **{
                    f"{new}_value": term_bytes(w for w in text.split(separator) if w)
                    for text, (_old, separator, new) in zip(row[1:], WORD_COLUMNS, strict=True)
                },
            }
            for row in rows[start : start + BATCH]
        ]
        connection.execute(update, values)
    of_profile = {
        name: sa.select(profiles.c[name])
        .where(profiles.c.id == table.c.candidate_id)
        .scalar_subquery()
        for name in ("total_years_experience", "degree_level")
    }
    connection.execute(table.update().values(of_profile))
    with op.batch_alter_table("match_features") as batch_op:
        for old, _separator, new in WORD_COLUMNS:
            batch_op.alter_column(new, existing_type=sa.LargeBinary(), nullable=False)
            batch_op.drop_column(old)
        batch_op.alter_column("degree_level", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    """Revert this revision."""
    # Terms are hashes: the words cannot be read back. Stored features are dropped and
    # computed again by each candidate's next rematch (a row missing is a row stale).
    op.execute(sa.text("DELETE FROM match_features"))
    with op.batch_alter_table("match_features") as batch_op:
        for old, _separator, new in WORD_COLUMNS:
            batch_op.add_column(sa.Column(old, sa.Text(), nullable=False, server_default=""))
            batch_op.drop_column(new)
        batch_op.drop_column("degree_level")
        batch_op.drop_column("total_years_experience")
