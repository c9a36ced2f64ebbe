"""What a broken or hostile research folder can do to the reader, and the one line it gets instead.

* **Symlinks** (`walk`): a link to anything outside the research folder is skipped with a reason,
  never read; a link inside it is followed, a linked folder only once (no loops).
* **Zip bombs** (`check_archive`): .docx and .xlsx are zip files that openpyxl and python-docx
  expand. Before either opens one, its zip directory is read (no data is decompressed): too many
  entries, too many bytes once expanded, or an absurd compression ratio refuse the file. The sizes
  in the directory cannot lie to us: `zipfile` stops an entry at its declared size and fails its CRC.
* **Parser faults** (`parser_faults`): an exception raised *inside* a file parser (zipfile, zlib,
  lxml, xml.etree, openpyxl, python-docx, pypdf, json) while reading one file, or a `RecursionError`
  from deep nesting, becomes a `SourceError` for that file; the next file is read as usual. An
  exception raised in our own code is a bug and still propagates.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from persona_agent.core.errors import SourceError

# Expanded size a zip container may reach, as a multiple of the file size limit (50 MB → 500 MB).
ARCHIVE_EXPANSION = 10
ARCHIVE_MAX_ENTRIES = 10_000
# Apache POI, which reads most of the world's .xlsx files, refuses a ratio above 100 in an entry
# larger than 100 KB; we allow entries up to 1 MB any ratio.
ARCHIVE_MAX_RATIO = 100
ARCHIVE_RATIO_GRACE = 1 << 20
# Top-level modules whose exceptions are the file's fault, not ours.
_PARSERS = frozenset({"zipfile", "zlib", "lxml", "xml", "openpyxl", "docx", "pypdf", "json", "et_xmlfile",
                      "charset_normalizer"})


# ------------------------------------------------------------------------------------------ folders
def walk(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files under ``folder`` (hidden and ``~$`` lock entries left out) and the links skipped.

    Real folders are walked first; then each linked folder whose target lies inside ``folder`` and
    has not been walked yet (a link to ``.`` or to a sibling adds nothing and cannot loop)."""
    root = folder.resolve()
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    walked: set[Path] = set()
    linked_folders: list[tuple[Path, Path]] = []

    def visit(directory: Path) -> None:
        walked.add(directory.resolve())
        try:
            entries = list(os.scandir(directory))
        except OSError as error:
            skipped.append((directory, f"cannot list the folder ({error.strerror or error})"))
            return
        for entry in entries:
            if entry.name.startswith((".", "~$")):
                continue
            path = directory / entry.name
            if entry.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):  # dangling, or a loop of links
                    skipped.append((path, "broken symlink; not read"))
                    continue
                if not target.is_relative_to(root):
                    skipped.append((path, "symlink to outside the research folder; not read"))
                elif target.is_dir():
                    linked_folders.append((path, target))
                elif target.is_file():
                    files.append(path)
            elif entry.is_dir(follow_symlinks=False):
                visit(path)
            elif entry.is_file(follow_symlinks=False):
                files.append(path)

    visit(folder)
    while linked_folders:
        path, target = linked_folders.pop(0)
        if target in walked:
            skipped.append((path, "symlink to a folder that is read already; skipped"))
        else:
            visit(path)
    return sorted(files), sorted(skipped)


# ------------------------------------------------------------------------------------------ zip files
def check_archive(path: Path, relative: str, max_bytes: int, what: str, hint: str) -> None:
    """Refuse a zip container (.docx, .xlsx) that would expand beyond reason; reads its directory only.

    ``what`` names the format in the message ("a readable .xlsx workbook"), ``hint`` how to fix it."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as error:
        raise SourceError(relative, f"not {what} (not a zip container: {_detail(error)})", hint) from error
    if len(entries) > ARCHIVE_MAX_ENTRIES:
        raise SourceError(relative, f"zip container with {len(entries):,} entries, above the "
                          f"{ARCHIVE_MAX_ENTRIES:,} limit; not read", hint)
    limit = max_bytes * ARCHIVE_EXPANSION
    expanded = sum(entry.file_size for entry in entries)
    if expanded > limit:
        raise SourceError(relative, f"expands to {_mb(expanded)}, above the {_mb(limit)} limit "
                          "(a zip bomb?); not read",
                          f"{hint}, or raise the limit with PERSONA_MAX_FILE_MB (expansion × {ARCHIVE_EXPANSION})")
    for entry in entries:
        if entry.file_size > ARCHIVE_RATIO_GRACE and entry.file_size > ARCHIVE_MAX_RATIO * max(entry.compress_size, 1):
            ratio = entry.file_size / max(entry.compress_size, 1)
            raise SourceError(relative, f"{entry.filename[:80]} expands {ratio:,.0f}-fold to "
                              f"{_mb(entry.file_size)} (a zip bomb?); not read", hint)


# ------------------------------------------------------------------------------------------ parsers
@contextmanager
def parser_faults(relative: str, what: str, hint: str) -> Iterator[None]:
    """Turn a parser's exception while reading one file into that file's `SourceError`.

    ``what`` completes "not …" ("a readable PDF"); the message adds the exception's type and first
    line, so the user can tell a broken zip from broken XML."""
    try:
        yield
    except SourceError:
        raise
    except RecursionError as error:
        raise SourceError(relative, "nested too deeply to read", "flatten the export, or export it again"
                          ) from error
    except (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError) as error:  # lxml's and etree's XML errors
        raise SourceError(relative, f"not {what} ({_detail(error)})", hint) from error
    except Exception as error:
        if not _raised_by_parser(error):
            raise
        raise SourceError(relative, f"not {what} ({_detail(error)})", hint) from error


def _raised_by_parser(error: BaseException) -> bool:
    """Was ``error`` raised in a parser library's code (its innermost Python frame)?"""
    traceback = error.__traceback__
    if traceback is None:
        return False
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    module = str(traceback.tb_frame.f_globals.get("__name__", ""))
    return module.partition(".")[0] in _PARSERS


def _mb(size: int) -> str:
    megabytes = size / 2**20
    return f"{megabytes:,.1f} MB" if megabytes < 10 else f"{megabytes:,.0f} MB"


def _detail(error: BaseException) -> str:
    """``Type: first line of the message``, short enough for one line."""
    lines = str(error).strip().splitlines()
    message = lines[0][:100] if lines else ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
