"""The monitoring CSV from frames: the small-group rule, and rows per school only when asked for."""

from __future__ import annotations

import pandas as pd

from selfeval.catalog import Catalog, Criterion, Indicator, Scale
from selfeval.monitoring import MonitoringYear, to_monitoring_csv
from selfeval.scoring import aggregate

CATALOG = Catalog(
    id="t", version="1", title="Test", scale=Scale(0, 10, ()),
    criteria=(Criterion("k", "Kriterium", (Indicator("k1", "k", "Erster Indikator"),)),),
)  # fmt: skip


def year(values: list[float], schulform: str = "02") -> MonitoringYear:
    numbers = [f"10000{i}" for i in range(len(values))]
    schools = pd.DataFrame(
        {"name": [f"=Schule {i}" for i in range(len(values))], "schulform": schulform, "kreis": "05978",
         "gemeindeschluessel": "05978036", "ort": "Unna", "status": "submitted"},
        index=pd.Index(numbers, name="schulnummer"),
    )  # fmt: skip
    indicators = pd.DataFrame({"k1": values}, index=pd.Index(numbers, name="schulnummer"))
    return MonitoringYear("2025/26", CATALOG, schools, indicators, aggregate.criterion_scores(indicators, CATALOG))


def table(data: bytes) -> list[list[str]]:
    return [line.split(";") for line in data.decode("utf-8-sig").split("\r\n")[1:] if line]


def test_four_schools_give_n_only_and_ten_give_mean_and_median():
    few = table(to_monitoring_csv([year([1, 2, 3, 4])], with_schools=False))
    assert [row[9:] for row in few if row[1] == "kreis" and row[5] == "insgesamt" and row[7] == "1a"] == [
        ["n", "4", "0"], ["mittelwert", "", "1"], ["median", "", "1"],
    ]  # fmt: skip
    many = table(to_monitoring_csv([year([1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5])], with_schools=False))
    assert [row[9:] for row in many if row[1] == "gemeinde" and row[5] == "02" and row[7] == "gesamt"] == [
        ["n", "10", "0"], ["mittelwert", "5,55", "0"], ["median", "5,5", "0"],
    ]  # fmt: skip
    assert {row[1] for row in many} == {"kreis", "gemeinde"}


def test_rows_per_school_only_when_asked_and_names_never_become_formulas():
    rows = table(to_monitoring_csv([year([3, 7])], with_schools=True))
    schools = [row for row in rows if row[1] == "schule"]
    assert schools[:2] == [
        ["2025/26", "schule", "05978036", "'=Schule 0", "100000", "02", "Grundschule", "gesamt", "Gesamtwert", "wert", "3", "0"],
        ["2025/26", "schule", "05978036", "'=Schule 0", "100000", "02", "Grundschule", "K1", "Kriterium", "wert", "3", "0"],
    ]  # fmt: skip
    assert len(schools) == 2 * 3
