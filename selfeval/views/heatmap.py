"""The school table of the supervision overview: schools x criteria, sorted and paged (presentation only)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..reference import kreis_name, schulform_label
from ..scoring.aggregate import OVERALL, sort_schools
from ..services.analytics import RoundAnalytics
from ..vocabulary import STATE_LABELS
from .formatting import round_half_up

PAGE_SIZE = 50
CHANGE = "change"
#: URL values of the sortable text columns; criteria sort by their id, the overall score by "gesamt".
TEXT_COLUMNS = {"schule": "name", "schulform": "schulform_label", "kreis": "kreis_name", "status": "status_label"}
#: Colour classes for 0–2, 2–4, 4–6, 6–8, 8–10 on a 0–10 scale: a second channel beside the number.
HEAT_CLASSES = 5


@dataclass(frozen=True)
class Sorting:
    key: str
    descending: bool

    @property
    def direction(self) -> str:
        return "ab" if self.descending else "auf"


DEFAULT_SORTING = Sorting("gesamt", descending=False)


def parse_sorting(key: str | None, direction: str | None, criterion_ids: list[str]) -> Sorting:
    """Unknown values fall back to the default (lowest overall score first: where support is needed most)."""
    known = {*TEXT_COLUMNS, "gesamt", "veraenderung", *criterion_ids}
    if key not in known:
        return DEFAULT_SORTING
    return Sorting(key, descending=direction == "ab")


@dataclass(frozen=True)
class HeatmapPage:
    rows: list[dict]
    page: int
    pages: int
    total: int
    sorting: Sorting

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last_number(self) -> int:
        return min(self.page * PAGE_SIZE, self.total)


def heatmap_page(analytics: RoundAnalytics, sorting: Sorting, page: int) -> HeatmapPage:
    table = _table(analytics)
    column = TEXT_COLUMNS.get(sorting.key) or {"gesamt": OVERALL, "veraenderung": CHANGE}.get(sorting.key, sorting.key)
    ordered = sort_schools(table, column, descending=sorting.descending)
    pages = max(1, math.ceil(len(ordered) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    window = ordered.iloc[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    rows = [_row(schulnummer, values, analytics) for schulnummer, values in window.iterrows()]
    return HeatmapPage(rows, page, pages, len(ordered), sorting)


def _table(analytics: RoundAnalytics) -> pd.DataFrame:
    listed = analytics.listed
    criteria = [criterion.id for criterion in analytics.catalog.criteria]
    scores = analytics.criterion_scores.reindex(index=listed.index, columns=[OVERALL, *criteria])
    change = analytics.change[OVERALL] if OVERALL in analytics.change.columns else pd.Series(dtype="float64")
    return pd.concat(
        [
            listed[["name", "schulform", "kreis", "status"]],
            pd.DataFrame(
                {
                    "schulform_label": listed["schulform"].map(schulform_label),
                    "kreis_name": listed["kreis"].map(kreis_name),
                    "status_label": listed["status"].map(STATE_LABELS),
                },
                index=listed.index,
            ),
            scores,
            change.reindex(listed.index).rename(CHANGE),
        ],
        axis=1,
    )


def _row(schulnummer: str, values: pd.Series, analytics: RoundAnalytics) -> dict:
    criteria = [criterion.id for criterion in analytics.catalog.criteria]
    scale = analytics.catalog.scale
    return {
        "schulnummer": schulnummer,
        "name": values["name"],
        "schulform": values["schulform_label"],
        "kreis": values["kreis_name"],
        "status": values["status"],
        "status_label": values["status_label"],
        "overall": _cell(values[OVERALL], scale.min, scale.max),
        "criteria": [_cell(values[c], scale.min, scale.max) for c in criteria],
        "change": None if pd.isna(values[CHANGE]) else float(values[CHANGE]),
    }


def _cell(value, scale_min: int, scale_max: int) -> dict:
    if pd.isna(value):
        return {"value": None, "heat": None}
    # The colour follows the number shown (one decimal, half up), so two cells reading "2,0" match.
    shown = round_half_up(float(value))
    fraction = (shown - scale_min) / (scale_max - scale_min)
    return {"value": float(value), "heat": min(int(fraction * HEAT_CLASSES), HEAT_CLASSES - 1)}


def heat_legend(scale_min: int, scale_max: int) -> list[tuple[int, str]]:
    """(class number, German range text) for the legend, e.g. (0, "0 bis unter 2")."""
    step = (scale_max - scale_min) / HEAT_CLASSES
    bounds = [scale_min + step * i for i in range(HEAT_CLASSES + 1)]

    def german(value: float) -> str:
        return f"{value:g}".replace(".", ",")

    legend = [(i, f"{german(bounds[i])} bis unter {german(bounds[i + 1])}") for i in range(HEAT_CLASSES - 1)]
    legend.append((HEAT_CLASSES - 1, f"{german(bounds[-2])} bis {german(bounds[-1])}"))
    return legend
