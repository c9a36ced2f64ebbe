"""Turn interview notes, transcripts and text reports into chunks that keep their line numbers.

Everything here works on `Unit`s: a line of a .txt/.md file, a paragraph of a .docx, a line of a
PDF page. A chunk remembers the first and last unit it covers, which becomes the stable evidence
id (``#L12-18``, ``#p3-5``, ``#page2:L4-9``), so a chunk can always be found again in the original.

Transcripts are split by speaker turn. A question from the interviewer is kept together with the
answer that follows it: "Yes, every week." is useless evidence without the question it answers,
and the labels stay in the text, so nobody mistakes the interviewer's words for the customer's.
The chunk's ``speaker`` is the answering speaker.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

MAX_CHUNK_CHARS = 1200
# Short consecutive paragraphs of notes are merged up to this size (never across a heading).
MERGE_TARGET_CHARS = 700

INTERVIEWER_ROLES = frozenset(
    "interviewer intervjuer intervjuar intervjuare interviewerin moderator moderatorin researcher forsker "
    "onderzoeker interviewster q spm spørsmål spørgsmål vraag v fråga frage i интервьюер вопрос модератор".split()
)
RESPONDENT_ROLES = frozenset(
    "a svar answer antwoord kunde kund kundin klant customer client respondent deltaker deltager deltagare "
    "teilnehmer teilnehmerin participant deelnemer b r клиент клиентка ответ респондент участник".split()
)

_TIME = r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*)?"
_LABEL = re.compile(
    rf"^\s*{_TIME}(?:\*\*|__)?(?P<label>[^\W\d_][\w.'’ -]{{0,29}}?)(?:\*\*|__)?\s*{_TIME}"
    r":(?:\*\*|__)?(?:\s+|$)"
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_INSTRUCTIONS = re.compile(
    r"(ignore|disregard|forget)\s+(all\s+)?(the\s+)?(previous|prior|above|earlier)\s+"
    r"(instructions|prompts?|rules)|you are now|system prompt|"
    r"ignorer\w*\s+(alle\s+)?(tidligere|forrige)\s+instruks|"
    r"negeer\s+(alle\s+)?(vorige|eerdere)\s+instructies|"
    r"игнорируй\w*\s+(все\s+)?(предыдущие\s+)?инструкции",
    re.IGNORECASE,
)
METRIC_WORDS = re.compile(
    r"\b(users?|sessions?|pageviews?|views|visits|clicks|impressions|events?|bounce|conversions?|"
    r"conversion rate|revenue|traffic|ctr|transactions|purchases|sidevisninger|visninger|"
    r"visitors?|brukere|økter|besøkende|konvertering\w*|omsetning|trafikk|brugere|sessioner|"
    r"besøgende|omsætning|gebruikers|sessies|bezoekers|conversie\w*|omzet|verkeer|"
    r"пользовател\w*|сеанс\w*|посетител\w*|конверси\w*|выручк\w*|трафик\w*)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d[\d\s.,]*%?")


@dataclass(frozen=True)
class Unit:
    """One addressable piece of the original: a line, a .docx paragraph, a PDF line."""

    number: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class TextChunk:
    first: Unit
    last: Unit
    text: str
    speaker: str | None = None
    section: str | None = None
    part: int | None = None  # set when one unit was too long and had to be cut

    def locator(self, unit_prefix: str) -> str:
        """``L12-18`` / ``p3`` / ``page2:L4-9``, plus ``:2`` for the 2nd part of a cut unit."""
        span = f"{unit_prefix}{self.first.number}"
        if self.last.number != self.first.number:
            span += f"-{self.last.number}"
        if self.first.page is not None:
            span = f"page{self.first.page}:{span}"
        return f"{span}:{self.part}" if self.part is not None else span


@dataclass
class FrontMatter:
    fields: dict[str, str]
    body_start: int  # index of the first line after the block (0 when there is no block)
    warnings: list[str]


def parse_front_matter(lines: list[str]) -> FrontMatter:
    """Read a leading ``---`` … ``---`` block of ``key: value`` lines (``# comments`` allowed)."""
    if not lines or lines[0].strip() != "---":
        return FrontMatter({}, 0, [])
    fields: dict[str, str] = {}
    warnings: list[str] = []
    for index, line in enumerate(lines[1:60], start=1):
        stripped = line.strip()
        if stripped in ("---", "..."):
            return FrontMatter(fields, index + 1, warnings)
        if not stripped or stripped.startswith("#"):
            continue
        key, colon, value = stripped.partition(":")
        if not colon or not key.strip():
            warnings.append(f"line {index + 1}: front matter line not understood: {stripped!r}")
            continue
        value = value.split(" #", 1)[0].strip().strip("\"'")
        fields[key.strip().lower().replace(" ", "_").replace("-", "_")] = value
    return FrontMatter({}, 0, ["front matter starts with '---' but never ends; read as text"])


def speaker_of(text: str) -> str | None:
    match = _LABEL.match(text)
    if match is None:
        return None
    label = match.group("label").strip()
    return label if len(label.split()) <= 3 else None


def find_speakers(units: list[Unit]) -> set[str]:
    """Labels that really are speakers; empty when the text is not a transcript.

    A label counts if it is a known role ("Interviewer", "Q", "Kunde", "Клиент") or a
    capitalised name used for at least two turns. "Note:" once is not a speaker.
    """
    counts = Counter(label for unit in units if (label := speaker_of(unit.text)))
    speakers = {
        label
        for label, count in counts.items()
        if label.lower() in INTERVIEWER_ROLES | RESPONDENT_ROLES
        or (count >= 2 and all(word[0].isupper() for word in label.split()))
    }
    turns = sum(counts[label] for label in speakers)
    return speakers if len(speakers) >= 2 and turns >= 3 else set()


def find_interviewer(units: list[Unit], speakers: set[str]) -> str | None:
    """The speaker asking the questions: a known role, else whoever mostly ends turns with '?'."""
    for label in sorted(speakers):
        if label.lower() in INTERVIEWER_ROLES:
            return label
    asked: Counter[str] = Counter()
    turns: Counter[str] = Counter()
    for unit in units:
        speaker = speaker_of(unit.text)
        if speaker is not None and speaker in speakers:
            turns[speaker] += 1
            asked[speaker] += "?" in unit.text
    shares = {label: asked[label] / turns[label] for label in turns}
    best = max(shares, key=lambda label: (shares[label], label), default=None)
    return best if best is not None and shares[best] >= 0.5 else None


def chunk_units(
    units: list[Unit], *, each_unit_is_paragraph: bool, report: bool = False
) -> list[TextChunk]:
    """Chunks for notes, transcripts or (``report=True``) text analytics summaries."""
    speakers = set() if report else find_speakers(units)
    if speakers:
        interviewer = find_interviewer(units, speakers)
        spans = _turn_spans(units, speakers, interviewer, each_unit_is_paragraph)
    else:
        target = MAX_CHUNK_CHARS if report else MERGE_TARGET_CHARS
        spans = _paragraph_spans(units, 0, len(units), each_unit_is_paragraph, target)
    chunks: list[TextChunk] = []
    for lo, hi, speaker, section in spans:
        chunks += _limited_chunks(units, lo, hi, speaker, section)
    return chunks


# A span is (first index, last index inclusive, speaker, section) into the unit list.
_Span = tuple[int, int, str | None, str | None]


def _turn_spans(
    units: list[Unit], speakers: set[str], interviewer: str | None, each_unit_is_paragraph: bool
) -> list[_Span]:
    turns: list[tuple[str | None, int, int]] = []  # (speaker, lo, hi)
    for index, unit in enumerate(units):
        label = speaker_of(unit.text)
        if label in speakers and (not turns or turns[-1][0] != label):
            turns.append((label, index, index))
        elif turns:
            turns[-1] = (turns[-1][0], turns[-1][1], index)
        else:
            turns.append((None, index, index))  # preamble before the first turn
    spans: list[_Span] = []
    position = 0
    while position < len(turns):
        speaker, lo, hi = turns[position]
        position += 1
        if speaker is None:
            spans += _paragraph_spans(units, lo, hi + 1, each_unit_is_paragraph, MERGE_TARGET_CHARS)
            continue
        if speaker == interviewer and position < len(turns):
            next_speaker, _, next_hi = turns[position]
            if next_speaker not in (None, interviewer):
                speaker, hi = next_speaker, next_hi
                position += 1
        spans.append((lo, hi, speaker, None))
    return spans


def _paragraph_spans(
    units: list[Unit], lo: int, hi: int, each_unit_is_paragraph: bool, target: int
) -> list[_Span]:
    """Blank-line paragraphs (or one per unit), headings glued to what follows, small ones merged."""
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    for index in range(lo, hi):
        unit = units[index]
        blank = not unit.text.strip()
        new_page = start is not None and units[start].page != unit.page
        if start is not None and (blank or each_unit_is_paragraph or new_page):
            blocks.append((start, index - 1))
            start = None
        if start is None and not blank:
            start = index
    if start is not None:
        blocks.append((start, hi - 1))

    spans: list[_Span] = []
    group: tuple[int, int] | None = None
    section: str | None = None
    group_section: str | None = None
    for block_lo, block_hi in blocks:
        is_heading = _HEADING.match(units[block_lo].text) is not None
        if group is not None:
            heading_only = all(
                _HEADING.match(units[i].text) or not units[i].text.strip()
                for i in range(group[0], group[1] + 1)
            )
            size = _size(units, group[0], block_hi)
            other_page = units[group[0]].page != units[block_lo].page
            if not heading_only and (is_heading or size > target or other_page):
                spans.append((group[0], group[1], None, group_section))
                group = None
        if is_heading:
            section = units[block_lo].text.strip().lstrip("#").strip()
        if group is None:
            group, group_section = (block_lo, block_hi), section
        else:
            group = (group[0], block_hi)
    if group is not None:
        spans.append((group[0], group[1], None, group_section))
    return spans


def _size(units: list[Unit], lo: int, hi: int) -> int:
    return sum(len(units[index].text) + 1 for index in range(lo, hi + 1))


def _chunk(units: list[Unit], lo: int, hi: int, speaker: str | None, section: str | None) -> TextChunk | None:
    while lo <= hi and not units[lo].text.strip():
        lo += 1
    while hi >= lo and not units[hi].text.strip():
        hi -= 1
    if lo > hi:
        return None
    text = "\n".join(units[index].text for index in range(lo, hi + 1)).strip()
    return TextChunk(units[lo], units[hi], text, speaker=speaker, section=section)


def _limited_chunks(
    units: list[Unit], lo: int, hi: int, speaker: str | None, section: str | None
) -> list[TextChunk]:
    """The span as one chunk, or cut at unit boundaries, then sentence ends, to MAX_CHUNK_CHARS."""
    chunk = _chunk(units, lo, hi, speaker, section)
    if chunk is None:
        return []
    if len(chunk.text) <= MAX_CHUNK_CHARS:
        return [chunk]
    if chunk.first is chunk.last:
        pieces = split_text(chunk.text, MAX_CHUNK_CHARS)
        return [replace(chunk, text=text, part=number) for number, text in enumerate(pieces, 1)]
    chunks: list[TextChunk] = []
    group_lo = lo
    for index in range(lo, hi + 1):
        if index > group_lo and _size(units, group_lo, index) > MAX_CHUNK_CHARS:
            chunks += _limited_chunks(units, group_lo, index - 1, speaker, section)
            group_lo = index
    chunks += _limited_chunks(units, group_lo, hi, speaker, section)
    return chunks


def split_text(text: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Pack sentences into pieces of at most ``limit`` characters (words cut only as a last resort)."""
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        pieces.append(current)
    return [piece for piece in pieces if piece]


def looks_like_report(text: str) -> bool:
    """A text analytics summary rather than interview notes: metric words next to many numbers."""
    return len(METRIC_WORDS.findall(text)) >= 3 and len(_NUMBER.findall(text)) >= 5


def looks_like_instructions(text: str) -> bool:
    """Text addressed to an AI ("ignore previous instructions…"): stored, flagged, never obeyed."""
    return _INSTRUCTIONS.search(text) is not None


def docx_units(path: Path) -> list[Unit]:
    """Non-empty paragraphs (and table rows, as ``cell | cell``) numbered from 1, in order."""
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    texts: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = [cell.text.strip() for cell in row.cells]
                texts.append(" | ".join(dict.fromkeys(cell for cell in cells if cell)))
        else:
            texts.append(item.text)
    kept = [text.strip() for text in texts if text.strip()]
    return [Unit(number, text) for number, text in enumerate(kept, start=1)]


def pdf_units(path: Path) -> list[Unit]:
    """Lines of extracted text, numbered per page (``page2:L4``)."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted:
        raise ValueError("the PDF is encrypted")
    units: list[Unit] = []
    for page_number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        lines = text.replace("\r\n", "\n").split("\n")
        units += [Unit(number, line.rstrip(), page_number) for number, line in enumerate(lines, start=1)]
    return units


def json_chunks(value: object, pointer: str = "") -> list[tuple[str, str]]:
    """(JSON pointer, text) pairs: the whole document if small, else descend until pieces fit.

    Text that is too long even as a single value is cut into parts ``<pointer>|1``, ``|2`` …
    """
    rendered = render_json(value)
    if len(rendered) <= MAX_CHUNK_CHARS:
        return [(pointer or "/", rendered)] if rendered.strip() else []
    if not isinstance(value, dict | list) or not value:
        pieces = split_text(rendered)
        return [(f"{pointer or '/'}|{number}", piece) for number, piece in enumerate(pieces, 1)]
    items = value.items() if isinstance(value, dict) else enumerate(value)
    chunks: list[tuple[str, str]] = []
    for key, child in items:
        child_pointer = f"{pointer}/" + str(key).replace("~", "~0").replace("/", "~1")
        if isinstance(child, dict | list) or not isinstance(value, dict):
            chunks += json_chunks(child, child_pointer)
            continue
        text = f"{key}: {_render_scalar(child)}"
        if len(text) <= MAX_CHUNK_CHARS:
            chunks.append((child_pointer, text))
        else:
            pieces = split_text(text)
            chunks += [(f"{child_pointer}|{n}", piece) for n, piece in enumerate(pieces, 1)]
    return chunks


def render_json(value: object) -> str:
    """``key: value`` lines for objects, one ``key: value; …`` line per record of a list of
    objects, comma lists for scalars; anything deeper as compact JSON."""
    if isinstance(value, dict):
        return "\n".join(f"{key}: {_render_scalar(child)}" for key, child in value.items())
    if isinstance(value, list) and all(isinstance(item, dict) for item in value) and value:
        return "\n".join(
            "; ".join(f"{key}: {_render_scalar(child)}" for key, child in item.items()) for item in value
        )
    if isinstance(value, list) and all(not isinstance(item, dict | list) for item in value):
        return ", ".join(_render_scalar(item) for item in value)
    return _render_scalar(value)


def _render_scalar(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
