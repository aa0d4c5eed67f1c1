"""Mastering: -16 LUFS +-1, true peak <= -1 dBTP on the MP3 (ffmpeg ebur128), edge cases."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsaudio.audio.loudness import LoudnessMeter, measure_file
from newsaudio.audio.master import MasterSettings, encode
from newsaudio.audio.probe import probe
from newsaudio.cli import cli
from newsaudio.models import Programme, Timeline
from tests.support import SEED, cli_runner


def programme_from(
    samples: np.ndarray, tmp_path: Path, rate: int = 44100, channels: int = 1
) -> tuple[Programme, object]:
    pcm = tmp_path / "p.pcm"
    data = samples.astype("<i2").tobytes()
    pcm.write_bytes(data)
    with LoudnessMeter(rate, channels) as meter:
        meter.feed(data)
        measured = meter.result()
    duration = round(1000 * len(samples) / channels / rate)
    return Programme(pcm, rate, channels, Timeline((), (), duration)), measured


def speechlike(seconds: float, amp: float, rate: int = 44100) -> np.ndarray:
    """Bursts of a harmonic tone with gaps, peaky like speech (crest factor ~12 dB)."""
    t = np.arange(int(seconds * rate)) / rate
    tone = sum(np.sin(2 * np.pi * f * t) / k for k, f in enumerate((180, 360, 540, 1200), 1))
    bursts = (np.sin(2 * np.pi * 1.5 * t) > 0).astype(float)
    clicks = np.zeros_like(t)
    clicks[:: rate // 3] = 3.0  # sharp peaks the limiter must catch
    x = (tone / 2.1 + clicks) * bursts
    return np.clip(amp * 32767 * x, -32768, 32767).astype(np.int16)


@pytest.mark.parametrize("amp", [0.9, 0.2, 0.03])  # about -21, -28 and -42 LUFS
def test_loud_normal_and_quiet_programmes_reach_target(tmp_path: Path, amp: float) -> None:
    programme, measured = programme_from(speechlike(20, amp), tmp_path)
    encoded = encode(programme, measured, tmp_path / "e.mp3")  # type: ignore[arg-type]
    result = measure_file(encoded.path)
    assert abs(result.integrated_lufs - -16.0) <= 1.0, result
    assert result.true_peak_dbtp <= -1.0, result
    assert encoded.loudness == result


def test_gain_is_capped_for_a_nearly_inaudible_programme(tmp_path: Path) -> None:
    programme, measured = programme_from(speechlike(20, 0.01), tmp_path)  # about -52 LUFS
    encoded = encode(programme, measured, tmp_path / "e.mp3")  # type: ignore[arg-type]
    gain = encoded.loudness.integrated_lufs - measured.integrated_lufs  # type: ignore[attr-defined]
    assert 25 <= gain <= 30.5  # MAX_GAIN_DB: raised a lot, but not made absurd
    assert encoded.loudness.true_peak_dbtp <= -1.0


def test_silent_programme_gets_no_gain_and_no_crash(tmp_path: Path) -> None:
    programme, measured = programme_from(np.zeros(44100 * 2, dtype=np.int16), tmp_path)
    encoded = encode(programme, measured, tmp_path / "e.mp3")  # type: ignore[arg-type]
    assert encoded.loudness.integrated_lufs <= -60
    assert encoded.path.stat().st_size > 0


def test_very_short_programme_has_no_absurd_gain(tmp_path: Path) -> None:
    blip = (0.05 * 32767 * np.sin(2 * np.pi * 440 * np.arange(8820) / 44100)).astype(np.int16)
    programme, measured = programme_from(blip, tmp_path)  # 200 ms: below one gating block
    encoded = encode(programme, measured, tmp_path / "e.mp3")  # type: ignore[arg-type]
    assert encoded.loudness.true_peak_dbtp <= -1.0
    assert encoded.loudness.true_peak_dbtp < -20  # left as it was: -26 dBFS, not blown up


def test_stereo_128k_cbr_with_xing_lame_header(tmp_path: Path) -> None:
    mono = speechlike(5, 0.3)
    stereo = np.repeat(mono.reshape(-1, 1), 2, axis=1).reshape(-1)
    programme, measured = programme_from(stereo, tmp_path, channels=2)
    settings = MasterSettings(bitrate_kbps=128, channels=2, target_lufs=-19.0)
    encoded = encode(programme, measured, tmp_path / "e.mp3", settings)  # type: ignore[arg-type]
    info = probe(encoded.path)
    assert (info.sample_rate_hz, info.channels, info.bitrate_kbps) == (44100, 2, 128)
    assert info.bitrate_mode == "CBR" and info.xing
    assert info.encoder_delay == 576 and info.encoder_padding is not None
    assert abs(info.duration_ms - programme.timeline.duration_ms) <= 1
    assert info.loudness is not None and abs(info.loudness.integrated_lufs - -19.0) <= 1.0


@pytest.mark.slow
def test_seed_episode_loudness_by_ebur128(workdir: Path) -> None:
    if not SEED.is_file():
        pytest.skip("../shared is absent")
    result = cli_runner().invoke(cli, ["add", str(SEED), "--out", "show", "--json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout.strip().splitlines()[-1])
    loudness = measure_file(Path(record["path"]))
    assert abs(loudness.integrated_lufs - -16.0) <= 1.0, loudness
    assert loudness.true_peak_dbtp <= -1.0, loudness
    assert record["loudness_lufs"] == loudness.integrated_lufs


def test_next_short_programme_is_encoded_at_a_predicted_gain(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The limiter's loss on one programme predicts the gain of the next (same settings):
    no analysis passes, and the MP3 still lands on the target (measured as it is written)."""
    from newsaudio.audio import master

    master._LEARNED.clear()
    first, measured = programme_from(speechlike(20, 0.2), tmp_path)
    encode(first, measured, tmp_path / "a.mp3")  # type: ignore[arg-type]
    (tmp_path / "next").mkdir()
    second, measured = programme_from(speechlike(25, 0.25), tmp_path / "next")
    with caplog.at_level("DEBUG", logger="newsaudio.audio.master"):
        encoded = encode(second, measured, tmp_path / "b.mp3")  # type: ignore[arg-type]
    assert any("predicted from the previous programme" in r.message for r in caplog.records)
    assert encoded.loudness == measure_file(encoded.path)
    assert abs(encoded.loudness.integrated_lufs - -16.0) <= 0.5
    assert encoded.loudness.true_peak_dbtp <= -1.0
    other = MasterSettings(target_lufs=-19.0)  # other settings: nothing to predict from
    assert master._predicted_gain(other, measured.integrated_lufs) is None  # type: ignore[attr-defined]
