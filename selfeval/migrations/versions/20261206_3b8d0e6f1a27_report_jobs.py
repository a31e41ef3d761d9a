"""Report jobs and their parts in the database, shared by every app server and worker (issue 20).

Revision ID: 3b8d0e6f1a27
Revises: d870c8273d2d
Create Date: 2026-12-06 08:30:00 UTC

Reviewed by hand. Jobs used to be JSON files in one server's instance folder; those are not carried over
(a job lives two hours at most, and the ZIPs they name stay in the instance folder until removed by hand).
The downgrade drops both tables: running jobs are lost, as a restart would lose them before.
"""

import sqlalchemy as sa
from alembic import op

revision = "3b8d0e6f1a27"
down_revision = "d870c8273d2d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_jobs",
        sa.Column("id", sa.String(length=22), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("round_name", sa.String(length=40), nullable=False),
        sa.Column("round_slug", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("archive_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_jobs")),
    )
    op.create_index(op.f("ix_report_jobs_created_at"), "report_jobs", ["created_at"])
    op.create_index(op.f("ix_report_jobs_owner"), "report_jobs", ["owner"])
    op.create_table(
        "report_job_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=22), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("school_ids", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result_key", sa.String(length=200), nullable=True),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["report_jobs.id"], name=op.f("fk_report_job_parts_job_id_report_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_job_parts")),
        sa.UniqueConstraint("job_id", "position", name=op.f("uq_report_job_parts_job_id_position")),
    )
    op.create_index(op.f("ix_report_job_parts_job_id"), "report_job_parts", ["job_id"])


def downgrade():
    op.drop_index(op.f("ix_report_job_parts_job_id"), table_name="report_job_parts")
    op.drop_table("report_job_parts")
    op.drop_index(op.f("ix_report_jobs_owner"), table_name="report_jobs")
    op.drop_index(op.f("ix_report_jobs_created_at"), table_name="report_jobs")
    op.drop_table("report_jobs")
