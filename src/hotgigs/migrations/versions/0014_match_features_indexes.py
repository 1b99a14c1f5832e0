"""Matching features are indexed by update time and by candidate and embedder, so that a
rematch's two checks read indexes rather than every feature row; on PostgreSQL a feature
row (about 2.3 KB) is kept whole in its table, not its vector in the TOAST table

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# PostgreSQL moves values out of a row longer than 2 KB by default: each vector then took
# a lookup in the TOAST table, 100,000 of them in a cold load. Rows up to a page stay whole.
TOAST_TUPLE_TARGET = 8160


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_match_features_updated_at", "match_features", ["updated_at"])
    op.create_index(
        "ix_match_features_candidate_id_vector_model",
        "match_features",
        ["candidate_id", "vector_model"],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            sa.text(f"ALTER TABLE match_features SET (toast_tuple_target = {TOAST_TUPLE_TARGET})")
        )
        # Stored rows are written again to come back into the table (a value written as it
        # was keeps its place in the TOAST table; a new one is placed afresh).
        op.execute(
            sa.text(
                "UPDATE match_features SET vector = vector || ''::bytea, "
                "text_signature = text_signature || ''::bytea"
            )
        )


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("ALTER TABLE match_features RESET (toast_tuple_target)"))
    op.drop_index("ix_match_features_candidate_id_vector_model", table_name="match_features")
    op.drop_index("ix_match_features_updated_at", table_name="match_features")
