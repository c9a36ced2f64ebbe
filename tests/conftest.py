"""Shared fixtures: every test runs in its own folder with its own PERSONA_HOME, no user config,
a fake chat model and a deterministic embedder unless it asks for the real ones."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import pytest

from persona_agent.core.config import load_settings
from persona_agent.testing import HashEmbeddings, QueuedChatModel

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"
FAST_MODEL = "qwen2.5-coder-0.5b"
RUN_ID = uuid.uuid4().hex  # server collections of one test run never meet those of an earlier one


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if (name.startswith("PERSONA_") and not name.startswith("PERSONA_CI_")
                and name != "PERSONA_MODELS_DIR") or name.startswith("OPENAI_"):
            monkeypatch.delenv(name)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("PERSONA_HOME", str(work / ".persona"))
    return work


@pytest.fixture
def settings(isolated: Path):
    return load_settings()


@pytest.fixture
def fake_llm() -> QueuedChatModel:
    return QueuedChatModel()


@pytest.fixture
def hash_embedder() -> HashEmbeddings:
    return HashEmbeddings()


def _ci_server(variable: str) -> str:
    url = os.environ.get(variable)
    if not url:
        if os.environ.get("PERSONA_CI_REQUIRE_SERVERS"):
            pytest.fail(f"{variable} is not set but PERSONA_CI_REQUIRE_SERVERS is: .ci/run must start it")
        pytest.skip(f"{variable} not set: .ci/run starts this server")
    return url


@pytest.fixture
def chroma_server_url() -> str:
    return _ci_server("PERSONA_CI_CHROMA_URL")


@pytest.fixture
def openai_server_url() -> str:
    return _ci_server("PERSONA_CI_OPENAI_BASE_URL")


@pytest.fixture(params=["embedded", "server"])
def store_settings(request: pytest.FixtureRequest, isolated: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings for the embedded store and, in CI, for the real Chroma server."""
    if request.param == "server":
        url = request.getfixturevalue("chroma_server_url")
        monkeypatch.setenv("PERSONA_CHROMA_URL", url)
        # every test gets its own, new collection on the shared server: named by a hash of the run and
        # the test's whole id (a prefix of the name is shared by tests like test_ingest_interrupted_…)
        collection = "t-" + hashlib.sha256(f"{RUN_ID}:{request.node.nodeid}".encode()).hexdigest()[:40]
        return load_settings(collection=collection)
    return load_settings()


@pytest.fixture(scope="session")
def local_chat():
    """The real offline model (0.5B, the fast one)."""
    from persona_agent.core.config import load_settings as _load
    from persona_agent.engine.llm import make_chat_model

    settings = _load(model=FAST_MODEL, temperature=0.0, n_ctx=4096)
    return make_chat_model(settings)


@pytest.fixture(scope="session")
def sample_research(tmp_path_factory):
    """knowledge/ ingested and analysed once per test run (HashEmbeddings), shared read-only."""
    from tests.helpers import prepare_research

    return prepare_research(tmp_path_factory.mktemp("research"))


@pytest.fixture(scope="session")
def web_world(tmp_path_factory):
    """The web workspace's world, built once: the sample research, Frugal Fred and Gourmet Greta, and a
    hostile interview chunk (tests/web_support.py). Tests add chat threads to it, never evidence."""
    from tests.web_support import make_world

    return make_world(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="session")
def evolved(tmp_path_factory):
    """knowledge/ with four personas, changed three months on and updated (`tests.helpers.evolve_research`)."""
    from tests.helpers import evolve_research

    return evolve_research(tmp_path_factory.mktemp("evolved"))
