"""Locating and running ffmpeg.

ffmpeg is found, in order: ``$NEWSAUDIO_FFMPEG`` (a path, a command name looked up on
``PATH``, or ``imageio-ffmpeg`` for the wheel's binary); the binary shipped in the
``imageio-ffmpeg`` wheel (a dependency, so ``pip install`` alone is enough); ``ffmpeg`` on
``PATH`` (where the wheel has no binary for the platform). The wheel's binary comes first
because it is one static build for every machine (the same version, so the same audio, for
everyone installing this newsaudio) and it starts about ten times faster than a distribution's
dynamically linked ffmpeg (measured: 0.01 against 0.1 CPU-s per process with Debian 12's; an
episode runs about ten ffmpeg processes). ``NEWSAUDIO_FFMPEG=ffmpeg`` picks the one on ``PATH``.
:func:`ffmpeg_info` says which one is used, its version and why (``--version -v``,
``inspect``). newsaudio needs only
ffmpeg: it never calls ffprobe (pydub's decoders need ffprobe, so newsaudio decodes with
ffmpeg itself). Subprocesses always get argument lists, never a shell string.

Every ffmpeg child runs in its own process group (``process_group=0``), never reading the
terminal: a Ctrl-C reaches only newsaudio, which stops its children on the way out, so an
interrupt is never mistaken for an ffmpeg failure.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from newsaudio.errors import AudioError, plain_reason

if TYPE_CHECKING:
    from newsaudio.models import Segment

HOW_TO_GET = "install it with 'pip install imageio-ffmpeg' or your system's package manager"
HOW_TO_SET = (
    "set NEWSAUDIO_FFMPEG to an ffmpeg with libmp3lame (a path, a command on PATH, or "
    "{imageio}), or unset NEWSAUDIO_FFMPEG to use the imageio-ffmpeg wheel's ffmpeg "
    "(pip install imageio-ffmpeg)"
)


def how_to_get() -> str:
    """The advice for an ffmpeg that is missing or unfit: the variable to change when
    ``NEWSAUDIO_FFMPEG`` chose it (installing another ffmpeg would not help), else how to
    install one."""
    if os.environ.get("NEWSAUDIO_FFMPEG", "").strip():
        return HOW_TO_SET.format(imageio=IMAGEIO)
    return HOW_TO_GET


IMAGEIO = "imageio-ffmpeg"
"""The ``NEWSAUDIO_FFMPEG`` value that picks the binary of the imageio-ffmpeg wheel."""


def _imageio_exe() -> str:
    try:
        import imageio_ffmpeg

        exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # ImportError or imageio's RuntimeError when its binary is absent
        exe = ""
    return exe if exe and Path(exe).is_file() else ""


def _choose() -> tuple[str, str]:
    """(path, why) of the ffmpeg to use; see the module docstring. Raises AudioError."""
    env = os.environ.get("NEWSAUDIO_FFMPEG", "").strip()
    if env:
        if env == IMAGEIO:
            exe = _imageio_exe()
            if exe:
                return exe, f"NEWSAUDIO_FFMPEG={IMAGEIO}"
            raise AudioError(f"NEWSAUDIO_FFMPEG={IMAGEIO}, but that wheel has no ffmpeg binary")
        if Path(env).is_file() and os.access(env, os.X_OK):
            return env, "NEWSAUDIO_FFMPEG"
        if os.sep not in env and (found := shutil.which(env)):
            return found, f"NEWSAUDIO_FFMPEG={env} on PATH"
        raise AudioError(f"ffmpeg not found at NEWSAUDIO_FFMPEG={env}; {how_to_get()}")
    exe = _imageio_exe()
    if exe:
        return exe, "the imageio-ffmpeg wheel"
    on_path = shutil.which("ffmpeg")
    if on_path:
        return on_path, "PATH"
    raise AudioError(f"ffmpeg not found; newsaudio needs it to encode MP3: {HOW_TO_GET}")


@functools.cache
def find_ffmpeg() -> str:
    """Absolute path of the ffmpeg binary to use. Raises AudioError if there is none."""
    return _choose()[0]


@dataclass(frozen=True)
class FfmpegInfo:
    """The ffmpeg newsaudio uses: its path, its version (``5.1.9-0+deb12u1``, ``n9.0.2``...,
    ``""`` if it does not say) and why it was chosen (``PATH``, ``NEWSAUDIO_FFMPEG``...)."""

    path: str
    version: str
    chosen_by: str


def ffmpeg_info() -> FfmpegInfo:
    """Which ffmpeg is used, its version and why. Raises AudioError if there is none."""
    path, why = _choose()
    return FfmpegInfo(path, _version(path), why)


@functools.cache
def _version(path: str) -> str:
    """The version ``path -version`` reports on its first line (``""`` if none)."""
    try:
        out = subprocess.run([path, "-version"], capture_output=True, text=True, timeout=30)
        first = out.stdout.splitlines()[0] if out.stdout else ""
    except (OSError, subprocess.TimeoutExpired):
        first = ""
    found = re.match(r"ffmpeg version (\S+)", first)
    return found.group(1) if found else ""


def check_ffmpeg() -> str:
    """Find ffmpeg and check it runs and has the MP3 encoder; returns its path.

    Raises AudioError otherwise. Called before any synthesis starts.
    """
    exe = find_ffmpeg()
    try:
        out = subprocess.run(
            [exe, "-hide_banner", "-encoders"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            process_group=0,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        reason = plain_reason(exc)
        raise AudioError(f"ffmpeg at {exe} does not run ({reason}); {how_to_get()}") from exc
    if out.returncode != 0:
        raise AudioError(f"ffmpeg at {exe} does not run (exit {out.returncode}); {how_to_get()}")
    if "libmp3lame" not in out.stdout:
        raise AudioError(f"ffmpeg at {exe} has no MP3 encoder (libmp3lame); {how_to_get()}")
    return exe


def run_ffmpeg(
    args: Sequence[str], *, what: str, stdin: bytes | None = None, stdout: IO[bytes] | None = None
) -> str:
    """Run ffmpeg with ``args`` (after ``-hide_banner -nostdin``); return its stderr text.
    ``stdout``: where ffmpeg's standard output goes (default: captured and dropped).

    Raises AudioError naming ``what`` and ffmpeg's last error line if it fails.
    """
    cmd = [find_ffmpeg(), "-hide_banner", "-nostdin" if stdin is None else "-y", *args]
    try:
        proc = subprocess.run(
            cmd,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdout is None else stdout,
            stderr=subprocess.PIPE,
            timeout=3600,
            process_group=0,
        )
    except OSError as exc:
        raise AudioError(f"{what}: cannot run ffmpeg ({plain_reason(exc)})") from exc
    except subprocess.TimeoutExpired as exc:
        raise AudioError(f"{what}: ffmpeg took longer than an hour") from exc
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        lines = [ln.strip() for ln in err.splitlines() if ln.strip()]
        raise AudioError(f"{what}: ffmpeg failed: {lines[-1] if lines else proc.returncode}")
    return err


def decode_file(path: Path, rate_hz: int, channels: int, *, max_ms: int | None = None) -> Segment:
    """Decode any file ffmpeg reads to int16 PCM at ``rate_hz`` with ``channels`` channels.

    This is how user jingles and music beds are read (never pydub's ``from_file``, which
    needs ffprobe). ``max_ms`` stops decoding after that many milliseconds. Returns a
    :class:`Segment` of shape ``(frames, channels)``. Raises AudioError naming ``path`` if
    the file is missing or ffmpeg cannot decode it (or it holds no audio).
    """
    import numpy as np

    from newsaudio.models import Segment

    if not path.is_file():
        raise AudioError(f"{path}: audio file not found")
    limit = ["-t", f"{max_ms / 1000:.3f}"] if max_ms is not None else []
    cmd = [
        find_ffmpeg(),
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-i",
        str(path),
        *limit,
        "-vn",
        "-map",
        "0:a:0",
        "-f",
        "s16le",
        "-acodec",
        "pcm_s16le",
        "-ar",
        str(rate_hz),
        "-ac",
        str(channels),
        "-",
    ]
    try:
        proc = subprocess.run(
            cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=600, process_group=0
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AudioError(f"{path}: cannot run ffmpeg to decode it ({plain_reason(exc)})") from exc
    if proc.returncode != 0:
        lines = [ln.strip() for ln in proc.stderr.decode("utf-8", "replace").splitlines()]
        last = next((ln for ln in reversed(lines) if ln), f"exit {proc.returncode}")
        raise AudioError(f"{path}: ffmpeg cannot decode it: {last}")
    samples = np.frombuffer(proc.stdout, dtype="<i2")
    samples = samples[: len(samples) - len(samples) % channels].astype(np.int16)
    if not len(samples):
        raise AudioError(f"{path}: contains no audio")
    return Segment(samples.reshape(-1, channels), rate_hz)
