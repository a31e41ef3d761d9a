"""One page of a long list: count, clamp the page number, fetch that slice."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from ..extensions import db


def paginate(query: Select, page: int, per_page: int) -> tuple[list[Any], int, int, int]:
    """(items, page, pages, total) of an ordered query; a page beyond either end shows the nearest one."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return items, page, pages, total
