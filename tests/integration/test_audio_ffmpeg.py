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
from tests.support import case_json


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
    env = {**os.environ, "NEWSAUDIO_FFMPEG": "ffmpeg"}  # the one on PATH, not the wheel's
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


def _newsaudio(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsaudio", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_version_verbose_names_the_ffmpeg_used() -> None:
    from newsaudio.audio.ffmpeg import ffmpeg_info

    plain = _newsaudio("--version")
    assert plain.returncode == 0 and plain.stdout.strip() == "newsaudio, version 0.1.0"
    assert "ffmpeg" not in plain.stdout
    info = ffmpeg_info()
    for args in (("--version", "-v"), ("-v", "--version")):
        run = _newsaudio(*args)
        assert run.returncode == 0, run.stderr
        (line,) = [ln for ln in run.stdout.splitlines() if ln.startswith("ffmpeg ")]
        assert info.path in line and info.version and info.version in line


def test_newsaudio_ffmpeg_can_pick_the_wheels_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    import imageio_ffmpeg

    from newsaudio.audio import ffmpeg

    wheel = imageio_ffmpeg.get_ffmpeg_exe()
    run = _newsaudio("--version", "-v", NEWSAUDIO_FFMPEG="imageio-ffmpeg")
    assert f"at {wheel} (chosen by NEWSAUDIO_FFMPEG=imageio-ffmpeg" in run.stdout
    monkeypatch.setenv("NEWSAUDIO_FFMPEG", "imageio-ffmpeg")
    ffmpeg.find_ffmpeg.cache_clear()
    try:
        assert ffmpeg.find_ffmpeg() == wheel == ffmpeg.ffmpeg_info().path
        assert ffmpeg.ffmpeg_info().version
    finally:
        ffmpeg.find_ffmpeg.cache_clear()
