"""The floor of `python -m benchmarks load`: a save's logical work in raw psycopg, in the same gunicorn set-up.

One endpoint, `PUT /floor/<schulnummer>/<round_slug>` with a Bearer token, If-Match and {"ratings": {indicator:
{"score", "comment"}}}, does what the app's save does in the database, and nothing else: look up the token (its
user, who must be in the school's team), compare-and-set the assessment's version, upsert the ratings, record one
audit row per rating, in one transaction, 4 statements. No validation of the catalogue, no merging of audit
entries, no ORM, no extensions: what a save costs at least on this machine, this interpreter and Flask. Only the
benchmark serves it (`gunicorn benchmarks.load_floor:app`); the app never registers it.

It writes into the benchmark's database; the load check runs before this phase, so its writes change no figure.
"""

from __future__ import annotations

import hashlib
import json
import os
import re

import psycopg
from flask import Flask, request
from sqlalchemy import make_url

PATH = "/floor/{schulnummer}/{round_slug}"
READY_PATH = "/floor/ready"
ENTITY_TAG = re.compile(r'"([0-9]{1,9})"')

app = Flask(__name__)
_connection: psycopg.Connection | None = None

WHO_SAVES = """
SELECT u.id, u.display_name, s.id FROM api_tokens t
JOIN users u ON u.id = t.user_id AND u.active
JOIN memberships m ON m.user_id = u.id
JOIN schools s ON s.id = m.school_id AND s.schulnummer = %s
WHERE t.token_hash = %s
"""
CLAIM = """
UPDATE assessments SET version = version + 1, updated_at = now()
WHERE school_id = %s AND round_id = (SELECT id FROM rounds WHERE slug = %s AND is_open)
  AND version = %s AND status = 'draft'
RETURNING id, version, round_id
"""
CURRENT = "SELECT a.version FROM assessments a JOIN rounds r ON r.id = a.round_id WHERE a.school_id = %s AND r.slug = %s"
RATINGS = """
INSERT INTO ratings (assessment_id, indicator_id, score, comment, changed_in_version, updated_at, updated_by_id)
SELECT %s, indicator, score, comment, %s, now(), %s
FROM unnest(%s::text[], %s::int[], %s::text[]) AS r(indicator, score, comment)
ON CONFLICT (assessment_id, indicator_id) DO UPDATE SET score = excluded.score, comment = excluded.comment,
  changed_in_version = excluded.changed_in_version, updated_at = excluded.updated_at, updated_by_id = excluded.updated_by_id
"""
AUDIT = """
INSERT INTO audit_events (at, actor_id, actor_name, action, subject, school_id, round_id, changes)
SELECT now(), %s, %s, 'rating.changed', indicator, %s, %s, changes::json
FROM unnest(%s::text[], %s::text[]) AS e(indicator, changes)
"""


def connection() -> psycopg.Connection:
    """One connection per worker process, opened on its first request (after gunicorn forked)."""
    global _connection
    if _connection is None or _connection.closed:
        url = make_url(os.environ["SELFEVAL_DATABASE_URL"]).set(drivername="postgresql")
        _connection = psycopg.connect(url.render_as_string(hide_password=False))
    return _connection


@app.get(READY_PATH)
def ready():
    """Answers once the worker runs (the benchmark waits for it)."""
    return {"status": "ok"}


@app.put("/floor/<schulnummer>/<round_slug>")
def save(schulnummer: str, round_slug: str):
    """The save's 4 statements in one transaction; 412 with the current version when someone was first."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    tag = ENTITY_TAG.fullmatch(request.headers.get("If-Match", ""))
    ratings = (request.get_json(silent=True) or {}).get("ratings") or {}
    if tag is None or not ratings:
        return {"error": {"code": 400}}, 400
    base = int(tag.group(1))
    database = connection()
    with database.transaction(), database.cursor() as cursor:
        found = cursor.execute(WHO_SAVES, (schulnummer, hashlib.sha256(token.encode()).hexdigest())).fetchone()
        if found is None:
            return {"error": {"code": 403}}, 403
        user_id, name, school_id = found
        claimed = cursor.execute(CLAIM, (school_id, round_slug, base)).fetchone()
        if claimed is None:
            current = cursor.execute(CURRENT, (school_id, round_slug)).fetchone()
            return {"error": {"code": 412, "current": {"version": current[0] if current else 0}}}, 412
        assessment_id, version, round_id = claimed
        indicators = list(ratings)
        scores = [ratings[key].get("score") for key in indicators]
        comments = [ratings[key].get("comment", "") for key in indicators]
        cursor.execute(RATINGS, (assessment_id, version, user_id, indicators, scores, comments))
        changes = [json.dumps({"score": [None, score]}) for score in scores]
        cursor.execute(AUDIT, (user_id, name, school_id, round_id, indicators, changes))
    return {"version": version, "ratings": ratings}
