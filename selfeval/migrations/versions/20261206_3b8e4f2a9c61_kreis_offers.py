"""Support offers a Medienberatung maintains for the schools of its Kreis (issue 18).

Revision ID: 3b8e4f2a9c61
Revises: c5f126c3663d
Create Date: 2026-12-06 09:00:00 UTC

Reviewed by hand. A new table only; the downgrade drops it (and the offers kept in it: export them
first if they are to be kept, e.g. into an offer file beside the catalogue).
"""

import sqlalchemy as sa
from alembic import op

revision = "3b8e4f2a9c61"
down_revision = "c5f126c3663d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kreis_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kreis", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("schulformen", sa.JSON(), nullable=False),
        sa.Column("schulstufen", sa.JSON(), nullable=False),
        sa.Column("target_groups", sa.JSON(), nullable=False),
        sa.Column("fits", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kreis_offers")),
    )
    op.create_index(op.f("ix_kreis_offers_kreis"), "kreis_offers", ["kreis"])


def downgrade():
    op.drop_index(op.f("ix_kreis_offers_kreis"), table_name="kreis_offers")
    op.drop_table("kreis_offers")
