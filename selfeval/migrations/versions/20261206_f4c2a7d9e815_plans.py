"""Plans: a school's development goals and measures per assessment, and its agreements with the Medienberatung.

Revision ID: f4c2a7d9e815
Revises: e3a8f1c6b2d7
Create Date: 2026-12-06 11:00:00 UTC

Reviewed by hand. Two new tables, empty at first: no assessment stored before has a plan. Deleting an
assessment deletes its plan and the plan's agreements; an erased account leaves its agreements with
the adviser's name and no id (ON DELETE SET NULL).
"""

import sqlalchemy as sa
from alembic import op

revision = "f4c2a7d9e815"
down_revision = "e3a8f1c6b2d7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("assessment_id"),
    )
    op.create_table(
        "plan_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("participants", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("next_contact", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_agreements") as batch:
        batch.create_index(batch.f("ix_plan_agreements_plan_id"), ["plan_id"], unique=False)


def downgrade():
    with op.batch_alter_table("plan_agreements") as batch:
        batch.drop_index(batch.f("ix_plan_agreements_plan_id"))
    op.drop_table("plan_agreements")
    op.drop_table("plans")
