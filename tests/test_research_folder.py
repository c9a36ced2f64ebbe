"""The research folder is discovered and read once per command: ingest and analysis share it."""

from __future__ import annotations

from collections import Counter

from persona_agent.research import sources
from persona_agent.testing import HashEmbeddings
from persona_agent.workflows.run import prepare
from tests.conftest import KNOWLEDGE


def test_prepare_reads_every_file_once(settings, monkeypatch):
    reads: Counter[str] = Counter()
    walks: list[str] = []
    read_source, discover_all = sources.read_source, sources.discover_all

    def counting_read(path, root, *args, **kwargs):
        reads[path.relative_to(root).as_posix()] += 1
        return read_source(path, root, *args, **kwargs)

    def counting_discover(folder):
        walks.append(str(folder))
        return discover_all(folder)

    monkeypatch.setattr(sources, "read_source", counting_read)
    monkeypatch.setattr(sources, "discover_all", counting_discover)
    prepared = prepare(settings, KNOWLEDGE, embedder=HashEmbeddings())
    assert prepared.ingest.files_new == len(reads) > 10
    assert prepared.analysis is not None and prepared.analysis.result.segmentation is not None
    assert set(prepared.analysis.inputs.values()) <= set(reads)  # the analysis used documents ingest read
    assert [path for path, n in reads.items() if n != 1] == []
    assert len(walks) == 1
