"""Migrations are code: they build the schema the models describe, and they can be undone."""

from __future__ import annotations

import re

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

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
