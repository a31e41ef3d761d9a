"""The ceiling of `python -m benchmarks load`: the smallest Flask app, served by the same gunicorn set-up.

One endpoint answers a small JSON document without a database, templates or extensions: what a
request costs in this server, this interpreter and Flask before the app does anything.
"""

from flask import Flask

PATH = "/ping"

app = Flask(__name__)


@app.get(PATH)
def ping():
    """A small JSON document."""
    return {"status": "ok"}
