"""Schools: Gemeindeschlüssel (AGS), Schulträger (number and name) and Rechtsform from the school directory.

Revision ID: b7d2e4a9c1f3
Revises: 3b8e4f2a9c61
Create Date: 2026-12-06 08:10:00 UTC

Reviewed by hand. Four nullable columns: schools stored before keep NULL until the next directory
import (which fills the AGS, the Trägernummer and the Rechtsform) or an admin fills them in. Nothing
is derived here: the Kreisschlüssel alone does not name the municipality of a school in a Kreis.
"""

import sqlalchemy as sa
from alembic import op

revision = "b7d2e4a9c1f3"
down_revision = "3b8e4f2a9c61"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("gemeindeschluessel", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("traeger_nummer", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("traeger_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("rechtsform", sa.String(length=1), nullable=True))
        batch.create_index(op.f("ix_schools_gemeindeschluessel"), ["gemeindeschluessel"])
        batch.create_index(op.f("ix_schools_traeger_nummer"), ["traeger_nummer"])


def downgrade():
    with op.batch_alter_table("schools") as batch:
        batch.drop_index(op.f("ix_schools_traeger_nummer"))
        batch.drop_index(op.f("ix_schools_gemeindeschluessel"))
        batch.drop_column("rechtsform")
        batch.drop_column("traeger_name")
        batch.drop_column("traeger_nummer")
        batch.drop_column("gemeindeschluessel")
