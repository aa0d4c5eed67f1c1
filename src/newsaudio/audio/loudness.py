"""Loudness meters: integrated loudness, loudness range and true peak of PCM, MP3 and files.

Measurement follows ITU-R BS.1770-4 / EBU R128 as implemented by ffmpeg's ``ebur128``
filter (true peak by 4x oversampling). :class:`LoudnessMeter` measures PCM while it is
produced, :class:`MP3Meter` an MP3 while it is encoded, :func:`measure_file` any file ffmpeg
decodes and :func:`measure_segment` an in-memory :class:`Segment`; all return a
:class:`~newsaudio.models.Loudness` and raise AudioError when ffmpeg fails (the MP3 meter
returns None instead). Mastering (:mod:`newsaudio.audio.master`) and assembly use them.
"""

from __future__ import annotations

import contextlib
import math
import re
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO

from newsaudio.audio.ffmpeg import find_ffmpeg, run_ffmpeg
from newsaudio.errors import AudioError
from newsaudio.models import Loudness, Segment

_I = re.compile(r"^\s*I:\s+(-?[\d.]+|-?inf|nan)\s+LUFS", re.MULTILINE)
_LRA = re.compile(r"^\s*LRA:\s+(-?[\d.]+|-?inf|nan)\s+LU\b", re.MULTILINE)
_PEAK = re.compile(r"^\s*Peak:\s+(-?[\d.]+|-?inf|nan)\s+dBFS", re.MULTILINE)


def _last_float(pattern: re.Pattern[str], text: str, default: float) -> float:
    found = pattern.findall(text)
    if not found:
        return default
    value = float(found[-1])
    return value if math.isfinite(value) else default


def parse_ebur128(stderr: str) -> Loudness:
    """Read the summary of ffmpeg's ``ebur128=peak=true`` filter from its stderr.

    Silence reports -70 LUFS and a true peak of -inf, returned as -70.0 and -120.0.
    Raises AudioError if there is no summary.
    """
    if "Integrated loudness" not in stderr:
        raise AudioError("loudness measurement: ffmpeg printed no ebur128 summary")
    return Loudness(
        integrated_lufs=_last_float(_I, stderr, -70.0),
        true_peak_dbtp=_last_float(_PEAK, stderr, -120.0),
        lra_lu=_last_float(_LRA, stderr, 0.0),
    )


class LoudnessMeter:
    """Measures PCM loudness while it is produced: feed bytes, then :meth:`result`.

    Runs ``ffmpeg -f s16le -i - -af ebur128 -f null -`` (plus ``filters`` before the meter,
    and more outputs with ``outputs``) and writes every block it is given to ffmpeg's
    standard input. Only integrated loudness and range are measured (the true peak of a
    programme before mastering is of no use; it is reported as -120 dBTP). ``stdout``
    receives ffmpeg's standard output (an output ``pipe:1``). Use as a context manager.
    """

    def __init__(
        self,
        rate_hz: int,
        channels: int,
        *,
        filters: str = "",
        outputs: list[str] | None = None,
        stdout: IO[bytes] | None = None,
    ) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__)
        self._proc = subprocess.Popen(
            [
                find_ffmpeg(),
                "-hide_banner",
                "-nostats",
                "-f",
                "s16le",
                "-ar",
                str(rate_hz),
                "-ac",
                str(channels),
                "-i",
                "-",
                "-af",
                (filters + "," if filters else "") + "ebur128",
                *(outputs or ["-f", "null", "-"]),
            ],
            stdin=subprocess.PIPE,
            stdout=stdout if stdout is not None else subprocess.DEVNULL,
            stderr=self._stderr,
            process_group=0,  # Ctrl-C is newsaudio's to handle (see audio/ffmpeg.py)
        )

    def feed(self, data: bytes) -> None:
        """Send one block of s16le PCM to the meter."""
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(data)
        except BrokenPipeError as exc:
            raise AudioError("loudness measurement: ffmpeg stopped reading") from exc

    def result(self) -> Loudness:
        """Close the input, wait for ffmpeg and return the measurement."""
        assert self._proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self._proc.stdin.close()
        code = self._proc.wait(timeout=600)
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace")
        if code != 0:
            raise AudioError(f"loudness measurement: ffmpeg failed (exit {code})")
        return parse_ebur128(text)

    def __enter__(self) -> LoudnessMeter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._stderr.close()


LAME_DELAY_SAMPLES = 1105
"""Samples before an MP3's first real sample (LAME's encoder delay 576 + the decoder's 529):
the file's LAME header tells decoders to skip them; the copy :class:`MP3Meter` reads has no
header, so it skips them itself and decodes exactly what the file decodes to (plus the end
padding, near silence, below the meter's gate)."""


class MP3Meter:
    """Measures an MP3 stream while the encoder writes it: ``ffmpeg -f mp3 -i - -af
    ebur128=peak=true -f null -`` reading :attr:`stdin` (give it to the encoder as its
    standard output, then :meth:`detach`). The result equals :func:`measure_file` of the
    finished file (the same frames are decoded), without a pass after encoding."""

    def __init__(self) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self._proc = subprocess.Popen(
            [find_ffmpeg(), "-hide_banner", "-nostats", "-f", "mp3", "-i", "-",
             "-af", f"atrim=start_sample={LAME_DELAY_SAMPLES},ebur128=peak=true",
             "-f", "null", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            process_group=0,
        )  # fmt: skip
        assert self._proc.stdin is not None
        self.stdin: IO[bytes] = self._proc.stdin

    def detach(self) -> None:
        """Close this process's end of the input (the encoder holds its own copy)."""
        self.stdin.close()

    def result(self) -> Loudness | None:
        """The MP3's loudness once the stream ends; None if the measurement failed."""
        try:
            code = self._proc.wait(timeout=600)
        except subprocess.TimeoutExpired:
            return None
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace")
        if code != 0 or "Integrated loudness" not in text:
            return None
        return parse_ebur128(text)

    def close(self) -> None:
        """Stop ffmpeg if it still runs."""
        if not self.stdin.closed:
            with contextlib.suppress(OSError):
                self.stdin.close()
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._stderr.close()


def measure_file(path: Path) -> Loudness:
    """Integrated loudness, true peak and loudness range of any file ffmpeg decodes."""
    err = run_ffmpeg(
        ["-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        what=f"measuring loudness of {path.name}",
    )
    return parse_ebur128(err)


def measure_segment(segment: Segment, filters: str = "", *, peak: bool = True) -> Loudness:
    """Integrated loudness, true peak and loudness range of an in-memory :class:`Segment`.

    Used to loudness-match jingles and music beds to the speech. A segment shorter than
    one 400 ms gating block (or silent) reports -70 LUFS. ``filters`` (an ffmpeg filter chain)
    is applied before measuring. ``peak=False`` skips the true peak (4x oversampling, about
    half the work; reported as -120 dBTP) when only loudness is wanted. Raises AudioError if
    ffmpeg fails.
    """
    err = run_ffmpeg(
        [
            "-nostats",
            "-f",
            "s16le",
            "-ar",
            str(segment.sample_rate_hz),
            "-ac",
            str(segment.channels),
            "-i",
            "-",
            "-af",
            (filters + "," if filters else "") + ("ebur128=peak=true" if peak else "ebur128"),
            "-f",
            "null",
            "-",
        ],
        what="measuring loudness",
        stdin=segment.samples.astype("<i2", copy=False).tobytes(),
    )
    return parse_ebur128(err)
