"""What every chart's SVG shares: number formatting, text escaping and the opening of the <svg> element.

No styles anywhere (the Content Security Policy allows none): presentation goes into attributes.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape  # escape() only writes XML, nothing is parsed  # nosec B406

from .style import FONT_FAMILY

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: An id prefix makes the ids of the <title> and <desc> unique on a page with several charts.
ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def text(value: str) -> str:
    """Escape text content; characters XML cannot carry at all are dropped."""
    return escape(_XML_INVALID.sub("", value))


def number(value: float) -> str:
    """A coordinate or length with at most two decimals and no trailing zeros ("-0" is "0")."""
    formatted = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if formatted in ("-0", "") else formatted


def svg_start(
    css_class: str,
    width: float,
    height: float,
    *,
    id_prefix: str,
    title: str,
    description: str,
    align: str = "xMidYMid",
    font_size: float | None = None,
) -> list[str]:
    """The opening <svg> tag of an accessible chart (role img, labelled by its title and description) and those two."""
    if not ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must start with a letter and contain only letters, digits, - and _: {id_prefix!r}")
    size = f' font-size="{number(font_size)}"' if font_size is not None else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {number(width)} {number(height)}"'
        f' width="100%" preserveAspectRatio="{align} meet" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc"'
        f' font-family="{FONT_FAMILY}"{size}>',
        f'<title id="{id_prefix}-title">{text(title)}</title>',
        f'<desc id="{id_prefix}-desc">{text(description)}</desc>',
    ]
