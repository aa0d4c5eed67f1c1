"""The fake voice: a deterministic engine (tones as long as the text would take) that every
test can use instead of Piper; ``model = "fail-on:WORD"`` makes it fail on a word."""

from __future__ import annotations

from pathlib import Path

FAKE_VOICE = 'name = "fake"\nengine = "fake"\nlanguage = "en-US"\n'
FAILING_VOICE = (
    'name = "fakefail"\nengine = "fake"\nlanguage = "en-US"\nmodel = "fail-on:EXPLODE"\n'
)


def write_fake_voice(folder: Path, *, failing: bool = False) -> Path:
    """``folder/voices/fake.toml`` (and ``fakefail.toml`` when ``failing``); the voices folder."""
    voices = folder / "voices"
    voices.mkdir(parents=True, exist_ok=True)
    (voices / "fake.toml").write_text(FAKE_VOICE, encoding="utf-8")
    if failing:
        (voices / "fakefail.toml").write_text(FAILING_VOICE, encoding="utf-8")
    return voices
