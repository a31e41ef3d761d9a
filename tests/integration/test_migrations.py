"""Migrations are code: they build the schema the models describe, and they can be undone."""

from __future__ import annotations

import re

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from selfeval.extensions import db
from selfeval.paths import MIGRATIONS_DIR
from tests.conftest import make_test_app


def schema_drift() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_on_an_empty_database_matches_the_models(empty_database_url, tmp_path):
    app = make_test_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        assert schema_drift() == []
        assert sorted(inspect(db.engine).get_table_names()) == sorted(
            ["alembic_version", *db.metadata.tables]
        )
        db.engine.dispose()


def test_downgrade_to_base_removes_everything_and_upgrade_works_again(empty_database_url, tmp_path):
    app = make_test_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert schema_drift() == []
        db.engine.dispose()


def test_revision_files_are_dated_and_reversible():
    files = sorted((MIGRATIONS_DIR / "versions").glob("*.py"))
    assert files, "no migrations"
    for path in files:
        assert re.fullmatch(r"20\d{6}_[0-9a-f]{12}_[a-z0-9_]+\.py", path.name), path.name
        source = path.read_text(encoding="utf-8")
        downgrade_body = source.split("def downgrade():", 1)[1]
        assert downgrade_body.strip() not in ("", "pass"), f"{path.name} has no downgrade"
        assert "selfeval" not in source.split('"""', 2)[2], f"{path.name} imports application code"


SEED_BEFORE_AUDIT_TRAIL = [
    "INSERT INTO catalog_snapshots (id, catalog_id, version, digest, content, created_at) "
    "VALUES (1, 'c', '1', 'd', '{}', '2025-09-01 08:00:00+00:00')",
    "INSERT INTO schools (id, schulnummer, name, schulform, ort, kreis, created_at) "
    "VALUES (1, '100001', 'Schule', '15', '', '05913', '2025-09-01 08:00:00+00:00')",
    "INSERT INTO rounds (id, name, slug, is_open, catalog_snapshot_id, created_at) "
    "VALUES (1, '2025/26', '2025-26', TRUE, 1, '2025-09-01 08:00:00+00:00')",
    "INSERT INTO users (id, email, display_name, password_hash, role, active, login_id, created_at) "
    "VALUES (1, 'a@b.de', 'Ayşe', 'x', 'team', TRUE, 'l1', '2025-09-01 08:00:00+00:00')",
    "INSERT INTO assessments (id, school_id, round_id, catalog_snapshot_id, status, version, created_at, updated_at) "
    "VALUES (1, 1, 1, 1, 'draft', 3, '2025-09-01 08:00:00+00:00', '2025-09-02 08:00:00+00:00')",
    "INSERT INTO memberships (id, user_id, school_id, is_leadership) VALUES (1, 1, 1, TRUE)",
    "INSERT INTO assessment_events (assessment_id, kind, user_id, at) VALUES (1, 'submitted', 1, '2025-09-02 08:00:00+00:00')",
    "INSERT INTO assessment_events (assessment_id, kind, user_id, at) VALUES (1, 'reopened', NULL, '2025-09-03 08:00:00+00:00')",
]


def test_the_audit_trail_migration_moves_submissions_and_reopenings_both_ways(empty_database_url, tmp_path):
    """0f05fd99d4fa replaces assessment_events by audit_events without losing a row, and back."""
    app = make_test_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade(revision="54cc203dc3f4")
        with db.engine.begin() as connection:
            for statement in SEED_BEFORE_AUDIT_TRAIL:
                connection.execute(text(statement))
        upgrade(revision="0f05fd99d4fa")
        with db.engine.connect() as connection:
            moved = connection.execute(
                text("SELECT actor_id, actor_name, action, subject, school_id, round_id FROM audit_events ORDER BY id")
            ).all()
        assert [tuple(row) for row in moved] == [
            (1, "Ayşe", "assessment.submitted", "", 1, 1),
            (None, "Kommandozeile", "assessment.reopened", "", 1, 1),
        ]
        # SQLite rebuilds the users table for the nullable password: rows pointing at it survive.
        assert [tuple(row) for row in connection_rows("SELECT user_id, school_id, is_leadership FROM memberships")] == [
            (1, 1, True)
        ]
        downgrade(revision="54cc203dc3f4")
        with db.engine.connect() as connection:
            back = connection.execute(text("SELECT assessment_id, kind, user_id FROM assessment_events ORDER BY id")).all()
        assert [tuple(row) for row in back] == [(1, "submitted", 1), (1, "reopened", None)]
        db.engine.dispose()


def connection_rows(query: str) -> list:
    with db.engine.connect() as connection:
        return connection.execute(text(query)).all()
