"""The default intro/outro stings, measured rather than listened to; user jingles and beds."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from newsaudio.audio import jingle
from newsaudio.audio.ffmpeg import find_ffmpeg
from newsaudio.audio.loudness import measure_segment
from newsaudio.cli import cli
from newsaudio.models import Segment
from tests.support import cli_runner


@pytest.mark.parametrize("make", [jingle.intro, jingle.outro])
def test_default_sting_is_short_clean_and_musical(make: object) -> None:
    seg: Segment = make()  # type: ignore[operator]
    x = seg.samples[:, 0].astype(float) / 32768
    rate = seg.sample_rate_hz
    assert 3000 <= seg.duration_ms <= 6000
    assert np.abs(x).max() < 0.9  # no clipping, headroom left
    loud = measure_segment(seg)
    assert -30 < loud.integrated_lufs < -10 and loud.true_peak_dbtp < -1
    # sensible spectrum: energy in the musical range, several notes, no harsh top end
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    total = spectrum.sum()
    assert spectrum[(freqs >= 100) & (freqs <= 2500)].sum() / total > 0.95
    assert spectrum[freqs > 5000].sum() / total < 0.001
    peaks = {round(f) for f in freqs[np.argsort(spectrum)[-400:]]}
    notes = {
        n
        for n in (261.63, 329.63, 392.0, 523.25, 659.25, 783.99)
        if any(abs(p - n) < 3 for p in peaks)
    }
    assert len(notes) >= 3  # a chord/arpeggio of C major, not a single beep
    # envelopes: soft start (no click), decays to silence at the end
    assert np.abs(x[:20]).max() < 0.05
    tail = x[-rate // 20 :]
    assert np.sqrt(np.mean(tail**2)) < 0.01 * np.abs(x).max()


def test_user_jingles_and_music_bed_through_add(workdir: Path, article_file: Path) -> None:
    ff = find_ffmpeg()
    for name, hz, rate in (
        ("in.ogg", 880, 48000),
        ("out.wav", 660, 44100),
        ("bed.mp3", 150, 24000),
    ):
        subprocess.run(
            [
                ff,
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"sine=f={hz}:d=3:r={rate}",
                "-ac",
                "2",
                str(workdir / name),
            ],
            check=True,
        )
    result = cli_runner().invoke(
        cli,
        [
            "add",
            str(article_file),
            "--voice",
            "fake",
            "--out",
            "show",
            "--json",
            "--intro",
            "in.ogg",
            "--outro",
            "out.wav",
            "--music-bed",
            "bed.mp3",
            "--channels",
            "2",
        ],
    )
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout.strip().splitlines()[-1])
    raw = subprocess.run(
        [ff, "-v", "error", "-i", record["path"], "-f", "s16le", "-ac", "1", "-"],
        capture_output=True,
        check=True,
    ).stdout
    audio = np.frombuffer(raw, dtype="<i2").astype(float)

    def dominant(a: np.ndarray) -> float:
        spec = np.abs(np.fft.rfft(a * np.hanning(len(a))))
        return float(np.fft.rfftfreq(len(a), 1 / 44100)[np.argmax(spec)])

    assert abs(dominant(audio[44100 : 2 * 44100]) - 880) < 5  # the user's intro
    assert abs(dominant(audio[-2 * 44100 : -44100]) - 660) < 5  # the user's outro
    bed_window = audio[int(3.05 * 44100) : int(3.35 * 44100)]  # after the intro, before speech
    assert abs(dominant(bed_window) - 150) < 5
    assert record["loudness_lufs"] == pytest.approx(-16, abs=1)


def test_no_jingle_starts_with_speech(workdir: Path, article_file: Path) -> None:
    result = cli_runner().invoke(
        cli, ["add", str(article_file), "--voice", "fake", "--out", "show", "--json", "--no-jingle"]
    )
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout.strip().splitlines()[-1])
    vtt = Path(record["transcript"]).read_text(encoding="utf-8")
    assert "00:00:00.030 -->" in vtt  # first cue: the headline, after the 30 ms trim margin
    chapters = json.loads(Path(record["transcript"][:-4] + ".chapters.json").read_text())
    assert chapters["chapters"][0]["title"] == "Council approves new cycle lanes"


def test_unreadable_user_jingle_fails_before_synthesis(workdir: Path, article_file: Path) -> None:
    (workdir / "bad.wav").write_bytes(b"RIFF....nope")
    result = cli_runner().invoke(
        cli, ["add", str(article_file), "--voice", "fake", "--out", "show", "--intro", "bad.wav"]
    )
    assert result.exit_code == 6
    assert "bad.wav" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (workdir / "show" / "episodes").exists()
