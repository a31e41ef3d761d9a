"""Issue 16: the means of a selection over all rounds, with the small-group caution (nothing below five schools)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from selfeval.scoring.aggregate import MIN_GROUP_SIZE, means_over_rounds


def scores(rows: list[tuple[float, float]]) -> pd.DataFrame:
    index = pd.Index([f"1000{i:02d}" for i in range(len(rows))], name="schulnummer")
    return pd.DataFrame(rows, columns=["k1", "overall"], index=index, dtype="float64")


def test_each_round_gets_its_count_and_its_means_from_five_schools_on():
    five = scores([(2, 4), (4, 4), (6, 6), (8, 6), (np.nan, 5)])
    four = scores([(1, 1), (2, 2), (3, 3), (4, 4)])
    table = means_over_rounds([("2023/24", five), ("2024/25", four), ("2025/26", scores([]))], ["k1", "overall"])
    assert list(table.columns) == ["2023/24", "2024/25", "2025/26"]
    assert list(table.index) == ["n", "k1", "overall"]
    assert table["2023/24"].tolist() == [5, 5.0, 5.0]  # k1: (2+4+6+8)/4, the unrated criterion does not count
    assert table.loc["n", "2024/25"] == 4 and math.isnan(table.loc["k1", "2024/25"])
    assert table.loc["n", "2025/26"] == 0 and math.isnan(table.loc["overall", "2025/26"])
    assert MIN_GROUP_SIZE == 5


def test_no_rounds_give_an_empty_table():
    table = means_over_rounds([], ["k1", "overall"])
    assert (list(table.index), list(table.columns)) == (["n", "k1", "overall"], [])
