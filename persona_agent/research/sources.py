"""Read a research folder into evidence chunks that remember exactly where they came from.

One file → one `SourceDocument`: its chunks (`Evidence` with stable ids), and for tables the
frame the analysis stage needs. Kinds are detected from content; a ``kind:`` front-matter line or
the caller's ``kind`` overrides detection (the caller's flag wins over front matter).

Evidence ids (``<rel>`` is the posix path relative to the research folder; ``!Sheet`` is added
for every .xlsx sheet, so ids stay put when sheets are added):

* survey answer       ``survey.csv#R1042:q4`` — respondent id from a unique id column ("R" is
                      put before ids that start with a digit; "R001" or "a8f3k2" stay as they
                      are), so ids survive re-sorted exports; else ``survey.csv#r57:q4`` — the
                      1-based data row. ``q4`` is the 1-based column position in the file;
                      ``:2`` marks the 2nd part of an answer longer than 1,200 characters
* survey question     ``survey.csv#q4`` — question, answer count and distribution
* interview / notes   ``interviews/anna.md#L12-18`` (lines of the original file, front matter
                      included), ``notes.docx#p3-5`` (non-empty paragraphs), ``call.pdf#page2:L4-9``;
                      ``:2`` marks the 2nd part of a single line longer than 1,200 characters
* analytics table     ``audience.csv#dim:age`` one per dimension column (metrics summed per
                      value), plus ``audience.csv#summary``
* analytics JSON      ``report.json#/`` (whole, if small) or JSON pointers ``report.json#/rows/3``
* text report         ``monthly.md#L1-14`` like notes, but grouped by section
* transactions        ``orders.csv#summary`` (the rows stay in the table for RFM and ABC/XYZ)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from persona_agent.core.errors import SourceError
from persona_agent.core.evidence import MetadataValue
from persona_agent.engine.language import normalize_language
from persona_agent.research import chunking, guards
from persona_agent.research.documents import (
    Draft,
    ReadContext,
    SourceDocument,
    build_evidence,
    pseudonymous,
    split_lines,
)

__all__ = ["Draft", "ReadContext", "SourceDocument", "build_evidence", "split_lines"]  # readers' shared types

KINDS = ("survey", "interview", "analytics", "transactions")
TABLE_EXTENSIONS = frozenset({".csv", ".tsv", ".xlsx", ".xlsm"})
TEXT_EXTENSIONS = frozenset({".txt", ".md", ".markdown"})
SUPPORTED_EXTENSIONS = TABLE_EXTENSIONS | TEXT_EXTENSIONS | {".docx", ".pdf", ".json"}
ZIP_EXTENSIONS = frozenset({".docx", ".xlsx", ".xlsm"})
# Per format: what a broken file is not ("not …"), and how to fix it.
_FORMATS = {
    ".docx": ("a readable .docx document", "open it in Word and save it again as .docx"),
    ".xlsx": ("a readable .xlsx workbook", "open it in Excel and save it again as .xlsx"),
    ".xlsm": ("a readable .xlsx workbook", "open it in Excel and save it again as .xlsx"),
    ".pdf": ("a readable PDF", "export the notes again as PDF, .docx or text"),
    ".json": ("readable JSON", "check the export"),
}
_CONVERT_HINTS = {
    ".xls": "save it as .xlsx",
    ".doc": "save it as .docx",
    ".rtf": "save it as .docx or .txt",
    ".odt": "save it as .docx",
    ".ods": "save it as .xlsx",
    ".numbers": "export it as .xlsx or .csv",
    ".pages": "export it as .docx",
}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# How the user raises the size limit; named in the error hint (the CLI may set its option name).
MAX_BYTES_SETTING = "PERSONA_MAX_FILE_MB"
# Front-matter keys that name a person: used to redact that name, never stored as metadata.
NAME_KEYS = frozenset({"name", "customer_name", "interviewee", "respondent", "participant",
                       "contact", "navn", "naam", "имя"})
_RESERVED_KEYS = frozenset({"source", "kind", "content_hash", "line_start", "line_end", "page",
                            "part", "speaker", "section", "redacted", "paragraph_start",
                            "paragraph_end"})
CUSTOMER_LABELS = frozenset({"best", "worst", "lost", "prospect"})
_ID_KEYS = frozenset({"respondent_id", "customer_id", "customer_number", "kundenummer", "email", "e-mail",
                      "phone", "telefon"})


@dataclass
class Discovery:
    files: list[Path]
    skipped: list[tuple[Path, str]]  # (path, why) for files that are not research files


def discover(folder: Path) -> list[Path]:
    """Research files under ``folder``, sorted; hidden files, README* and unknown types skipped."""
    return discover_all(folder).files


def discover_all(folder: Path) -> Discovery:
    if not folder.is_dir():
        raise SourceError(str(folder), "is not a folder", "pass the research folder, e.g. knowledge/")
    candidates, skipped = guards.walk(folder)  # symlinks out of the folder are skipped here
    files: list[Path] = []
    for path in candidates:
        suffix = path.suffix.lower()
        if path.name.upper().startswith("README"):
            skipped.append((path, "README files describe the folder"))
        elif suffix in _CONVERT_HINTS:
            skipped.append((path, f"unsupported {suffix}: {_CONVERT_HINTS[suffix]}"))
        elif suffix not in SUPPORTED_EXTENSIONS:
            skipped.append((path, f"unknown file type {suffix or '(none)'}"))
        else:
            files.append(path)
    return Discovery(files, sorted(skipped))


def file_sha256(path: Path) -> str:
    """sha256 of the file, read in 1 MiB blocks (never the whole file at once)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def read_source(
    path: Path,
    root: Path,
    kind: str | None = None,
    *,
    redact: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    pseudonym_key: bytes | None = None,
) -> SourceDocument:
    """Read one research file. Raises `SourceError` (file + problem + hint) for a bad file.

    ``pseudonym_key`` keys the pseudonyms that replace respondent/customer ids that are personal
    data (`privacy.pseudonym`); every reader of one folder must use the same key for ids to join."""
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.name
    return _read(path, relative, kind, redact=redact, max_bytes=max_bytes, file_hash=None,
                 pseudonym_key=pseudonym_key)


def check_size(path: Path, relative: str, max_bytes: int) -> int:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SourceError(relative, f"cannot read: {error.strerror or error}") from error
    if size == 0:
        raise SourceError(relative, "empty file (0 bytes)", "remove it or export it again")
    if size > max_bytes:
        raise SourceError(
            relative,
            f"file is {size / 2**20:.0f} MB, above the {max_bytes / 2**20:.0f} MB limit; not read",
            f"split the file, or raise the limit with {MAX_BYTES_SETTING}",
        )
    return size


def _read(
    path: Path, relative: str, kind: str | None, *, redact: bool, max_bytes: int,
    file_hash: str | None, pseudonym_key: bytes | None = None,
) -> SourceDocument:
    if kind is not None and kind not in KINDS:
        raise SourceError(relative, f"unknown kind {kind!r}", f"use one of: {', '.join(KINDS)}")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        raise SourceError(
            relative, f"unsupported file type {suffix or '(none)'}",
            _CONVERT_HINTS.get(suffix, "supported: " + ", ".join(sorted(SUPPORTED_EXTENSIONS))),
        )
    check_size(path, relative, max_bytes)
    what, hint = _FORMATS.get(suffix, (f"a readable {suffix} file", "export it again"))
    if suffix in ZIP_EXTENSIONS:
        guards.check_archive(path, relative, max_bytes, what, hint)
    context = ReadContext(relative, file_hash or _hash(path, relative), redact, pseudonym_key)
    with guards.parser_faults(relative, what, hint):  # a parser's exception fails this file only
        return _read_as(path, suffix, context, kind)


def _read_as(path: Path, suffix: str, context: ReadContext, kind: str | None) -> SourceDocument:
    relative = context.relative
    if suffix in TEXT_EXTENSIONS:
        return _read_text(path, context, kind)
    if suffix in (".docx", ".pdf"):
        return _read_document(path, context, kind, suffix)
    if suffix == ".json":
        return _read_json(path, context, kind)
    from persona_agent.research import table_documents, tables

    if suffix in (".csv", ".tsv"):
        text = _decode(_read_bytes(path, relative), context)
        parts = [tables.csv_table(text, relative, context.warnings, tab=suffix == ".tsv")]
    else:
        parts = tables.workbook_tables(path, relative, context.warnings)
    documents = [table_documents.table_document(part, context, kind) for part in parts]
    if suffix in (".csv", ".tsv"):
        return documents[0]
    first = documents[0]
    return SourceDocument(
        path=relative, kind=first.kind, chunks=[c for d in documents for c in d.chunks],
        file_hash=context.file_hash, table=first.table, warnings=context.warnings,
        free_text_columns=first.free_text_columns, respondent_column=first.respondent_column,
        customer_id_column=first.customer_id_column, column_roles=first.column_roles,
        answer_keys=first.answer_keys, sheets=documents,
    )


def _hash(path: Path, relative: str) -> str:
    try:
        return file_sha256(path)
    except OSError as error:
        raise SourceError(relative, f"cannot read: {error.strerror or error}") from error


def _read_bytes(path: Path, relative: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SourceError(relative, f"cannot read: {error.strerror or error}") from error


def _decode(data: bytes, context: ReadContext) -> str:
    """Text from bytes: UTF-8 (BOM stripped), UTF-16 with BOM, else charset-normalizer's guess.

    The guess is limited to the encodings research in our languages really comes in (Windows
    Western and Cyrillic, KOI8-R); left free, charset-normalizer calls short Norwegian cp1252
    text "cp1250" and turns "ø" into "ř".
    """
    relative = context.relative
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise SourceError(relative, "broken UTF-16 text", "save it again as UTF-8") from error
    if b"\x00" in data[:8192]:
        raise SourceError(relative, "not a text file (binary content)",
                          "export it again as CSV/text, or give it its real extension")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data, cp_isolation=["cp1252", "cp1251", "koi8_r"]).best()
        encoding = best.encoding if best is not None else "latin_1"
        text = data.decode(encoding, errors="replace")
        context.warnings.append(f"not UTF-8; read as {encoding}")
    controls = sum(1 for char in text[:20000] if ord(char) < 32 and char not in "\t\n\r\f")
    if controls > max(5, len(text[:20000]) // 100):
        raise SourceError(relative, "not a text file (binary content)",
                          "export it again as CSV/text, or give it its real extension")
    return text


def _read_text(path: Path, context: ReadContext, kind: str | None) -> SourceDocument:
    lines = split_lines(_decode(_read_bytes(path, context.relative), context))
    front = chunking.parse_front_matter(lines)
    context.warnings.extend(front.warnings)
    units = [chunking.Unit(n, line) for n, line in enumerate(lines, 1) if n > front.body_start]
    return _text_document(context, kind, units, front.fields, "L", each_unit_is_paragraph=False)


def _read_document(path: Path, context: ReadContext, kind: str | None, suffix: str) -> SourceDocument:
    relative = context.relative
    if suffix == ".docx":
        from docx.opc.exceptions import PackageNotFoundError

        try:
            units = chunking.docx_units(path)
        except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
            raise SourceError(relative, "not a readable .docx document",
                              "open it in Word and save it again as .docx") from error
        front = chunking.parse_front_matter([unit.text for unit in units])
        context.warnings.extend(front.warnings)
        units = units[front.body_start :]
        fields = front.fields
    else:
        from pypdf.errors import PyPdfError

        try:
            units = chunking.pdf_units(path)
        except (PyPdfError, ValueError, KeyError, OSError) as error:
            raise SourceError(relative, f"not a readable PDF ({error})",
                              "export the notes again as PDF, .docx or text") from error
        fields = {}
        if not any(unit.text.strip() for unit in units):
            raise SourceError(relative, "no extractable text (a scanned PDF?)",
                              "run OCR on it or export the text")
    prefix = "p" if suffix == ".docx" else "L"
    return _text_document(context, kind, units, fields, prefix, each_unit_is_paragraph=suffix == ".docx")


def _text_document(
    context: ReadContext, kind: str | None, units: list[chunking.Unit], fields: dict[str, str],
    unit_prefix: str, *, each_unit_is_paragraph: bool,
) -> SourceDocument:
    relative = context.relative
    _apply_front_matter(fields, context)
    declared = fields.get("kind", "").strip().lower() or None
    if declared is not None and declared not in KINDS:
        context.warnings.append(f"front matter kind {declared!r} is not one of {', '.join(KINDS)}; ignored")
        declared = None
    body = "\n".join(unit.text for unit in units)
    if not body.strip():
        raise SourceError(relative, "no text after the front matter" if fields else "no text found")
    chosen = kind or declared
    if chosen is None:
        report = chunking.looks_like_report(body) and not chunking.find_speakers(units)
        chosen = "analytics" if report else "interview"
    if chosen not in ("interview", "analytics"):
        raise SourceError(relative, f"kind {chosen} needs a table (.csv, .tsv or .xlsx), not text",
                          "use kind interview or analytics for notes and reports")
    pieces = chunking.chunk_units(units, each_unit_is_paragraph=each_unit_is_paragraph,
                                  report=chosen == "analytics")
    span_keys = ("paragraph_start", "paragraph_end") if unit_prefix == "p" else ("line_start", "line_end")
    drafts: list[Draft] = []
    for piece in pieces:
        metadata: dict[str, MetadataValue] = {span_keys[0]: piece.first.number,
                                              span_keys[1]: piece.last.number}
        if piece.first.page is not None:
            metadata["page"] = piece.first.page
        if piece.part is not None:
            metadata["part"] = piece.part
        if piece.section:
            metadata["section"] = piece.section[:200]
        if piece.speaker:
            metadata["speaker"] = piece.speaker
            role = piece.speaker.lower()
            if role not in chunking.INTERVIEWER_ROLES | chunking.RESPONDENT_ROLES:
                context.known_names.append(piece.speaker)
        drafts.append(Draft(f"{relative}#{piece.locator(unit_prefix)}", piece.text, chosen, metadata))
    if chosen == "interview":
        respondent = (pseudonymous(fields.get("respondent_id", ""), context)
                      or pseudonymous(fields.get("customer_id", ""), context) or relative)
        for draft in drafts:
            draft.metadata["respondent_id"] = respondent
    return SourceDocument(path=relative, kind=chosen, chunks=build_evidence(drafts, context),
                          file_hash=context.file_hash, warnings=context.warnings,
                          front_matter=dict(fields))


def _apply_front_matter(fields: dict[str, str], context: ReadContext) -> None:
    """Front-matter fields become metadata on every chunk; name fields only feed redaction."""
    for key, value in fields.items():
        if key == "kind" or not value:
            continue
        if key in NAME_KEYS:
            context.known_names.append(value)
        elif key == "language":
            context.language = normalize_language(value)
            if context.language is None:
                context.warnings.append(f"front matter language {value!r} not understood; detecting")
        elif key in _RESERVED_KEYS:
            context.metadata[f"fm_{key}"] = pseudonymous(value, context, names=False)  # "source: GA4 export"
        else:
            # ids that are personal data become pseudonyms; other fields only lose e-mails, phones, ids
            value = pseudonymous(value, context, names=key in _ID_KEYS)
            if key == "customer" and value.lower() not in CUSTOMER_LABELS:
                context.warnings.append(
                    f"front matter customer {value!r} is not one of {', '.join(sorted(CUSTOMER_LABELS))}"
                )
            context.metadata[key] = value


def _read_json(path: Path, context: ReadContext, kind: str | None) -> SourceDocument:
    import json

    relative = context.relative
    if kind not in (None, "analytics"):
        raise SourceError(relative, f"kind {kind} does not fit a JSON file", "JSON is read as analytics")
    text = _decode(_read_bytes(path, relative), context)
    try:
        value: Any = json.loads(text)
    except json.JSONDecodeError as error:
        lines = [line for line in split_lines(text) if line.strip()]
        try:  # JSON Lines: one record per line
            value = [json.loads(line) for line in lines]
        except json.JSONDecodeError:
            raise SourceError(relative, f"invalid JSON: {error.msg}", "check the export; "
                              "JSON must be one document or one record per line",
                              row=error.lineno) from error
    drafts = [
        Draft(f"{relative}#{pointer}", chunk_text, "analytics", {"json_pointer": pointer})
        for pointer, chunk_text in chunking.json_chunks(value)
    ]
    if not drafts:
        raise SourceError(relative, "the JSON holds no values")
    return SourceDocument(path=relative, kind="analytics", chunks=build_evidence(drafts, context),
                          file_hash=context.file_hash, warnings=context.warnings)
