"""Keep a snapshot of every catalogue version that data refers to."""

from __future__ import annotations

from sqlalchemy import Select, select

from ..catalog import Catalog, catalog_digest, catalog_from_dict, catalog_to_dict
from ..database import insert_or_ignore
from ..extensions import db
from ..models import CatalogSnapshot
from ..models.types import utcnow


class CatalogVersionConflict(Exception):
    """The catalogue's content changed but its version did not."""


def record_snapshot(catalog: Catalog) -> CatalogSnapshot:
    """The stored snapshot of this catalogue version, stored now if it is new."""
    digest = catalog_digest(catalog)
    snapshot = find_snapshot(catalog.id, catalog.version)
    if snapshot is None:
        # If another process stores the same version at the same moment, its row is kept and compared.
        values = {
            "catalog_id": catalog.id,
            "version": catalog.version,
            "digest": digest,
            "content": catalog_to_dict(catalog),
            "created_at": utcnow(),
        }
        insert_or_ignore(db.session, CatalogSnapshot, values, ["catalog_id", "version"])
        # Ours or the other process's: either way the row is there now.
        snapshot = db.session.scalars(_snapshot_query(catalog.id, catalog.version)).one()
    if snapshot.digest != digest:
        raise CatalogVersionConflict(
            f'catalogue "{catalog.id}" version "{catalog.version}" is already stored with different '
            "content; raise its version when its content changes, so past assessments keep theirs"
        )
    return snapshot


def find_snapshot(catalog_id: str, version: str) -> CatalogSnapshot | None:
    return db.session.scalars(_snapshot_query(catalog_id, version)).one_or_none()


def _snapshot_query(catalog_id: str, version: str) -> Select[CatalogSnapshot]:
    return select(CatalogSnapshot).filter_by(catalog_id=catalog_id, version=version)


#: Snapshots never change, so their parsed form is kept per content digest.
_parsed: dict[str, Catalog] = {}


def snapshot_catalog(snapshot: CatalogSnapshot) -> Catalog:
    """The catalogue exactly as it was stored."""
    if snapshot.digest not in _parsed:
        _parsed[snapshot.digest] = catalog_from_dict(snapshot.content, f"snapshot {snapshot.catalog_id} {snapshot.version}")
    return _parsed[snapshot.digest]


def catalog_of_snapshot(snapshot_id: int, digest: str | None = None) -> Catalog:
    """The catalogue of a stored snapshot, parsed once per content digest in this process.

    Given the digest (the hot path reads it with the assessment, 64 characters), a parsed catalogue costs no
    statement at all; the 42 KB row is read only the first time. Keyed by digest rather than by id: ids are
    reused when a database is made anew (tests, a restored backup), content digests are not.
    """
    if digest is not None and digest in _parsed:
        return _parsed[digest]
    snapshot = db.session.get(CatalogSnapshot, snapshot_id)
    if snapshot is None:
        raise LookupError(f"catalogue snapshot {snapshot_id} does not exist")
    return snapshot_catalog(snapshot)
