"""Tables into documents, one reader per kind: a survey (answers per respondent, a summary per
question), transactions (a summary; the rows stay in the frame) and analytics (a chunk per dimension).
`tables` parses and classifies; this module builds the chunks and frames.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from persona_agent.core.errors import SourceError
from persona_agent.core.evidence import MetadataValue
from persona_agent.research.chunking import MAX_CHUNK_CHARS, split_text
from persona_agent.research.documents import Draft, ReadContext, SourceDocument, build_evidence, pseudonymous
from persona_agent.research.tables import (
    _CURRENCY,
    _IDENTITY,
    _PERSON_NAME,
    _RATE,
    _TIME_DIMENSION,
    CUSTOMER_NAMES,
    IGNORED_NAMES,
    MAX_VALUES_PER_DIMENSION,
    RESPONDENT_NAMES,
    TIMESTAMP_NAMES,
    Table,
    _classify,
    _column,
    _column_kind,
    _find,
    _numeric_share,
    _profile,
    _unique_headers,
    _unique_slugs,
    normalize_header,
    number,
    slug,
    transaction_roles,
)

if TYPE_CHECKING:
    import pandas as pd


def table_document(table: Table, context: ReadContext, kind: str | None) -> SourceDocument:
    prefix = f"{context.relative}!{table.name}" if table.name is not None else context.relative
    chosen = kind or _classify(table, context.warnings)
    if chosen == "interview":
        raise SourceError(context.relative, "kind interview does not fit a table",
                          "interviews are .txt, .md, .docx or .pdf files")
    if chosen == "transactions":
        return _transactions(table, context, prefix)
    if chosen == "analytics":
        return _analytics(table, context, prefix)
    return _survey(table, context, prefix)


def _survey(table: Table, context: ReadContext, prefix: str) -> SourceDocument:
    import pandas as pd

    table = _merge_subheader(table)
    header = table.header
    respondent = _find(header, RESPONDENT_NAMES) if "#" not in header else header.index("#")
    if respondent is not None:  # an id that is personal data (an e-mail, a name) becomes a pseudonym
        ids = [pseudonymous(value, context) for value in _column(table, respondent)]
        tokens = [re.sub(r"[^\w.-]+", "_", value) for value in ids]
        if not all(ids) or len(set(tokens)) != len(tokens):
            context.warnings.append(f"column {header[respondent]!r} is not a unique id; using row numbers")
            respondent = None
    if respondent is not None:  # "R057" for id 057; ids that start with a letter stay as they are
        index = ids
        row_tokens = [t if t[:1].isalpha() else f"R{t}" for t in tokens]
    else:
        index = [str(n) for n in range(1, len(table.rows) + 1)]
        row_tokens = [f"r{n}" for n in index]
    customer = _find(header, CUSTOMER_NAMES)
    customers = [pseudonymous(row[customer], context) for row in table.rows] if customer is not None else []
    timestamp = _find(header, TIMESTAMP_NAMES)
    special = {i for i in (respondent, customer, timestamp) if i is not None}
    name_columns: list[int] = []
    closed: list[int] = []
    free: list[int] = []
    numeric: set[int] = set()
    for i, question in enumerate(header):
        normalized = normalize_header(question)
        if i in special or normalized in IGNORED_NAMES:
            continue
        if len(normalized.split()) <= 5 and _IDENTITY.search(normalized):
            if _PERSON_NAME.search(normalized):
                name_columns.append(i)
            continue
        column_kind = _column_kind(question, _column(table, i))
        if column_kind == "free_text":
            free.append(i)
        elif column_kind != "empty":
            closed.append(i)
            if column_kind == "numeric":
                numeric.add(i)
    answer_keys = _unique_slugs([header[i] for i in closed], prefix="a:")
    drafts: list[Draft] = []
    for r, row in enumerate(table.rows):
        base: dict[str, MetadataValue] = {"respondent_id": index[r], "row": r + 1}
        if customer is not None and customers[r]:
            base["customer_id"] = customers[r]
        if timestamp is not None and row[timestamp]:
            base["submitted_at"] = row[timestamp]
        for i in closed:
            if row[i]:
                value = number(row[i]) if i in numeric else None
                base[answer_keys[header[i]]] = row[i] if value is None else _compact(value)
        names = tuple(row[i] for i in name_columns if row[i] and "@" not in row[i])
        for i in free:
            if not row[i]:
                continue
            metadata = {**base, "question": header[i][:500], "question_index": i + 1}
            evidence_id = f"{prefix}#{row_tokens[r]}:q{i + 1}"
            if len(row[i]) <= MAX_CHUNK_CHARS:
                drafts.append(Draft(evidence_id, row[i], "survey", metadata, names=names))
                continue
            for part, piece in enumerate(split_text(row[i]), start=1):  # "…:q4:2" = 2nd part
                drafts.append(Draft(f"{evidence_id}:{part}", piece, "survey", {**metadata, "part": part},
                                    names=names))
    for i in sorted(closed + free):
        text, metadata = _question_summary(table, i, i in free, i in numeric, prefix)
        drafts.append(Draft(f"{prefix}#q{i + 1}", text, "survey", metadata,
                            language_text=header[i]))
    if table.name:
        for draft in drafts:
            draft.metadata["sheet"] = table.name
    frame = pd.DataFrame(
        {header[i]: [number(row[i]) if i in numeric else (row[i] or None) for row in table.rows]
         for i in closed},
        index=pd.Index(index, name="respondent_id", dtype="str"),
    )
    if customer is not None:  # kept so the analysis can join respondents to their purchases
        frame[header[customer]] = pd.Series([value or None for value in customers],
                                            index=frame.index, dtype="str")
    roles = {role: header[i] for role, i in
             (("respondent_id", respondent), ("customer_id", customer), ("submitted_at", timestamp))
             if i is not None}
    return SourceDocument(
        path=prefix, kind="survey", chunks=build_evidence(drafts, context),
        file_hash=context.file_hash, table=frame, warnings=context.warnings,
        free_text_columns=[header[i] for i in free], respondent_column=roles.get("respondent_id"),
        customer_id_column=roles.get("customer_id"), column_roles=roles, answer_keys=answer_keys,
    )


def _compact(value: float) -> MetadataValue:
    return int(value) if value.is_integer() else value


def _merge_subheader(table: Table) -> Table:
    """SurveyMonkey puts answer options in a second header row ("Response", option names)."""
    first = table.rows[0]
    markers = sum(cell in ("Response", "Open-Ended Response") for cell in first)
    if markers < max(1, len(first) // 3):
        return table
    header: list[str] = []
    question = ""
    for top, sub in zip(table.header, first, strict=True):
        question = top if not top.startswith("column ") else question
        extra = "" if sub in ("", "Response", "Open-Ended Response") else sub
        header.append(f"{question} — {extra}" if extra and question != extra else question or extra)
    return Table(table.name, _unique_headers(header), table.rows[1:], table.lines[1:], table.notes)


def _question_summary(table: Table, i: int, free: bool, numeric: bool,
                      prefix: str) -> tuple[str, dict[str, MetadataValue]]:
    question = table.header[i]
    values = [value for value in _column(table, i) if value]
    blank = len(table.rows) - len(values)
    lines = [f"Survey question {i + 1}: {question}"]
    if free:
        lines.append(f"Open question: {len(values)} answers, {blank} blank; "
                     f"each answer is its own evidence ({prefix}#…:q{i + 1}).")
    else:
        profile = _profile(values)
        counts = profile.options if profile.options is not None else Counter(values)
        several = " (several answers allowed)" if profile.options is not None else ""
        lines.append(f"Closed question{several}: {len(values)} answers, {blank} blank.")
        if numeric:
            numbers = sorted(n for n in map(number, values) if n is not None)
            mean = sum(numbers) / len(numbers)
            median = numbers[len(numbers) // 2]
            lines.append(f"mean {mean:.2f}, median {median:g}, min {numbers[0]:g}, max {numbers[-1]:g}")
        if not numeric or len(counts) <= 11:
            ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            for value, count in ranked[:20]:
                lines.append(f"- {value}: {count} ({count / max(len(values), 1):.0%})")
            if len(counts) > 20:
                lines.append(f"- … {len(counts) - 20} more values")
    metadata: dict[str, MetadataValue] = {
        "question": question[:500], "question_index": i + 1, "answers": len(values),
        "question_type": "free_text" if free else "closed", "summary": True,
    }
    return "\n".join(lines), metadata


def _raw_frame(table: Table) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(table.rows, columns=table.header)


def _transactions(table: Table, context: ReadContext, prefix: str) -> SourceDocument:
    import pandas as pd

    roles = transaction_roles(table)
    missing = {"customer_id", "date", "amount"} - roles.keys()
    if missing:
        raise SourceError(context.relative, f"no {', '.join(sorted(missing))} column found for "
                          "transactions", "name the columns e.g. customer_id, date, amount")
    frame = _raw_frame(table)
    # the same pseudonym as the survey's customer id column, so the two still join
    frame[roles["customer_id"]] = [pseudonymous(value, context) for value in frame[roles["customer_id"]]]
    amounts = frame[roles["amount"]].map(number)
    unreadable = int(amounts.isna().sum())
    if unreadable > 0.2 * len(frame):
        raise SourceError(context.relative, f"{unreadable} of {len(frame)} amounts in column "
                          f"{roles['amount']!r} are not numbers", "check the amount column")
    raw_dates = frame[roles["date"]]
    dayfirst = bool(raw_dates.str.match(r"^(1[3-9]|2\d|3[01])[./-]").any()
                    or raw_dates.str.match(r"^\d{1,2}\.\d{1,2}\.\d{2,4}").any())
    dates = pd.to_datetime(raw_dates, errors="coerce", format="mixed", dayfirst=dayfirst)
    if dates.isna().all():
        raise SourceError(context.relative, f"no readable dates in column {roles['date']!r}",
                          "use dates like 2024-03-31 or 31.03.2024")
    if unreadable or dates.isna().any():
        context.warnings.append(f"{unreadable} unreadable amounts, {int(dates.isna().sum())} "
                                "unreadable dates")
    customers = frame[roles["customer_id"]]
    orders = frame[roles["order_id"]].nunique() if "order_id" in roles else len(frame)
    per_customer = customers.value_counts()
    if "order_id" in roles:
        per_customer = frame.groupby(roles["customer_id"])[roles["order_id"]].nunique()
    revenue = float(amounts.sum())
    currency = ""
    if "currency" in roles and frame[roles["currency"]].ne("").any():
        currency = " " + str(frame[roles["currency"]].mode().iloc[0])
    elif code := _CURRENCY.search(roles["amount"]):  # "amount_eur", "Revenue (NOK)"
        currency = " " + code.group(0).upper()
    lines = [
        f"Transactions: {len(frame)} rows, {orders} orders from {customers.nunique()} customers, "
        f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}.",
        f"Revenue {revenue:,.2f}{currency}; average order value {revenue / max(orders, 1):,.2f}.",
        f"Repeat customers (more than one order): {(per_customer > 1).mean():.0%}.",
    ]
    if "product" in roles:
        by_product = amounts.groupby(frame[roles["product"]]).sum().sort_values(ascending=False)
        top = [f"{name} ({value / revenue:.0%})" for name, value in by_product.head(5).items()
               if revenue]
        lines.append("Top products by revenue: " + ", ".join(top) + ".")
    metadata: dict[str, MetadataValue] = {
        "rows": len(frame), "orders": int(orders), "customers": int(customers.nunique()),
        "revenue": round(revenue, 2), "date_start": f"{dates.min():%Y-%m-%d}",
        "date_end": f"{dates.max():%Y-%m-%d}",
    }
    if table.name:
        metadata["sheet"] = table.name
    draft = Draft(f"{prefix}#summary", "\n".join(lines), "transactions", metadata, detect=False)
    return SourceDocument(
        path=prefix, kind="transactions", chunks=build_evidence([draft], context),
        file_hash=context.file_hash, table=frame, warnings=context.warnings,
        customer_id_column=roles["customer_id"], column_roles=roles,
    )


def _analytics(table: Table, context: ReadContext, prefix: str) -> SourceDocument:
    """A summary chunk, then one chunk per dimension column with the metrics summed per value.

    "Which age group converts best?" is then one retrieval away; cross-tabulations (age ×
    country) stay in the table for the analysis stage.
    """
    header = table.header
    metrics = [i for i in range(len(header))
               if _numeric_share(_column(table, i)) >= 0.9 and not _TIME_DIMENSION.search(header[i])]
    dimensions = [i for i in range(len(header)) if i not in metrics]
    additive = [i for i in metrics if not _RATE.search(header[i])]
    values = {i: [number(row[i]) or 0.0 for row in table.rows] for i in metrics}
    described = [*table.notes, f"Analytics table: {len(table.rows)} rows; dimensions: "
                 f"{', '.join(header[i] for i in dimensions) or 'none'}; metrics: "
                 f"{', '.join(header[i] for i in metrics) or 'none'}."]
    if additive:
        described.append("Totals: " + "; ".join(f"{header[i]} {_format(sum(values[i]))}" for i in additive))
    drafts = [Draft(f"{prefix}#summary", "\n".join(described), "analytics", {"rows": len(table.rows)},
                    detect=False)]
    for d in dimensions:
        groups: dict[str, list[int]] = {}
        for r, row in enumerate(table.rows):
            groups.setdefault(row[d] or "(blank)", []).append(r)
        order = list(groups)
        if additive and not _TIME_DIMENSION.search(header[d]):
            order.sort(key=lambda value: -sum(values[additive[0]][r] for r in groups[value]))
        lines = [f"{header[d]}: {len(groups)} values" + (f", by {header[additive[0]]}" if additive else "")]
        size = len(lines[0])
        for shown, value in enumerate(order):
            line = f"- {value}: " + _metrics_line(header, groups[value], values, additive, metrics)
            size += len(line) + 1
            if shown == MAX_VALUES_PER_DIMENSION or (shown and size > MAX_CHUNK_CHARS - 40):
                lines.append(f"- … {len(order) - shown} more values (all rows are in the table)")
                break
            lines.append(line)
        metadata: dict[str, MetadataValue] = {"dimension": header[d], "values": len(groups)}
        if table.name:
            metadata["sheet"] = table.name
        drafts.append(Draft(f"{prefix}#dim:{slug(header[d]) or d + 1}", "\n".join(lines), "analytics",
                            metadata, detect=False))
    if not dimensions:  # a table of numbers only: one chunk per row
        for r, row in enumerate(table.rows[:MAX_VALUES_PER_DIMENSION], start=1):
            text = "; ".join(f"{header[i]}: {row[i]}" for i in metrics if row[i])
            drafts.append(Draft(f"{prefix}#row:{r}", text or "(empty row)", "analytics", {"row": r},
                                detect=False))
    return SourceDocument(path=prefix, kind="analytics", chunks=build_evidence(drafts, context),
                          file_hash=context.file_hash, table=_raw_frame(table),
                          warnings=context.warnings)


def _metrics_line(header: list[str], rows: list[int], values: dict[int, list[float]],
                  additive: list[int], metrics: list[int]) -> str:
    """Sums of additive metrics (the first with its share of the total), means of rates."""
    parts = []
    for i in metrics:
        column = [values[i][r] for r in rows]
        if i in additive:
            part = f"{header[i]} {_format(sum(column))}"
            total = sum(values[i])
            if i == additive[0] and total:
                part += f" ({sum(column) / total:.0%})"
        else:
            mean = _format(sum(column) / len(column))
            part = f"{header[i]} {mean}" + (" (mean)" if len(column) > 1 else "")
        parts.append(part)
    return "; ".join(parts)


def _format(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
