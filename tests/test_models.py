import hashlib
import sys
from pathlib import Path

import pytest

from persona_agent.core.errors import ModelFileError
from persona_agent.engine import models


@pytest.fixture
def tiny_model(tmp_path: Path, monkeypatch) -> models.LocalModel:
    """A 3-part 'model' installed as importable packages, like the real part packages."""
    site = tmp_path / "site"
    payload = b""
    for index in (1, 2, 3):
        data = site / f"tinypart{index}" / "data"
        data.mkdir(parents=True)
        (data.parent / "__init__.py").write_text("")
        chunk = bytes([index]) * (1000 + index)
        (data / f"part{index:02d}.bin").write_bytes(chunk)
        payload += chunk
    monkeypatch.syspath_prepend(str(site))
    for name in list(sys.modules):
        if name.startswith("tinypart"):
            del sys.modules[name]
    model = models.LocalModel(
        name="tiny", filename="tiny.gguf", size=len(payload), sha256=hashlib.sha256(payload).hexdigest(),
        part_modules=("tinypart1", "tinypart2", "tinypart3"), pip_hint="pip install tiny",
    )
    monkeypatch.setitem(models.LOCAL_MODELS, "tiny", model)
    monkeypatch.setattr(models, "_verified", set())
    return model


def test_assembles_once_and_verifies(tiny_model, tmp_path):
    path = models.ensure_model_file("tiny", tmp_path / "models")
    assert models.sha256_of(path) == tiny_model.sha256
    assert list((tmp_path / "models").iterdir()) == [path]  # no temp files left


def test_corrupt_or_partial_file_is_rebuilt_not_loaded(tiny_model, tmp_path, monkeypatch):
    target = tmp_path / "models" / "tiny.gguf"
    target.parent.mkdir()
    target.write_bytes(b"\x00" * tiny_model.size)  # right size, wrong bytes
    path = models.ensure_model_file("tiny", target.parent)
    assert models.sha256_of(path) == tiny_model.sha256
    target.write_bytes(b"partial")
    monkeypatch.setattr(models, "_verified", set())  # a new process
    assert models.sha256_of(models.ensure_model_file("tiny", target.parent)) == tiny_model.sha256


def test_tampered_parts_are_refused_and_nothing_is_written(tiny_model, tmp_path):
    part = Path(__import__("tinypart2").__file__).parent / "data" / "part02.bin"
    part.write_bytes(b"evil" * 100)
    with pytest.raises(ModelFileError, match="sha256"):
        models.ensure_model_file("tiny", tmp_path / "models")
    assert not any((tmp_path / "models").iterdir())


def test_missing_part_package_names_the_fix(tiny_model, tmp_path, monkeypatch):
    broken = models.LocalModel(**{**tiny_model.__dict__, "part_modules": ("tinypart1", "no_such_part_pkg")})
    monkeypatch.setitem(models.LOCAL_MODELS, "tiny", broken)
    with pytest.raises(ModelFileError) as caught:
        models.ensure_model_file("tiny", tmp_path / "models")
    assert "no_such_part_pkg" in caught.value.message and caught.value.hint == "pip install tiny"


def test_any_gguf_path_or_a_clear_error(tmp_path):
    own = tmp_path / "mine.gguf"
    own.write_bytes(b"GGUF")
    assert models.ensure_model_file(str(own), tmp_path) == own
    with pytest.raises(ModelFileError, match="PERSONA_MODEL"):
        models.ensure_model_file("gpt-5-local", tmp_path)
