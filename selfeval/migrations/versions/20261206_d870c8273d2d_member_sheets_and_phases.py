"""Each member's own view first, then the team's consensus (issue 21): the assessment's phase, the
team's options for that way of working, and the members' individual sheets.

Revision ID: d870c8273d2d
Revises: 9d41b7e2a6c8
Create Date: 2026-12-06 08:55:00 UTC

Reviewed by hand. Existing assessments become "shared" (the way every team worked so far) with all
options off, through server defaults, so the upgrade never fails on real data. The downgrade drops
the individual sheets (they are working copies; the assessment's ratings are the consensus and stay)
and the new columns.
"""

import sqlalchemy as sa
from alembic import op

revision = "d870c8273d2d"
down_revision = "9d41b7e2a6c8"
branch_labels = None
depends_on = None

_OPTIONS = ("spread_names_visible", "delete_sheets_on_submit", "spread_in_report")


def upgrade():
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phase", sa.String(length=20), server_default="shared", nullable=False))
        for option in _OPTIONS:
            batch_op.add_column(sa.Column(option, sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint(
            op.f("ck_assessments_phase"), "phase IN ('shared', 'individual', 'consensus')"
        )
    op.create_table(
        "member_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"],
            name=op.f("fk_member_sheets_assessment_id_assessments"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_member_sheets_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_sheets")),
        sa.UniqueConstraint("assessment_id", "user_id", name=op.f("uq_member_sheets_assessment_id_user_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_member_sheets_assessment_id"), "member_sheets", ["assessment_id"])
    op.create_index(op.f("ix_member_sheets_user_id"), "member_sheets", ["user_id"])
    op.create_table(
        "member_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["member_sheets.id"], name=op.f("fk_member_ratings_sheet_id_member_sheets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_ratings")),
        sa.UniqueConstraint("sheet_id", "indicator_id", name=op.f("uq_member_ratings_sheet_id_indicator_id")),
    )
    op.create_index(op.f("ix_member_ratings_sheet_id"), "member_ratings", ["sheet_id"])


def downgrade():
    op.drop_index(op.f("ix_member_ratings_sheet_id"), table_name="member_ratings")
    op.drop_table("member_ratings")
    op.drop_index(op.f("ix_member_sheets_user_id"), table_name="member_sheets")
    op.drop_index(op.f("ix_member_sheets_assessment_id"), table_name="member_sheets")
    op.drop_table("member_sheets")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_assessments_phase"), type_="check")
        for option in reversed(_OPTIONS):
            batch_op.drop_column(option)
        batch_op.drop_column("phase")
