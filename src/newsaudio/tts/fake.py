"""A deterministic test engine: exact tones between silences, no model, no network.

Each utterance becomes a sine tone whose length is proportional to the text (``ms_per_char``,
at least 200 ms) and whose frequency is derived from the text, with 50 ms of digital
silence before and after. Used by fast tests of assembly, tags, transcripts and feeds;
real Piper end-to-end tests exist beside them. Profile example (``voices/fake.toml``)::

    name = "fake"
    engine = "fake"
    language = "en-US"

``model = "fail-on:WORD"`` makes it raise SynthesisError for any text containing WORD
(for tests of failures and fallback voices).
"""

from __future__ import annotations

import hashlib

import numpy as np

from newsaudio.errors import SynthesisError
from newsaudio.models import Segment
from newsaudio.tts.voices import Voice

SAMPLE_RATE_HZ = 22050
PAD_MS = 50


def tone_ms(text: str, ms_per_char: float = 40.0) -> int:
    """Length in ms of the tone the fake engine makes for ``text``."""
    return max(200, round(len(text) * ms_per_char))


def tone_hz(text: str) -> float:
    """Frequency of the tone for ``text``: 300-1500 Hz, fixed by a hash of the text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return 300.0 + (int.from_bytes(digest[:2], "big") % 1200)


class FakeEngine:
    """See module docstring; speed scales ``ms_per_char`` down."""

    name = "fake"
    max_chars = 400
    needs_network = False

    def __init__(self, voice: Voice) -> None:
        self.voice = voice
        self.calls: list[str] = []

    def identity(self) -> str:
        """Engine name and speed."""
        return f"fake/1/speed={self.voice.speed:g}"

    def synthesize(self, text: str) -> Segment:
        """A tone for ``text`` between 50 ms silences, mono int16 at 22,050 Hz.

        Raises SynthesisError for text containing the profile's ``fail-on:`` marker.
        """
        self.calls.append(text)
        marker = (self.voice.model or "").removeprefix("fail-on:")
        if self.voice.model and self.voice.model.startswith("fail-on:") and marker in text:
            raise SynthesisError(f"fake: refuses text containing {marker!r}")
        n = SAMPLE_RATE_HZ * tone_ms(text, 40.0 / (self.voice.speed or 1.0)) // 1000
        t = np.arange(n) / SAMPLE_RATE_HZ
        tone = (0.5 * 32767 * np.sin(2 * np.pi * tone_hz(text) * t)).astype(np.int16)
        pad = np.zeros(SAMPLE_RATE_HZ * PAD_MS // 1000, dtype=np.int16)
        return Segment(np.concatenate([pad, tone, pad]).reshape(-1, 1), SAMPLE_RATE_HZ)


def create(voice: Voice) -> FakeEngine:
    """Factory registered as engine ``fake``."""
    return FakeEngine(voice)
