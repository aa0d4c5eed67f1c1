"""The default intro and outro: short musical stings generated in code with pydub.

The intro is a rising major arpeggio (C5 E5 G5) resolving onto a C major chord; the outro
the same chord falling back (G4 E4 C4) to a low C; the sting between digest stories two
falling notes (E5 C5). Notes are bell-like: a fundamental with
soft upper partials, a quick attack and an exponential-ish decay (pydub fades), so they
sound like a mallet instrument, not a test tone. Both are about 3-4 s long, mono, 44.1 kHz.
"""

from __future__ import annotations

import warnings

import numpy as np

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg is not on PATH; newsaudio never lets pydub run ffmpeg
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

from newsaudio.models import Segment

SAMPLE_RATE_HZ = 44100

_NOTE_HZ = {
    "C4": 261.63,
    "E4": 329.63,
    "G4": 392.00,
    "C5": 523.25,
    "E5": 659.25,
    "G5": 783.99,
    "C6": 1046.50,
    "C3": 130.81,
}


def _sine(freq_hz: float, duration_ms: int, volume_dbfs: float) -> AudioSegment:
    """A pydub AudioSegment of a sine tone (the samples computed with numpy: pydub's own
    generator loops in Python, one sample at a time, and took a second per sting)."""
    frames = SAMPLE_RATE_HZ * duration_ms // 1000
    t = np.arange(frames) / SAMPLE_RATE_HZ
    amplitude = 32767 * 10 ** (volume_dbfs / 20)
    data = (amplitude * np.sin(2 * np.pi * freq_hz * t)).astype("<i2").tobytes()
    return AudioSegment(data=data, sample_width=2, frame_rate=SAMPLE_RATE_HZ, channels=1)


def _bell(note: str, duration_ms: int, gain_db: float = 0.0) -> AudioSegment:
    """One mallet-like note: fundamental + two quieter partials, fast attack, long fade."""
    f = _NOTE_HZ[note]
    tone = _sine(f, duration_ms, -12.0)
    for multiple, level in ((2.0, -24.0), (3.0, -32.0)):
        partial = _sine(f * multiple, duration_ms, level).fade_out(int(duration_ms * 0.5))
        tone = tone.overlay(partial)
    return tone.fade_in(8).fade_out(int(duration_ms * 0.85)).apply_gain(gain_db)


def _sting(notes: list[tuple[str, int, int]], length_ms: int) -> AudioSegment:
    """Overlay (note, start_ms, duration_ms) on silence of ``length_ms``."""
    out = AudioSegment.silent(duration=length_ms, frame_rate=SAMPLE_RATE_HZ)
    for note, start, duration in notes:
        out = out.overlay(_bell(note, duration), position=start)
    return out


def _to_segment(audio: AudioSegment, peak_dbfs: float = -3.0) -> Segment:
    audio = audio.set_channels(1).set_sample_width(2).set_frame_rate(SAMPLE_RATE_HZ)
    audio = audio.apply_gain(peak_dbfs - audio.max_dBFS)
    samples = np.array(audio.get_array_of_samples(), dtype=np.int16).reshape(-1, 1)
    return Segment(samples, SAMPLE_RATE_HZ)


def intro() -> Segment:
    """The default intro sting (about 3.6 s): C5-E5-G5 arpeggio, then a C major chord."""
    notes = [("C5", 0, 900), ("E5", 180, 900), ("G5", 360, 1000)]
    notes += [("C4", 640, 2900), ("E4", 640, 2900), ("G4", 640, 2900), ("C6", 640, 2400)]
    return _to_segment(_sting(notes, 3600))


def outro() -> Segment:
    """The default outro sting (about 3.2 s): G5-E5-C5 falling, onto a low C chord."""
    notes = [("G5", 0, 900), ("E5", 180, 900), ("C5", 360, 1000)]
    notes += [("C3", 600, 2600), ("C4", 600, 2600), ("G4", 600, 2400)]
    return _to_segment(_sting(notes, 3200))


def sting() -> Segment:
    """The transition sting between a digest's stories (about 0.9 s): E5 then C5, softly."""
    return _to_segment(_sting([("E5", 0, 600), ("C5", 160, 740)], 900))
