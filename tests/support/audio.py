"""Tones and utterances for audio tests, and the Python that runs eyeD3."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from newsaudio.models import Segment, Utterance


def sine(hz: float, seconds: float, rate: int, channels: int = 1, amp: float = 0.5) -> Segment:
    n = round(seconds * rate)
    wave = (amp * 32767 * np.sin(2 * np.pi * hz * np.arange(n) / rate)).astype(np.int16)
    return Segment(np.repeat(wave.reshape(-1, 1), channels, axis=1), rate)


def utt(text: str, pause_ms: int, kind: str = "sentence", block: int = 0) -> Utterance:
    return Utterance(kind, text, text, pause_ms, block)  # type: ignore[arg-type]


def eyed3_python() -> str | None:
    script = shutil.which("eyeD3")
    if script is None:
        return None
    first = Path(script).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    return first[2:].strip().split()[0] if first.startswith("#!") else None
