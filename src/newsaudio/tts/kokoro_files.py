"""Where Kokoro is installed and what its voices are (no model is loaded here).

``newsaudio voices install kokoro`` (:mod:`newsaudio.tts.kokoro_install`) writes
``<data dir>/kokoro/``: the ONNX model, ``voices-v1.0.bin`` (a NumPy ``.npz`` of 54 voices) and
the manifest ``kokoro.json`` (``{"precision", "model": {"file", "sha256"}, "voices": {...}}``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from newsaudio.tts.catalogue import data_dir

MANIFEST = "kokoro.json"

LANGUAGES: dict[str, str] = {
    "a": "en-US",
    "b": "en-GB",
    "e": "es",
    "f": "fr",
    "h": "hi",
    "i": "it",
    "j": "ja",
    "p": "pt-BR",
    "z": "zh",
}
"""First letter of a Kokoro voice name -> BCP 47 language (hexgrad's VOICES.md)."""


def kokoro_dir() -> Path:
    """Where ``voices install kokoro`` puts the model and voices: ``<data dir>/kokoro``."""
    return data_dir() / "kokoro"


@dataclass(frozen=True)
class KokoroFiles:
    """A complete install: the folder, the ONNX model, the voices archive, the model's
    precision (``int8``, ``fp32``) and SHA-256 (from the install manifest)."""

    folder: Path
    model: Path
    voices: Path
    precision: str
    model_sha256: str


def installed(folder: Path | None = None) -> KokoroFiles | None:
    """The install in ``folder`` (default :func:`kokoro_dir`), or None when there is none."""
    folder = folder or kokoro_dir()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        model = folder / manifest["model"]["file"]
        voices = folder / manifest["voices"]["file"]
        files = KokoroFiles(
            folder, model, voices, str(manifest["precision"]), str(manifest["model"]["sha256"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return files if model.is_file() and voices.is_file() else None


def voice_language(name: str) -> str | None:
    """BCP 47 language of a Kokoro voice name (``af_heart`` -> ``en-US``), or None for a
    name that is not ``<language><f|m>_<name>``."""
    if len(name) < 4 or name[2] != "_" or name[1] not in "fm" or name[0] not in LANGUAGES:
        return None
    return LANGUAGES[name[0]]


def voice_names(files: KokoroFiles) -> list[str]:
    """Voice names in the archive (a NumPy ``.npz``: a zip of ``NAME.npy``), sorted."""
    import zipfile

    try:
        with zipfile.ZipFile(files.voices) as archive:
            names = [n.removesuffix(".npy") for n in archive.namelist() if n.endswith(".npy")]
    except (OSError, zipfile.BadZipFile):
        return []
    return sorted(names)
