"""Quantitative analysis: survey segments, RFM, ABC/XYZ, Pareto and an analytics cross-check.

Segments come from the numbers, not from the LLM: the model only describes what this module found.
Everything here is pure pandas/scikit-learn on DataFrames returning pydantic models, so results are
deterministic (same data and seed give the same segment ids) and testable without a store or CLI.
Per-row work is vectorised; Python loops only run over columns, clusters or named groups.
Rendering (evidence text, Markdown, charts) lives in `analysis_report`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from persona_agent.errors import AnalysisError, PersonaError

if TYPE_CHECKING:
    from persona_agent.schema import Evidence

_Result = TypeVar("_Result")

# ---------------------------------------------------------------------------------------------
# Result models (the contract with the CLI, the store and the report)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class _WithCustomers(BaseModel):
    """Results that also keep a per-customer table for joins; the table never goes into JSON."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)
    customers: pd.DataFrame = Field(exclude=True, repr=False)


class DroppedRows(_Frozen):
    reason: str
    rows: int
    examples: list[str] = Field(default_factory=list)


class TransactionReport(_Frozen):
    """What `normalize_transactions` did to the raw rows, so nothing is dropped silently."""

    source: str
    rows_read: int
    rows_kept: int
    customers: int
    columns: dict[str, str]  # role (customer_id, date, amount, …) -> the header it came from
    dropped: list[DroppedRows]
    returns_policy: Literal["net", "exclude"]
    return_rows: int
    return_amount: float
    first_date: date | None
    last_date: date | None


class RFMGroup(_Frozen):
    name: str
    label: str
    customers: int
    customer_share: float
    revenue: float
    revenue_share: float
    purchases: int
    average_order_value: float
    mean_recency_days: float
    mean_frequency: float
    mean_monetary: float


class RFMResult(_WithCustomers):
    reference_date: date
    customers_total: int
    revenue_total: float
    groups: list[RFMGroup]
    customers_without_purchase: int = 0


class ABCXYZCell(_Frozen):
    cell: str  # "A" … "C" for classes, "AX" … "CZ" for matrix cells
    customers: int
    customer_share: float
    revenue: float
    revenue_share: float


class ABCXYZResult(_WithCustomers):
    basis: Literal["revenue", "average_order_value"]
    a_threshold: float
    b_threshold: float
    xyz_applied: bool
    x_max_cv: float
    y_max_cv: float
    months: int
    classes: list[ABCXYZCell]
    cells: list[ABCXYZCell]
    note: str = ""


class ParetoResult(_Frozen):
    customers: int
    revenue_total: float
    top_20_customers: int
    top_20_revenue_share: float
    top_4_customers: int
    top_4_revenue_share: float
    customer_share_for_80_revenue: float


class AnswerContrast(_Frozen):
    """One answer's weight in a segment against everyone; ``answer`` is None for a numeric mean."""

    question: str
    answer: str | None
    kind: Literal["share", "mean"]
    segment_value: float
    overall_value: float


class DemographicProfile(_Frozen):
    dimension: str
    question: str
    answers: list[AnswerContrast]


class Segment(_Frozen):
    segment_id: str
    size: int
    share: float
    distinguishing: list[AnswerContrast]
    demographics: list[DemographicProfile]
    respondent_ids: list[str]
    free_text_respondent_ids: list[str]


class SegmentationResult(_Frozen):
    respondents: int
    k: int
    k_requested: int | None
    criterion: str
    k_scores: dict[int, float]
    seed: int
    questions_used: list[str]
    demographic_questions: dict[str, str]  # question -> dimension
    excluded_questions: dict[str, str]  # question -> why it was not used
    segments: list[Segment]
    warnings: list[str] = Field(default_factory=list)


class CategoryComparison(_Frozen):
    category: str
    survey_share: float
    audience_share: float


class DimensionCheck(_Frozen):
    dimension: str
    survey_question: str
    audience_column: str
    survey_answers: int
    audience_total: float
    categories: list[CategoryComparison]
    disagreements: list[CategoryComparison]
    total_variation: float


class CrossCheckResult(_Frozen):
    threshold: float
    audience_weight_column: str | None
    dimensions: list[DimensionCheck]
    not_compared: dict[str, str]


class SegmentValue(_Frozen):
    segment_id: str
    respondents: int
    joined: int
    revenue: float
    mean_revenue: float
    rfm_groups: dict[str, float]  # group name -> share of the joined respondents
    abc_classes: dict[str, float]


class ValueJoinResult(_Frozen):
    joinable: bool
    respondents_with_customer_id: int
    matched: int
    message: str
    segments: list[SegmentValue]


class AnalysisWarning(_Frozen):
    stage: str
    message: str


class AnalysisResult(_Frozen):
    segmentation: SegmentationResult | None = None
    transactions: TransactionReport | None = None
    rfm: RFMResult | None = None
    abc_xyz: ABCXYZResult | None = None
    pareto: ParetoResult | None = None
    cross_check: CrossCheckResult | None = None
    value: ValueJoinResult | None = None
    warnings: list[AnalysisWarning] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Transactions: find columns, parse amounts and dates, drop and count what cannot be used

_ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "customer_id", "customerid", "customer_no", "customer_number", "customer", "client_id",
        "client", "user_id", "buyer_id", "kunde_id", "kundeid", "kundenr", "kundenummer", "kunde",
        "klant_id", "klantid", "klantnr", "klantnummer", "klant", "email", "e_mail",
    ),
    "date": (
        "date", "order_date", "orderdate", "purchase_date", "transaction_date", "invoice_date",
        "invoicedate", "created_at", "timestamp", "datetime", "dato", "ordredato", "ordre_dato",
        "kjøpsdato", "købsdato", "fakturadato", "datum", "orderdatum", "besteldatum",
        "aankoopdatum", "factuurdatum",
    ),
    "amount": (
        "amount", "total", "total_amount", "order_total", "revenue", "sales", "net_sales",
        "dollar_value", "order_value", "sum", "beløb", "beløp", "totalbeløb", "totalbeløp",
        "bedrag", "totaal", "omzet", "omsætning", "omsetning", "value",
    ),
    "order_id": (
        "order_id", "orderid", "order_no", "order_number", "order", "ordre_id", "ordreid",
        "ordrenr", "ordrenummer", "ordre", "ordernummer", "bestelnummer", "bestelling",
        "invoice", "invoice_no", "invoiceno", "invoice_id", "invoice_number", "transaction_id",
        "faktura", "fakturanr", "fakturanummer", "factuurnummer", "receipt_id",
    ),
    "product": (
        "product_category", "category", "product", "product_id", "sku", "item", "produkt",
        "produktkategori", "kategori", "vare", "varegruppe", "categorie", "productcategorie",
    ),
    "unit_price": ("unit_price", "unitprice", "price", "pris", "enhetspris", "stykpris", "prijs"),
    "quantity": ("quantity", "qty", "units", "antal", "antall", "aantal", "stk", "stuks"),
}
_SUFFIXABLE_ROLES = ("amount", "date")  # "amount_eur", "beløb_dkk", "order_date_utc"
_DATE_FORMATS = (
    "ISO8601", "%Y%m%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%y",
    "%d/%m/%y", "%m/%d/%y", "%d.%m.%Y %H:%M", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M",
    "%d-%m-%Y %H:%M", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y",
)
_MISSING_TEXT = {"", "nan", "none", "null", "na", "n/a", "<na>"}


def header_key(header: object) -> str:
    """Compare headers by letters and digits only: "Beløb (DKK)" and "beløb_dkk" are the same."""
    return re.sub(r"\W+", "_", str(header).casefold()).strip("_")


def find_column(columns: Iterable[object], role: str) -> str | None:
    """The column that plays ``role`` (see `_ROLE_NAMES`), by exact name first, then by prefix."""
    by_key = {header_key(column): column for column in reversed(list(columns))}
    names = _ROLE_NAMES[role]
    for name in names:
        if name in by_key:
            return str(by_key[name])
    if role in _SUFFIXABLE_ROLES:
        for name in names:
            for key, column in by_key.items():
                if key.startswith(name + "_") or key.endswith("_" + name):
                    return str(column)
    return None


def _per_distinct(
    values: pd.Series, convert: Callable[[pd.Series], pd.Series], dtype: str
) -> pd.Series:
    """Apply a (string-heavy) conversion once per distinct value and spread the results back.

    Exports repeat the same dates, prices and answers many times, so this is the cheap way to run
    regexes over a million rows.
    """
    codes, distinct = pd.factorize(values)
    converted = convert(pd.Series(distinct)).astype(dtype)
    if converted.empty:
        return pd.Series(pd.array([None] * len(values), dtype=dtype), index=values.index)
    spread = converted.take(np.maximum(codes, 0)).set_axis(values.index)
    return spread.where(codes >= 0)


def parse_amounts(raw: pd.Series) -> pd.Series:
    """Amounts as floats from text like "€1.234,50", "1,234.50", "kr 99,00", "(12.00)" or "99,-".

    The decimal mark is read per value where it is unambiguous (both marks present, or one mark
    followed by other than three digits); a lone mark before exactly three digits follows the
    column's majority, else counts as a thousands separator. Unique strings are parsed once.
    """
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.astype("float64")
    return _per_distinct(raw.astype("string"), _parse_amount_strings, "float64")


def _parse_amount_strings(text: pd.Series) -> pd.Series:
    text = text.str.strip().str.replace(r"[,.]-$", "", regex=True)
    negative = text.str.contains(r"^\(.*\)$|[-−–]", regex=True).fillna(False).to_numpy(bool)
    body = text.str.replace(r"[^\W\d_]+\.?", "", regex=True).str.replace(r"[^0-9.,]", "", regex=True)
    n_dot, n_comma = body.str.count(r"\.").to_numpy(), body.str.count(",").to_numpy()
    last_dot, last_comma = body.str.rfind(".").to_numpy(), body.str.rfind(",").to_numpy()
    length = body.str.len().to_numpy()
    both = (n_dot > 0) & (n_comma > 0)
    lone_dot = (n_dot == 1) & (n_comma == 0)
    lone_comma = (n_comma == 1) & (n_dot == 0)
    comma_decimal = (both & (last_comma > last_dot)) | (lone_comma & (length - last_comma != 4))
    dot_decimal = (both & (last_dot > last_comma)) | (lone_dot & (length - last_dot != 4))
    # A lone mark before exactly three digits: a decimal mark if the column uses it as one, or if
    # what precedes it cannot be a thousands group ("0.500", "1234.567"); else thousands.
    column_uses_comma = comma_decimal.sum() > dot_decimal.sum()
    column_uses_dot = dot_decimal.sum() > comma_decimal.sum()
    odd_dot_group = (last_dot > 3) | (body.str.match(r"^0?\.").fillna(False).to_numpy(bool))
    odd_comma_group = (last_comma > 3) | (body.str.match(r"^0?,").fillna(False).to_numpy(bool))
    three_after_dot = lone_dot & (length - last_dot == 4)
    three_after_comma = lone_comma & (length - last_comma == 4)
    dot_decimal |= three_after_dot & (column_uses_dot | odd_dot_group)
    comma_decimal |= three_after_comma & (column_uses_comma | odd_comma_group)
    normalized = np.select(
        [comma_decimal, dot_decimal],
        [
            body.str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
            body.str.replace(",", "", regex=False),
        ],
        body.str.replace(r"[.,]", "", regex=True),
    )
    numbers = pd.to_numeric(pd.Series(normalized, dtype="string"), errors="coerce")
    return numbers.astype("float64").where(~negative, -numbers.astype("float64").abs())


def parse_dates(raw: pd.Series) -> pd.Series:
    """Dates from ISO, YYYYMMDD (also as integers) and day-first European formats.

    Formats are tried in order of how many values they parse (so a US month-first column is read
    as such), each on what is still unparsed; no free-form guessing, which would depend on today.
    """
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed = raw.dt.tz_convert(None) if getattr(raw.dt, "tz", None) else raw
        return parsed.astype("datetime64[us]")
    if pd.api.types.is_numeric_dtype(raw):
        raw = raw.astype("Int64")
    return _per_distinct(raw.astype("string"), _parse_date_strings, "datetime64[us]")


def _parse_date_strings(candidates: pd.Series) -> pd.Series:
    candidates = candidates.astype("string").str.strip()
    sample = candidates.iloc[:2000]
    scores = [_try_format(sample, fmt).notna().sum() for fmt in _DATE_FORMATS]
    parsed = pd.Series(pd.NaT, index=candidates.index, dtype="datetime64[us]")
    for position in np.argsort([-score for score in scores], kind="stable"):
        pending = parsed.isna()
        if not pending.any():
            break
        parsed[pending] = _try_format(candidates[pending], _DATE_FORMATS[position])
    return parsed.where((parsed.dt.year >= 1900) & (parsed.dt.year <= 2100))


def _try_format(values: pd.Series, fmt: str) -> pd.Series:
    parsed = pd.to_datetime(values, format=fmt, errors="coerce", utc=True)
    return parsed.dt.tz_convert(None).astype("datetime64[us]")


def _clean_ids(raw: pd.Series) -> pd.Series:
    """Ids as trimmed strings; integral floats (ids read next to blanks) lose their ".0"."""
    if pd.api.types.is_float_dtype(raw) and bool((raw.dropna() % 1 == 0).all()):
        raw = raw.astype("Int64")
    ids = raw.astype("string").str.strip()
    return ids.mask(ids.str.casefold().isin(_MISSING_TEXT))


def _transaction_columns(
    df: pd.DataFrame, source: str, given: Mapping[str, str] | None
) -> dict[str, str | None]:
    """Role -> header, detected by name; ``given`` roles win; no header plays two roles."""
    given = {role: header for role, header in (given or {}).items() if role in _ROLE_NAMES}
    unknown = [str(header) for header in given.values() if header not in df.columns]
    if unknown:
        raise AnalysisError(f"{source}: no column named {', '.join(unknown)}",
                            f"columns are: {', '.join(map(str, df.columns))}")
    columns: dict[str, str | None] = dict(given)
    for role in _ROLE_NAMES:
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
            "customer_id": _clean_ids(df[roles["customer_id"]]).to_numpy(),
            "date": parse_dates(df[roles["date"]]).to_numpy(),
            "amount": amount.to_numpy(),
        }
    )
    for role in ("order_id", "product"):
        if roles[role] is not None:
            clean[role] = _clean_ids(df[roles[role]]).to_numpy()
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
    known = ", ".join(_ROLE_NAMES[role][:6])
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
RFM_GROUP_LABELS: dict[str, str] = {
    "champions": "Champions",
    "loyal": "Loyal customers",
    "potential_loyalists": "Potential loyalists",
    "new": "New customers",
    "promising": "Promising",
    "need_attention": "Need attention",
    "about_to_sleep": "About to sleep",
    "at_risk": "At risk",
    "cannot_lose": "Can't lose them",
    "hibernating": "Hibernating",
}
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


def count_text(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


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


# ---------------------------------------------------------------------------------------------
# Survey segmentation: one-hot + scaling, k-means, k by silhouette, profiles per segment

DIMENSION_KEYWORDS: dict[str, tuple[str, ...]] = {
    "age": ("age", "age band", "age group", "how old", "alder", "aldersgruppe", "leeftijd",
            "leeftijdsgroep", "hoe oud", "hvor gammel"),
    "gender": ("gender", "sex", "kjønn", "køn", "geslacht"),
    "location": ("location", "city", "country", "region", "where do you live", "postcode",
                 "zip", "bosted", "bopæl", "hvor bor", "fylke", "kommune", "landsdel",
                 "woonplaats", "waar woon", "provincie", "postnummer"),
    "income": ("income", "salary", "inntekt", "indkomst", "inkomen", "lønn", "løn", "salaris"),
    "education": ("education", "degree", "utdanning", "uddannelse", "opleiding"),
    "family": ("family", "household", "children", "kids", "marital", "familie", "husstand",
               "barn", "børn", "kinderen", "gezin", "huishouden", "sivilstatus", "civilstand"),
    "job": ("job", "job title", "occupation", "profession", "industry", "company size", "yrke",
            "stilling", "jobb", "erhverv", "beroep", "functie", "branche", "bransje", "sector"),
    "device": ("device", "device category", "enhet", "enhed", "apparaat"),
}
DEMOGRAPHIC_DIMENSIONS = ("age", "gender", "location", "income", "education", "family", "job")
_DIMENSION_PATTERNS = {
    dimension: re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
    for dimension, words in DIMENSION_KEYWORDS.items()
}
_NOT_ANSWER_NAMES = {"id", "respondent", "respondent_id", "respondentid", "response_id", "svar_id",
                     "name", "navn", "naam", "e_mail", "email", "timestamp", "tidsmerke",
                     "tidsstempel", "tijdstempel", "submitted_at", "created_at"}
# Multi-select answers are joined with ";" — or with "," when the question says so.
_MULTI_SELECT_HINT = re.compile(
    r"select all|all that apply|choose all|tick all|check all|flere svar|kryss av|vælg alle|"
    r"sæt kryds|meerdere antwoorden|van toepassing", re.IGNORECASE)


def question_dimension(question: object) -> str | None:
    """Which demographic (or device) a question asks about, from its wording; None for others."""
    text = header_key(question).replace("_", " ")
    return next((d for d, pattern in _DIMENSION_PATTERNS.items() if pattern.search(text)), None)


def segment_survey(
    survey: pd.DataFrame,
    k: int | None = None,
    k_range: tuple[int, int] = (2, 6),
    seed: int = 0,
    *,
    free_text_respondents: Iterable[str] | None = None,
    demographic_columns: Iterable[str] | None = None,
    top_answers: int = 5,
) -> SegmentationResult:
    """Cluster respondents on their closed answers; segments S1, S2, … are numbered by size.

    Demographic questions (found by wording, or ``demographic_columns``) are described per segment
    but not clustered on, so segments are about needs and behaviour rather than age or city. Each
    question weighs the same: numbers are z-scored, and one question's one-hot answers are scaled
    to a total variance of 1. Unless ``k`` is given, k is the one in ``k_range`` with the highest
    silhouette (ties go to fewer segments).
    """
    warnings: list[str] = []
    answers = _respondent_frame(survey, warnings)
    if answers.empty:
        raise AnalysisError("the survey has no respondents", "check the survey file and its id column")
    kinds, excluded = _question_kinds(answers)
    if demographic_columns is None:
        dimensions = {q: d for q in answers.columns if (d := question_dimension(q))}
        dimensions = {q: d for q, d in dimensions.items() if d in DEMOGRAPHIC_DIMENSIONS}
    else:
        dimensions = {str(q): question_dimension(q) or "demographic" for q in demographic_columns}
    clustered = {q: kind for q, kind in kinds.items() if q not in dimensions}
    if not clustered:
        clustered = {q: kind for q, kind in kinds.items() if q in dimensions}
        if not clustered:
            raise AnalysisError(
                "no closed question in the survey can be used for segmentation",
                "pass closed questions (choices or numbers), not only ids or free text",
            )
        warnings.append("only demographic questions are usable: segments are demographic")
    features, profile, profile_meta = _encode(answers, clustered)
    labels, k_scores, criterion = _choose_k(features, k, k_range, seed, warnings)
    segment_numbers = _number_by_size(labels)
    demographic_kinds = {q: kinds[q] for q in dimensions if q in kinds}
    _, demographic_profile, demographic_meta = _encode(answers, demographic_kinds)
    free_text = set() if free_text_respondents is None else {str(r) for r in free_text_respondents}
    segments = _describe_segments(
        answers.index.to_numpy(dtype=object), segment_numbers, profile, profile_meta,
        demographic_profile, demographic_meta, dimensions, free_text, top_answers,
    )
    for segment in segments:
        if segment.size < 5:
            warnings.append(f"segment {segment.segment_id} has only "
                            f"{count_text(segment.size, 'respondent')}")
    return SegmentationResult(
        respondents=len(answers), k=len(segments), k_requested=k, criterion=criterion,
        k_scores=k_scores, seed=seed, questions_used=list(clustered),
        demographic_questions={q: d for q, d in dimensions.items() if q in kinds},
        excluded_questions=excluded, segments=segments, warnings=warnings,
    )


def _respondent_frame(survey: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """Answers indexed by respondent id as text, sorted so row order never changes the result."""
    answers = survey.set_axis(pd.Index(survey.index.astype("string"), name="respondent_id"))
    answers.columns = [str(column) for column in answers.columns]
    unnamed = answers.index.isna()
    if unnamed.any():
        warnings.append(f"left out {count_text(int(unnamed.sum()), 'respondent')} without an id")
        answers = answers[~unnamed]
    duplicated = answers.index.duplicated()
    if duplicated.any():
        warnings.append(f"{count_text(int(duplicated.sum()), 'duplicate respondent id')}: "
                        "kept the first answers")
        answers = answers[~duplicated]
    return answers.sort_index(kind="stable")


def _answer_text(values: pd.Series) -> pd.Series:
    """Answers as trimmed text, blanks and "n/a" missing; cleaned once per distinct answer."""

    def clean(distinct: pd.Series) -> pd.Series:
        text = distinct.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
        return text.mask(text.str.casefold().isin(_MISSING_TEXT))

    return _per_distinct(values, clean, "string")


def _question_kinds(answers: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """numeric / categorical / multi (options joined by ";", or by "," when the question says
    "select all") per usable question, and why each other question is not used."""
    kinds: dict[str, str] = {}
    excluded: dict[str, str] = {}
    too_many = max(20, len(answers) // 2)
    for question in answers.columns:
        values = answers[question]
        if header_key(question) in _NOT_ANSWER_NAMES or find_column([question], "customer_id"):
            excluded[question] = "an identifier or timestamp, not an answer"
            continue
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        text = values if numeric else _answer_text(values)
        present = text.dropna()
        separator = _option_separator(question)
        multi = not numeric and bool(len(present)) and present.str.contains(separator).mean() >= 0.2
        options = present.str.split(rf"\s*{separator}\s*").explode() if multi else present
        if present.empty:
            excluded[question] = "nobody answered"
        elif options.nunique() < 2:
            excluded[question] = "everyone gave the same answer"
        elif not numeric and options.nunique() > too_many:
            excluded[question] = f"looks like free text ({options.nunique()} different answers)"
        else:
            kinds[question] = "numeric" if numeric else "multi" if multi else "categorical"
    return kinds, excluded


def _option_separator(question: str) -> str:
    return "[;,]" if _MULTI_SELECT_HINT.search(question) else ";"


def _encode(
    answers: pd.DataFrame, kinds: dict[str, str]
) -> tuple[np.ndarray, pd.DataFrame, list[tuple[str, str | None, float]]]:
    """Scaled features for clustering, plus raw 0/1 answers and numbers for describing segments.

    ``profile_meta`` holds (question, answer or None for a number, scale for ranking differences).
    """
    blocks: list[np.ndarray] = []
    profile_blocks: list[pd.DataFrame] = []
    meta: list[tuple[str, str | None, float]] = []
    for question, kind in kinds.items():
        if kind == "numeric":
            values = answers[question].astype("float64")
            filled = values.fillna(values.median())
            blocks.append(((filled - filled.mean()) / filled.std(ddof=0)).to_numpy()[:, None])
            profile_blocks.append(values.to_frame())
            meta.append((question, None, float(values.max() - values.min())))
            continue
        text = _answer_text(answers[question])
        if kind == "multi":
            separator = _option_separator(question)
            dummies = text.str.replace(rf"\s*{separator}\s*", "|", regex=True).str.get_dummies()
        else:
            dummies = pd.get_dummies(text, dtype="float64")
        dummies = dummies.astype("float64")
        share = dummies.mean()
        spread = float((share * (1 - share)).sum())
        if spread > 0:  # zero only when every respondent ticked the same options
            blocks.append(dummies.to_numpy() / np.sqrt(spread))
        profile_blocks.append(dummies)
        meta.extend((question, str(answer), 1.0) for answer in dummies.columns)
    features = np.hstack(blocks) if blocks else np.empty((len(answers), 0))
    profile = pd.concat(profile_blocks, axis=1) if profile_blocks else pd.DataFrame(index=answers.index)
    profile.columns = range(profile.shape[1])
    return features, profile, meta


def _choose_k(
    features: np.ndarray, k: int | None, k_range: tuple[int, int], seed: int, warnings: list[str]
) -> tuple[np.ndarray, dict[int, float], str]:
    """Cluster labels, the silhouette per k tried, and how k was decided (said in the report).

    Silhouette is computed on a fixed random sample of 4,000 respondents above that size, because
    it is quadratic in the number of respondents.
    """
    from sklearn.metrics import silhouette_score

    respondents = len(features)
    patterns = len(np.unique(features.round(9), axis=0))
    too_few = f"the survey has only {respondents} respondents ({patterns} distinct answer patterns)"
    if k is not None:
        if k < 1:
            raise AnalysisError(f"k must be at least 1 (got {k})", "leave k out to choose it")
        if k > patterns:
            warnings.append(f"k reduced from {k} to {patterns}: {too_few}")
            k = patterns
        return _kmeans(features, k, seed), {}, "given k"
    low, high = k_range
    if not 2 <= low <= high:
        raise AnalysisError(f"k range must satisfy 2 ≤ low ≤ high (got {k_range})", None)
    top = min(high, patterns, respondents - 1)
    if top < low:
        fallback = min(low, patterns)
        warnings.append(f"k set to {fallback} without choosing: {too_few}")
        return _kmeans(features, fallback, seed), {}, "too few respondents to choose k"
    if top < high:
        warnings.append(f"k range reduced to {low}–{top}: {too_few}")
    sample_size = 4000 if respondents > 4000 else None
    scores: dict[int, float] = {}
    fits: dict[int, np.ndarray] = {}
    for candidate in range(low, top + 1):
        labels = _kmeans(features, candidate, seed)
        if len(np.unique(labels)) > 1:
            fits[candidate] = labels
            scores[candidate] = round(float(silhouette_score(
                features, labels, sample_size=sample_size, random_state=seed)), 6)
    if not scores:
        warnings.append(f"no k in {low}–{top} splits the answers: one segment")
        return np.zeros(respondents, dtype="int64"), {}, "no k splits the answers"
    best = max(scores, key=lambda candidate: (scores[candidate], -candidate))
    criterion = (f"highest silhouette (Euclidean, on the scaled answers) for k in {low}–{top}; "
                 "ties go to fewer segments")
    return fits[best], scores, criterion


def _kmeans(features: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    if k == 1:
        return np.zeros(len(features), dtype="int64")
    return KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(features)


def _number_by_size(labels: np.ndarray) -> np.ndarray:
    """0-based segment numbers, largest first; ties by the first respondent (ids are sorted)."""
    clusters, first_row, sizes = np.unique(labels, return_index=True, return_counts=True)
    order = np.lexsort((first_row, -sizes))
    number_of = np.empty(clusters.max() + 1, dtype="int64")
    number_of[clusters[order]] = np.arange(len(clusters))
    return number_of[labels]


def _contrasts(
    profile: pd.DataFrame, meta: list[tuple[str, str | None, float]], numbers: np.ndarray
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Segment means, overall means and the scaled gap used to rank what sets a segment apart."""
    means = profile.groupby(numbers).mean()
    overall = profile.mean()
    scale = np.array([max(item[2], 1e-12) for item in meta])
    return means, overall, (means - overall).abs() / scale


def _contrast(meta: tuple[str, str | None, float], segment: float, overall: float) -> AnswerContrast:
    question, answer, _ = meta
    return AnswerContrast(
        question=question, answer=answer, kind="mean" if answer is None else "share",
        segment_value=float(segment), overall_value=float(overall),
    )


def _describe_segments(
    respondent_ids: np.ndarray,
    numbers: np.ndarray,
    profile: pd.DataFrame,
    meta: list[tuple[str, str | None, float]],
    demographic_profile: pd.DataFrame,
    demographic_meta: list[tuple[str, str | None, float]],
    dimensions: dict[str, str],
    free_text: set[str],
    top_answers: int,
) -> list[Segment]:
    means, overall, gap = _contrasts(profile, meta, numbers)
    demo_means, demo_overall, _ = _contrasts(demographic_profile, demographic_meta, numbers)
    segments = []
    for number in range(int(numbers.max()) + 1):
        members = respondent_ids[numbers == number]
        ranked = gap.loc[number].dropna().sort_values(ascending=False, kind="stable")
        question_of = pd.Series([meta[column][0] for column in ranked.index], index=ranked.index)
        distinguishing = [  # the strongest answer of each question, so five questions show
            _contrast(meta[column], means.at[number, column], overall[column])
            for column in question_of.drop_duplicates().index[:top_answers]
        ]
        demographics = []
        for question in dict.fromkeys(item[0] for item in demographic_meta):
            columns = [c for c, item in enumerate(demographic_meta) if item[0] == question]
            in_segment = demo_means.loc[number, columns].dropna().sort_values(
                ascending=False, kind="stable")
            shown = [c for c in in_segment.index if in_segment[c] > 0][:3]
            demographics.append(DemographicProfile(
                dimension=dimensions[question], question=question,
                answers=[_contrast(demographic_meta[c], demo_means.at[number, c], demo_overall[c])
                         for c in shown],
            ))
        segments.append(Segment(
            segment_id=f"S{number + 1}", size=len(members), share=len(members) / len(numbers),
            distinguishing=distinguishing, demographics=demographics,
            respondent_ids=members.tolist(),  # already sorted: the answers are sorted by id
            free_text_respondent_ids=sorted(free_text.intersection(members)),
        ))
    return segments


# ---------------------------------------------------------------------------------------------
# Analytics cross-check: does the survey look like the audience analytics sees?

CROSS_CHECK_DIMENSIONS = ("age", "gender", "location", "device")
_WEIGHT_NAMES = ("users", "active_users", "total_users", "new_users", "sessions", "visitors",
                 "count", "brukere", "brugere", "gebruikers", "bezoekers", "besøkende", "økter",
                 "sessioner", "sessies")
_LABEL_SYNONYMS: dict[str, dict[str, str]] = {
    "gender": {
        **dict.fromkeys(("f", "female", "woman", "women", "kvinne", "kvinde", "vrouw", "dame",
                         "kvinna"), "female"),
        **dict.fromkeys(("m", "male", "man", "men", "mann", "mand", "heer", "herre"), "male"),
        **dict.fromkeys(("non-binary", "nonbinary", "other", "annet", "andet", "anders",
                         "ikke-binær", "non-binair"), "other"),
    },
    "device": {
        **dict.fromkeys(("mobile", "mobil", "smartphone", "phone", "telefon", "mobiel",
                         "telefoon", "mobiltelefon"), "mobile"),
        **dict.fromkeys(("desktop", "pc", "computer", "laptop", "datamaskin", "bærbar",
                         "stationær", "computer/laptop"), "desktop"),
        **dict.fromkeys(("tablet", "nettbrett", "ipad"), "tablet"),
    },
}
_UNKNOWN_LABELS = {"unknown", "(not set)", "not set", "prefer not to say", "vil ikke oppgi",
                   "ønsker ikke at oplyse", "zeg ik liever niet", "other/unknown"}
_STANDARD_AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")


def cross_check(
    survey: pd.DataFrame, audience: pd.DataFrame, *, threshold: float = 0.10
) -> CrossCheckResult:
    """Compare the survey's age/gender/location/device shares with an analytics audience export.

    The export may hold one row per user or one row per group with a users/sessions count. A
    category disagrees when the shares differ by at least ``threshold`` (10 percentage points).
    """
    weight_column = next((str(c) for c in audience.columns
                          if header_key(c) in _WEIGHT_NAMES), None)
    weights = (parse_amounts(audience[weight_column]).fillna(0) if weight_column
               else pd.Series(1.0, index=audience.index))
    audience_columns = [c for c in audience.columns if str(c) != weight_column]
    checks: list[DimensionCheck] = []
    not_compared: dict[str, str] = {}
    for dimension in CROSS_CHECK_DIMENSIONS:
        survey_question = next((str(q) for q in survey.columns if question_dimension(q) == dimension), None)
        audience_column = next((c for c in audience_columns if question_dimension(c) == dimension), None)
        if survey_question is None or audience_column is None:
            missing = "the survey does not ask it" if survey_question is None else "the export lacks it"
            not_compared[dimension] = missing
            continue
        audience_labels = _canonical_labels(audience[audience_column], dimension)
        survey_values = survey[survey_question]
        if dimension == "age" and pd.api.types.is_numeric_dtype(survey_values):
            survey_labels = _age_bands(survey_values, audience_labels)
        else:
            survey_labels = _canonical_labels(survey_values, dimension)
        survey_share = survey_labels.value_counts(normalize=True)
        audience_counts = weights.groupby(audience_labels.to_numpy()).sum()
        if survey_share.empty or audience_counts.sum() <= 0:
            not_compared[dimension] = "no usable answers on one side"
            continue
        table = pd.concat(
            [survey_share.rename("survey"), (audience_counts / audience_counts.sum()).rename("audience")],
            axis=1,
        ).fillna(0.0)
        table.index = table.index.astype("string")
        table = table.sort_index()
        gap = (table["survey"] - table["audience"]).abs()
        rows = {label: CategoryComparison(category=label, survey_share=float(row.survey),
                                          audience_share=float(row.audience))
                for label, row in table.iterrows()}
        largest = table.max(axis=1).sort_values(ascending=False, kind="stable").index[:12]
        checks.append(DimensionCheck(
            dimension=dimension, survey_question=survey_question, audience_column=str(audience_column),
            survey_answers=int(survey_labels.notna().sum()), audience_total=float(audience_counts.sum()),
            categories=[rows[label] for label in largest],
            disagreements=[rows[label] for label in
                           gap[gap >= threshold].sort_values(ascending=False, kind="stable").index],
            total_variation=float(gap.sum() / 2),
        ))
    return CrossCheckResult(threshold=threshold, audience_weight_column=weight_column,
                            dimensions=checks, not_compared=not_compared)


def _canonical_labels(values: pd.Series, dimension: str) -> pd.Series:
    """Labels both sides can share: "25 – 34 år" → "25-34", "Kvinne" → "female"."""
    text = _answer_text(values).str.casefold()
    text = text.str.replace(r"[–—−]", "-", regex=True).str.replace(r"\s*-\s*", "-", regex=True)
    text = text.str.replace(r"^(\d+)\s*(?:to|til|tot)\s*(\d+)", r"\1-\2", regex=True)
    text = text.str.replace(r"\s*(?:år|jaar|years?|yrs)\.?$", "", regex=True)
    text = text.str.replace(r"\s*\+$", "+", regex=True)
    if dimension in _LABEL_SYNONYMS:
        text = text.replace(_LABEL_SYNONYMS[dimension])
    return text.mask(text.isin(_UNKNOWN_LABELS))


def _age_bands(ages: pd.Series, audience_labels: pd.Series) -> pd.Series:
    """Put numeric survey ages into the export's bands (or the usual 18-24 … 65+)."""
    labels = [str(label) for label in audience_labels.dropna().unique()]
    bands = [label for label in labels if re.fullmatch(r"\d+-\d+|\d+\+", label)]
    banded = pd.Series(pd.NA, index=ages.index, dtype="string")
    for band in sorted(bands or _STANDARD_AGE_BANDS):
        low, _, high = band.rstrip("+").partition("-")
        inside = (ages >= int(low)) & (ages <= (int(high) if high else np.inf))
        banded = banded.mask(inside & banded.isna(), band)
    return banded


# ---------------------------------------------------------------------------------------------
# Value per segment: survey respondents who are also customers


def customer_key(ids: pd.Series) -> pd.Series:
    """Ids as compared across files: trimmed, case-folded, leading zeros of numbers dropped."""
    keys = _clean_ids(ids).str.casefold()
    return keys.str.replace(r"^0+(\d+)$", r"\1", regex=True)


def join_value(
    segmentation: SegmentationResult,
    rfm_result: RFMResult | None,
    abc_result: ABCXYZResult | None,
    survey_customer_ids: pd.Series,
) -> ValueJoinResult:
    """Attach RFM groups, ABC classes and revenue to segments through a shared customer id."""
    keys = customer_key(survey_customer_ids)
    keys.index = pd.Index(survey_customer_ids.index.astype("string"))
    with_id = int(keys.notna().sum())
    parts = []
    if rfm_result is not None:
        parts.append(rfm_result.customers[["monetary", "rfm_group"]].rename(
            columns={"monetary": "revenue"}))
    if abc_result is not None:
        parts.append(abc_result.customers[["abc"] if parts else ["abc", "revenue"]])
    labels = pd.concat(parts, axis=1) if parts else pd.DataFrame(columns=["revenue"])
    labels.index = customer_key(labels.index.to_series()).to_numpy()
    segments = segmentation.segments
    members = pd.Series(
        np.repeat([s.segment_id for s in segments], [s.size for s in segments]),
        index=pd.Index(np.concatenate([s.respondent_ids for s in segments]), dtype="string"),
    )
    frame = pd.DataFrame({"segment": members, "key": keys.reindex(members.index)})
    frame = frame.join(labels, on="key")
    matched = frame["revenue"].notna()
    if with_id == 0 or not matched.any():
        message = ("the survey has no customer ids, so segments cannot be joined to transactions"
                   if with_id == 0 else
                   f"none of the {with_id} survey customer ids matches a customer in the transactions "
                   f"(survey ids like {', '.join(keys.dropna().head(2))}; transaction ids like "
                   f"{', '.join(map(str, labels.index[:2]))})")
        return ValueJoinResult(joinable=False, respondents_with_customer_id=with_id, matched=0,
                               message=message, segments=[])
    joined = frame[matched]
    shares = {
        column: pd.crosstab(joined["segment"], joined[column], normalize="index")
        for column in ("rfm_group", "abc") if column in joined.columns
    }
    revenue = joined.groupby("segment")["revenue"].agg(["size", "sum", "mean"])
    sizes = members.value_counts()
    values = [
        SegmentValue(
            segment_id=s.segment_id, respondents=int(sizes[s.segment_id]),
            joined=int(revenue["size"].get(s.segment_id, 0)),
            revenue=float(revenue["sum"].get(s.segment_id, 0.0)),
            mean_revenue=float(revenue["mean"].get(s.segment_id, 0.0)),
            rfm_groups=_share_row(shares.get("rfm_group"), s.segment_id),
            abc_classes=_share_row(shares.get("abc"), s.segment_id),
        )
        for s in segmentation.segments
    ]
    return ValueJoinResult(
        joinable=True, respondents_with_customer_id=with_id, matched=int(matched.sum()),
        message=f"{int(matched.sum())} of {with_id} survey customer ids match a customer",
        segments=values,
    )


def _share_row(table: pd.DataFrame | None, segment_id: str) -> dict[str, float]:
    if table is None or segment_id not in table.index:
        return {}
    row = table.loc[segment_id]
    return {str(label): float(share) for label, share in row[row > 0].sort_values(
        ascending=False, kind="stable").items()}


# ---------------------------------------------------------------------------------------------
# Running what the inputs allow


def split_customer_ids(survey: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series | None]:
    """Take a customer id column (e.g. "Customer ID", "Kunde-ID") out of the survey answers."""
    column = find_column(survey.columns, "customer_id")
    if column is None:
        return survey, None
    return survey.drop(columns=[column]), survey[column]


def run_analysis(
    survey: pd.DataFrame | None = None,
    transactions: pd.DataFrame | None = None,
    audience: pd.DataFrame | None = None,
    *,
    k: int | None = None,
    seed: int = 0,
    reference_date: date | str | None = None,
    k_range: tuple[int, int] = (2, 6),
    survey_customer_ids: pd.Series | None = None,
    free_text_respondents: Iterable[str] | None = None,
    transactions_source: str = "transactions",
) -> AnalysisResult:
    """Every analysis the inputs allow; a stage that cannot run becomes a warning, not a failure.

    Raises `AnalysisError` only when nothing at all could be computed.
    """
    if survey is None and transactions is None and audience is None:
        raise AnalysisError("nothing to analyse", "add a survey, transactions or an analytics export")
    warnings: list[AnalysisWarning] = []

    def attempt(stage: str, compute: Callable[[], _Result]) -> _Result | None:
        try:
            return compute()
        except AnalysisError as error:
            warnings.append(AnalysisWarning(stage=stage, message=error.one_line()))
            return None

    result = AnalysisResult()
    if survey is not None:
        if survey_customer_ids is None:
            survey, survey_customer_ids = split_customer_ids(survey)
        answers = survey
        segmentation = attempt("segments", lambda: segment_survey(
            answers, k, k_range, seed, free_text_respondents=free_text_respondents))
        if segmentation is not None:
            warnings += [AnalysisWarning(stage="segments", message=w) for w in segmentation.warnings]
        result = result.model_copy(update={"segmentation": segmentation})
    if transactions is not None:
        raw = transactions
        normalized = attempt("transactions", lambda: normalize_transactions(raw, transactions_source))
        if normalized is not None:
            tx, report = normalized
            warnings += _transaction_warnings(report)
            table = customer_table(tx)
            abc_result = attempt("abc_xyz", lambda: abc_xyz(tx, customers=table))
            if abc_result is not None and abc_result.note:
                warnings.append(AnalysisWarning(stage="abc_xyz", message=abc_result.note))
            result = result.model_copy(update={
                "transactions": report,
                "rfm": attempt("rfm", lambda: rfm(tx, reference_date, customers=table)),
                "abc_xyz": abc_result,
                "pareto": attempt("pareto", lambda: pareto(tx, customers=table)),
            })
    if audience is not None and survey is None:
        warnings.append(AnalysisWarning(stage="cross_check", message="no survey to compare with"))
    elif audience is not None and survey is not None:
        answers, export = survey, audience
        result = result.model_copy(
            update={"cross_check": attempt("cross_check", lambda: cross_check(answers, export))})
    if result.segmentation is not None and (result.rfm or result.abc_xyz):
        ids = survey_customer_ids if survey_customer_ids is not None else pd.Series(dtype="string")
        value = join_value(result.segmentation, result.rfm, result.abc_xyz, ids)
        if not value.joinable:
            warnings.append(AnalysisWarning(stage="value", message=value.message))
        result = result.model_copy(update={"value": value})
    if not any(part is not None for name, part in result if name != "warnings"):
        raise AnalysisError(
            "no analysis could be run: " + "; ".join(w.message for w in warnings),
            "fix the first problem named and run again",
        )
    return result.model_copy(update={"warnings": warnings})


def _transaction_warnings(report: TransactionReport) -> list[AnalysisWarning]:
    notes = [f"{d.rows} rows dropped: {d.reason} (e.g. {', '.join(d.examples)})" for d in report.dropped]
    if report.return_rows:
        verb = "netted against revenue" if report.returns_policy == "net" else "excluded"
        notes.append(f"{report.return_rows} return rows ({report.return_amount:,.2f}) {verb}")
    return [AnalysisWarning(stage="transactions", message=f"{report.source}: {n}") for n in notes]


def analysis_evidence(result: AnalysisResult) -> list[Evidence]:
    """Each segment, RFM group, ABC/XYZ cell, Pareto figure and cross-check as citable evidence."""
    from persona_agent.analysis_report import build_evidence

    return build_evidence(result)


def write_report(result: AnalysisResult, out_dir: Path) -> list[Path]:
    """Write ``<out_dir>/analysis/``: one JSON per part, analysis.md and PNG charts."""
    from persona_agent.analysis_report import write_analysis_files

    return write_analysis_files(result, out_dir)


# ---------------------------------------------------------------------------------------------
# The stage: folder in, report files and citable evidence out


class AnalysisRun(_Frozen):
    result: AnalysisResult
    files: list[str]
    evidence_ids: list[str]
    inputs: dict[str, str]  # role → relative path of the file used
    read_errors: list[str] = Field(default_factory=list)


def analyze_folder(
    folder: Path,
    store: Any,
    out_dir: Path,
    *,
    k: int | None = None,
    seed: int = 0,
    reference_date: date | str | None = None,
    max_bytes: int | None = None,
) -> AnalysisRun:
    """Read the folder's tables, run every analysis they allow, write the report and store each
    segment/RFM/ABC/Pareto/cross-check profile as evidence (replacing the previous analysis)."""
    from persona_agent import sources

    inputs: dict[str, str] = {}
    frames: dict[str, pd.DataFrame] = {}
    free_text: set[str] = set()
    errors: list[str] = []
    read_kwargs: dict[str, Any] = {} if max_bytes is None else {"max_bytes": max_bytes}
    for path in sources.discover(folder):
        if path.suffix.lower() not in (".csv", ".tsv", ".xlsx", ".xlsm"):
            continue
        try:
            document = sources.read_source(path, folder, **read_kwargs)
        except PersonaError as error:  # a bad table is reported by ingest too; analysis goes on
            errors.append(error.one_line())
            continue
        for part in document.tables():
            role = {"survey": "survey", "transactions": "transactions", "analytics": "audience"}.get(part.kind)
            if role is None or role in frames or part.table is None:
                continue  # first table of each kind wins; several surveys are not merged
            frames[role] = part.table
            inputs[role] = part.path
            if role == "survey":
                free_text |= {str(c.metadata["respondent_id"]) for c in part.chunks
                              if "respondent_id" in c.metadata}
    if not frames:
        raise AnalysisError(f"{folder}: no survey, transactions or analytics table found",
                            "add a survey export (CSV/XLSX) or a transactions file")
    result = run_analysis(
        frames.get("survey"), frames.get("transactions"), frames.get("audience"),
        k=k, seed=seed, reference_date=reference_date,
        free_text_respondents=sorted(free_text) or None,
        transactions_source=inputs.get("transactions", "transactions"),
    )
    evidence = analysis_evidence(result)
    previous = set(store.metadata_where({"source": "analysis"}))
    store.upsert(evidence)
    store.delete_ids(sorted(previous - {e.evidence_id for e in evidence}))
    files = write_report(result, out_dir)
    return AnalysisRun(result=result, files=[str(f) for f in files],
                       evidence_ids=[e.evidence_id for e in evidence], inputs=inputs, read_errors=errors)
