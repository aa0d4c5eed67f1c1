"""AUDIO-04: a missing ffmpeg is reported before any synthesis; ffprobe is never needed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsaudio.audio.ffmpeg import find_ffmpeg
from tests.conftest import case_json


def run_add(
    workdir: Path, article: Path, env_changes: dict[str, str | None], path_dirs: list[Path]
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("NEWSAUDIO_FFMPEG", "IMAGEIO_FFMPEG_EXE")
    }
    env["PATH"] = os.pathsep.join(str(d) for d in path_dirs)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "newsaudio",
            "add",
            str(article),
            "--voice",
            "fake",
            "--out",
            "output",
            "--json",
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def empty_bin(tmp_path: Path) -> Path:
    """A PATH folder with neither ffmpeg nor ffprobe."""
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    "env_changes",
    [
        {"NEWSAUDIO_FFMPEG": "/nonexistent/ffmpeg"},
        {"IMAGEIO_FFMPEG_EXE": "/nonexistent/imageio-ffmpeg"},  # no bundled binary either
    ],
    ids=["NEWSAUDIO_FFMPEG-points-nowhere", "nothing-on-PATH-nor-bundled"],
)
def test_audio_04_missing_ffmpeg_reported_before_synthesis(
    workdir: Path, article_file: Path, tmp_path: Path, env_changes: dict[str, str | None]
) -> None:
    expected = case_json("AUDIO-04")["expected"]
    # the segment cache would hold the fake engine's segments if synthesis had started
    cache = Path(os.environ["NEWSAUDIO_CACHE_DIR"])
    proc = run_add(workdir, article_file, env_changes, [empty_bin(tmp_path)])
    assert proc.returncode != 0 and expected["exit_code"] == "non-zero"
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr  # one line, no traceback
    assert "Traceback" not in proc.stderr
    assert "ffmpeg" in lines[0] and "pip install imageio-ffmpeg" in lines[0]
    assert proc.returncode == 6
    assert not (workdir / "output").exists()  # nothing written to output/
    assert not cache.exists() or not any(p.is_file() for p in cache.rglob("*"))  # no synthesis


def test_audio_04_variant_ffmpeg_present_ffprobe_missing_just_works(
    workdir: Path, article_file: Path, tmp_path: Path
) -> None:
    """newsaudio never runs ffprobe (jingles are decoded by ffmpeg itself), so a PATH with
    ffmpeg and no ffprobe makes a complete episode."""
    folder = empty_bin(tmp_path)
    (folder / "ffmpeg").symlink_to(find_ffmpeg())
    assert shutil.which("ffprobe", path=str(folder)) is None
    intro = workdir / "intro.wav"
    subprocess.run(
        [find_ffmpeg(), "-v", "error", "-f", "lavfi", "-i", "sine=f=880:d=2", str(intro)],
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSAUDIO_FFMPEG",)}
    env["PATH"] = str(folder)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsaudio",
            "add",
            str(article_file),
            "--voice",
            "fake",
            "--out",
            "output",
            "--json",
            "--intro",
            str(intro),
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout.strip().splitlines()[-1])
    assert Path(record["path"]).is_file()
    assert "ffprobe" not in proc.stderr


def test_find_ffmpeg_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from newsaudio.audio import ffmpeg
    from newsaudio.errors import AudioError

    ffmpeg.find_ffmpeg.cache_clear()
    try:
        monkeypatch.setenv("NEWSAUDIO_FFMPEG", str(tmp_path / "nope"))
        with pytest.raises(AudioError, match="NEWSAUDIO_FFMPEG"):
            ffmpeg.find_ffmpeg()
    finally:
        ffmpeg.find_ffmpeg.cache_clear()
