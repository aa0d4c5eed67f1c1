"""Master and encode: loudness normalization to a target, a true-peak ceiling, MP3.

Measurement follows ITU-R BS.1770-4 / EBU R128 as implemented by ffmpeg's ``ebur128``
filter (integrated loudness, loudness range, true peak by 4x oversampling).

Method (two measured passes, then encode):

1. The assembled programme's integrated loudness ``I0`` is measured while it is written
   (:class:`LoudnessMeter` streams the PCM into ffmpeg during synthesis: no extra pass).
2. Gain ``g`` is applied, followed by a fast look-ahead limiter (``alimiter``) at a
   sample-peak ceiling 1 dB below the true-peak target. The limiter costs loudness, more
   so the higher the gain, so the chain is measured at two gains at once (``target - I0``
   and 2 dB more, two ffmpeg processes in parallel) and the gain interpolated.
3. The corrected chain is encoded to MP3 (libmp3lame, CBR, Xing/LAME header), and the MP3
   itself is measured; if it is still off target by more than :data:`TOLERANCE_LU` or
   above the true-peak ceiling, the gain and ceiling are corrected once more.

Silent or nearly silent programmes (below -60 LUFS) get no gain at all.
"""

from __future__ import annotations

import contextlib
import math
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from newsaudio.audio.ffmpeg import find_ffmpeg, run_ffmpeg
from newsaudio.errors import AudioError
from newsaudio.models import EncodedAudio, Loudness, Programme, Segment

TOLERANCE_LU = 0.5
"""How far from the target the result may be before another correction pass."""

SILENT_LUFS = -60.0
MAX_GAIN_DB = 30.0


@dataclass(frozen=True)
class MasterSettings:
    """Loudness target (LUFS), true-peak ceiling (dBTP) and MP3 encoding settings."""

    target_lufs: float = -16.0
    true_peak_dbtp: float = -1.0
    bitrate_kbps: int = 96
    sample_rate_hz: int = 44100
    channels: int = 1


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


def _pcm_input(programme: Programme) -> list[str]:
    return [
        "-f",
        "s16le",
        "-ar",
        str(programme.sample_rate_hz),
        "-ac",
        str(programme.channels),
        "-i",
        str(programme.pcm_path),
    ]


class LoudnessMeter:
    """Measures PCM loudness while it is produced: feed bytes, then :meth:`result`.

    Runs ``ffmpeg -f s16le -i - -af ebur128=peak=true -f null -`` and writes every block it
    is given to ffmpeg's standard input. Use as a context manager.
    """

    def __init__(self, rate_hz: int, channels: int) -> None:
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
                "ebur128=peak=true",
                "-f",
                "null",
                "-",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
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


def measure_file(path: Path) -> Loudness:
    """Integrated loudness, true peak and loudness range of any file ffmpeg decodes."""
    err = run_ffmpeg(
        ["-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        what=f"measuring loudness of {path.name}",
    )
    return parse_ebur128(err)


def measure_segment(segment: Segment) -> Loudness:
    """Integrated loudness, true peak and loudness range of an in-memory :class:`Segment`.

    Used to loudness-match jingles and music beds to the speech. A segment shorter than
    one 400 ms gating block (or silent) reports -70 LUFS. Raises AudioError if ffmpeg fails.
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
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        what="measuring loudness",
        stdin=segment.samples.astype("<i2", copy=False).tobytes(),
    )
    return parse_ebur128(err)


def _chain(gain_db: float, ceiling_db: float) -> str:
    limit = min(1.0, max(0.0625, 10 ** (ceiling_db / 20)))
    return (
        f"volume={gain_db:.2f}dB,"
        f"alimiter=limit={limit:.4f}:level=false:attack=0.5:release=5:latency=true"
    )


def _analyse(programme: Programme, gain_db: float, ceiling_db: float) -> subprocess.Popen[bytes]:
    """Start measuring the gain+limiter chain at ``gain_db`` (to a null output)."""
    return subprocess.Popen(
        [
            find_ffmpeg(),
            "-hide_banner",
            "-nostdin",
            "-nostats",
            *_pcm_input(programme),
            "-af",
            _chain(gain_db, ceiling_db) + ",ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _finish(proc: subprocess.Popen[bytes]) -> Loudness:
    _, err = proc.communicate(timeout=3600)
    if proc.returncode != 0:
        raise AudioError(f"loudness analysis: ffmpeg failed (exit {proc.returncode})")
    return parse_ebur128(err.decode("utf-8", "replace"))


def choose_gain(
    programme: Programme, measured: Loudness, s: MasterSettings, ceiling_db: float
) -> float:
    """The gain (dB) that brings the limited programme to ``s.target_lufs``.

    The limiter's loss grows with the gain, so two gains are measured at once (one process
    each, in parallel) and the target is interpolated between them.
    """
    if measured.integrated_lufs <= SILENT_LUFS:
        return 0.0
    g0 = max(-MAX_GAIN_DB, min(MAX_GAIN_DB, s.target_lufs - measured.integrated_lufs))
    g1 = min(MAX_GAIN_DB, g0 + 2.0)
    procs = [_analyse(programme, g0, ceiling_db), _analyse(programme, g1, ceiling_db)]
    l0, l1 = (_finish(p).integrated_lufs for p in procs)
    slope = (l1 - l0) / (g1 - g0) if g1 != g0 else 1.0
    slope = min(1.0, max(0.2, slope))
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, g0 + (s.target_lufs - l0) / slope))


def encode(
    programme: Programme, measured: Loudness, out_path: Path, settings: MasterSettings | None = None
) -> EncodedAudio:
    """Normalize ``programme`` (whose loudness is ``measured``) and encode it to ``out_path``.

    Returns the :class:`EncodedAudio` with the loudness measured on the MP3 itself.
    Raises AudioError if ffmpeg fails.
    """
    s = settings or MasterSettings()
    silent = measured.integrated_lufs <= SILENT_LUFS
    ceiling = s.true_peak_dbtp - 1.0
    gain = choose_gain(programme, measured, s, ceiling)
    result = measured
    for _attempt in range(3):
        run_ffmpeg(
            [
                *_pcm_input(programme),
                "-af",
                _chain(gain, ceiling),
                "-c:a",
                "libmp3lame",
                "-b:a",
                f"{s.bitrate_kbps}k",
                "-ar",
                str(s.sample_rate_hz),
                "-ac",
                str(s.channels),
                "-map_metadata",
                "-1",
                "-id3v2_version",
                "0",
                "-write_xing",
                "1",
                "-f",
                "mp3",
                "-y",
                str(out_path),
            ],
            what="encoding MP3",
        )
        result = measure_file(out_path)
        off = s.target_lufs - result.integrated_lufs
        over = result.true_peak_dbtp - s.true_peak_dbtp
        if silent or (abs(off) <= TOLERANCE_LU and over <= 0):
            break
        gain = min(MAX_GAIN_DB, gain + off)
        if over > 0:
            ceiling -= over + 0.2
    duration_ms = round(programme.timeline.duration_ms)
    return EncodedAudio(out_path, duration_ms, result, s.bitrate_kbps, s.sample_rate_hz, s.channels)
