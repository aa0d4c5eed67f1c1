"""Master and encode: loudness normalization to a target, a true-peak ceiling, MP3.

Measurement follows ITU-R BS.1770-4 / EBU R128 as implemented by ffmpeg's ``ebur128``
filter (integrated loudness, loudness range, true peak by 4x oversampling); the meters
are in :mod:`newsaudio.audio.loudness`.

Method (:class:`StreamingMaster`, used by the pipeline):

1. While the programme is written (during synthesis), its first :data:`PREDICT_MS` are
   measured: loudness ``P``, and through the gain+limiter chain at ``target - P`` and
   1.5 dB more, which gives the gain ``g`` that brings this head to the target (and how
   loudness follows gain through the limiter). From then on the PCM is streamed into one
   ffmpeg process: a speculative MP3 encode at ``g``, measured as it is encoded (the
   chain's output by one ``ebur128``, and the MP3 frames themselves, copied to a second
   ffmpeg by the ``tee`` muxer, decoded and measured with their true peak). The head's
   loudness comes from the meter it streamed through; the two chain gains are measured
   without true peak (only loudness is wanted there).
   The limiter (``alimiter``, fast look-ahead) holds sample peaks
   :data:`CEILING_MARGIN_DB` below the true-peak target; it costs loudness, more so the
   higher the gain, hence the measured gains.
2. When the programme ends, if the speculative MP3's chain measured within
   :data:`ACCEPT_LU` of the target (allowing for :data:`MP3_LOSS_LU`), that MP3 is kept;
   otherwise the gain is corrected along the measured slope and the programme is encoded
   again from its PCM file (:func:`encode` does the same without streaming, for
   programmes too short to predict: it measures the limiter at two gains in parallel).
3. The MP3 itself is measured (for a kept speculative MP3, that measurement is already
   done); if it is still off target by more than
   :data:`TOLERANCE_LU` or above the true-peak ceiling, gain and ceiling are corrected and
   it is encoded again (at most twice).

So on a typical run all mastering work overlaps synthesis, and nothing is left after the
last sentence but the end of the stream.

Silent or nearly silent programmes (below -60 LUFS) get no gain at all.
"""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from newsaudio.audio.ffmpeg import find_ffmpeg, run_ffmpeg
from newsaudio.audio.loudness import (
    LoudnessMeter,
    MP3Meter,
    measure_file,
    measure_segment,
    parse_ebur128,
)
from newsaudio.errors import AudioError
from newsaudio.models import EncodedAudio, Loudness, Programme, Segment

_LOG = logging.getLogger(__name__)

TOLERANCE_LU = 0.5
"""How far from the target the result may be before another correction pass."""

SILENT_LUFS = -60.0
MAX_GAIN_DB = 30.0


def _clamp_gain(gain_db: float) -> float:
    """``gain_db`` limited to +-:data:`MAX_GAIN_DB` (no absurd gain on near-silence)."""
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, gain_db))


MP3_LOSS_LU = 0.4
"""How much lower the MP3 measures than the PCM it was encoded from (LU): measured on Piper
speech at 96 kbps mono; the correction pass absorbs what differs at other settings."""

CEILING_MARGIN_DB = 1.5
"""The limiter holds sample peaks this far below the true-peak target: inter-sample peaks
and MP3 coding add up to about 1 dB on speech, so the MP3 stays under the target."""


@dataclass(frozen=True)
class MasterSettings:
    """Loudness target (LUFS), true-peak ceiling (dBTP) and MP3 encoding settings."""

    target_lufs: float = -16.0
    true_peak_dbtp: float = -1.0
    bitrate_kbps: int = 96
    sample_rate_hz: int = 44100
    channels: int = 1


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
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        process_group=0,
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
    return _choose_gain(programme, measured, s, ceiling_db)[0]


def _choose_gain(
    programme: Programme, measured: Loudness, s: MasterSettings, ceiling_db: float
) -> tuple[float, float]:
    """:func:`choose_gain` and the measured slope of loudness over gain (1.0 if silent)."""
    if measured.integrated_lufs <= SILENT_LUFS:
        return 0.0, 1.0
    g0 = _clamp_gain(s.target_lufs - measured.integrated_lufs)
    g1 = min(MAX_GAIN_DB, g0 + 2.0)
    procs = [_analyse(programme, g0, ceiling_db)]
    try:
        procs.append(_analyse(programme, g1, ceiling_db))
        l0, l1 = (_finish(p).integrated_lufs for p in procs)
    finally:  # an error or an interrupt leaves no ffmpeg behind
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    slope = (l1 - l0) / (g1 - g0) if g1 != g0 else 1.0
    slope = min(1.0, max(0.2, slope))
    aim = s.target_lufs + MP3_LOSS_LU  # the chain's loudness that gives the target as MP3
    return _clamp_gain(g0 + (aim - l0) / slope), slope


def _encode_args(s: MasterSettings, out_path: Path) -> list[str]:
    """ffmpeg output arguments: MP3, CBR, Xing/LAME header, no ffmpeg metadata or ID3 tag."""
    return [
        "-c:a", "libmp3lame", "-b:a", f"{s.bitrate_kbps}k", "-ar", str(s.sample_rate_hz),
        "-ac", str(s.channels), "-map_metadata", "-1", "-id3v2_version", "0",
        "-write_xing", "1", "-f", "mp3", "-y", str(out_path),
    ]  # fmt: skip


def _encode_and_stream_args(s: MasterSettings, out_path: Path) -> list[str]:
    """Like :func:`_encode_args`, and the same MP3 frames also on standard output (ffmpeg's
    ``tee`` muxer; the file keeps its Xing/LAME header, the copy on stdout has none and may
    fail alone: ``onfail=ignore``)."""
    quoted = "'" + f"file:{out_path.resolve()}".replace("'", "'\\''") + "'"
    return [
        "-map", "0:a", "-c:a", "libmp3lame", "-b:a", f"{s.bitrate_kbps}k",
        "-ar", str(s.sample_rate_hz), "-ac", str(s.channels), "-map_metadata", "-1", "-f", "tee",
        f"[f=mp3:id3v2_version=0:write_xing=1]{quoted}"
        "|[f=mp3:id3v2_version=0:write_xing=0:onfail=ignore]pipe\\:1",
    ]  # fmt: skip


def _encode_pcm(
    programme: Programme, gain: float, ceiling: float, s: MasterSettings, out_path: Path
) -> Loudness | None:
    """Encode ``programme`` at ``gain`` to ``out_path``, the MP3 frames measured as they are
    written (:class:`MP3Meter`): returns the MP3's loudness, None if that measurement failed
    (the caller measures the file). Raises AudioError if encoding fails."""
    meter = MP3Meter()
    try:
        run_ffmpeg(
            [*_pcm_input(programme), "-af", _chain(gain, ceiling),
             *_encode_and_stream_args(s, out_path)],
            what="encoding MP3",
            stdout=meter.stdin,
        )  # fmt: skip
        meter.detach()
        return meter.result()
    finally:
        meter.close()


def _verified(
    programme: Programme,
    out_path: Path,
    s: MasterSettings,
    gain: float,
    ceiling: float,
    *,
    silent: bool,
    encoded: bool,
    slope: float = 1.0,
    measured: Loudness | None = None,
) -> tuple[EncodedAudio, float]:
    """Measure the MP3 (encoding it first unless ``encoded``; ``measured``: the encoded MP3's
    loudness, measured while it was written); correct and re-encode if it misses the target
    by more than :data:`TOLERANCE_LU` or exceeds the true-peak ceiling. Returns the MP3 and
    the gain (dB) it was encoded at."""
    result: Loudness | None = None
    for _attempt in range(3):
        if not encoded:
            measured = _encode_pcm(programme, gain, ceiling, s, out_path)
        encoded = False
        result = measured or measure_file(out_path)
        measured = None
        off = s.target_lufs - result.integrated_lufs
        over = result.true_peak_dbtp - s.true_peak_dbtp
        _LOG.debug("master: MP3 at %.2f dB measures %.1f LUFS, %.1f dBTP", gain,
                   result.integrated_lufs, result.true_peak_dbtp)  # fmt: skip
        if silent or (abs(off) <= TOLERANCE_LU and over <= 0):
            break
        gain = min(MAX_GAIN_DB, gain + off / slope)
        if over > 0:
            ceiling -= over + 0.2
    assert result is not None
    duration_ms = round(programme.timeline.duration_ms)
    encoded_audio = EncodedAudio(
        out_path, duration_ms, result, s.bitrate_kbps, s.sample_rate_hz, s.channels
    )
    return encoded_audio, gain


@dataclass(frozen=True)
class _LimiterLoss:
    """What the gain+limiter chain and the MP3 cost the last programme mastered here:
    ``loss_lu`` = programme loudness + gain - the MP3's loudness, at ``gain_db``, and how
    loudness followed gain there (``slope``)."""

    gain_db: float
    loss_lu: float
    slope: float


_LEARNED: dict[MasterSettings, _LimiterLoss] = {}
"""Per process and master settings: the last :class:`_LimiterLoss` seen. Programmes of one
run (one voice, one chain) lose nearly the same to the limiter, so the next short programme
is encoded at once at the gain this predicts, without the two analysis passes; the MP3 is
measured as always and corrected if it misses (:func:`_verified`)."""


def _learn(s: MasterSettings, loudness_lufs: float, gain: float, slope: float,
           result: Loudness) -> None:  # fmt: skip
    if result.integrated_lufs > SILENT_LUFS and loudness_lufs > SILENT_LUFS:
        loss = loudness_lufs + gain - result.integrated_lufs
        _LEARNED[s] = _LimiterLoss(gain, loss, slope)


def _predicted_gain(s: MasterSettings, loudness_lufs: float) -> tuple[float, float] | None:
    """(gain, slope) that should bring a programme of ``loudness_lufs`` to the target, from
    the last programme mastered with these settings; None when there is none yet."""
    last = _LEARNED.get(s)
    if last is None:
        return None
    # loudness(g) = P + g - loss(g), loss(g) = loss + (1 - slope) * (g - g_last)
    gain = s.target_lufs - loudness_lufs + last.loss_lu - (1 - last.slope) * last.gain_db
    return _clamp_gain(gain / last.slope), last.slope


def encode(
    programme: Programme, measured: Loudness, out_path: Path, settings: MasterSettings | None = None
) -> EncodedAudio:
    """Normalize ``programme`` (whose loudness is ``measured``) and encode it to ``out_path``.

    The non-streaming path: two parallel analysis passes choose the gain (or the limiter's
    loss on the previous programme mastered in this process predicts it), then encode and
    verify. Returns the :class:`EncodedAudio` with the loudness measured on the MP3 itself.
    Raises AudioError if ffmpeg fails.
    """
    s = settings or MasterSettings()
    silent = measured.integrated_lufs <= SILENT_LUFS
    ceiling = s.true_peak_dbtp - CEILING_MARGIN_DB
    predicted = None if silent else _predicted_gain(s, measured.integrated_lufs)
    if predicted is not None:
        gain, slope = predicted
        _LOG.debug("master: gain %.2f dB predicted from the previous programme", gain)
    else:
        gain, slope = _choose_gain(programme, measured, s, ceiling)
    encoded, final_gain = _verified(programme, out_path, s, gain, ceiling, silent=silent,
                                    encoded=False, slope=slope)  # fmt: skip
    _learn(s, measured.integrated_lufs, final_gain, slope, encoded.loudness)
    return encoded


ACCEPT_LU = 0.5
"""The speculative MP3 is kept if its chain measured within this of the target (LU)."""

PREDICT_MS = 60_000
"""Programme audio (ms) measured to predict its loudness and the limiter's loss before
streaming mastering starts; shorter programmes are mastered after assembly (quick anyway)."""


class StreamingMaster:
    """Masters and encodes the programme while it is written (see the module docstring).

    Feed it every block of programme PCM (``feed``, usable as an assembly sink), then call
    :meth:`finish` with the assembled :class:`Programme`. Use as a context manager: on an
    error every ffmpeg process it started is killed.
    """

    def __init__(self, settings: MasterSettings, out_path: Path) -> None:
        self.s = settings
        self.out_path = out_path
        self.ceiling = settings.true_peak_dbtp - CEILING_MARGIN_DB
        rate, channels = settings.sample_rate_hz, settings.channels
        self._frame_bytes = 2 * channels
        self._predict_bytes = rate * PREDICT_MS // 1000 * self._frame_bytes
        self._meter = LoudnessMeter(rate, channels)
        self._held: list[bytes] = []
        self._held_bytes = 0
        self._started = False
        self._streams: list[LoudnessMeter] = []
        self._mp3_meter: MP3Meter | None = None
        self.gains: tuple[float, float] = (0.0, 1.0)  # speculative gain (dB), loudness slope

    def feed(self, data: bytes) -> None:
        """Take the next block of s16le PCM of the programme."""
        if self._started:
            for stream in self._streams:
                stream.feed(data)
            return
        self._meter.feed(data)  # only until streaming starts (short programmes need it)
        self._held.append(data)
        self._held_bytes += len(data)
        if self._held_bytes >= self._predict_bytes:
            self._start()

    def _start(self) -> None:
        self._started = True
        head = b"".join(self._held)
        self._held = []
        import numpy as np

        samples = np.frombuffer(head, dtype="<i2").reshape(-1, self.s.channels)
        predicted = self._meter.result()  # it has measured exactly the head
        if predicted.integrated_lufs <= SILENT_LUFS:
            return  # nothing to predict from: finish() takes the non-streaming path
        g0 = _clamp_gain(self.s.target_lufs - predicted.integrated_lufs)
        # the limiter's loss on this voice: the head measured at two gains, in parallel
        from concurrent.futures import ThreadPoolExecutor

        head_segment = Segment(samples.astype(np.int16), self.s.sample_rate_hz)
        with ThreadPoolExecutor(2) as pool:
            la, lb = pool.map(
                lambda g: (
                    measure_segment(
                        head_segment, _chain(g, self.ceiling), peak=False
                    ).integrated_lufs
                ),
                (g0, g0 + 1.5),
            )
        slope = min(1.0, max(0.2, (lb - la) / 1.5))
        aim = self.s.target_lufs + MP3_LOSS_LU  # the chain's loudness that gives target as MP3
        genc = _clamp_gain(g0 + (aim - la) / slope)
        self.gains = (genc, slope)
        _LOG.debug("master: head %.1f LUFS; %.2f dB -> %.2f, +1.5 dB -> %.2f; speculative %.2f dB",
                   predicted.integrated_lufs, g0, la, lb, genc)  # fmt: skip
        rate, channels = self.s.sample_rate_hz, self.s.channels
        # the MP3 is measured as it is encoded, so no pass over it is left for the end
        self._mp3_meter = MP3Meter()
        self._streams = [
            LoudnessMeter(rate, channels, filters=_chain(genc, self.ceiling),
                          outputs=_encode_and_stream_args(self.s, self.out_path),
                          stdout=self._mp3_meter.stdin),
        ]  # fmt: skip
        self._mp3_meter.detach()
        for stream in self._streams:
            stream.feed(head)

    def finish(self, programme: Programme) -> EncodedAudio:
        """The mastered MP3 of ``programme`` at ``out_path``, with its measured loudness."""
        measured = self._meter.result()
        silent = measured.integrated_lufs <= SILENT_LUFS
        if not self._streams or silent:
            for stream in self._streams:
                stream.__exit__(None, None, None)
            return encode(programme, measured, self.out_path, self.s)
        lenc = self._streams[0].result().integrated_lufs
        mp3 = self._mp3_meter.result() if self._mp3_meter is not None else None
        genc, slope = self.gains
        aim = self.s.target_lufs + MP3_LOSS_LU
        keep = abs(lenc - aim) <= ACCEPT_LU
        wanted = _clamp_gain(genc + (aim - lenc) / slope)
        _LOG.debug("master: speculative MP3 at %.2f dB: chain %.2f LUFS; %s", genc, lenc,
                   "kept" if keep else f"encoding again at {wanted:.2f} dB")  # fmt: skip
        encoded, _gain = _verified(
            programme, self.out_path, self.s, genc if keep else wanted, self.ceiling,
            silent=False, encoded=keep, slope=slope, measured=mp3 if keep else None,
        )  # fmt: skip
        return encoded

    def __enter__(self) -> StreamingMaster:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for process in (self._meter, *self._streams):
            process.__exit__(exc_type, exc, tb)
        if self._mp3_meter is not None:
            self._mp3_meter.close()
