"""Unsaved rating input kept across a new log-in (issue 16).

Revision ID: 7c3e5a91d2b4
Revises: 0f05fd99d4fa
Create Date: 2026-12-06 05:15:00 UTC

Reviewed by hand. A short-lived table: rows live at most a few hours (services/unsaved_input.py),
so the downgrade simply drops it.
"""

import sqlalchemy as sa
from alembic import op

revision = "7c3e5a91d2b4"
down_revision = "0f05fd99d4fa"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unsaved_inputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_unsaved_inputs_round_id_rounds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_unsaved_inputs_school_id_schools"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_unsaved_inputs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unsaved_inputs")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_unsaved_inputs_token_hash")),
    )
    op.create_index(op.f("ix_unsaved_inputs_created_at"), "unsaved_inputs", ["created_at"])
    op.create_index(op.f("ix_unsaved_inputs_round_id"), "unsaved_inputs", ["round_id"])
    op.create_index(op.f("ix_unsaved_inputs_school_id"), "unsaved_inputs", ["school_id"])
    op.create_index(op.f("ix_unsaved_inputs_user_id"), "unsaved_inputs", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_unsaved_inputs_user_id"), table_name="unsaved_inputs")
    op.drop_index(op.f("ix_unsaved_inputs_school_id"), table_name="unsaved_inputs")
    op.drop_index(op.f("ix_unsaved_inputs_round_id"), table_name="unsaved_inputs")
    op.drop_index(op.f("ix_unsaved_inputs_created_at"), table_name="unsaved_inputs")
    op.drop_table("unsaved_inputs")
