"""Hostile and broken research files: zip bombs, files that crash a parser, symlinks out of the folder.

Each must cost one line about that file — never the files after it, the pruning, or the machine.
"""

from __future__ import annotations

import io
import os
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from persona_agent.core.errors import SourceError
from persona_agent.engine.store import open_store
from persona_agent.research.folder import ResearchFolder
from persona_agent.research.ingest import ingest_folder, list_sources
from persona_agent.research.sources import discover_all, read_source
from persona_agent.testing import HashEmbeddings

GOOD_NOTES = "Interviewer: How was the delivery?\nCustomer: Slow, and the shipping cost more than the coffee.\n"
BOMB_MB = 200


# ------------------------------------------------------------------------------ crafted files
def good_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Channel", "Users", "Sessions"])
    sheet.append(["email", 120, 300])
    sheet.append(["search", 80, 150])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def good_document() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: How was the delivery?")
    document.add_paragraph("Customer: Slow, and the shipping cost more than the coffee.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def replace_entry(container: bytes, name: str, content: bytes | None = None, *, corrupt: bool = False) -> bytes:
    """A copy of a zip container with one entry replaced, removed (``content`` None, not corrupt) or
    with its deflate data scrambled (``corrupt``)."""
    source = zipfile.ZipFile(io.BytesIO(container))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == name and not corrupt:
                if content is None:
                    continue
                data = content
            target.writestr(info.filename, data)
    raw = bytearray(out.getvalue())
    if corrupt:
        info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo(name)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for i in range(start + 2, start + min(40, info.compress_size - 2)):
            raw[i] ^= 0xFF
    return bytes(raw)


def bomb(container: bytes, name: str, head: bytes, tail: bytes, megabytes: int = BOMB_MB) -> bytes:
    """``container`` with entry ``name`` rewritten as valid XML holding ``megabytes`` MB of one letter:
    a file of about 1 MB that the old reader expanded whole."""
    source = zipfile.ZipFile(io.BytesIO(container))
    out = io.BytesIO()
    chunk = b"a" * (1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
                continue
            with target.open(name, "w", force_zip64=True) as entry:
                entry.write(head)
                for _ in range(megabytes):
                    entry.write(chunk)
                entry.write(tail)
    return out.getvalue()


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
SHEET_TAIL = b'</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>'
DOC_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
DOC_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def deep_pdf(depth: int = 5000) -> bytes:
    """A one-page PDF whose text operator takes an array nested ``depth`` deep (pypdf recurses)."""
    content = b"BT /F1 12 Tf " + b"[" * depth + b"]" * depth + b" TJ ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {"sheet.xlsx": bomb(good_workbook(), "xl/worksheets/sheet1.xml", SHEET_HEAD, SHEET_TAIL),
            "notes.docx": bomb(good_document(), "word/document.xml", DOC_HEAD, DOC_TAIL)}


# ------------------------------------------------------------------------------ zip bombs
@pytest.mark.parametrize("name", ["sheet.xlsx", "notes.docx"])
def test_a_zip_bomb_is_refused_from_its_directory_without_expanding_it(tmp_path: Path, bombs, name: str) -> None:
    path = write(tmp_path, name, bombs[name])
    assert path.stat().st_size < 2 * 2**20  # small enough to pass the 50 MB file size limit
    tracemalloc.start()
    try:
        with pytest.raises(SourceError) as error:
            read_source(path, tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    line = error.value.one_line()
    assert line.startswith(f"{name}: ") and "zip bomb" in line and "\n" not in line
    assert f"to {BOMB_MB:,} MB" in line
    assert peak < 20 * 2**20  # the old reader held the 200 MB of text in memory


def test_expanded_size_limit_follows_the_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The expanded size may reach ARCHIVE_EXPANSION × PERSONA_MAX_FILE_MB, even at a harmless ratio."""
    from persona_agent.research import guards

    path = write(tmp_path, "notes.docx", good_document())
    max_bytes = path.stat().st_size + 1  # the file itself is within the limit
    assert read_source(path, tmp_path, max_bytes=2**20).chunks  # 36 KB that expand to 0.8 MB: fine
    monkeypatch.setattr(guards, "ARCHIVE_EXPANSION", 1)
    with pytest.raises(SourceError, match=r"^notes\.docx: expands to 0\.\d MB, above the 0\.0 MB limit"):
        read_source(path, tmp_path, max_bytes=max_bytes)


def test_a_zip_with_too_many_entries_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from persona_agent.research import guards

    monkeypatch.setattr(guards, "ARCHIVE_MAX_ENTRIES", 5)
    with pytest.raises(SourceError, match=r"^book\.xlsx: zip container with \d+ entries, above the 5 limit"):
        read_source(write(tmp_path, "book.xlsx", good_workbook()), tmp_path)


# ------------------------------------------------------------------------------ parser faults
BROKEN = {
    "deep.json": ("[" * 100_000 + "]" * 100_000, r"^deep\.json: nested too deeply to read"),
    "xml.docx": (lambda: replace_entry(good_document(), "word/document.xml", b"<w:document><w:body><w:p>"),
                 r"^xml\.docx: not a readable \.docx document \(XMLSyntaxError: "),
    "zlib.docx": (lambda: replace_entry(good_document(), "word/document.xml", corrupt=True),
                  r"^zlib\.docx: not a readable \.docx document \(error: Error -3 while decompressing"),
    "xml.xlsx": (lambda: replace_entry(good_workbook(), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>"),
                 r"^xml\.xlsx: not a readable \.xlsx workbook \(ParseError: "),
    "zlib.xlsx": (lambda: replace_entry(good_workbook(), "xl/worksheets/sheet1.xml", corrupt=True),
                  r"^zlib\.xlsx: not a readable \.xlsx workbook \(error: Error -3 while decompressing"),
    "half.xlsx": (lambda: good_workbook()[:2000], r"^half\.xlsx: not a readable \.xlsx workbook"),
    "nodoc.docx": (lambda: replace_entry(good_document(), "word/document.xml"),
                   r"^nodoc\.docx: not a readable \.docx document"),
    "deep.pdf": (deep_pdf, r"^deep\.pdf: nested too deeply to read"),
}


def broken_content(name: str) -> str | bytes:
    content = BROKEN[name][0]
    return content() if callable(content) else content


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_file_that_crashes_its_parser_is_one_source_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(SourceError) as error:
        read_source(write(tmp_path, name, broken_content(name)), tmp_path)
    line = error.value.one_line()
    assert "\n" not in line
    assert re.search(BROKEN[name][1], line), line


def test_a_bug_in_our_own_code_still_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only exceptions raised inside a parser are the file's fault; ours are bugs and propagate."""
    from persona_agent.research import chunking

    def buggy(value: object, pointer: str = "") -> list[tuple[str, str]]:
        raise KeyError("a bug")

    monkeypatch.setattr(chunking, "json_chunks", buggy)
    with pytest.raises(KeyError):
        read_source(write(tmp_path, "report.json", '{"users": 12}'), tmp_path)


def test_bad_files_fail_alone_and_pruning_still_runs_on_every_run(tmp_path: Path, settings) -> None:
    folder = tmp_path / "research"
    for name in BROKEN:
        write(folder, name, broken_content(name))
    write(folder, "a-notes.md", GOOD_NOTES)
    write(folder, "z-channels.xlsx", good_workbook())  # sorted after every broken file
    write(folder, "zz-call.docx", good_document())
    gone = write(folder, "old.md", "Customer: I used to buy the espresso blend every month.\n")
    store = open_store(settings, HashEmbeddings())
    ingest_folder(folder, store)
    gone.unlink()

    first = ingest_folder(folder, store)
    second = ingest_folder(folder, store)
    assert sorted(line.split(":")[0] for line in first.files_failed) == sorted(BROKEN)
    assert first.files_removed == 1  # old.md was pruned although files failed before it
    assert {row.source for row in list_sources(store)} == {"a-notes.md", "z-channels.xlsx", "zz-call.docx"}
    assert second.files_failed == first.files_failed and second.files_removed == 0
    assert second.files_ok == first.files_ok == 3


# ------------------------------------------------------------------------------ symlinks
def test_symlinks_out_of_the_folder_are_skipped_with_a_reason(tmp_path: Path, settings) -> None:
    outside = tmp_path / "private"
    write(outside, "secrets.md", "Customer: my card number is in here.\n")
    folder = tmp_path / "research"
    write(folder, "notes.md", GOOD_NOTES)
    os.symlink(outside / "secrets.md", folder / "linked.md")
    os.symlink(outside, folder / "linked-folder")
    os.symlink(tmp_path / "nowhere.md", folder / "dangling.md")
    discovery = discover_all(folder)
    assert [p.name for p in discovery.files] == ["notes.md"]
    assert {p.name: why for p, why in discovery.skipped} == {
        "dangling.md": "broken symlink; not read",
        "linked-folder": "symlink to outside the research folder; not read",
        "linked.md": "symlink to outside the research folder; not read",
    }
    report = ingest_folder(ResearchFolder(folder), open_store(settings, HashEmbeddings()))
    assert report.files_ok == 1 and "linked.md: symlink to outside the research folder; not read" in (
        report.files_skipped)


def test_symlinks_inside_the_folder_are_followed_once_without_looping(tmp_path: Path) -> None:
    folder = tmp_path / "research"
    write(folder, "interviews/anna.md", GOOD_NOTES)
    write(folder, ".hidden/ola.md", GOOD_NOTES.replace("Slow", "Late"))
    os.symlink(folder / "interviews" / "anna.md", folder / "anna-link.md")
    os.symlink(folder / ".hidden", folder / "from-hidden")  # a linked folder nobody else walks
    os.symlink(folder, folder / "interviews" / "loop")  # back to the top: would recurse forever
    os.symlink(folder / "interviews", folder / "again")  # a folder that is walked already
    discovery = discover_all(folder)
    assert [p.relative_to(folder).as_posix() for p in discovery.files] == [
        "anna-link.md", "from-hidden/ola.md", "interviews/anna.md"]
    assert {p.relative_to(folder).as_posix(): why for p, why in discovery.skipped} == {
        "again": "symlink to a folder that is read already; skipped",
        "interviews/loop": "symlink to a folder that is read already; skipped",
    }


def test_only_exceptions_raised_inside_a_parser_are_the_files_fault() -> None:
    """pypdf and friends raise TypeError, AttributeError … on odd files; the innermost frame decides."""
    from persona_agent.research.guards import parser_faults

    def raising_in(module: str):
        namespace = {"__name__": module}
        exec("def parse():\n    raise TypeError('unexpected NullObject')", namespace)
        return namespace["parse"]

    with pytest.raises(SourceError, match=r"^call\.pdf: not a readable PDF \(TypeError: unexpected NullObject\)"):
        with parser_faults("call.pdf", "a readable PDF", "export it again"):
            raising_in("pypdf._page")()
    with pytest.raises(TypeError):
        with parser_faults("call.pdf", "a readable PDF", "export it again"):
            raising_in("persona_agent.research.chunking")()
