"""``newsaudio inspect``: stream facts, loudness, ID3 summary and chapters of an episode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsaudio.audio.ffmpeg import find_ffmpeg
from newsaudio.cli import cli
from tests.support import cli_runner


@pytest.fixture
def record(workdir: Path, article_file: Path) -> dict[str, object]:
    result = cli_runner().invoke(
        cli, ["add", str(article_file), "--voice", "fake", "--out", "show", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def test_inspect_json_matches_what_add_reported(record: dict[str, object]) -> None:
    result = cli_runner().invoke(cli, ["inspect", str(record["path"]), "--json"])
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["duration_s"] == record["duration_s"]
    assert (info["sample_rate_hz"], info["channels"], info["bitrate_kbps"]) == (44100, 1, 96)
    assert info["bitrate_mode"] == "CBR" and info["xing_header"] is True
    assert info["encoder_delay_samples"] == 576
    assert info["loudness_lufs"] == record["loudness_lufs"]
    assert info["true_peak_dbtp"] == record["true_peak_dbtp"] and info["true_peak_dbtp"] <= -1
    assert info["lra_lu"] == record["lra_lu"]
    assert info["id3_version"] == "2.3.0" and info["id3v1"] is False
    assert info["frames"]["TIT2"] == ["Council approves new cycle lanes"]
    assert info["ffmpeg_path"] == find_ffmpeg() and info["ffmpeg_version"]
    assert [c["title"] for c in info["chapters"]][:2] == [
        "Intro",
        "Council approves new cycle lanes",
    ]


def test_inspect_by_slug_or_guid_with_out(record: dict[str, object]) -> None:
    for name in (str(record["slug"]), str(record["guid"])):
        result = cli_runner().invoke(cli, ["inspect", name, "--out", "show", "--json"])
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["path"] == str(record["path"])


def test_inspect_text_output_as_subprocess(record: dict[str, object], workdir: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsaudio", "inspect", str(record["path"])],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "44100 Hz, mono, 96 kbps CBR" in out
    assert "LUFS integrated" in out and "dBTP true peak" in out and "LU range" in out
    assert "ID3        v2.3.0" in out and "chapters" in out and "Intro" in out
    assert f"at {find_ffmpeg()}" in out  # which ffmpeg measured the loudness


def test_inspect_unknown_target_is_one_line_input_error(workdir: Path) -> None:
    result = cli_runner().invoke(cli, ["inspect", "nothing-here.mp3"])
    assert result.exit_code == 3
    assert "nothing-here.mp3" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    (workdir / "notmp3.mp3").write_bytes(b"hello" * 100)
    result = cli_runner().invoke(cli, ["inspect", "notmp3.mp3"])
    assert result.exit_code == 6 and "notmp3.mp3" in result.stderr
