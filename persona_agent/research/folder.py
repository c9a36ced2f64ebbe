"""One research folder per command: discovered once, each file hashed and read at most once.

Ingest and analysis both need the folder's files — ingest every changed file, analysis the tables.
Before, each walked and parsed the folder on its own, so a survey was read twice per `persona
generate`. A `ResearchFolder` is handed to both: the first caller that needs a document reads it,
the second gets the same parsed `SourceDocument` (or the same `SourceError`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from persona_agent.core.errors import PersonaError, SourceError
from persona_agent.research import sources
from persona_agent.research.documents import SourceDocument


@dataclass
class ResearchFolder:
    """The research files under ``root``; ``kind`` forces a kind, ``redact`` removes PII on reading."""

    root: Path
    kind: str | None = None
    redact: bool = False
    max_bytes: int = sources.DEFAULT_MAX_BYTES
    pseudonym_key: bytes | None = None  # `privacy.pseudonym_key(home)`: personal ids become pseudonyms
    reads: int = 0  # files parsed so far (a test proves each is parsed once)
    _discovery: sources.Discovery | None = field(default=None, repr=False)
    _documents: dict[Path, SourceDocument | PersonaError] = field(default_factory=dict, repr=False)
    _hashes: dict[Path, str | SourceError] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.root.is_dir():
            raise SourceError(str(self.root), "is not a folder", "pass the research folder, e.g. knowledge/")

    @property
    def discovery(self) -> sources.Discovery:
        if self._discovery is None:
            self._discovery = sources.discover_all(self.root)
        return self._discovery

    @property
    def files(self) -> list[Path]:
        return self.discovery.files

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def file_hash(self, path: Path) -> str:
        """sha256 of a file whose size is within the limit; oversized or unreadable files raise
        `SourceError` before a byte of them is hashed."""
        if path not in self._hashes:
            relative = self.relative(path)
            try:
                sources.check_size(path, relative, self.max_bytes)
                self._hashes[path] = sources.file_sha256(path)
            except SourceError as error:
                self._hashes[path] = error
            except OSError as error:
                self._hashes[path] = SourceError(relative, f"cannot read ({error.strerror or error})")
        found = self._hashes[path]
        if isinstance(found, SourceError):
            raise found
        return found

    def document(self, path: Path) -> SourceDocument:
        """The parsed file (read on first use); a bad file raises the same error every time."""
        if path not in self._documents:
            self.reads += 1
            try:
                self._documents[path] = sources.read_source(path, self.root, self.kind, redact=self.redact,
                                                            max_bytes=self.max_bytes,
                                                            pseudonym_key=self.pseudonym_key)
            except PersonaError as error:
                self._documents[path] = error
        found = self._documents[path]
        if isinstance(found, PersonaError):
            raise found
        return found

    def tables(self) -> Iterator[tuple[Path, SourceDocument | PersonaError]]:
        """Each table file (csv, tsv, xlsx) with its document, or the error that stopped reading it."""
        for path in self.files:
            if path.suffix.lower() not in sources.TABLE_EXTENSIONS:
                continue
            try:
                yield path, self.document(path)
            except PersonaError as error:
                yield path, error


def research_folder(folder: Path | ResearchFolder, **options: object) -> ResearchFolder:
    """``folder`` as a `ResearchFolder` (an existing one is passed through unchanged)."""
    if isinstance(folder, ResearchFolder):
        return folder
    return ResearchFolder(folder, **options)  # type: ignore[arg-type]
