"""Tables (CSV, TSV, XLSX sheets): parse them, tell survey / transactions / analytics apart, chunk.

Detection, in order:
1. **survey** — at least two headers read like questions (end in "?" or are 40+ characters long);
2. **transactions** — a customer-id-like, a date-like and an amount-like column (names in
   en/no/da/nl/de/ru), with at least 80 % of the amounts readable as numbers;
3. **analytics** — a numeric column named like a metric (users, sessions, views, revenue, økter,
   sessies, сеансы …), or numbers next to at most one text column and no free text;
4. otherwise a survey (with a warning unless some column holds free text).

Survey columns are free text or closed by their answers: numbers, a few often repeated values or
multi-select option lists are closed; long or mostly distinct multi-word answers are free text.
Name / e-mail / phone / address columns are neither: they never reach a chunk, a metadata field
or the table, and names in them are redacted from that respondent's answers.

Ragged rows: a row with more fields than the header is skipped with a warning naming its line
(trailing empty fields are just trimmed); when more than 10 % of rows are ragged the file is
refused, because then the delimiter or quoting is wrong and every answer would be misattributed.
An unclosed quote is always refused with the line where the broken row starts.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from persona_agent.core.errors import SourceError
from persona_agent.research.chunking import METRIC_WORDS
from persona_agent.research.documents import split_lines

if TYPE_CHECKING:
    pass

_COMMENT = re.compile(r"^#(\s|-|$)")  # GA export preamble; Typeform's "#" id header is not one
_FREE_HINT = re.compile(
    r"why|describe|tell us|explain|comment|specify|suggest|anything else|what could|hvorfor|beskriv|"
    r"fortell|forklar|kommentar|utdyp|uddyb|fortæl|waarom|beschrijf|vertel|toelichting|opmerking|"
    r"почему|опишите|расскажите|комментари|поясните|warum|beschreib",
    re.IGNORECASE,
)
_IDENTITY = re.compile(
    r"\b(e ?mail|e ?post|epost|phone|telefon\w*|telefoon\w*|mobil\w*|mobile|name|navn|fornavn|"
    r"etternavn|efternavn|naam|voornaam|achternaam|имя|фамилия|фио|почта|телефон|address|"
    r"adresse|adres|адрес|ip)\b"
)
_PERSON_NAME = re.compile(
    r"\b(name|navn|fornavn|etternavn|efternavn|naam|voornaam|achternaam|имя|фамилия|фио)\b"
)


def _names(*words: str) -> frozenset[str]:
    return frozenset(words)


RESPONDENT_NAMES = _names("respondent id", "respondent", "response id", "responseid", "id",
                          "submission id", "token", "svar id", "respons id", "respondentnummer",
                          "deelnemer id", "id респондента", "ид респондента")
CUSTOMER_NAMES = _names("customer id", "customerid", "customer number", "customer no", "customer",
                        "client id", "kunde id", "kundeid", "kunde nr", "kundenr", "kundenummer",
                        "kunde", "klant id", "klantid", "klantnummer", "klantnr", "klant",
                        "kunden id", "id клиента", "номер клиента", "клиент", "user id", "userid")
TIMESTAMP_NAMES = _names("timestamp", "tidsmerke", "tidsstempel", "tijdstempel", "отметка времени",
                         "submitted at", "submit date", "start date", "end date", "date submitted",
                         "date created", "date modified", "start time", "end time",
                         "completion time", "ingediend op", "created at")
IGNORED_NAMES = _names("collector id", "user agent", "network id", "survey id", "tags", "ending",
                       "response type")
TRANSACTION_NAMES = {
    "customer_id": CUSTOMER_NAMES | _names("buyer", "buyer id", "customer email", "email", "e mail"),
    "date": _names("date", "order date", "dato", "ordredato", "ordre dato", "datum", "besteldatum",
                   "orderdatum", "дата", "дата заказа", "purchase date", "transaction date",
                   "kjøpsdato", "købsdato", "created at", "invoice date", "fakturadato",
                   "bestelldatum"),
    "amount": _names("amount", "total", "revenue", "sales", "value", "order total", "order value",
                     "total amount", "net sales", "gross sales", "sum", "beløp", "beløb", "bedrag",
                     "totaal", "omzet", "omsetning", "omsætning", "totalt", "betrag", "umsatz",
                     "сумма", "выручка", "итого", "subtotal", "price", "pris", "prijs"),
    "order_id": _names("order id", "orderid", "order", "order number", "order no", "ordrenr",
                       "ordrenummer", "ordre", "ordre id", "bestelnummer", "ordernummer",
                       "bestelling", "invoice", "invoice id", "faktura", "fakturanr",
                       "transaction id", "номер заказа", "заказ", "bestellnummer", "name"),
    "product": _names("product", "product name", "sku", "item", "vare", "varenavn", "produkt",
                      "artikel", "artikkel", "товар", "lineitem name", "product id", "category",
                      "product category", "produktkategori", "kategori", "categorie"),
    "currency": _names("currency", "valuta", "валюта", "währung"),
}
_CURRENCY = re.compile(r"(?i)(?<![^\W_])(nok|dkk|sek|eur|usd|gbp|rub|kr|руб)\.?(?![^\W_])|[€$£₽]")
_DURATION = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})$")
MAX_VALUES_PER_DIMENSION = 30
# Metrics that are not summed across rows: rates, averages, durations, positions.
_RATE = re.compile(
    r"(?i)rate|ratio|%|avg|average|mean|per |/|duration|bounce|position|ctr|share|andel|snitt|"
    r"gjennomsnitt|gemiddeld|percentage|среднее|доля|процент"
)
# Numeric-looking columns that are dimensions all the same (GA's "Date" is 20240131).
_TIME_DIMENSION = re.compile(
    r"(?i)^(date|day|week|month|year|year ?month|day index|hour|dato|dag|uke|uge|måned|år|datum|"
    r"maand|jaar|дата|день|неделя|месяц|год|isoweek|iso ?year ?iso ?week|ga:date)$"
)


@dataclass
class Table:
    """Rows of one CSV or sheet as text, with the file line (or Excel row) of each row."""

    name: str | None  # sheet name; None for CSV
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    notes: list[str] = field(default_factory=list)  # GA-style "# ..." preamble lines


def csv_table(text: str, relative: str, warnings: list[str], *, tab: bool) -> Table:
    """Parse CSV/TSV text (delimiter sniffed, GA ``#`` preamble kept as notes)."""
    lines = split_lines(text)
    notes: list[str] = []
    start = 0
    while start < len(lines) and (not lines[start].strip() or _COMMENT.match(lines[start])):
        if lines[start].strip("#- \t"):
            notes.append(lines[start].lstrip("#").strip())
        start += 1
    end = next((i for i in range(start + 1, len(lines)) if _COMMENT.match(lines[i])), len(lines))
    if end < len(lines):
        warnings.append(f"read the first table only; another one starts at line {end + 1}")
    body = lines[start:end]
    delimiter = "\t" if tab else _sniff_delimiter(body[:30])
    reader = csv.reader(io.StringIO("\n".join(body)), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    row_lines: list[int] = []
    last = 0
    try:
        for row in reader:
            first, last = last + 1, reader.line_num
            if any(cell.strip() for cell in row):
                rows.append(row)
                row_lines.append(start + first)
    except csv.Error as error:
        line = start + last + 1
        raise SourceError(relative, f"broken quoting in the row starting at line {line} ({error})",
                          "a quote is not closed: fix that row, or open the file in a "
                          "spreadsheet and export it again", row=line) from error
    if not rows:
        raise SourceError(relative, "no rows found")
    return _shape(relative, None, rows, row_lines, warnings, notes)


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the first lines into the most consistent number (>1) of fields."""
    best, best_score = ",", 0.0
    for delimiter in (",", ";", "\t", "|"):
        rows = [row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter) if row]
        if not rows or len(rows[0]) < 2:
            continue
        consistency = sum(len(row) == len(rows[0]) for row in rows) / len(rows)
        score = consistency * 100 + min(len(rows[0]), 99)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _shape(relative: str, name: str | None, rows: list[list[str]], lines: list[int],
           warnings: list[str], notes: list[str]) -> Table:
    """Header + rectangular rows; ragged rows trimmed, skipped (with a warning) or refused."""
    where = f"sheet {name!r}: " if name else ""
    header = _unique_headers(rows[0])
    width = len(header)
    data: list[list[str]] = []
    data_lines: list[int] = []
    ragged: list[int] = []
    for row, line in zip(rows[1:], lines[1:], strict=True):
        if len(row) > width:
            if any(cell.strip() for cell in row[width:]):
                ragged.append(line)
                continue
            row = row[:width]
        data.append([cell.strip() for cell in row] + [""] * (width - len(row)))
        data_lines.append(line)
    if ragged:
        listed = ", ".join(map(str, ragged[:5])) + (" …" if len(ragged) > 5 else "")
        if len(ragged) > max(1, (len(rows) - 1) // 10):
            raise SourceError(
                relative, f"{where}{len(ragged)} of {len(rows) - 1} rows have more fields than the "
                f"{width} headers (lines {listed})",
                "check the delimiter and quoting, or export the file again", row=ragged[0])
        rows_word = "row" if len(ragged) == 1 else "rows"
        warnings.append(f"{where}skipped {len(ragged)} {rows_word} with more fields than the header "
                        f"(line{'s' if len(ragged) > 1 else ''} {listed})")
    if not data:
        raise SourceError(relative, f"{where}a header but no data rows")
    return Table(name, header, data, data_lines, notes)


def _unique_headers(raw: list[str]) -> list[str]:
    """Whitespace-normalised headers, repeats numbered ``Q``, ``Q (2)``, ``Q (3)`` …, in linear time:
    each base remembers the next number to try (a file with 2,500 identical headers took seconds)."""
    headers: list[str] = []
    taken: set[str] = set()
    next_number: dict[str, int] = {}
    for index, cell in enumerate(raw, start=1):
        base = " ".join(cell.split()) or f"column {index}"
        name = base
        if name in taken:
            number = next_number.get(base, 2)
            while (name := f"{base} ({number})") in taken:  # a literal "Q (2)" header was there first
                number += 1
            next_number[base] = number + 1
        taken.add(name)
        headers.append(name)
    return headers


def workbook_tables(path: Path, relative: str, warnings: list[str]) -> list[Table]:
    """One `Table` per non-empty sheet; empty sheets are warned about."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise SourceError(relative, "not a readable .xlsx workbook",
                          "open it in Excel and save it again as .xlsx") from error
    tables: list[Table] = []
    try:
        for sheet in workbook.worksheets:
            rows: list[list[str]] = []
            lines: list[int] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell_text(value) for value in values]
                if any(cells):
                    rows.append(cells)
                    lines.append(number)
            if len(rows) < 2:
                warnings.append(f"sheet {sheet.title!r} is empty" if not rows
                                else f"sheet {sheet.title!r} has a header but no rows")
                continue
            width = max(len(row) for row in rows)
            while width > 1 and not any(len(row) >= width and row[width - 1] for row in rows):
                width -= 1
            rows = [(row + [""] * width)[:width] for row in rows]
            tables.append(_shape(relative, sheet.title, rows, lines, warnings, []))
    finally:
        workbook.close()
    if not tables:
        raise SourceError(relative, "every sheet is empty")
    return tables


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def normalize_header(header: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", header.lower()).split())


def number(text: str) -> float | None:
    """A number from "1 234,50", "1,234.50", "12.5%", "kr 499", "00:01:23" (seconds); else None."""
    cleaned = _CURRENCY.sub("", text).replace("\u00a0", "").replace(" ", "").rstrip("%").strip()
    duration = _DURATION.match(cleaned)
    if duration:
        hours, minutes, seconds = map(int, duration.groups())
        return float(hours * 3600 + minutes * 60 + seconds)
    if not re.fullmatch(r"[-+]?[\d.,]*\d", cleaned):
        return None
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in cleaned:
        thousands = re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+", cleaned)
        cleaned = cleaned.replace(",", "" if thousands else ".")
    elif re.fullmatch(r"[-+]?\d{1,3}(\.\d{3}){2,}", cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _numeric_share(values: list[str]) -> float:
    answered = [value for value in values if value]
    return sum(number(value) is not None for value in answered) / len(answered) if answered else 0.0


def _column(table: Table, index: int) -> list[str]:
    return [row[index] for row in table.rows]


def _find(header: list[str], names: frozenset[str]) -> int | None:
    return next((i for i, h in enumerate(header) if normalize_header(h) in names or h in names), None)


def transaction_roles(table: Table) -> dict[str, str]:
    """Role → column. Exact names first; for amount and date also short headers starting with a
    role word ("amount_eur", "Revenue (EUR)", "Date (UTC)")."""
    roles: dict[str, str] = {}
    for role, names in TRANSACTION_NAMES.items():
        taken = set(roles.values())
        exact = [h for h in table.header if normalize_header(h) in names and h not in taken]
        loose = [h for h in table.header if role in ("amount", "date") and h not in taken
                 and 1 < len(normalize_header(h).split()) <= 3 and normalize_header(h).split()[0] in names]
        if exact or loose:
            roles[role] = (exact or loose)[0]
    return roles


def _classify(table: Table, warnings: list[str]) -> str:
    questions = sum(h.endswith("?") or len(h) >= 40 for h in table.header)
    if questions >= 2:
        return "survey"
    roles = transaction_roles(table)
    if {"customer_id", "date", "amount"} <= roles.keys():
        amounts = _column(table, table.header.index(roles["amount"]))
        if _numeric_share(amounts) >= 0.8:
            return "transactions"
    kinds = [_column_kind(table.header[i], _column(table, i)) for i in range(len(table.header))]
    metric_named = any(kind == "numeric" and METRIC_WORDS.search(header)
                       for kind, header in zip(kinds, table.header, strict=True))
    if metric_named:  # "Users", "Sessions", "Views": even next to long page titles
        return "analytics"
    if "free_text" in kinds:
        return "survey"
    if "numeric" in kinds and kinds.count("closed") <= 1:
        return "analytics"
    warnings.append("not clearly a survey, transactions or analytics table; read as a survey "
                    "(pass kind to override)")
    return "survey"


@dataclass
class _Profile:
    answered: int
    distinct: int
    mean_length: float
    mean_words: float
    options: Counter[str] | None  # multi-select: option → respondents who ticked it


def _profile(values: list[str]) -> _Profile:
    answered = [value for value in values if value]
    count = max(len(answered), 1)
    options: Counter[str] | None = None
    with_separator = [value for value in answered if re.search(r"[;,]\s?", value)]
    if answered and len(with_separator) >= 0.3 * len(answered):
        counter = Counter(
            token.strip() for value in answered for token in re.split(r";|,\s", value) if token.strip()
        )
        total = sum(counter.values())
        mean_token = sum(len(token) * n for token, n in counter.items()) / max(total, 1)
        if len(counter) <= 30 and len(counter) <= 0.5 * total and mean_token < 40:
            options = counter
    return _Profile(
        answered=len(answered),
        distinct=len(set(answered)),
        mean_length=sum(map(len, answered)) / count,
        mean_words=sum(len(value.split()) for value in answered) / count,
        options=options,
    )


def _column_kind(header: str, values: list[str]) -> str:
    """'empty', 'numeric', 'closed' or 'free_text' — see the module docstring."""
    profile = _profile(values)
    if profile.answered == 0:
        return "empty"
    if _numeric_share(values) >= 0.9:
        return "numeric"
    if profile.options is not None:
        return "closed"
    if profile.answered >= 10 and profile.distinct / profile.answered <= 0.3:
        return "closed"
    if profile.mean_words >= 5 or profile.mean_length >= 40:
        return "free_text"
    if _FREE_HINT.search(header) and profile.mean_words >= 2:
        return "free_text"
    distinct_share = profile.distinct / profile.answered
    if profile.answered >= 3 and distinct_share >= 0.8 and profile.mean_words >= 3:
        return "free_text"
    return "closed"


def slug(text: str, limit: int = 48) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")[:limit].strip("-")


def _unique_slugs(texts: Iterable[str], prefix: str = "") -> dict[str, str]:
    """text → slug, repeats numbered ``base-2``, ``base-3`` … (linear, like `_unique_headers`)."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    next_number: dict[str, int] = {}
    for text in texts:
        base = prefix + (slug(text) or "blank")
        candidate = base
        if candidate in taken:
            number = next_number.get(base, 2)
            while (candidate := f"{base}-{number}") in taken:
                number += 1
            next_number[base] = number + 1
        taken.add(candidate)
        slugs[text] = candidate
    return slugs
