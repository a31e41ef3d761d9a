"""German display of numbers and dates, shared by the web pages and the reports (pure, no Flask)."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/Berlin")


def round_half_up(value: float, places: str = "0.1") -> float:
    """Round as people expect (6,25 -> 6,3), not to the nearest even binary neighbour."""
    return float(Decimal(repr(float(value))).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def format_score(value: float | None) -> str:
    """One decimal with a German comma, rounded half up as people expect (6,25 -> 6,3); a dash for none or NaN."""
    if value is None or math.isnan(value):
        return "–"
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded}".replace(".", ",").replace("-0,0", "0,0")


def format_signed_score(value: float | None) -> str:
    """A change: "+0,5", "-1,3", "0,0"."""
    text = format_score(value)
    return "+" + text if text not in ("0,0", "–") and not text.startswith("-") else text


def local_date(value: datetime) -> date:
    """The calendar day in Germany of a stored (UTC) moment."""
    return value.astimezone(LOCAL_TIME).date()


def format_date(value: date | None) -> str:
    return "–" if value is None else value.strftime("%d.%m.%Y")
