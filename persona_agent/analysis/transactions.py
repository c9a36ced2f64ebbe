"""Transactions in, customer value out: clean the rows, then RFM, ABC/XYZ and Pareto.

Rows that cannot be used are dropped and counted by reason, never silently. RFM, ABC/XYZ and
Pareto all start from one per-customer table (`customer_table`), which `run_analysis` builds once
and shares. Per-row work is vectorised; Python loops only run over named groups.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from persona_agent.analysis.models import (
    RFM_GROUP_LABELS,
    ABCXYZCell,
    ABCXYZResult,
    DroppedRows,
    ParetoResult,
    RFMGroup,
    RFMResult,
    TransactionReport,
)
from persona_agent.analysis.parsing import ROLE_NAMES, clean_ids, find_column, parse_amounts, parse_dates
from persona_agent.core.errors import AnalysisError

# ---------------------------------------------------------------------------------------------
# Cleaning: find the columns, drop and count the rows that cannot be used


def _transaction_columns(
    df: pd.DataFrame, source: str, given: Mapping[str, str] | None
) -> dict[str, str | None]:
    """Role -> header, detected by name; ``given`` roles win; no header plays two roles."""
    given = {role: header for role, header in (given or {}).items() if role in ROLE_NAMES}
    unknown = [str(header) for header in given.values() if header not in df.columns]
    if unknown:
        raise AnalysisError(f"{source}: no column named {', '.join(unknown)}",
                            f"columns are: {', '.join(map(str, df.columns))}")
    columns: dict[str, str | None] = dict(given)
    for role in ROLE_NAMES:
        if columns.get(role) is None:
            free = [c for c in df.columns if c not in columns.values()]
            columns[role] = find_column(free, role)
    return columns


def normalize_transactions(
    df: pd.DataFrame,
    source: str,
    *,
    returns: Literal["net", "exclude"] = "net",
    columns: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, TransactionReport]:
    """Clean transactions (`customer_id`, `date`, `amount`, optional `order_id`, `product`).

    Rows that cannot be used are dropped and counted by reason. Returns (negative amounts) are kept
    by default so revenue is net of them; they never count as purchases. ``returns="exclude"``
    drops them instead. ``columns`` (role -> header) overrides the detection by name, e.g. with
    the roles ingest already found.
    """
    roles = _transaction_columns(df, source, columns)
    for role in ("customer_id", "date"):
        if roles[role] is None:
            raise _missing_column(source, role, df)
    if roles["amount"] is not None:
        amount = parse_amounts(df[roles["amount"]])
    elif roles["unit_price"] is not None:
        amount = parse_amounts(df[roles["unit_price"]])
        if roles["quantity"] is not None:
            amount = amount * parse_amounts(df[roles["quantity"]])
    else:
        raise _missing_column(source, "amount", df)
    clean = pd.DataFrame(
        {
            "customer_id": clean_ids(df[roles["customer_id"]]).to_numpy(),
            "date": parse_dates(df[roles["date"]]).to_numpy(),
            "amount": amount.to_numpy(),
        }
    )
    for role in ("order_id", "product"):
        if roles[role] is not None:
            clean[role] = clean_ids(df[roles[role]]).to_numpy()
    raw_date = df[roles["date"]].reset_index(drop=True)
    raw_amount = df[roles["amount"] or roles["unit_price"]].reset_index(drop=True)
    checks = [
        ("customer id missing", clean["customer_id"].isna(), None),
        ("date missing or not a date", clean["date"].isna(), raw_date),
        ("amount missing or not a number", clean["amount"].isna(), raw_amount),
    ]
    if returns == "exclude":
        checks.append(("return (negative amount) excluded", clean["amount"] < 0, raw_amount))
    keep = pd.Series(True, index=clean.index)
    dropped = []
    for reason, failed, raw_values in checks:
        failed = failed.fillna(False) & keep
        if not failed.any():
            continue
        if raw_values is None:  # examples name 1-based data rows, else show the raw values
            examples = [f"row {position + 1}" for position in np.flatnonzero(failed)[:3]]
        else:
            examples = [repr(value) for value in raw_values[failed].head(3).tolist()]
        dropped.append(DroppedRows(reason=reason, rows=int(failed.sum()), examples=examples))
        keep &= ~failed
    clean = clean[keep].reset_index(drop=True)
    if clean.empty:
        raise AnalysisError(
            f"{source}: no usable transactions ({len(df)} rows read, all dropped)",
            "check that customer id, date and amount columns are filled and readable",
        )
    is_return = clean["amount"] < 0
    report = TransactionReport(
        source=source,
        rows_read=len(df),
        rows_kept=len(clean),
        customers=int(clean["customer_id"].nunique()),
        columns={role: str(header) for role, header in roles.items() if header is not None},
        dropped=dropped,
        returns_policy=returns,
        return_rows=int(is_return.sum()),
        return_amount=float(clean.loc[is_return, "amount"].sum()),
        first_date=clean["date"].min().date(),
        last_date=clean["date"].max().date(),
    )
    return clean, report


def _missing_column(source: str, role: str, df: pd.DataFrame) -> AnalysisError:
    known = ", ".join(ROLE_NAMES[role][:6])
    return AnalysisError(
        f"{source}: no {role} column among {', '.join(map(str, df.columns))}",
        f"rename the column to one of: {known}",
    )


# ---------------------------------------------------------------------------------------------
# RFM, ABC/XYZ and Pareto share one per-customer table


def _purchases(tx: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per purchase: an order id, or a customer's purchase day when there are no order ids.

    ``is_purchase`` is False when every row of it is negative: a credit note is not a visit, but a
    zero-value order (a free item) is.
    """
    customer_code, customer_ids = pd.factorize(tx["customer_id"], sort=True)
    if "order_id" in tx.columns and tx["order_id"].notna().all():
        purchase_key = pd.factorize(tx["order_id"])[0]
    else:
        purchase_key = tx["date"].dt.floor("D").to_numpy().astype("int64")
    grouped = pd.DataFrame(
        {"customer": customer_code, "key": purchase_key, "date": tx["date"].to_numpy(),
         "amount": tx["amount"].to_numpy()}
    ).groupby(["customer", "key"], sort=False).agg(
        date=("date", "max"), amount=("amount", "sum"), largest=("amount", "max"))
    purchases = grouped.reset_index()
    purchases["is_purchase"] = purchases["largest"] >= 0
    return purchases, np.asarray(customer_ids, dtype=object)


def customer_table(tx: pd.DataFrame) -> pd.DataFrame:
    """Net revenue, purchases and first/last purchase date per customer who bought something.

    RFM, ABC/XYZ and Pareto all start from this; `run_analysis` builds it once and shares it.
    ``attrs["customers_without_purchase"]`` counts customers who only returned goods.
    """
    _require_columns(tx, ("customer_id", "date", "amount"))
    purchases, customer_ids = _purchases(tx)
    revenue = purchases.groupby("customer")["amount"].sum()
    table = purchases[purchases["is_purchase"]].groupby("customer").agg(
        purchases=("date", "size"), first_date=("date", "min"), last_date=("date", "max"))
    table["revenue"] = revenue.reindex(table.index)
    table.index = pd.Index(customer_ids[table.index.to_numpy()], dtype="string", name="customer_id")
    table.attrs["customers_without_purchase"] = len(revenue) - len(table)
    return table.sort_index()


def _require_columns(tx: pd.DataFrame, names: tuple[str, ...]) -> None:
    missing = [name for name in names if name not in tx.columns]
    if missing:
        raise AnalysisError(
            f"transactions lack column(s) {', '.join(missing)}",
            "pass the frame returned by normalize_transactions",
        )


def _require_customers(customers: pd.DataFrame, stage: str) -> None:
    if len(customers) < 2:
        raise AnalysisError(
            f"{stage} needs at least 2 customers with purchases; the transactions have "
            f"{len(customers)}",
            "check the customer id column, or add more transactions",
        )


def _quintile_score(values: pd.Series, higher_is_better: bool = True) -> np.ndarray:
    """1 + ⌊5 × share of customers strictly worse⌋: ties share a score; input order is irrelevant."""
    oriented = values if higher_is_better else -values
    strictly_lower = oriented.rank(method="min").to_numpy() - 1
    return (1 + np.floor(5 * strictly_lower / len(values))).astype("int64")


# The usual R×F grid (rows R1…R5, columns F1…F5): recent and frequent customers are champions.
_RFM_GRID = np.array(
    [
        ["hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"],
        ["hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"],
        ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
        ["promising", "potential_loyalists", "potential_loyalists", "loyal", "loyal"],
        ["new", "potential_loyalists", "potential_loyalists", "champions", "champions"],
    ]
)


def rfm(
    tx: pd.DataFrame,
    reference_date: date | str | None = None,
    *,
    customers: pd.DataFrame | None = None,
) -> RFMResult:
    """Recency, frequency and monetary value per customer, scored in quintiles and grouped.

    Recency is counted in days to ``reference_date`` (default: the day after the last
    transaction). Groups come from the R and F scores; M is reported, not used for grouping.
    ``customers`` is `customer_table(tx)` when the caller already has it.
    """
    customers = customer_table(tx) if customers is None else customers
    _require_customers(customers, "RFM")
    last_day = tx["date"].max().normalize()
    reference = (pd.Timestamp(reference_date).normalize() if reference_date
                 else last_day + pd.Timedelta(days=1))
    if reference < last_day:
        raise AnalysisError(
            f"reference date {reference.date()} is before the last transaction ({last_day.date()})",
            "leave the reference date out, or pick a day after the last transaction",
        )
    table = pd.DataFrame(
        {
            "recency_days": (reference - customers["last_date"].dt.normalize()).dt.days,
            "frequency": customers["purchases"],
            "monetary": customers["revenue"],
        }
    )
    table["r_score"] = _quintile_score(table["recency_days"], higher_is_better=False)
    table["f_score"] = _quintile_score(table["frequency"])
    table["m_score"] = _quintile_score(table["monetary"])
    table["rfm_group"] = _RFM_GRID[table["r_score"].to_numpy() - 1, table["f_score"].to_numpy() - 1]
    revenue_total = float(table["monetary"].sum())
    stats = table.groupby("rfm_group").agg(
        customers=("monetary", "size"), revenue=("monetary", "sum"), purchases=("frequency", "sum"),
        recency=("recency_days", "mean"), frequency=("frequency", "mean"),
        monetary=("monetary", "mean"),
    )
    groups = [
        RFMGroup(
            name=name,
            label=RFM_GROUP_LABELS[name],
            customers=int(row.customers),
            customer_share=row.customers / len(table),
            revenue=float(row.revenue),
            revenue_share=_share(row.revenue, revenue_total),
            purchases=int(row.purchases),
            average_order_value=_share(row.revenue, row.purchases),
            mean_recency_days=float(row.recency),
            mean_frequency=float(row.frequency),
            mean_monetary=float(row.monetary),
        )
        for name in RFM_GROUP_LABELS
        if name in stats.index
        for row in [stats.loc[name]]
    ]
    return RFMResult(
        reference_date=reference.date(),
        customers_total=len(table),
        revenue_total=revenue_total,
        groups=groups,
        customers_without_purchase=customers.attrs.get("customers_without_purchase", 0),
        customers=table,
    )


def _share(part: float, whole: float) -> float:
    return float(part) / float(whole) if whole else 0.0


def abc_xyz(
    tx: pd.DataFrame,
    a: float = 0.8,
    b: float = 0.95,
    *,
    x_max_cv: float = 0.5,
    y_max_cv: float = 1.0,
    one_off: bool | None = None,
    customers: pd.DataFrame | None = None,
) -> ABCXYZResult:
    """ABC by cumulative revenue share, XYZ by the variation of monthly purchases.

    A is the smallest set of top customers that brings at least ``a`` of revenue, B the next up to
    ``b``. XYZ uses the coefficient of variation of each customer's monthly net revenue over every
    month in the data: X ≤ ``x_max_cv`` < Y ≤ ``y_max_cv`` < Z. The defaults are wider than the
    textbook 10/25 % for product demand, which would put nearly every customer in Z. For one-off
    businesses (auto: under 10 % repeat buyers) only ABC is done, by average order value.
    """
    if not 0 < a < b <= 1:
        raise AnalysisError(f"ABC thresholds must satisfy 0 < a < b ≤ 1 (got a={a}, b={b})", None)
    customers = customer_table(tx) if customers is None else customers
    _require_customers(customers, "ABC/XYZ")
    repeat_share = float((customers["purchases"] > 1).mean())
    one_off = repeat_share < 0.10 if one_off is None else one_off
    revenue = customers["revenue"].clip(lower=0)
    basis_value = revenue / customers["purchases"] if one_off else revenue
    table = pd.DataFrame({"revenue": revenue, "basis_value": basis_value})
    table["abc"] = _abc_classes(basis_value, a, b)
    months_span = tx["date"].dt.to_period("M")
    months = int((months_span.max() - months_span.min()).n) + 1
    note = ""
    xyz_applied = not one_off and months >= 3
    if one_off:
        note = f"one-off purchases ({repeat_share:.0%} repeat buyers): ABC by average order value"
    elif not xyz_applied:
        note = f"XYZ needs at least 3 months of transactions; the data spans {months}"
    if xyz_applied:
        table["cv"] = _monthly_cv(tx, months).reindex(table.index)
        table["xyz"] = np.select(
            [table["cv"] <= x_max_cv, table["cv"] <= y_max_cv], ["X", "Y"], "Z"
        )
        table["cell"] = table["abc"] + table["xyz"]
    revenue_total = float(revenue.sum())

    def summarise(column: str, labels: list[str]) -> list[ABCXYZCell]:
        stats = table.groupby(column)["revenue"].agg(["size", "sum"]).reindex(labels, fill_value=0)
        return [
            ABCXYZCell(
                cell=label, customers=int(row["size"]), customer_share=row["size"] / len(table),
                revenue=float(row["sum"]), revenue_share=_share(row["sum"], revenue_total),
            )
            for label, row in stats.iterrows()
        ]

    cells = [c + x for c in "ABC" for x in "XYZ"]
    return ABCXYZResult(
        basis="average_order_value" if one_off else "revenue",
        a_threshold=a, b_threshold=b, xyz_applied=xyz_applied, x_max_cv=x_max_cv,
        y_max_cv=y_max_cv, months=months, classes=summarise("abc", list("ABC")),
        cells=summarise("cell", cells) if xyz_applied else [], note=note, customers=table,
    )


def _abc_classes(value: pd.Series, a: float, b: float) -> np.ndarray:
    ordered = value.sort_values(ascending=False, kind="stable")  # index is sorted ids: ties stable
    total = ordered.sum()
    if total <= 0:
        raise AnalysisError("no customer has positive revenue; ABC is not possible", None)
    share_before = (ordered.cumsum() - ordered) / total
    classes = pd.Series(np.select([share_before < a, share_before < b], ["A", "B"], "C"),
                        index=ordered.index)
    return classes.reindex(value.index).to_numpy()


def _monthly_cv(tx: pd.DataFrame, months: int) -> pd.Series:
    """Std/mean of monthly net revenue, months without purchases counted as 0."""
    customer_code, customer_ids = pd.factorize(tx["customer_id"])
    month_code = (tx["date"].dt.year * 12 + tx["date"].dt.month).to_numpy()
    monthly = pd.Series(tx["amount"].to_numpy()).groupby([customer_code, month_code]).sum()
    total = monthly.groupby(level=0).sum()
    squares = (monthly**2).groupby(level=0).sum()
    mean = total / months
    variance = (squares / months - mean**2).clip(lower=0)
    cv = (np.sqrt(variance) / mean.where(mean > 0)).fillna(np.inf)
    cv.index = pd.Index(np.asarray(customer_ids)[cv.index.to_numpy()], dtype="string")
    return cv


def pareto(tx: pd.DataFrame, *, customers: pd.DataFrame | None = None) -> ParetoResult:
    """How concentrated revenue is: the top 20 % and top 4 % of customers (rounded up)."""
    customers = customer_table(tx) if customers is None else customers
    _require_customers(customers, "Pareto")
    revenue = customers["revenue"].clip(lower=0).sort_values(ascending=False, kind="stable")
    total = float(revenue.sum())
    cumulative = revenue.cumsum().to_numpy()
    top_20 = math.ceil(0.2 * len(revenue))
    top_4 = math.ceil(0.04 * len(revenue))
    needed_for_80 = int(np.searchsorted(cumulative, 0.8 * total, side="left")) + 1
    return ParetoResult(
        customers=len(revenue), revenue_total=total, top_20_customers=top_20,
        top_20_revenue_share=_share(cumulative[top_20 - 1], total), top_4_customers=top_4,
        top_4_revenue_share=_share(cumulative[top_4 - 1], total),
        customer_share_for_80_revenue=needed_for_80 / len(revenue),
    )


