"""The `Link` header of a paged answer (RFC 8288): first, previous, next and last page."""

from __future__ import annotations

from collections.abc import Callable


def page_links(url_of: Callable[[int], str], page: int, pages: int) -> str:
    """`<url>; rel="first", …`; `prev` only after the first page (and at most to the last), `next` only before the last."""
    links = [(1, "first")]
    if page > 1:
        links.append((min(page - 1, pages), "prev"))
    if page < pages:
        links.append((page + 1, "next"))
    links.append((pages, "last"))
    return ", ".join(f'<{url_of(number)}>; rel="{relation}"' for number, relation in links)
