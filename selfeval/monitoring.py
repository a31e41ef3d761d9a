"""The monitoring export: a long-format CSV for the municipal education monitoring (pure: frames in, bytes out).

In the style of the statistical offices' flat files: one value per row, keys as text, `;` as separator,
decimal comma, UTF-8 with BOM (German Excel reads the umlauts), CRLF. One row per area (Kreis or Gemeinde,
all Schulformen together and each Schulform) × characteristic (overall score, criterion, indicator) × school
year × measure (n, mean, median). The small-group rule (scoring.aggregate) holds: a mean of fewer than 5
schools and a median of fewer than 10 are suppressed (value empty, `gesperrt` = 1); n is always given.
Rows per school (level "schule") only when the reader may see single schools. The columns are described in
the README ("Monitoring-Export").
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from .catalog import Catalog, indicator_letter
from .exports import neutralize
from .reference import kreis, schulform_label
from .scoring import aggregate

COLUMNS = [
    "schuljahr", "ebene", "regionalschluessel", "region", "schulnummer", "schulform", "schulform_name",
    "merkmal", "merkmal_name", "kennzahl", "wert", "gesperrt",
]  # fmt: skip
ALL_SCHULFORMEN = "insgesamt"


@dataclass(frozen=True)
class MonitoringYear:
    round_name: str
    catalog: Catalog
    schools: pd.DataFrame  # analytics' frame of the selection: kreis, gemeindeschluessel, schulform, name, status
    indicator_scores: pd.DataFrame  # submitted schools, indexed by Schulnummer
    criterion_scores: pd.DataFrame


def to_monitoring_csv(years: Sequence[MonitoringYear], *, with_schools: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for year in years:
        scores = _scores(year)
        characteristics = _characteristics(year.catalog)
        for level, key, region, members, schulform in _areas(year.schools):
            for column, code, name in characteristics:
                values = scores.reindex(index=members)[column] if column in scores else pd.Series(dtype="float64")
                for measure, value, hidden in _measures(values):
                    writer.writerow([year.round_name, level, key, region, "", *schulform, code, name, measure, value, hidden])
        if with_schools:
            for row in _school_rows(year, scores, characteristics):
                writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")


def _scores(year: MonitoringYear) -> pd.DataFrame:
    return pd.concat([year.criterion_scores, year.indicator_scores], axis=1)


def _characteristics(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(column, code, name): the overall score, then each criterion (K1 …) followed by its indicators (1a …)."""
    found = [(aggregate.OVERALL, "gesamt", "Gesamtwert")]
    for number, criterion in enumerate(catalog.criteria, 1):
        found.append((criterion.id, f"K{number}", criterion.title))
        found += [(i.id, f"{number}{indicator_letter(p)}", i.text) for p, i in enumerate(criterion.indicators)]
    return found


def _areas(schools: pd.DataFrame) -> Iterator[tuple[str, str, str, list, list[str]]]:
    """(level, key, name, Schulnummern, [Schulform code, name]) per Kreis and per Gemeinde, all and each Schulform."""
    gemeinden = schools["gemeindeschluessel"] if "gemeindeschluessel" in schools else pd.Series(dtype="object")
    for level, keys in (("kreis", schools["kreis"]), ("gemeinde", gemeinden)):
        for key in sorted(keys.dropna().unique()):
            members = schools[keys == key]
            name = _region_name(level, key, members)
            yield level, key, name, list(members.index), [ALL_SCHULFORMEN, "alle Schulformen"]
            for code in sorted(members["schulform"].unique()):
                chosen = list(members.index[members["schulform"] == code])
                yield level, key, name, chosen, [code, schulform_label(code)]


def _region_name(level: str, key: str, members: pd.DataFrame) -> str:
    found = kreis(key[:5])
    if level == "kreis":
        return found.name if found else key
    places = members["ort"].dropna().unique() if "ort" in members else []
    return neutralize(str(places[0])) if len(places) == 1 else (found.name if found else key)


def _measures(values: pd.Series) -> list[tuple[str, str, str]]:
    """(measure, value, gesperrt) for n, mean and median under the small-group rule."""
    present = values.dropna().astype("float64")
    n = len(present)
    mean = _german(present.mean()) if n >= aggregate.MIN_GROUP_SIZE else ""
    median = _german(present.median()) if n >= aggregate.MIN_QUARTILE_GROUP_SIZE else ""
    return [
        ("n", str(n), "0"),
        ("mittelwert", mean, "0" if mean else "1"),
        ("median", median, "0" if median else "1"),
    ]


def _school_rows(year: MonitoringYear, scores: pd.DataFrame, characteristics) -> Iterator[list[str]]:
    for schulnummer, school in year.schools.iterrows():
        if schulnummer not in scores.index:
            continue
        gemeinde = school.get("gemeindeschluessel") or school["kreis"]
        schulform = [str(school["schulform"]), schulform_label(school["schulform"])]
        for column, code, name in characteristics:
            value = scores.at[schulnummer, column] if column in scores else math.nan
            text = "" if pd.isna(value) else _german(float(value))
            place = neutralize(str(school["name"]))  # text from people: never a formula
            yield [year.round_name, "schule", gemeinde, place, str(schulnummer), *schulform, code, name, "wert", text, "0"]


def _german(value: float) -> str:
    """Up to four decimals, decimal comma, no trailing zeros (German Excel and the statistics tools read it)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
