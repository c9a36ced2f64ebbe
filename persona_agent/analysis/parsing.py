"""Columns and values of exported tables: find a column by its role, parse amounts, dates, ids
and answers the way spreadsheets and shop exports write them.

Shared by the transaction analysis, the survey segmentation and the cross-check. Conversions run
once per distinct value, which is what makes them cheap on a million rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

# The headers that play each role, compared by `header_key`; the first match in this order wins.
ROLE_NAMES: dict[str, tuple[str, ...]] = {
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
    """The column that plays ``role`` (see `ROLE_NAMES`), by exact name first, then by prefix."""
    by_key = {header_key(column): column for column in reversed(list(columns))}
    names = ROLE_NAMES[role]
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


def clean_ids(raw: pd.Series) -> pd.Series:
    """Ids as trimmed strings; integral floats (ids read next to blanks) lose their ".0"."""
    if pd.api.types.is_float_dtype(raw) and bool((raw.dropna() % 1 == 0).all()):
        raw = raw.astype("Int64")
    ids = raw.astype("string").str.strip()
    return ids.mask(ids.str.casefold().isin(_MISSING_TEXT))


def answer_text(values: pd.Series) -> pd.Series:
    """Answers as trimmed text, blanks and "n/a" missing; cleaned once per distinct answer."""

    def clean(distinct: pd.Series) -> pd.Series:
        text = distinct.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
        return text.mask(text.str.casefold().isin(_MISSING_TEXT))

    return _per_distinct(values, clean, "string")


