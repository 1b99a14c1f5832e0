"""People's corrections of parsed data: labelled examples, and the overlay a re-parse keeps

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hotgigs.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "parse_corrections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=True),
        sa.Column("path", sa.String(length=80), nullable=False),
        sa.Column("parsed", sa.JSON(), nullable=True),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", hotgigs.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_parse_corrections_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate_profiles.id"],
            name=op.f("fk_parse_corrections_candidate_id_candidate_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resume_id"],
            ["resumes.id"],
            name=op.f("fk_parse_corrections_resume_id_resumes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parse_corrections")),
    )
    for column in ("candidate_id", "resume_id", "created_at"):
        op.create_index(
            op.f(f"ix_parse_corrections_{column}"), "parse_corrections", [column], unique=False
        )
    with op.batch_alter_table("candidate_profiles") as batch_op:
        batch_op.add_column(sa.Column("corrected", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("candidate_profiles") as batch_op:
        batch_op.drop_column("corrected")
    for column in ("created_at", "resume_id", "candidate_id"):
        op.drop_index(op.f(f"ix_parse_corrections_{column}"), table_name="parse_corrections")
    op.drop_table("parse_corrections")
