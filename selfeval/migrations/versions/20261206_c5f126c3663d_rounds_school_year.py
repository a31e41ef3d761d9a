"""Rounds are school years: rounds.school_year, filled from the names already stored.

Revision ID: c5f126c3663d
Revises: 7c3e5a91d2b4
Create Date: 2026-12-06 05:10:00 UTC

Reviewed by hand. Round names used to be free text; from now on they are school years
("2025/26") and rounds are ordered by the school year's first calendar year, not by the order
they were created in. The upgrade never fails on real data:

- a name that is a school year gets its first year: "2025/26" and also the spellings an admin may
  have used before, "2025/2026" and "2025-26" (the second year must be the first plus one);
- a name that is no school year ("Schuljahr 2026/2027 <b>x</b>", "Testrunde") keeps NULL: the
  round and its data stay as they are, it sorts before all school years and is nobody's previous
  round; an admin can delete it if it holds no assessment;
- when two names give the same school year, the round created first keeps it, the later one NULL.

Names themselves are not rewritten: they are what people have seen on pages and reports.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "c5f126c3663d"
down_revision = "7c3e5a91d2b4"
branch_labels = None
depends_on = None

#: The same spellings services.rounds accepted before this revision could have stored.
_SCHOOL_YEAR = re.compile(r"\s*(\d{4})\s*[/-]\s*(\d{4}|\d{2})\s*")


def first_year(name: str) -> int | None:
    """2025 for "2025/26", "2025/2026" or "2025-26"; None for anything else."""
    match = _SCHOOL_YEAR.fullmatch(name or "")
    if match is None:
        return None
    first, second = int(match.group(1)), match.group(2)
    expected = first + 1 if len(second) == 4 else (first + 1) % 100
    return first if int(second) == expected else None


def upgrade():
    op.add_column("rounds", sa.Column("school_year", sa.Integer(), nullable=True))
    rounds = sa.table("rounds", sa.column("id", sa.Integer()), sa.column("name", sa.String()), sa.column("school_year", sa.Integer()))
    connection = op.get_bind()
    taken = set()
    for round_id, name in connection.execute(sa.select(rounds.c.id, rounds.c.name).order_by(rounds.c.id)).all():
        year = first_year(name)
        if year is None or year in taken:
            continue
        taken.add(year)
        connection.execute(rounds.update().where(rounds.c.id == round_id).values(school_year=year))
    op.create_index(op.f("ix_rounds_school_year"), "rounds", ["school_year"], unique=True)


def downgrade():
    op.drop_index(op.f("ix_rounds_school_year"), table_name="rounds")
    with op.batch_alter_table("rounds") as batch_op:
        batch_op.drop_column("school_year")
