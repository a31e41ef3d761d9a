"""Each catalogue version in use is stored once, and a silent content change is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC

import pytest
from sqlalchemy import func, select

from selfeval.catalog import catalog_digest, catalog_to_dict
from selfeval.extensions import catalogs, db
from selfeval.models import CatalogSnapshot
from selfeval.services.catalog_snapshots import CatalogVersionConflict, record_snapshot, snapshot_catalog


def snapshot_count() -> int:
    return db.session.scalar(select(func.count()).select_from(CatalogSnapshot))


def test_snapshot_stores_the_normalized_catalogue_once(app_context):
    catalog = catalogs.active
    first = record_snapshot(catalog)
    db.session.commit()
    again = record_snapshot(catalog)
    db.session.commit()

    assert again.id == first.id
    assert snapshot_count() == 1
    assert (first.catalog_id, first.version, first.digest) == (catalog.id, catalog.version, catalog_digest(catalog))
    db.session.expire_all()
    stored = db.session.get(CatalogSnapshot, first.id)
    assert stored.content == catalog_to_dict(catalog)
    assert stored.created_at.tzinfo == UTC
    assert snapshot_catalog(stored) == catalog


def test_changed_content_without_a_new_version_is_refused(app_context):
    catalog = catalogs.active
    record_snapshot(catalog)
    db.session.commit()
    edited = replace(catalog, title="Leitfaden (überarbeitet)")

    with pytest.raises(CatalogVersionConflict) as caught:
        record_snapshot(edited)
    assert str(caught.value) == (
        'catalogue "dortmund-leitfaden" version "4" is already stored with different content; '
        "raise its version when its content changes, so past assessments keep theirs"
    )

    bumped = record_snapshot(replace(edited, version="5"))
    db.session.commit()
    assert bumped.content["title"] == "Leitfaden (überarbeitet)"
    assert snapshot_count() == 2
