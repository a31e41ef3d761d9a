"""The database the browser journeys' server runs on: migrated and given its first admin on the command line.

The server itself is tests/support/live_server.py (gunicorn in its own process group): the browser talks
HTTP to it, and report jobs run in its background threads.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from selfeval.extensions import db
from selfeval.services.accounts import create_user
from tests.conftest import make_test_app

SELFEVAL = Path(sys.executable).parent / "selfeval"
#: The first admin (e-mail, name, password), made on the command line in real life; the journeys start with it.
FIRST_ADMIN = ("verwaltung@kreis.test", "Vera Verwaltung", "Verwaltung braucht ein langes Passwort")


def selfeval_command(args: list[str], database_url: str, instance_path: Path, stdin: str = "") -> str:
    """Run `selfeval ARGS` on this database; its standard output, or an error naming the command and its output."""
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("SELFEVAL_")},
        "SELFEVAL_DATABASE_URL": database_url,
        "SELFEVAL_INSTANCE_PATH": str(instance_path),
    }
    result = subprocess.run([str(SELFEVAL), *args], input=stdin, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"selfeval {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare_database(database_url: str, instance_path: Path, admin: tuple[str, str, str]) -> None:
    """Bring the empty database to the newest migration (as an operator would) and create the admin (e-mail, name, password)."""
    instance_path.mkdir(parents=True, exist_ok=True)
    selfeval_command(["db", "upgrade"], database_url, instance_path)
    # In this process rather than with `selfeval users create`: one start of the app less.
    app = make_test_app(database_url, instance_path)
    with app.app_context():
        email, name, password = admin
        create_user(email, name, "admin", password)
        db.session.commit()
        db.engine.dispose()
