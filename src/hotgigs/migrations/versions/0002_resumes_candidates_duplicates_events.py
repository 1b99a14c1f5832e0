"""resumes, candidates, duplicates, events

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hotgigs.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "candidate_profiles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("headline", sa.String(length=300), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("total_years_experience", sa.Float(), nullable=True),
        sa.Column("resume", sa.JSON(), nullable=False),
        sa.Column("search_document", sa.Text(), nullable=False),
        sa.Column("current_resume_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", hotgigs.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", hotgigs.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_candidate_profiles_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_candidate_profiles_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_profiles")),
    )
    with op.batch_alter_table("candidate_profiles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_profiles_owner_id"), ["owner_id"], unique=False
        )
        batch_op.create_index(
            "ix_candidate_profiles_owner_id_email", ["owner_id", "email"], unique=False
        )
        batch_op.create_index(
            "ix_candidate_profiles_owner_id_phone", ["owner_id", "phone"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidate_profiles_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", hotgigs.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_events_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_subject_id"), ["subject_id"], unique=False)
        batch_op.create_index(
            "ix_events_user_id_created_at", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "candidate_duplicates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("duplicate_of_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "merged",
                "dismissed",
                name="duplicate_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", hotgigs.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate_profiles.id"],
            name=op.f("fk_candidate_duplicates_candidate_id_candidate_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["candidate_profiles.id"],
            name=op.f("fk_candidate_duplicates_duplicate_of_id_candidate_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_candidate_duplicates_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_duplicates")),
    )
    with op.batch_alter_table("candidate_duplicates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_duplicates_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidate_duplicates_duplicate_of_id"), ["duplicate_of_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidate_duplicates_owner_id"), ["owner_id"], unique=False
        )

    op.create_table(
        "resumes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("uploaded_by_id", sa.Uuid(), nullable=True),
        sa.Column("candidate_id", sa.Uuid(), nullable=True),
        sa.Column("target_candidate_id", sa.Uuid(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("file_kind", sa.String(length=10), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "upload",
                "bulk",
                "drive",
                "cli",
                name="resume_source",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "extracting",
                "parsing",
                "indexing",
                "completed",
                "failed",
                name="resume_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(length=40), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", hotgigs.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", hotgigs.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_at", hotgigs.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate_profiles.id"],
            name=op.f("fk_resumes_candidate_id_candidate_profiles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_resumes_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_resumes_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resumes")),
        sa.UniqueConstraint("owner_id", "file_sha256", name=op.f("uq_resumes_owner_id")),
    )
    with op.batch_alter_table("resumes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resumes_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resumes_file_sha256"), ["file_sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_resumes_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resumes_status"), ["status"], unique=False)

    op.create_table(
        "resume_data",
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("resume", sa.JSON(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("created_at", hotgigs.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resume_id"],
            ["resumes.id"],
            name=op.f("fk_resume_data_resume_id_resumes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resume_id", name=op.f("pk_resume_data")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("resume_data")
    with op.batch_alter_table("resumes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resumes_status"))
        batch_op.drop_index(batch_op.f("ix_resumes_owner_id"))
        batch_op.drop_index(batch_op.f("ix_resumes_file_sha256"))
        batch_op.drop_index(batch_op.f("ix_resumes_candidate_id"))

    op.drop_table("resumes")
    with op.batch_alter_table("candidate_duplicates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_duplicates_owner_id"))
        batch_op.drop_index(batch_op.f("ix_candidate_duplicates_duplicate_of_id"))
        batch_op.drop_index(batch_op.f("ix_candidate_duplicates_candidate_id"))

    op.drop_table("candidate_duplicates")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_user_id_created_at")
        batch_op.drop_index(batch_op.f("ix_events_subject_id"))

    op.drop_table("events")
    with op.batch_alter_table("candidate_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_profiles_user_id"))
        batch_op.drop_index("ix_candidate_profiles_owner_id_phone")
        batch_op.drop_index("ix_candidate_profiles_owner_id_email")
        batch_op.drop_index(batch_op.f("ix_candidate_profiles_owner_id"))

    op.drop_table("candidate_profiles")
