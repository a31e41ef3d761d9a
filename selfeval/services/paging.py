"""One page of a long list: count, clamp the page number, fetch that slice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from ..extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """The rows of page `page` (counted from 1) of `pages`, out of `total` rows in all."""

    items: list[T]
    page: int
    pages: int
    total: int


def paginate(query: Select[Any], page: int, per_page: int) -> Page[Any]:
    """One page of an ordered query of one entity; a page beyond either end shows the nearest one."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return Page(items, page, pages, total)
