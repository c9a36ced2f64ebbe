"""One Settings object for the whole product.

Precedence (highest first): CLI flag > environment (``PERSONA_*``, ``OPENAI_*``) > ``persona.toml``
in the working folder > defaults. pydantic-settings does the parsing; we only map its validation
errors to one line that names the setting and the fix.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from persona_agent.core.errors import ConfigError

TOML_FILE = "persona.toml"

# How a field is spelled by the user, for error messages.
_ENV_NAMES = {
    "llm": "PERSONA_LLM",
    "model": "PERSONA_MODEL",
    "openai_api_key": "OPENAI_API_KEY",
    "openai_base_url": "OPENAI_BASE_URL",
    "home": "PERSONA_HOME",
    "chroma_url": "PERSONA_CHROMA_URL",
    "embeddings": "PERSONA_EMBEDDINGS",
}


def _default_models_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("persona-agent")) / "models"


class Settings(BaseSettings):
    """Effective configuration. Build it with `load_settings`, not directly, to get clean errors."""

    model_config = SettingsConfigDict(
        env_prefix="PERSONA_",
        toml_file=TOML_FILE,
        extra="forbid",
        populate_by_name=True,
        validate_default=True,
    )

    llm: Literal["local", "openai"] = Field(
        "local", description="chat model provider: the embedded offline model, or any OpenAI-compatible API"
    )
    model: str | None = Field(
        None,
        description="local: 'qwen2.5-coder-1.5b' (default), 'qwen2.5-coder-0.5b' or a .gguf path; "
        "openai: a model name (default gpt-4o-mini)",
    )
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("openai_api_key", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None,
        validation_alias=AliasChoices("openai_base_url", "OPENAI_BASE_URL"),
        description="OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp server, gateways)",
    )
    home: Path = Field(Path(".persona"), description="where the store, analysis and chat history live")
    chroma_url: str | None = Field(None, description="Chroma server URL instead of the embedded store")
    embeddings: Literal["local", "openai"] = Field(
        "local", description="embedder: bundled multilingual-e5-small, or OpenAI embeddings"
    )
    embedding_model: str = Field("text-embedding-3-small", description="OpenAI embedding model")
    retrieval: Literal["balanced", "plain"] = Field(
        "balanced", description="balanced: every language gets a place in the results; plain: cosine similarity"
    )
    models_dir: Path = Field(default_factory=_default_models_dir, description="assembled GGUF files")
    collection: str = Field("evidence", description="Chroma collection name")
    temperature: float = Field(0.2, ge=0.0, le=2.0)
    timeout: float = Field(120.0, gt=0, description="seconds per LLM request")
    max_retries: int = Field(3, ge=0, le=10, description="retries of a failed provider call (timeouts, 429, 5xx), "
                             "waiting as the provider's Retry-After asks, else backing off exponentially")
    retry_budget: float = Field(300.0, gt=0, description="seconds one provider call may take, retries included")
    llm_cache: bool = Field(True, description="replay validated structured replies from $PERSONA_HOME/llm-cache.sqlite")
    lock_timeout: float = Field(30.0, ge=0, description="seconds to wait for another persona process before 'busy'")
    max_question_chars: int = Field(2000, ge=50, description="longest chat question accepted")
    history_chars: int = Field(6000, ge=0, description="characters of earlier turns a persona is shown")
    history_turns: int = Field(200, ge=1, description="turns kept on disk per chat thread (older ones are dropped)")
    n_ctx: int = Field(8192, ge=512, description="local model context window (tokens)")
    n_threads: int | None = Field(None, ge=1, description="local model threads (default: all cores)")
    max_tokens: int = Field(1500, ge=16, description="largest reply the local model may write")
    n_batch: int = Field(512, ge=8, description="local model: prompt tokens evaluated per batch")
    flash_attn: bool = Field(False, description="local model: flash attention")
    prompt_lookup: int = Field(0, ge=0, le=32, description="local model: tokens drafted from the prompt per step "
                               "(prompt-lookup decoding; 0 = off)")
    max_file_mb: int = Field(50, ge=1, description="research files larger than this are refused, unread")
    chromium: str | None = Field(None, description="Chromium/Chrome executable for PDF export (default: chromium, "
                                                   "chromium-browser or google-chrome on PATH)")
    tracing: bool = Field(False, description="allow LangSmith/LangChain tracing (it sends prompts to LangSmith); "
                          "off by default even when LANGSMITH_TRACING is set")

    @field_validator("chroma_url", "openai_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    # Derived locations -------------------------------------------------------------------------
    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def analysis_dir(self) -> Path:
        return self.home / "analysis"

    @property
    def is_remote_llm(self) -> bool:
        """True when research text leaves this process (PII redaction defaults on)."""
        return self.llm != "local"

    @property
    def sends_research_out(self) -> bool:
        """True when a remote chat model or remote embeddings receive research text: ingest then
        stores it redacted (what is sent is redacted at send time in any case, see `privacy`)."""
        return self.llm != "local" or self.embeddings != "local"

    def public_view(self) -> dict[str, str]:
        """Settings for display: secrets masked, every value a string."""
        shown: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                shown[name] = "set (hidden)" if value.get_secret_value() else "not set"
            else:
                shown[name] = "" if value is None else str(value)
        return shown


def env_name(field: str) -> str:
    """The name a user types for a setting (env var), for messages."""
    return _ENV_NAMES.get(field, f"PERSONA_{field.upper()}")


def load_settings(**overrides: Any) -> Settings:
    """Build settings; ``overrides`` are CLI flags (``None`` means "not given").

    Raises `ConfigError` naming the first bad setting, never a pydantic traceback.
    """
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        setting = env_name(field) if field in Settings.model_fields else field
        where = f" (or '{field}' in {TOML_FILE})" if field in Settings.model_fields else ""
        if first["type"] == "extra_forbidden":
            raise ConfigError(
                f"{TOML_FILE}: '{field}'", "unknown setting", "remove it or fix its spelling"
            ) from None
        raise ConfigError(
            setting, f"{first['msg']} (got {first.get('input')!r})", f"fix {setting}{where}"
        ) from None
    except (OSError, ValueError) as exc:  # unreadable or malformed persona.toml
        raise ConfigError(TOML_FILE, str(exc), "fix the file or remove it") from None


def ensure_home(settings: Settings) -> Path:
    """Create PERSONA_HOME if needed and prove it is writable."""
    home = settings.home
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            "PERSONA_HOME",
            f"cannot write to {home} ({exc.strerror or exc})",
            "point PERSONA_HOME at a writable folder",
        ) from None
    return home


def cpu_threads(settings: Settings) -> int:
    return settings.n_threads or max(1, os.cpu_count() or 1)
