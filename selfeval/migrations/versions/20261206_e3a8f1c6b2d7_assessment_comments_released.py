"""Assessments: whether the team released its comments (Belege/Anmerkungen) to supervision and the Schulträger.

Revision ID: e3a8f1c6b2d7
Revises: 3b8d0e6f1a27
Create Date: 2026-12-06 09:00:00 UTC

Reviewed by hand. One boolean, false for every assessment stored before: nothing was ever released,
so nothing is shown that a team did not choose to share (docs/DATENSCHUTZ.md). The Schulträger role
and its scope kind "traeger" need no schema change: roles and user_scopes.kind are plain strings.
"""

import sqlalchemy as sa
from alembic import op

revision = "e3a8f1c6b2d7"
down_revision = "3b8d0e6f1a27"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("comments_released", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("comments_released")
