"""`selfeval demo`: one command from a fresh clone to a running app with demo content."""

from __future__ import annotations

from pathlib import Path

import click

DEMO_DATABASE_FILE = "demo.sqlite3"


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--reset", is_flag=True, help="Throw the demo database away and start afresh.")
def demo_command(host: str, port: int, reset: bool) -> None:
    """Prepare the demo database (SQLite, in the instance folder) and serve the app."""
    from flask_migrate import upgrade
    from werkzeug.serving import run_simple

    from ..app import create_app
    from ..extensions import catalogs
    from ..paths import default_instance_path
    from ..services.demo import load_demo_content
    from ..unit_of_work import in_one_transaction

    database = Path(default_instance_path()) / DEMO_DATABASE_FILE
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - only for links  # nosec B104
    # SELFEVAL_DEMO: Impressum, Datenschutz and Barrierefreiheit explain the demo where no operator is configured.
    # Password links made in the demo point to the address it serves (never the request's Host header).
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SELFEVAL_DEMO": True,
            "SELFEVAL_BASE_URL": f"http://{shown_host}:{port}",
        }
    )
    with app.app_context():
        upgrade()
        # The app is made here, not by the CLI: the demo content is one transaction of its own, before serving.
        demo = in_one_transaction(load_demo_content)(catalogs.active)
    click.echo("")
    click.echo("selfeval demo")
    click.echo(f"  Database:  {database} (SQLite, demo only; SELFEVAL_DATABASE_URL is not used)")
    click.echo(f"  Catalogue: {demo.catalog_title}, version {demo.catalog_version}")
    click.echo(f"  Open:      http://{shown_host}:{port}/")
    if demo.logins:
        click.echo("  Log-ins:")
        for email, password, who in demo.logins:
            click.echo(f"    {email:<32} {password}   {who}")
    click.echo("  Stop with Ctrl+C.\n")
    # Flask's app.run() refuses to start inside a CLI command; run_simple is what `flask run` uses.
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
