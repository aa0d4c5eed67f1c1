"""Probe: what an MP3 file is, read without ffprobe.

Stream facts (duration, sample rate, channels, bitrate and its mode) come from mutagen,
which reads the Xing/LAME header the way players do; the LAME header's encoder delay and
padding (samples that decoders drop, per the LAME tag specification) are read here;
loudness (ITU-R BS.1770-4 / EBU R128) is measured by ffmpeg's ``ebur128`` filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsaudio.audio.loudness import measure_file
from newsaudio.errors import AudioError, plain_reason
from newsaudio.models import Loudness


@dataclass(frozen=True)
class MediaInfo:
    """One MP3's stream properties.

    ``duration_ms`` is the playable duration (after the decoder drops the encoder delay and
    padding); ``bitrate_mode`` is ``"CBR"``, ``"VBR"``, ``"ABR"`` or ``"unknown"``;
    ``xing`` says whether a Xing/Info header is present; ``encoder_delay``/``padding``
    are in samples (None without a LAME header); ``loudness`` is None when not measured.
    """

    path: Path
    duration_ms: int
    sample_rate_hz: int
    channels: int
    bitrate_kbps: int
    bitrate_mode: str
    encoder: str
    xing: bool
    encoder_delay: int | None
    encoder_padding: int | None
    loudness: Loudness | None


@dataclass(frozen=True)
class _Xing:
    present: bool = False
    frames: int | None = None
    delay: int | None = None
    padding: int | None = None


def _xing(path: Path, audio_start: int) -> _Xing:
    """The Xing/Info header of the first MPEG frame: frame count, encoder delay, padding.

    The LAME extension follows the Xing fields; its bytes 21-23 hold the delay and padding
    in samples (12 bits each). ffmpeg writes it with a ``Lavc`` version string, which
    mutagen does not take for LAME, so it is read here.
    """
    with path.open("rb") as f:
        f.seek(audio_start)
        head = f.read(2048)
    sync = next(
        (i for i in range(len(head) - 1) if head[i] == 0xFF and head[i + 1] & 0xE0 == 0xE0), -1
    )
    if sync < 0:
        return _Xing()
    frame = head[sync:]
    pos = max(frame.find(b"Xing", 0, 64), frame.find(b"Info", 0, 64))
    if pos < 0:
        return _Xing()
    flags = int.from_bytes(frame[pos + 4 : pos + 8], "big")
    frames = int.from_bytes(frame[pos + 8 : pos + 12], "big") if flags & 1 else None
    lame = pos + 8 + 4 * bool(flags & 1) + 4 * bool(flags & 2) + 100 * bool(flags & 4)
    lame += 4 * bool(flags & 8)
    raw = frame[lame + 21 : lame + 24]
    if frame[lame : lame + 4] not in (b"LAME", b"Lavc", b"Lavf") or len(raw) < 3:
        return _Xing(True, frames)
    value = int.from_bytes(raw, "big")
    return _Xing(True, frames, value >> 12, value & 0xFFF)


def _encoder_name(path: Path, audio_start: int) -> str:
    """The encoder string of the LAME/Lavc extension (e.g. ``Lavc63.1.``), or empty."""
    with path.open("rb") as f:
        f.seek(audio_start)
        head = f.read(512)
    for marker in (b"LAME", b"Lavc", b"Lavf"):
        at = head.find(marker)
        if at >= 0:
            return head[at : at + 9].split(b"\0")[0].decode("ascii", "replace").strip()
    return ""


def probe(path: Path, *, loudness: bool = True) -> MediaInfo:
    """Read ``path``'s MP3 stream properties (and measure its loudness unless told not to).

    Raises AudioError if the file is missing or not an MP3 mutagen can read.
    """
    from mutagen import MutagenError
    from mutagen.mp3 import MP3, BitrateMode

    if not path.is_file():
        raise AudioError(f"{path}: no such file")
    try:
        audio = MP3(str(path))
    except (MutagenError, OSError) as exc:
        raise AudioError(f"{path}: not a readable MP3 ({plain_reason(exc)})") from exc
    info: Any = audio.info
    start = audio.tags.size if audio.tags is not None else 0
    xing = _xing(path, start)
    duration_ms = round(info.length * 1000)
    if xing.frames and xing.delay is not None and xing.padding is not None:
        per_frame = 1152 if info.sample_rate >= 32000 else 576  # MPEG-1 / MPEG-2(.5) layer III
        samples = max(0, xing.frames * per_frame - xing.delay - xing.padding)
        duration_ms = round(1000 * samples / info.sample_rate)
    modes = {BitrateMode.CBR: "CBR", BitrateMode.VBR: "VBR", BitrateMode.ABR: "ABR"}
    return MediaInfo(
        path=path,
        duration_ms=duration_ms,
        sample_rate_hz=int(info.sample_rate),
        channels=int(info.channels),
        bitrate_kbps=round(info.bitrate / 1000),
        bitrate_mode=modes.get(info.bitrate_mode, "unknown"),
        encoder=str(info.encoder_info or "") or _encoder_name(path, start),
        xing=xing.present,
        encoder_delay=xing.delay,
        encoder_padding=xing.padding,
        loudness=measure_file(path) if loudness else None,
    )
