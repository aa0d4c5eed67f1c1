"""Cue times against the decoded MP3: the transcript is exact, not estimated.

The fake engine emits tones between silences: every WebVTT cue must start within 20 ms of its
tone's onset in the MP3 as ffmpeg decodes it (which drops the encoder delay the LAME header
records). On a real Piper episode, cue starts must fall within 100 ms of the speech onsets
that ffmpeg's silencedetect finds.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from newsaudio.audio.ffmpeg import decode_file, find_ffmpeg
from newsaudio.cli import cli
from tests.support import EXAMPLE, cli_runner

RATE = 44100
_CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)$", re.M)


def cue_times(vtt: str) -> list[tuple[float, float]]:
    """(start, end) in seconds of every cue of a WebVTT document."""
    out = []
    for m in _CUE.finditer(vtt):
        g = [int(x) for x in m.groups()]
        out.append(
            (
                g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000,
                g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000,
            )
        )
    return out


def decode(path: Path) -> np.ndarray:
    """Decode ``path`` to mono float samples with newsaudio's own ffmpeg decoder."""
    return decode_file(path, RATE, 1).samples[:, 0].astype(np.float64)


def tone_onsets(audio: np.ndarray, min_gap_s: float = 0.1) -> np.ndarray:
    """Onsets (s) of sounds that follow at least ``min_gap_s`` of near silence (1 ms hops)."""
    hop = RATE // 1000  # 44 samples: times are i * hop / RATE, not i ms
    frames = len(audio) // hop
    rms = np.sqrt(np.mean(audio[: frames * hop].reshape(frames, hop) ** 2, axis=1))
    loud = rms > 0.05 * rms.max()
    onsets = []
    quiet_run = min_gap_s * RATE / hop
    run = quiet_run
    for i, is_loud in enumerate(loud):
        if is_loud and run >= quiet_run:
            onsets.append(i * hop / RATE)
        run = 0 if is_loud else run + 1
    return np.array(onsets)


def make_episode(args: list[str]) -> dict[str, object]:
    result = cli_runner().invoke(cli, ["add", *args, "--out", "show", "--json"])
    assert result.exit_code == 0, result.stderr
    record: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return record


def test_fake_engine_cues_start_within_20_ms_of_tone_onsets(workdir: Path) -> None:
    article = workdir / "tones.txt"
    article.write_text(
        "Tones for timing\n\n"
        + "\n\n".join(
            " ".join(f"Sentence {p}.{s} is here, with words." for s in range(3)) for p in range(4)
        )
        + "\n",
        encoding="utf-8",
    )
    record = make_episode([str(article), "--voice", "fake"])
    mp3 = Path(str(record["path"]))
    cues = cue_times(Path(str(record["transcript"])).read_text(encoding="utf-8"))
    assert len(cues) == 13
    audio = decode(mp3)
    assert abs(len(audio) / RATE - float(record["duration_s"])) < 0.002  # delay trimmed
    onsets = tone_onsets(audio)
    for start, end in cues:
        nearest = onsets[np.argmin(np.abs(onsets - start))]
        assert abs(nearest - start) <= 0.020, f"cue at {start:.3f} s, tone at {nearest:.3f} s"
        assert end > start


def silence_ends(path: Path) -> np.ndarray:
    """Speech onsets: where ffmpeg's silencedetect says a silence ends (s)."""
    err = subprocess.run(
        [
            find_ffmpeg(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            "silencedetect=noise=-40dB:d=0.15",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    return np.array([float(x) for x in re.findall(r"silence_end: ([\d.]+)", err)])


@pytest.mark.slow
def test_piper_cues_start_within_100_ms_of_speech_onsets(workdir: Path) -> None:
    record = make_episode([str(EXAMPLE), "--no-jingle"])
    cues = cue_times(Path(str(record["transcript"])).read_text(encoding="utf-8"))
    onsets = silence_ends(Path(str(record["path"])))
    assert len(cues) >= 5
    for start, _ in cues[1:]:  # the first cue starts the file: no silence ends before it
        nearest = onsets[np.argmin(np.abs(onsets - start))]
        assert abs(nearest - start) <= 0.100, f"cue at {start:.3f} s, speech at {nearest:.3f} s"
    assert cues[0][0] <= 0.1
