"""Assemble: segments in, one programme of raw PCM out, written once, in order.

Every piece (jingle, speech segment from any engine, silence) is converted once to the
programme format (sample rate, channels, int16) and appended to a file (and to any extra
sinks, such as a streaming loudness meter). Nothing is concatenated in memory: time is
linear and memory flat in the length of the episode. The :class:`Timeline` records where
each utterance starts and ends, counted from the frames actually written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from newsaudio.models import Chapter, Cue, Programme, Segment, Timeline, Utterance

Sink = Callable[[bytes], None]

SILENCE_THRESHOLD = 0.003
"""Samples below this fraction of full scale (about -50 dBFS) count as silence when trimming."""

TRIM_MARGIN_MS = 30
"""Silence kept before and after speech when trimming a segment, in ms."""


def convert(segment: Segment, rate_hz: int, channels: int) -> npt.NDArray[np.int16]:
    """``segment``'s samples at ``rate_hz`` with ``channels`` channels, int16 (frames, channels).

    Resampling uses libsoxr (high quality); mono is duplicated to stereo, stereo averaged
    to mono.
    """
    samples = segment.samples
    if samples.shape[1] != channels:
        if channels == 1:
            samples = samples.astype(np.int32).mean(axis=1, keepdims=True).astype(np.int16)
        else:
            samples = np.repeat(samples[:, :1], channels, axis=1)
    if segment.sample_rate_hz != rate_hz and len(samples):
        import soxr

        out = soxr.resample(
            samples.astype(np.float32) / 32768.0, segment.sample_rate_hz, rate_hz, quality="HQ"
        )
        out = np.asarray(out, dtype=np.float32).reshape(-1, channels)
        samples = np.clip(np.round(out * 32768.0), -32768, 32767).astype(np.int16)
    return np.ascontiguousarray(samples, dtype=np.int16)


def trim_silence(samples: npt.NDArray[np.int16], rate_hz: int) -> npt.NDArray[np.int16]:
    """Drop leading and trailing silence, keeping :data:`TRIM_MARGIN_MS` around the speech."""
    if not len(samples):
        return samples
    loud = np.flatnonzero(np.abs(samples).max(axis=1) > SILENCE_THRESHOLD * 32768)
    if not len(loud):
        return samples[:0]
    margin = rate_hz * TRIM_MARGIN_MS // 1000
    start = max(0, int(loud[0]) - margin)
    end = min(len(samples), int(loud[-1]) + 1 + margin)
    return samples[start:end]


class ProgrammeWriter:
    """Appends PCM (s16le, interleaved) to a binary file and sinks, counting frames."""

    def __init__(self, out: BinaryIO, rate_hz: int, channels: int, sinks: list[Sink]) -> None:
        self.out = out
        self.rate_hz = rate_hz
        self.channels = channels
        self.sinks = sinks
        self.frames = 0

    @property
    def position_ms(self) -> int:
        """Current end of the programme in ms."""
        return round(1000 * self.frames / self.rate_hz)

    def write(self, samples: npt.NDArray[np.int16]) -> None:
        """Append ``samples`` (already in the programme format)."""
        data = samples.astype("<i2", copy=False).tobytes()
        self.out.write(data)
        for sink in self.sinks:
            sink(data)
        self.frames += len(samples)

    def silence(self, ms: int) -> None:
        """Append ``ms`` milliseconds of digital silence (written in bounded blocks)."""
        frames = self.rate_hz * ms // 1000
        block = np.zeros((min(frames, self.rate_hz), self.channels), dtype=np.int16)
        while frames > 0:
            n = min(frames, len(block))
            self.write(block[:n])
            frames -= n


def _chapters(cues: list[Cue], intro_end_ms: int, duration_ms: int) -> tuple[Chapter, ...]:
    """One chapter for the intro (if any), the headline, and one per heading."""
    starts: list[tuple[int, str]] = []
    if intro_end_ms > 0:
        starts.append((0, "Intro"))
    for cue in cues:
        if cue.kind in ("title", "heading") and (not starts or starts[-1][1] != cue.display):
            starts.append((cue.start_ms if starts else 0, cue.display))
    chapters = []
    for i, (start, title) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else duration_ms
        if end > start:
            chapters.append(Chapter(start, end, title))
    return tuple(chapters)


def assemble(
    pieces: Iterable[tuple[Utterance, Segment]],
    pcm_path: Path,
    *,
    rate_hz: int = 44100,
    channels: int = 1,
    intro: Segment | None = None,
    outro: Segment | None = None,
    gap_after_intro_ms: int = 400,
    gap_before_outro_ms: int = 600,
    sinks: list[Sink] | None = None,
) -> Programme:
    """Write intro, every utterance followed by its pause, and outro to ``pcm_path``.

    Pieces are consumed lazily, so synthesis and assembly overlap. Returns the
    :class:`Programme` with its :class:`Timeline`. Raises OSError if the file cannot be
    written.
    """
    cues: list[Cue] = []
    with pcm_path.open("wb") as f:
        writer = ProgrammeWriter(f, rate_hz, channels, sinks or [])
        intro_end = 0
        if intro is not None:
            writer.write(convert(intro, rate_hz, channels))
            intro_end = writer.position_ms
            writer.silence(gap_after_intro_ms)
        last_pause = 0
        for utterance, segment in pieces:
            speech = trim_silence(convert(segment, rate_hz, channels), rate_hz)
            start = writer.position_ms
            writer.write(speech)
            cues.append(
                Cue(start, writer.position_ms, utterance.display, utterance.spoken, utterance.kind)
            )
            writer.silence(utterance.pause_after_ms)
            last_pause = utterance.pause_after_ms
        if outro is not None:
            writer.silence(max(0, gap_before_outro_ms - last_pause))
            writer.write(convert(outro, rate_hz, channels))
        duration = writer.position_ms
    timeline = Timeline(tuple(cues), _chapters(cues, intro_end, duration), duration)
    return Programme(pcm_path, rate_hz, channels, timeline)
