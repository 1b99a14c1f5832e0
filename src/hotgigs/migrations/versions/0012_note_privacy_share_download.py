"""Notes get a title and important and private flags; shares say whether files may be downloaded

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("candidate_notes") as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("is_important", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("is_private", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("candidate_shares") as batch_op:
        batch_op.add_column(
            sa.Column("can_download", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Shares made before this revision could download the files: they keep that right.
    shares = sa.table("candidate_shares", sa.column("can_download", sa.Boolean()))
    op.execute(shares.update().values(can_download=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("candidate_shares") as batch_op:
        batch_op.drop_column("can_download")
    with op.batch_alter_table("candidate_notes") as batch_op:
        batch_op.drop_column("is_private")
        batch_op.drop_column("is_important")
        batch_op.drop_column("title")
