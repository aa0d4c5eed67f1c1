"""Assemble: segments in, one programme of raw PCM out, written once, in order.

Every piece (jingle, music bed, speech segment from any engine, silence) is converted once
to the programme format (sample rate, channels, int16) and appended to a file (and to any
extra sinks, such as a streaming loudness meter). Nothing is concatenated in memory: time is
linear and memory flat in the length of the episode (only the first few seconds of speech
are held back, to measure the speech loudness the jingles are matched to).

Pauses are exact: each speech segment is trimmed to its sound (samples above
:data:`SILENCE_THRESHOLD`, plus :data:`TRIM_MARGIN_MS` of what surrounds it), and the
silence written between two segments makes the distance from the end of one's sound to the
onset of the next's equal to the configured pause (``Utterance.pause_after_ms``, the gap
after the intro, the gap before the outro).

The :class:`Timeline` is counted in frames actually written: a cue starts at its speech
onset and ends at the end of its sound. The programme starts at frame 0 of the MP3 as
decoders play it: the encoder delay and padding (1105 samples at the start for
LAME, about 25 ms, which ffmpeg reports as ``start: 0.025057``) are recorded in the
Xing/LAME header and removed by decoders that read it (ffmpeg, browsers, podcast apps), so
no offset is added to cue times; ``tests/test_transcript_accuracy.py`` checks this against
the decoded MP3.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from newsaudio.audio.loudness import measure_segment
from newsaudio.interrupts import deferred
from newsaudio.models import Chapter, Cue, Programme, Segment, Timeline, Utterance

_LOG = logging.getLogger(__name__)

Sink = Callable[[bytes], None]

SILENCE_THRESHOLD = 0.003
"""Samples below this fraction of full scale (about -50 dBFS) count as silence when trimming."""

TRIM_MARGIN_MS = 30
"""Audio kept before a segment's onset and after its end when trimming, in ms (soft
consonants and breaths below the threshold survive); it counts as part of the pause."""

MIN_SILENCE_MS = 10
"""Quiet runs at a segment's edges shorter than this are not silence (a waveform starting
at a zero crossing): they are kept as sound, so joins of gapless audio stay exact."""

REFERENCE_SPEECH_MS = 10_000
"""How much speech (ms) is measured before the intro is written, to match jingles to it."""

JINGLE_OFFSET_LU = 0.0
"""Jingle loudness relative to the speech (LU); 0 = equally loud, per EBU R128 practice."""

BED_LEVEL_LU = -10.0
"""Music bed loudness relative to the speech where nobody speaks (LU)."""

BED_DUCKED_LU = -24.0
"""Music bed loudness relative to the speech while the headline is spoken (LU)."""

BED_RAMP_MS = 150
"""Duration of the bed's ducking ramps (ms); the duck is complete at the speech onset."""

BED_FADE_IN_MS = 300
BED_FADE_OUT_MS = 1000

PEAK_CEILING_DBFS = -1.0
"""A jingle or bed is never raised above this sample peak (the programme is int16)."""

SILENT_LUFS = -60.0

GAP_AFTER_INTRO_MS = 400
"""Silence from the end of the intro jingle to the first speech onset (ms, at speed 1)."""

GAP_BEFORE_OUTRO_MS = 600
"""Least silence from the end of the last speech to the outro jingle (ms, at speed 1)."""

PARAGRAPHS_PER_CHAPTER = 3
"""Without headings, the body is cut into chapters of this many paragraphs."""

CHAPTER_TITLE_WORDS = 6

TRANSITION_PAUSE_MS = 1500
"""Silence before a story (an utterance whose chapter mark asks for a transition) when there
is no sting: from the end of the last sound to the next onset, in ms."""

GAP_AFTER_STING_MS = 400
"""Silence from the end of a transition sting to the next speech onset, in ms."""


def convert(segment: Segment, rate_hz: int, channels: int) -> npt.NDArray[np.int16]:
    """``segment``'s samples at ``rate_hz`` with ``channels`` channels, int16 (frames, channels).

    Resampling uses libsoxr (high quality); mono is duplicated to every channel, several
    channels are averaged to mono.
    """
    samples = segment.samples
    if samples.shape[1] != channels:
        if channels == 1:
            samples = np.round(samples.astype(np.float32).mean(axis=1, keepdims=True))
            samples = samples.astype(np.int16)
        else:
            samples = np.repeat(samples[:, :1], channels, axis=1)
    if segment.sample_rate_hz != rate_hz and len(samples):
        # python-soxr (nanobind) aborts the process when a Ctrl-C lands inside it (its import
        # or a call): take the interrupt right after instead
        with deferred():
            import soxr

            out = soxr.resample(
                samples.astype(np.float32) / 32768.0, segment.sample_rate_hz, rate_hz, quality="HQ"
            )
        out = np.asarray(out, dtype=np.float32).reshape(-1, channels)
        samples = np.clip(np.round(out * 32768.0), -32768, 32767).astype(np.int16)
    return np.ascontiguousarray(samples, dtype=np.int16)


@dataclass(frozen=True)
class Trimmed:
    """A speech segment cut to its sound: ``samples`` (programme format) and, in frames
    from its start, the ``onset`` of the sound and its ``end`` (exclusive)."""

    samples: npt.NDArray[np.int16]
    onset: int
    end: int

    @property
    def trailing(self) -> int:
        """Frames kept after the end of the sound."""
        return len(self.samples) - self.end


def trim(samples: npt.NDArray[np.int16], rate_hz: int) -> Trimmed:
    """Drop leading and trailing silence, keeping :data:`TRIM_MARGIN_MS` around the sound.

    Silence is a run of samples below :data:`SILENCE_THRESHOLD` at least
    :data:`MIN_SILENCE_MS` long at either edge. A segment with no sample above
    :data:`SILENCE_THRESHOLD` becomes empty.
    """
    if not len(samples):
        return Trimmed(samples, 0, 0)
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)).max(axis=1) > SILENCE_THRESHOLD * 32768)
    if not len(loud):
        return Trimmed(samples[:0], 0, 0)
    margin = rate_hz * TRIM_MARGIN_MS // 1000
    shortest = rate_hz * MIN_SILENCE_MS // 1000
    first, last = int(loud[0]), int(loud[-1]) + 1
    if first < shortest:
        first = 0
    if len(samples) - last < shortest:
        last = len(samples)
    start = max(0, first - margin)
    stop = min(len(samples), last + margin)
    return Trimmed(samples[start:stop], first - start, last - start)


def gain(samples: npt.NDArray[np.int16], gain_db: float) -> npt.NDArray[np.int16]:
    """``samples`` scaled by ``gain_db`` (rounded and clipped to int16)."""
    if gain_db == 0.0:
        return samples
    scaled = samples.astype(np.float32) * np.float32(10 ** (gain_db / 20))
    return np.clip(np.round(scaled), -32768, 32767).astype(np.int16)


def _peak_dbfs(samples: npt.NDArray[np.int16]) -> float:
    peak = int(np.abs(samples.astype(np.int32)).max()) if len(samples) else 0
    return 20 * math.log10(peak / 32768) if peak else -math.inf


def matching_gain(
    samples: npt.NDArray[np.int16], rate_hz: int, reference_lufs: float, offset_lu: float
) -> float:
    """Gain (dB) that brings ``samples`` to ``reference_lufs + offset_lu`` (ebur128).

    The gain never lifts the sample peak above :data:`PEAK_CEILING_DBFS`; silent or
    unmeasurable audio (shorter than a 400 ms gating block) or reference gets 0 dB.
    """
    if reference_lufs <= SILENT_LUFS or not len(samples):
        return 0.0
    measured = measure_segment(Segment(samples, rate_hz), peak=False).integrated_lufs
    if measured <= SILENT_LUFS:
        return 0.0
    wanted = reference_lufs + offset_lu - measured
    headroom = PEAK_CEILING_DBFS - _peak_dbfs(samples)
    if wanted > headroom:
        _LOG.info(
            "jingle/bed held %.1f dB below the speech loudness to avoid clipping", wanted - headroom
        )
    return min(wanted, headroom)


class ProgrammeWriter:
    """Appends PCM (s16le, interleaved) to a binary file and sinks, counting frames."""

    def __init__(self, out: BinaryIO, rate_hz: int, channels: int, sinks: list[Sink]) -> None:
        self.out = out
        self.rate_hz = rate_hz
        self.channels = channels
        self.sinks = sinks
        self.frames = 0
        self._zeros = np.zeros((rate_hz, channels), dtype=np.int16)

    @property
    def position_ms(self) -> int:
        """Current end of the programme in ms."""
        return self.ms(self.frames)

    def ms(self, frames: int) -> int:
        """``frames`` at the programme rate, in ms (rounded)."""
        return round(1000 * frames / self.rate_hz)

    def frames_for(self, ms: float) -> int:
        """``ms`` milliseconds in frames at the programme rate (rounded)."""
        return round(ms * self.rate_hz / 1000)

    def write(self, samples: npt.NDArray[np.int16]) -> None:
        """Append ``samples`` (already in the programme format)."""
        data = samples.astype("<i2", copy=False).tobytes()
        self.out.write(data)
        for sink in self.sinks:
            sink(data)
        self.frames += len(samples)

    def silence_frames(self, frames: int) -> None:
        """Append ``frames`` frames of digital silence (written in blocks of one second)."""
        while frames > 0:
            n = min(frames, len(self._zeros))
            self.write(self._zeros[:n])
            frames -= n


@dataclass(frozen=True)
class _Placed:
    utterance: Utterance
    start_ms: int
    end_ms: int


def _first_words(text: str, words: int = CHAPTER_TITLE_WORDS) -> str:
    parts = text.split()
    if len(parts) <= words:
        return text.strip()
    return re.sub(r"[\s,;:.!?\-–—]+$", "", " ".join(parts[:words])) + "…"


def chapters(placed: list[_Placed], intro_end_ms: int, duration_ms: int) -> tuple[Chapter, ...]:
    """Chapters from placed utterances: the intro (if any), the headline, then one per
    heading; without headings, sections of :data:`PARAGRAPHS_PER_CHAPTER` paragraphs
    titled by their first words. Chapters are contiguous and cover the whole programme.

    When the script marks its chapters (:attr:`Utterance.chapter`, digests), those are the
    chapters: each starts at its utterance's onset (the first at 0, so it holds the intro)
    and keeps the mark's title, link and image URL."""
    marked = [p for p in placed if p.utterance.chapter is not None]
    if marked:
        out_marked: list[Chapter] = []
        for i, p in enumerate(marked):
            mark = p.utterance.chapter
            assert mark is not None
            start = 0 if i == 0 else p.start_ms
            end = marked[i + 1].start_ms if i + 1 < len(marked) else duration_ms
            if end > start:
                out_marked.append(Chapter(start, end, mark.title, mark.url, mark.image_url))
        return tuple(out_marked)
    starts: list[tuple[int, str]] = []
    if intro_end_ms > 0:
        starts.append((0, "Intro"))
    headings = any(p.utterance.kind == "heading" for p in placed)
    titles = [p for p in placed if p.utterance.kind == "title"]
    if titles:  # a long headline may be spoken in pieces: one chapter
        headline = " ".join(p.utterance.display for p in titles)
        starts.append((titles[0].start_ms if starts else 0, headline))
    groups: list[list[_Placed]] = []  # body blocks, in order
    last_block: int | None = None
    for p in placed:
        if p.utterance.kind == "title":
            continue
        if p.utterance.block != last_block or not groups:
            groups.append([])
            last_block = p.utterance.block
        groups[-1].append(p)
    if headings:
        for group in groups:
            first = group[0]
            if first.utterance.kind == "heading":
                title = " ".join(
                    g.utterance.display for g in group if g.utterance.kind == "heading"
                )
                starts.append((first.start_ms if starts else 0, title))
    elif groups:
        sections = [
            groups[i : i + PARAGRAPHS_PER_CHAPTER]
            for i in range(0, len(groups), PARAGRAPHS_PER_CHAPTER)
        ]
        if len(sections) > 1 and len(sections[-1]) == 1:
            sections[-2].extend(sections.pop())
        for section in sections:
            first = section[0][0]
            starts.append((first.start_ms if starts else 0, _first_words(first.utterance.display)))
    out: list[Chapter] = []
    for i, (start, title) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else duration_ms
        if end > start:
            out.append(Chapter(start, end, title))
    return tuple(out)


def _prepared(
    pieces: Iterable[tuple[Utterance, Segment]], rate_hz: int, channels: int
) -> Iterator[tuple[Utterance, Trimmed]]:
    for utterance, segment in pieces:
        yield utterance, trim(convert(segment, rate_hz, channels), rate_hz)


def _bed_section(
    bed: npt.NDArray[np.int16],
    speech: Trimmed,
    lead: int,
    pause: int,
    rate_hz: int,
    full_db: float,
    ducked_db: float,
) -> npt.NDArray[np.int16]:
    """``lead`` frames of bed alone, the headline over the ducked bed, then ``pause``
    frames of bed fading out. The gain envelope comes from the speech's known onset/end."""
    total = lead + len(speech.samples) + pause
    channels = speech.samples.shape[1]
    voice = np.zeros((total, channels), dtype=np.float32)
    voice[lead : lead + len(speech.samples)] = speech.samples
    ramp = max(1, rate_hz * BED_RAMP_MS // 1000)
    full, duck = 10 ** (full_db / 20), 10 ** (ducked_db / 20)
    env = np.full(total, full, dtype=np.float32)
    onset, end = lead + speech.onset, lead + speech.end
    down_start = max(0, onset - ramp)
    env[down_start:onset] = np.linspace(full, duck, onset - down_start, dtype=np.float32)
    env[onset:end] = duck
    up_end = min(total, end + ramp)
    env[end:up_end] = np.linspace(duck, full, up_end - end, dtype=np.float32)
    fade_in = min(total, rate_hz * BED_FADE_IN_MS // 1000)
    env[:fade_in] *= np.linspace(0.0, 1.0, fade_in, dtype=np.float32)
    fade_out = min(total - up_end, rate_hz * BED_FADE_OUT_MS // 1000)
    if fade_out > 0:
        env[total - fade_out :] *= np.linspace(1.0, 0.0, fade_out, dtype=np.float32)
    else:
        env[end:] = np.minimum(env[end:], duck)
    music = np.resize(bed, (total, channels)).astype(np.float32)  # loops a short bed
    mixed = voice + music * env[:, None]
    return np.clip(np.round(mixed), -32768, 32767).astype(np.int16)


def assemble(
    pieces: Iterable[tuple[Utterance, Segment]],
    pcm_path: Path,
    *,
    rate_hz: int = 44100,
    channels: int = 1,
    intro: Segment | None = None,
    outro: Segment | None = None,
    bed: Segment | None = None,
    sting: Segment | None = None,
    match_loudness: bool = True,
    gap_after_intro_ms: int = GAP_AFTER_INTRO_MS,
    gap_before_outro_ms: int = GAP_BEFORE_OUTRO_MS,
    gap_after_sting_ms: int = GAP_AFTER_STING_MS,
    transition_pause_ms: int = TRANSITION_PAUSE_MS,
    sinks: list[Sink] | None = None,
) -> Programme:
    """Write intro, every utterance followed by its pause, and outro to ``pcm_path``.

    ``pieces`` are consumed lazily, so synthesis and assembly overlap. Each is converted
    once to ``rate_hz``/``channels`` int16 and trimmed (see module docstring). ``bed``
    (optional music) plays from the end of the intro under the headline (the first
    utterance, if its kind is ``title``), ducked while it is spoken, and fades out in the
    headline's pause. With ``match_loudness``, intro, outro and bed are gain-matched to the
    first :data:`REFERENCE_SPEECH_MS` of speech (ffmpeg ebur128, ITU-R BS.1770).
    ``gap_after_intro_ms`` is the silence from the end of the intro to the first speech
    onset; ``gap_before_outro_ms`` the least silence from the last speech to the outro.
    Before an utterance whose chapter mark asks for a transition, ``sting`` (loudness-matched
    like the jingles) is written after the previous utterance's pause, then
    ``gap_after_sting_ms`` of silence; without a sting the pause before it is at least
    ``transition_pause_ms`` (defaults :data:`GAP_AFTER_STING_MS`, :data:`TRANSITION_PAUSE_MS`).

    Returns the :class:`Programme` with its :class:`Timeline` (ms). Raises OSError if the
    file cannot be written, AudioError if a loudness measurement fails.
    """
    stream = _prepared(pieces, rate_hz, channels)
    intro_pcm = convert(intro, rate_hz, channels) if intro is not None else None
    outro_pcm = convert(outro, rate_hz, channels) if outro is not None else None
    bed_pcm = convert(bed, rate_hz, channels) if bed is not None else None
    sting_pcm = convert(sting, rate_hz, channels) if sting is not None else None

    reference = -70.0
    jingles = (intro_pcm, outro_pcm, bed_pcm, sting_pcm)
    if match_loudness and any(j is not None for j in jingles):
        head: list[tuple[Utterance, Trimmed]] = []
        held = 0
        for item in stream:
            head.append(item)
            held += len(item[1].samples)
            if held >= rate_hz * REFERENCE_SPEECH_MS // 1000:
                break
        stream = itertools.chain(head, stream)
        if head:
            head_pcm = np.concatenate([t.samples for _, t in head])
            reference = measure_segment(Segment(head_pcm, rate_hz), peak=False).integrated_lufs
        if intro_pcm is not None:
            intro_pcm = gain(
                intro_pcm, matching_gain(intro_pcm, rate_hz, reference, JINGLE_OFFSET_LU)
            )
        if outro_pcm is not None:
            outro_pcm = gain(
                outro_pcm, matching_gain(outro_pcm, rate_hz, reference, JINGLE_OFFSET_LU)
            )
        if sting_pcm is not None:
            sting_pcm = gain(
                sting_pcm, matching_gain(sting_pcm, rate_hz, reference, JINGLE_OFFSET_LU)
            )
    bed_full_db = bed_duck_db = 0.0
    if bed_pcm is not None:
        # The bed's own level is matched first, then set relative to the speech.
        base = matching_gain(bed_pcm, rate_hz, reference, 0.0) if match_loudness else 0.0
        bed_full_db = base + BED_LEVEL_LU
        bed_duck_db = base + BED_DUCKED_LU

    placed: list[_Placed] = []
    with pcm_path.open("wb") as f:
        writer = ProgrammeWriter(f, rate_hz, channels, sinks or [])
        intro_end = 0
        pending = 0  # frames of silence wanted from the end of the last sound to the next onset
        if intro_pcm is not None:
            writer.write(intro_pcm)
            intro_end = writer.position_ms
            pending = writer.frames_for(gap_after_intro_ms)
        elif bed_pcm is not None:
            pending = writer.frames_for(gap_after_intro_ms)
        trailing = 0  # frames written since the end of the last sound
        for index, (utterance, speech) in enumerate(stream):
            if utterance.chapter is not None and utterance.chapter.transition:
                if sting_pcm is not None:
                    writer.silence_frames(max(0, pending - trailing))
                    writer.write(sting_pcm)
                    pending, trailing = writer.frames_for(gap_after_sting_ms), 0
                else:
                    pending = max(pending, writer.frames_for(transition_pause_ms))
            lead = max(0, pending - trailing - speech.onset)
            if index == 0 and bed_pcm is not None and utterance.kind == "title":
                margin = writer.frames_for(TRIM_MARGIN_MS)
                pause = max(0, writer.frames_for(utterance.pause_after_ms) - speech.trailing)
                base = writer.frames + lead
                writer.write(
                    _bed_section(
                        bed_pcm,
                        speech,
                        lead,
                        max(0, pause - margin),
                        rate_hz,
                        bed_full_db,
                        bed_duck_db,
                    )
                )
                pending = writer.frames_for(utterance.pause_after_ms)
                trailing = speech.trailing + max(0, pause - margin)
            else:
                writer.silence_frames(lead)
                base = writer.frames
                writer.write(speech.samples)
                pending = writer.frames_for(utterance.pause_after_ms)
                trailing = speech.trailing
            placed.append(
                _Placed(utterance, writer.ms(base + speech.onset), writer.ms(base + speech.end))
            )
        if outro_pcm is not None:
            wanted = max(pending, writer.frames_for(gap_before_outro_ms))
            writer.silence_frames(max(0, wanted - trailing))
            writer.write(outro_pcm)
        else:
            writer.silence_frames(max(0, pending - trailing))
        duration = writer.position_ms
    cues = tuple(
        Cue(
            p.start_ms,
            p.end_ms,
            p.utterance.display,
            p.utterance.spoken,
            p.utterance.kind,
            p.utterance.block,
        )
        for p in placed
    )
    timeline = Timeline(cues, chapters(placed, intro_end, duration), duration)
    return Programme(pcm_path, rate_hz, channels, timeline)
