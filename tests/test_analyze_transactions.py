"""Transactions: column detection, amount/date parsing, RFM, ABC/XYZ and Pareto.

Small tables are worked out by hand in the comments; CDNOW is checked against plain pandas.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from persona_agent.analysis.analyze import (
    abc_xyz,
    normalize_transactions,
    pareto,
    parse_amounts,
    parse_dates,
    rfm,
    run_analysis,
)
from persona_agent.core.errors import AnalysisError

# shared/ sits beside the checkout (locally and in CI)
CDNOW = Path(__file__).resolve().parents[2] / "shared/datasets/cdnow/CDNOW_master.txt"


def _tx(rows: Sequence[tuple[str, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    return normalize_transactions(frame, "test.csv")[0]


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€1.234,50", 1234.50),
        ("1,234.50", 1234.50),
        ("kr 99,00", 99.0),
        ("99,-", 99.0),
        ("kr. 1.499,-", 1499.0),
        ("1 234,56", 1234.56),
        ("USD 1,234,567.89", 1234567.89),
        ("1.234.567,89 €", 1234567.89),
        ("(12.00)", -12.0),
        ("-€5", -5.0),
        ("€ −7,50", -7.5),
        ("$12", 12.0),
        ("12.5", 12.5),
        ("0,500", 0.5),
        ("1.234", 1234.0),  # a lone mark before three digits reads as thousands …
        ("1234.567", 1234.567),  # … unless what precedes it cannot be a thousands group
    ],
)
def test_parse_amounts_reads_currency_text(text: str, expected: float) -> None:
    assert parse_amounts(pd.Series([text])).iloc[0] == pytest.approx(expected)


def test_parse_amounts_follows_the_column_for_ambiguous_marks() -> None:
    comma_column = parse_amounts(pd.Series(["1,234", "2,5", "3,75"]))
    dot_column = parse_amounts(pd.Series(["1.234", "2.5", "3.75"]))
    thousands_column = parse_amounts(pd.Series(["1,234", "2.5", "3.75"]))
    assert comma_column.tolist() == pytest.approx([1.234, 2.5, 3.75])
    assert dot_column.tolist() == pytest.approx([1.234, 2.5, 3.75])
    assert thousands_column.tolist() == pytest.approx([1234.0, 2.5, 3.75])


def test_parse_amounts_keeps_numbers_and_marks_garbage_missing() -> None:
    assert parse_amounts(pd.Series([1.5, -2.0])).tolist() == [1.5, -2.0]
    parsed = parse_amounts(pd.Series(["abc", None, "", "12"]))
    assert parsed.isna().tolist() == [True, True, True, False]


def test_parse_dates_handles_common_formats() -> None:
    mixed = parse_dates(pd.Series(["2024-03-01", "15.03.2024", "20240320", "nonsense", None]))
    assert [str(d.date()) if pd.notna(d) else None for d in mixed] == [
        "2024-03-01", "2024-03-15", "2024-03-20", None, None,
    ]
    us = parse_dates(pd.Series(["03/15/2024", "04/01/2024", "12/31/2024"]))
    assert [d.month for d in us] == [3, 4, 12]  # month-first wins: it parses every value
    day_first = parse_dates(pd.Series(["15/03/2024", "01/04/2024"]))
    assert [d.month for d in day_first] == [3, 4]
    assert parse_dates(pd.Series([19970101, 19980630])).dt.year.tolist() == [1997, 1998]


# --- normalize_transactions --------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        ("customer_id", "order_date", "amount_eur"),
        ("Kunde", "Dato", "Beløp"),  # nb
        ("kunde", "dato", "beløb (DKK)"),  # da
        ("Klantnummer", "Datum", "Bedrag"),  # nl
        ("Customer ID", "Purchase date", "Revenue"),
    ],
)
def test_normalize_finds_columns_in_several_languages(headers: tuple[str, str, str]) -> None:
    raw = pd.DataFrame([["7", "2024-01-05", "10,50"], ["8", "2024-01-06", "3"]], columns=headers)
    clean, report = normalize_transactions(raw, "tx.csv")
    assert list(clean.columns) == ["customer_id", "date", "amount"]
    assert clean["amount"].tolist() == [10.5, 3.0]
    assert pd.api.types.is_string_dtype(clean["customer_id"])
    assert pd.api.types.is_datetime64_any_dtype(clean["date"])
    assert report.columns == dict(zip(("customer_id", "date", "amount"), headers, strict=True))


def test_normalize_multiplies_unit_price_by_quantity_and_keeps_order_ids() -> None:
    raw = pd.DataFrame({"InvoiceNo": ["536365", "536365"], "CustomerID": [17850.0, 17850.0],
                        "InvoiceDate": ["12/1/2010 8:26", "12/1/2010 8:26"],
                        "Quantity": [6, 2], "UnitPrice": [2.55, 3.39]})
    clean, report = normalize_transactions(raw, "online_retail.csv")
    assert clean["amount"].tolist() == pytest.approx([15.30, 6.78])
    assert clean["customer_id"].tolist() == ["17850"]  * 2  # no ".0" from the float column
    assert clean["order_id"].tolist() == ["536365"] * 2
    assert report.columns["order_id"] == "InvoiceNo"


def test_normalize_takes_column_roles_from_the_caller() -> None:
    raw = pd.DataFrame({"Buyer ref": ["a", "b"], "When": ["2024-01-05", "2024-01-06"],
                        "Paid": ["kr 10,50", "kr 3,00"], "Valuta": ["NOK", "NOK"]})
    roles = {"customer_id": "Buyer ref", "date": "When", "amount": "Paid", "currency": "Valuta"}
    clean, report = normalize_transactions(raw, "tx.csv", columns=roles)
    assert clean["amount"].tolist() == [10.5, 3.0]
    assert report.columns == {"customer_id": "Buyer ref", "date": "When", "amount": "Paid"}
    with pytest.raises(AnalysisError, match="no column named Missing"):
        normalize_transactions(raw, "tx.csv", columns={"amount": "Missing"})


def test_normalize_drops_and_counts_unusable_rows() -> None:
    raw = pd.DataFrame({
        "customer": ["a", None, "b", "c", "d", "  "],
        "date": ["2024-01-01", "2024-01-02", "31.02.2024", "2024-01-03", "2024-01-04", "2024-01-05"],
        "total": ["10", "20", "30", "n/a", "-5", "6"],
    })
    clean, report = normalize_transactions(raw, "tx.csv")
    assert clean["customer_id"].tolist() == ["a", "d"]
    assert {d.reason: d.rows for d in report.dropped} == {
        "customer id missing": 2,
        "date missing or not a date": 1,
        "amount missing or not a number": 1,
    }
    dropped = {d.reason: d.examples for d in report.dropped}
    assert dropped["customer id missing"] == ["row 2", "row 6"]
    assert dropped["date missing or not a date"] == ["'31.02.2024'"]
    assert (report.rows_read, report.rows_kept, report.return_rows) == (6, 2, 1)
    assert report.return_amount == -5.0


def test_normalize_can_exclude_returns() -> None:
    raw = pd.DataFrame({"customer_id": ["a", "a"], "date": ["2024-01-01"] * 2, "amount": [10, -4]})
    clean, report = normalize_transactions(raw, "tx.csv", returns="exclude")
    assert clean["amount"].tolist() == [10.0]
    assert report.dropped[0].reason == "return (negative amount) excluded"


def test_normalize_names_the_missing_column() -> None:
    raw = pd.DataFrame({"who": ["a"], "date": ["2024-01-01"], "amount": [1]})
    with pytest.raises(AnalysisError) as caught:
        normalize_transactions(raw, "tx.csv")
    assert "no customer_id column" in caught.value.message
    assert caught.value.hint and "customer_id" in caught.value.hint


def test_normalize_refuses_when_no_row_is_usable() -> None:
    raw = pd.DataFrame({"customer_id": ["a"], "date": ["never"], "amount": [1]})
    with pytest.raises(AnalysisError, match="no usable transactions"):
        normalize_transactions(raw, "tx.csv")


# --- RFM by hand ---------------------------------------------------------------------------------

# Reference 2024-07-01. Recency / frequency / monetary, and the scores 1 + ⌊5 × share strictly worse⌋:
#   A: 6 d, 3, 60  → R5 F4 M3 champions      B: 11 d, 1, 100-20 → R4 F1 M5 promising
#   C: 137 d, 2, 10 → R2 F3 M1 at risk       D: 173 d, 1, 50 → R1 F1 M2 hibernating
#   E: 58 d, 4, 60  → R3 F5 M3 loyal
HAND_ROWS = [
    ("A", "2024-01-01", 10), ("A", "2024-03-01", 20), ("A", "2024-06-25", 30),
    ("B", "2024-06-20", 100), ("B", "2024-06-21", -20),  # a return: netted, not a purchase
    ("C", "2024-02-01", 5), ("C", "2024-02-15", 5),
    ("D", "2024-01-10", 50),
    ("E", "2024-05-01", 15), ("E", "2024-05-02", 15), ("E", "2024-05-03", 15),
    ("E", "2024-05-04", 15),
]


def test_rfm_matches_hand_computation() -> None:
    result = rfm(_tx(HAND_ROWS), reference_date="2024-07-01")
    table = result.customers
    assert table["recency_days"].to_dict() == {"A": 6, "B": 11, "C": 137, "D": 173, "E": 58}
    assert table["frequency"].to_dict() == {"A": 3, "B": 1, "C": 2, "D": 1, "E": 4}
    assert table["monetary"].to_dict() == {"A": 60, "B": 80, "C": 10, "D": 50, "E": 60}
    scores = table[["r_score", "f_score", "m_score"]].astype(str).agg("".join, axis=1)
    assert scores.to_dict() == {"A": "543", "B": "415", "C": "231", "D": "112", "E": "353"}
    assert table["rfm_group"].to_dict() == {
        "A": "champions", "B": "promising", "C": "at_risk", "D": "hibernating", "E": "loyal",
    }
    champions = next(g for g in result.groups if g.name == "champions")
    assert champions.customers == 1
    assert champions.revenue_share == pytest.approx(60 / 260)
    assert champions.average_order_value == pytest.approx(20.0)
    assert result.revenue_total == 260


def test_rfm_default_reference_is_the_day_after_the_last_transaction() -> None:
    result = rfm(_tx(HAND_ROWS))
    assert str(result.reference_date) == "2024-06-26"
    assert result.customers.loc["A", "recency_days"] == 1


def test_rfm_counts_an_order_once_and_ties_share_a_score() -> None:
    raw = pd.DataFrame({"order_id": ["o1", "o1", "o2", "o3"], "customer_id": ["a", "a", "b", "c"],
                        "date": ["2024-01-01"] * 4, "amount": [5, 5, 10, 10]})
    result = rfm(normalize_transactions(raw, "tx.csv")[0])
    assert result.customers["frequency"].tolist() == [1, 1, 1]
    assert result.customers["r_score"].tolist() == [1, 1, 1]


def test_rfm_refuses_a_single_customer_and_an_early_reference_date() -> None:
    with pytest.raises(AnalysisError, match="at least 2 customers"):
        rfm(_tx([("a", "2024-01-01", 5), ("a", "2024-02-01", 5)]))
    with pytest.raises(AnalysisError, match="before the last transaction"):
        rfm(_tx(HAND_ROWS), reference_date="2024-01-01")


def test_run_analysis_turns_a_single_customer_into_warnings() -> None:
    raw = pd.DataFrame({"customer_id": ["a", "a"], "date": ["2024-01-01", "2024-02-01"],
                        "amount": ["€1.234,50", "kr 99,00"]})
    result = run_analysis(transactions=raw)
    assert result.rfm is None and result.transactions is not None
    assert {w.stage for w in result.warnings} == {"rfm", "abc_xyz", "pareto"}
    assert all("at least 2 customers" in w.message for w in result.warnings)


# --- ABC/XYZ and Pareto by hand -------------------------------------------------------------------

# Revenues 500, 200, 100, 80, 50, 30, 20, 10, 5, 5 (total 1000). Cumulative share before each:
# 0, .5, .7 → A (A brings exactly 80 %); .8, .88, .93 → B; .96 … → C.
TEN = [(f"c{i:02d}", "2024-01-15", r) for i, r in enumerate([500, 200, 100, 80, 50, 30, 20, 10, 5, 5])]


def test_abc_classes_match_hand_computation() -> None:
    result = abc_xyz(_tx(TEN), one_off=False)
    assert result.customers["abc"].tolist() == ["A"] * 3 + ["B"] * 3 + ["C"] * 4
    classes = {c.cell: c for c in result.classes}
    assert [classes[c].customers for c in "ABC"] == [3, 3, 4]
    assert [classes[c].revenue_share for c in "ABC"] == pytest.approx([0.8, 0.16, 0.04])
    strict = abc_xyz(_tx(TEN), a=0.5, b=0.9, one_off=False)
    # with a = .5, b = .9: only 0 < .5 is A; .5 … .88 are B; .93 on are C
    assert strict.customers["abc"].tolist() == ["A"] + ["B"] * 4 + ["C"] * 5


def test_one_off_business_gets_abc_by_average_order_value_only() -> None:
    result = abc_xyz(_tx(TEN))  # every customer bought once: detected as one-off
    assert result.basis == "average_order_value" and not result.xyz_applied
    assert result.cells == [] and "one-off" in result.note


def test_xyz_matches_hand_computation() -> None:
    # Monthly revenue Jan–Apr: x 100,100,100,100 → CV 0 (X); y 100,100,0,100 → CV .577 (Y);
    # z 400,0,0,0 → CV 1.73 (Z). ABC with a = .5, b = .9 on revenue x 400, z 400, y 300 (ties
    # by id): share before x 0 → A, z .36 → A, y .73 → B.
    rows = [("x", f"2024-0{m}-10", 100) for m in range(1, 5)]
    rows += [("y", f"2024-0{m}-10", 100) for m in (1, 2, 4)] + [("z", "2024-01-10", 400)]
    result = abc_xyz(_tx(rows), a=0.5, b=0.9)
    assert result.months == 4 and result.xyz_applied
    assert result.customers["cv"].round(3).to_dict() == {"x": 0.0, "y": 0.577, "z": 1.732}
    assert result.customers["cell"].to_dict() == {"x": "AX", "y": "BY", "z": "AZ"}
    cells = {c.cell: c.customers for c in result.cells}
    assert len(cells) == 9 and sum(cells.values()) == 3


def test_xyz_needs_three_months() -> None:
    rows = [("a", "2024-01-01", 5), ("a", "2024-02-01", 5), ("b", "2024-01-03", 9),
            ("b", "2024-02-03", 9)]
    result = abc_xyz(_tx(rows))
    assert not result.xyz_applied and "3 months" in result.note


def test_pareto_matches_hand_computation() -> None:
    result = pareto(_tx(TEN))
    assert (result.top_20_customers, result.top_4_customers) == (2, 1)
    assert result.top_20_revenue_share == pytest.approx(0.7)
    assert result.top_4_revenue_share == pytest.approx(0.5)
    assert result.customer_share_for_80_revenue == pytest.approx(0.3)


# --- CDNOW against plain pandas ------------------------------------------------------------------


@pytest.fixture(scope="module")
def cdnow() -> tuple[pd.DataFrame, pd.DataFrame]:
    if not CDNOW.exists():
        pytest.skip("CDNOW data set not found")
    raw = pd.read_csv(CDNOW, sep=r"\s+", dtype={"customer_id": str, "date": str})
    return raw, normalize_transactions(raw, "CDNOW_master.txt")[0]


def _plain_scores(values: pd.Series) -> np.ndarray:
    ordered = np.sort(values.to_numpy())
    return 1 + np.floor(5 * np.searchsorted(ordered, values.to_numpy(), side="left") / len(values))


def test_cdnow_rfm_matches_plain_pandas(cdnow: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    raw, tx = cdnow
    assert len(tx) == 69_659 and tx["customer_id"].nunique() == 23_570
    dates = pd.to_datetime(raw["date"], format="%Y%m%d")
    reference = dates.max() + pd.Timedelta(days=1)
    by_customer = raw.assign(date=dates).groupby("customer_id")
    expected = pd.DataFrame({
        "recency_days": (reference - by_customer["date"].max()).dt.days,
        "frequency": by_customer["date"].nunique(),  # a purchase = a customer's purchase day
        "monetary": by_customer["dollar_value"].sum(),
    })
    result = rfm(tx)
    table = result.customers
    assert str(result.reference_date) == "1998-07-01"
    assert list(table.index) == list(expected.index)
    assert (table["recency_days"].to_numpy() == expected["recency_days"].to_numpy()).all()
    assert (table["frequency"].to_numpy() == expected["frequency"].to_numpy()).all()
    assert np.allclose(table["monetary"], expected["monetary"])
    r = _plain_scores(-expected["recency_days"])
    f = _plain_scores(expected["frequency"])
    assert (table["r_score"].to_numpy() == r).all() and (table["f_score"].to_numpy() == f).all()
    plain_groups = np.select(
        [(r == 5) & (f >= 4), (r >= 3) & (f >= 4), (r >= 4) & (f >= 2), (r == 5) & (f == 1),
         (r == 4) & (f == 1), (r == 3) & (f == 3), r == 3, (r <= 2) & (f == 5), (r <= 2) & (f >= 3)],
        ["champions", "loyal", "potential_loyalists", "new", "promising", "need_attention",
         "about_to_sleep", "cannot_lose", "at_risk"],
        "hibernating",
    )
    expected_counts = pd.Series(plain_groups).value_counts().to_dict()
    assert {g.name: g.customers for g in result.groups} == expected_counts
    assert result.revenue_total == pytest.approx(raw["dollar_value"].sum())
    assert sum(g.revenue_share for g in result.groups) == pytest.approx(1.0)


def test_cdnow_abc_xyz_and_pareto_match_plain_pandas(
    cdnow: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    raw, tx = cdnow
    revenue = raw.groupby("customer_id")["dollar_value"].sum()
    ordered = revenue.reset_index().sort_values(["dollar_value", "customer_id"],
                                                ascending=[False, True])["dollar_value"]
    cumulative = ordered.cumsum().to_numpy()
    total = cumulative[-1]
    a_count = int(np.searchsorted(cumulative, 0.8 * total, side="left")) + 1
    b_count = int(np.searchsorted(cumulative, 0.95 * total, side="left")) + 1 - a_count

    months = pd.to_datetime(raw["date"], format="%Y%m%d").dt.to_period("M")
    monthly = raw.assign(month=months).pivot_table(
        index="customer_id", columns="month", values="dollar_value", aggfunc="sum", fill_value=0)
    assert monthly.shape[1] == 18  # every month Jan 1997 – Jun 1998 has purchases
    cv = (monthly.std(axis=1, ddof=0) / monthly.mean(axis=1)).fillna(np.inf)
    xyz = pd.Series(np.select([cv <= 0.5, cv <= 1.0], ["X", "Y"], "Z"), index=cv.index)

    result = abc_xyz(tx)
    classes = {c.cell: c.customers for c in result.classes}
    assert (classes["A"], classes["B"]) == (a_count, b_count)
    assert result.months == 18 and result.xyz_applied
    assert (result.customers["xyz"].to_numpy() == xyz.to_numpy()).all()
    a_share = next(c.revenue_share for c in result.classes if c.cell == "A")
    assert a_share >= 0.8 and a_share - ordered.iloc[a_count - 1] / total < 0.8

    top_20, top_4 = math.ceil(0.2 * len(ordered)), math.ceil(0.04 * len(ordered))
    shares = pareto(tx)
    assert shares.top_20_revenue_share == pytest.approx(cumulative[top_20 - 1] / total)
    assert shares.top_4_revenue_share == pytest.approx(cumulative[top_4 - 1] / total)
    assert shares.customer_share_for_80_revenue == pytest.approx(a_count / len(ordered))
