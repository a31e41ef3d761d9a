"""Catalogue snapshots: a stored copy of each catalogue version that data refers to.

Revision ID: e8c37c13863c
Revises:
Create Date: 2026-11-22 19:59:48 UTC

Reviewed by hand. Types are spelled out here (not imported from selfeval.models), so that
this revision keeps meaning what it meant when the models change later.
"""

import sqlalchemy as sa
from alembic import op

revision = "e8c37c13863c"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "catalog_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("catalog_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_snapshots")),
        sa.UniqueConstraint("catalog_id", "version", name=op.f("uq_catalog_snapshots_catalog_id_version")),
    )


def downgrade():
    op.drop_table("catalog_snapshots")
