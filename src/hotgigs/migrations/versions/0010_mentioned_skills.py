"""Candidates keep the skills their resume mentions outside its skills list

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("candidate_profiles") as batch_op:
        batch_op.add_column(
            sa.Column("mentioned_skills", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("candidate_profiles") as batch_op:
        batch_op.drop_column("mentioned_skills")
