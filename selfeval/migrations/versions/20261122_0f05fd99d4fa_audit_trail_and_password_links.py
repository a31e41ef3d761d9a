"""Audit trail and one-time password links; invitees have no password yet.

Revision ID: 0f05fd99d4fa
Revises: 54cc203dc3f4
Create Date: 2026-11-22 23:18:21 UTC

Reviewed by hand. The audit trail replaces assessment_events: its submissions and reopenings
are copied into audit_events (and back on downgrade), so no history is lost either way.
"""

import sqlalchemy as sa
from alembic import op

revision = "0f05fd99d4fa"
down_revision = "54cc203dc3f4"
branch_labels = None
depends_on = None

#: What the command line and unknown actors are called in the trail (services.audit.CLI_ACTOR).
CLI_ACTOR = "Kommandozeile"


def upgrade():
    op.create_table(
        "password_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_password_links_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_links_token_hash")),
    )
    op.create_index(op.f("ix_password_links_user_id"), "password_links", ["user_id"])

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("subject_user_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_audit_events_round_id_rounds"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_audit_events_school_id_schools"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["subject_user_id"], ["users.id"], name=op.f("fk_audit_events_subject_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action"])
    op.create_index(op.f("ix_audit_events_actor_id"), "audit_events", ["actor_id"])
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"])
    op.create_index("ix_audit_events_school_id_round_id", "audit_events", ["school_id", "round_id"])
    op.create_index(op.f("ix_audit_events_subject_user_id"), "audit_events", ["subject_user_id"])

    op.execute(
        sa.text(
            "INSERT INTO audit_events (at, actor_id, actor_name, action, subject, school_id, round_id, changes) "
            "SELECT e.at, e.user_id, COALESCE(u.display_name, :cli), 'assessment.' || e.kind, '', "
            "a.school_id, a.round_id, '{}' "
            "FROM assessment_events e JOIN assessments a ON a.id = e.assessment_id "
            "LEFT JOIN users u ON u.id = e.user_id ORDER BY e.id"
        ).bindparams(cli=CLI_ACTOR)
    )
    op.drop_index(op.f("ix_assessment_events_assessment_id"), table_name="assessment_events")
    op.drop_table("assessment_events")

    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("password_hash", existing_type=sa.String(length=255), nullable=True)


def downgrade():
    # An invitee who never set a password gets a hash no password matches ("!" is no scrypt hash).
    op.execute(sa.text("UPDATE users SET password_hash = '!' WHERE password_hash IS NULL"))
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("password_hash", existing_type=sa.String(length=255), nullable=False)

    op.create_table(
        "assessment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_events_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_assessment_events_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_events")),
    )
    op.create_index(op.f("ix_assessment_events_assessment_id"), "assessment_events", ["assessment_id"])
    op.execute(
        sa.text(
            "INSERT INTO assessment_events (assessment_id, kind, user_id, at) "
            "SELECT a.id, SUBSTR(e.action, 12), e.actor_id, e.at "
            "FROM audit_events e JOIN assessments a ON a.school_id = e.school_id AND a.round_id = e.round_id "
            "WHERE e.action IN ('assessment.submitted', 'assessment.reopened') ORDER BY e.id"
        )
    )

    op.drop_index(op.f("ix_audit_events_subject_user_id"), table_name="audit_events")
    op.drop_index("ix_audit_events_school_id_round_id", table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_actor_id"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_action"), table_name="audit_events")
    op.drop_table("audit_events")

    op.drop_index(op.f("ix_password_links_user_id"), table_name="password_links")
    op.drop_table("password_links")
