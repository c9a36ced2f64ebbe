"""The privacy policy: what is redacted before it leaves the machine, ids that carry no personal
data, and tracing that stays off unless asked for.

* `outbound` is the one place that decides whether text sent somewhere is redacted: prompts to a
  remote chat model, texts to remote embeddings (query and documents, redacted when sent, so a store
  ingested locally without redaction never leaks), and always: Slack replies, the pages of a
  `persona serve` others can reach, and exports (the HTML one-pager and its PDF are made to be
  shared). The engine, the Slack adapter, the web pages and the export apply what it returns;
  detection itself is `pii`.
* `matches_redacted` checks a quote a remote model copied from redacted evidence against the
  stored chunk (redaction is deterministic and idempotent, so both sides redact to the same text).
* `pseudonym` replaces a respondent or customer id that is personal data (an e-mail, a phone
  number, a national id, a name) with ``P`` + 8 hex digits of an HMAC-SHA256 keyed per
  ``PERSONA_HOME``: the same value gives the same pseudonym in every file (so a survey still joins
  its transactions), nobody without the key can test a guess, and plain ids ("R057", "C0033") stay.
* `apply_tracing_policy`: LangSmith/LangChain tracing sends every prompt to a third party, so the
  ``LANGSMITH_TRACING`` / ``LANGCHAIN_TRACING_V2`` a user may have exported for other projects are
  switched off here unless ``PERSONA_TRACING=1``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from persona_agent.core.pii import DEFAULT_PHONE_REGIONS, redact

if TYPE_CHECKING:
    from persona_agent.core.config import Settings

Channel = Literal["chat", "embeddings", "slack", "shared-page", "export"]
KEY_FILE = "pseudonym.key"
# Library callers that pass no key still get ids without readable personal data, but anyone can
# confirm a guess against them; the CLI and workflows always pass the per-home key.
PUBLIC_KEY = b"persona-agent public pseudonym key"
TRACING_VARIABLES = ("LANGSMITH_TRACING", "LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING")
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True)
class Redactor:
    """Redacts text on its way out. ``allow``: invented names that are not personal data (personas)."""

    allow: frozenset[str] = field(default_factory=frozenset)

    def __call__(self, text: str) -> str:
        return redact(text, allow=self.allow)

    def allowing(self, names: Iterable[str]) -> Redactor:
        return Redactor(self.allow | {name for name in names if name})


def outbound(settings: Settings | None, channel: Channel) -> Redactor | None:
    """The redactor for text sent over ``channel``, or None when that text stays on this machine.

    chat: the chat model is remote (``PERSONA_LLM=openai``, whatever the base URL: we cannot know
    who runs it); embeddings: ``PERSONA_EMBEDDINGS=openai``; slack: always (Slack is a third party);
    shared-page: always (a `persona serve` page bound beyond this machine, which other people open).
    export: always (a shared one-pager leaves the machine with whoever it is sent to).
    """
    if channel in ("slack", "shared-page", "export"):
        return Redactor()
    if settings is None:
        raise ValueError(f"the {channel} policy depends on the settings")
    remote = settings.llm != "local" if channel == "chat" else settings.embeddings != "local"
    return Redactor() if remote else None


def matches_redacted(quote: str, chunk_text: str) -> bool:
    """Is ``quote`` verbatim in the chunk, either as stored or as it was sent (redacted)?

    Whitespace runs and typographic quotes are normalised; a remote model that saw
    "{{NAME}} liked the grinder" may quote exactly that against a chunk stored unredacted.
    """
    wanted = _normal(quote)
    if not wanted:
        return False
    if wanted in _normal(chunk_text):
        return True
    return _normal(redact(quote)) in _normal(redact(chunk_text))


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


# ------------------------------------------------------------------------------------ pseudonyms
def pseudonym_key(home: Path) -> bytes:
    """The secret behind pseudonyms for this ``PERSONA_HOME``; created (mode 600) on first use."""
    path = home / KEY_FILE
    if not path.is_file():
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def key_fingerprint(key: bytes) -> str:
    """Short and one-way: recorded in ingest signatures so a new key re-reads every file."""
    return hashlib.sha256(b"fingerprint:" + key).hexdigest()[:8]


@lru_cache(maxsize=65536)  # a transactions file repeats each customer id many times
def personal_key(value: str, *, names: bool = True) -> str | None:
    """The normalised personal datum ``value`` is (e-mail, phone, national id, IBAN, name), or None.

    ``names=False`` for free-form fields, where "Gift Buyer" is a label rather than a person.
    """
    from persona_agent.core import pii_ids, pii_names, pii_patterns

    stripped = _SPACE.sub(" ", value).strip()
    if not stripped:
        return None
    if pii_patterns.is_email(stripped):
        return "email:" + stripped.casefold()
    if (number := pii_ids.id_key(stripped)) is not None:
        return "id:" + number
    if (phone := pii_patterns.phone_key(stripped, DEFAULT_PHONE_REGIONS)) is not None:
        return "phone:" + phone
    if names and not any(char.isdigit() for char in stripped):
        words = re.findall(r"[^\W\d_]+", stripped)
        if len(words) >= 2 or any(pii_names.is_first_name(w) or pii_names.is_surname(w, guess=False)
                                  for w in words):
            return "name:" + " ".join(words).casefold()
    return None


def pseudonym(value: str, key: bytes | None, *, names: bool = True) -> str:
    """``value`` unchanged when it is a plain id; "P" + 8 hex digits when it is personal data."""
    personal = personal_key(value, names=names)
    if personal is None:
        return value
    digest = hmac.new(key or PUBLIC_KEY, personal.encode(), hashlib.sha256).hexdigest()
    return "P" + digest[:8]


# ------------------------------------------------------------------------------------ tracing
def apply_tracing_policy(settings: Settings, environ: MutableMapping[str, str] | None = None) -> bool:
    """Switch LangSmith/LangChain tracing off unless ``PERSONA_TRACING`` opts in; True when on.

    Called by the engine before it builds a model that sends data; langsmith caches what it read
    from the environment, so its cache is cleared too.
    """
    environ = os.environ if environ is None else environ
    if settings.tracing:
        return True
    changed = False
    for name in TRACING_VARIABLES:
        if environ.get(name, "false").strip().lower() != "false":
            environ[name] = "false"
            changed = True
    if changed:
        try:
            from langsmith import utils as langsmith_utils

            langsmith_utils.get_env_var.cache_clear()  # type: ignore[attr-defined]
        except (ImportError, AttributeError):  # pragma: no cover - langsmith comes with langchain-core
            pass
    return False
