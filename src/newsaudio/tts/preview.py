"""Voice previews: speak a sample with one voice and save it as WAV or MP3."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import wave
from dataclasses import replace
from pathlib import Path

from newsaudio.errors import AudioError, InputError
from newsaudio.models import Segment
from newsaudio.tts.base import create_engine
from newsaudio.tts.cache import SegmentCache
from newsaudio.tts.voices import get_voice

SAMPLE_TEXT = "Hello, this is {name}, one of the voices of newsaudio. Here is today's news."


def preview(
    name: str, text: str | None = None, cache: SegmentCache | None = None, speed: float = 1.0
) -> Segment:
    """Speak ``text`` (default: a short sample naming the voice) with voice ``name``,
    ``speed`` times faster than the profile's own pace (pauses too).

    The text is prepared like an article body (paragraphs at blank lines, sentences, speech
    normalization) and spoken chunk by chunk through ``cache`` (a private temporary one when
    None), with the engine's concurrency; chunks are trimmed to their sound and joined with
    the script's pauses, as in an episode.
    Raises VoiceError for an unknown voice, InputError for empty text and SynthesisError
    when the engine fails.
    """
    import numpy as np

    from newsaudio.audio.assemble import Trimmed, trim
    from newsaudio.models import Article, Block
    from newsaudio.text.prepare import Pauses, prepare
    from newsaudio.tts.speak import speak

    voice = get_voice(name)
    if speed != 1.0:
        voice = replace(voice, speed=voice.speed * speed)
    engine = create_engine(voice)
    raw = text if text is not None else SAMPLE_TEXT.format(name=name)
    paragraphs = [" ".join(p.split()) for p in raw.split("\n\n")]
    blocks = tuple(Block("paragraph", p) for p in paragraphs if p)
    if not blocks:
        raise InputError("TEXT", "is empty")
    article = Article("", blocks, "TEXT", "TEXT", language=voice.language)
    script = prepare(article, max_chars=engine.max_chars, pauses=Pauses().scaled(speed))
    script = type(script)(article, tuple(u for u in script.utterances if u.spoken.strip()))
    with contextlib.ExitStack() as stack:
        if cache is None:
            cache = SegmentCache(Path(stack.enter_context(tempfile.TemporaryDirectory())))
        spoken: list[tuple[Trimmed, int]] = []  # each chunk cut to its sound, and its pause
        rate_hz = 0
        for utterance, segment in speak(script, engine, cache):
            if rate_hz and segment.sample_rate_hz != rate_hz:
                raise AudioError(f"voice {name!r}: chunks at different sample rates")
            rate_hz = segment.sample_rate_hz
            spoken.append((trim(segment.samples, rate_hz), utterance.pause_after_ms))
    # as in assembly: from the end of one chunk's sound to the onset of the next, its pause
    parts: list[np.typing.NDArray[np.int16]] = []
    for i, (chunk, pause_ms) in enumerate(spoken):
        parts.append(chunk.samples)
        if i + 1 < len(spoken):
            gap = rate_hz * pause_ms // 1000 - chunk.trailing - spoken[i + 1][0].onset
            parts.append(np.zeros((max(0, gap), 1), dtype=np.int16))
    if not parts:
        return Segment(np.zeros((0, 1), dtype=np.int16), rate_hz or 22050)
    return Segment(np.concatenate(parts), rate_hz)


def save(segment: Segment, path: Path, bitrate_kbps: int = 96) -> None:
    """Write ``segment`` to ``path``: 16-bit WAV for ``.wav``, CBR MP3 (libmp3lame) for ``.mp3``.

    Written to a temporary file and renamed. Raises InputError for another suffix,
    AudioError when ffmpeg fails or the file cannot be written.
    """
    suffix = path.suffix.lower()
    if suffix not in (".wav", ".mp3"):
        raise InputError(str(path), "use a .wav or .mp3 file name")
    pcm = segment.samples.astype("<i2").tobytes()
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=suffix)
    except OSError as exc:
        raise AudioError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    try:
        if suffix == ".wav":
            with os.fdopen(fd, "wb") as f, wave.open(f, "wb") as w:
                w.setnchannels(segment.channels)
                w.setsampwidth(2)
                w.setframerate(segment.sample_rate_hz)
                w.writeframes(pcm)
        else:
            os.close(fd)
            from newsaudio.audio.ffmpeg import find_ffmpeg

            cmd = [
                find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
                "-f", "s16le", "-ar", str(segment.sample_rate_hz), "-ac", str(segment.channels),
                "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k",
                "-f", "mp3", tmp,
            ]  # fmt: skip
            proc = subprocess.run(cmd, input=pcm, capture_output=True, timeout=600, process_group=0)
            if proc.returncode != 0:
                err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
                raise AudioError(f"{path}: ffmpeg failed: {err[-1] if err else proc.returncode}")
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a saved sample is an ordinary file
        os.replace(tmp, path)
    except OSError as exc:
        raise AudioError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
