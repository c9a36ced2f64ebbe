from pathlib import Path

import pytest

from persona_agent.core.config import ensure_home, load_settings
from persona_agent.core.errors import ConfigError


def test_defaults_are_offline(settings):
    assert settings.llm == "local"
    assert settings.embeddings == "local"
    assert settings.chroma_url is None
    assert not settings.is_remote_llm


def test_precedence_flag_over_env_over_toml(isolated: Path, monkeypatch):
    (isolated / "persona.toml").write_text('llm = "openai"\nmodel = "from-toml"\nchroma_url = "http://toml:1"\n')
    assert load_settings().model == "from-toml"
    monkeypatch.setenv("PERSONA_MODEL", "from-env")
    settings = load_settings()
    assert (settings.llm, settings.model, settings.chroma_url) == ("openai", "from-env", "http://toml:1")
    assert load_settings(model="from-flag").model == "from-flag"
    assert load_settings(model=None).model == "from-env"  # a flag not given does not override


def test_openai_variables_are_read_without_prefix(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1/")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    settings = load_settings()
    assert settings.openai_base_url == "http://127.0.0.1:11434/v1"
    assert settings.openai_api_key.get_secret_value() == "sk-test"
    assert settings.public_view()["openai_api_key"] == "set (hidden)"


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("PERSONA_LLM", "anthropic-ish", "PERSONA_LLM"),
        ("PERSONA_EMBEDDINGS", "bert", "PERSONA_EMBEDDINGS"),
        ("PERSONA_CHROMA_URL", "localhost:8000", "PERSONA_CHROMA_URL"),
        ("OPENAI_BASE_URL", "ftp://x", "OPENAI_BASE_URL"),
    ],
)
def test_bad_values_name_the_setting(monkeypatch, variable, value, named):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.setting == named
    assert "\n" not in caught.value.one_line()


def test_unknown_and_malformed_toml(isolated: Path):
    (isolated / "persona.toml").write_text("modle = 'x'\n")
    with pytest.raises(ConfigError, match="modle"):
        load_settings()
    (isolated / "persona.toml").write_text("llm = 'openai\n")
    with pytest.raises(ConfigError, match="persona.toml"):
        load_settings()


def test_unwritable_home_is_a_config_error(isolated: Path):
    blocker = isolated / "a-file"
    blocker.write_text("x")
    with pytest.raises(ConfigError) as caught:
        ensure_home(load_settings(home=blocker / "home"))
    assert caught.value.setting == "PERSONA_HOME"
