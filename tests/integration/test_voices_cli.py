"""``newsaudio voices``, ``voices preview`` and voice errors of ``add``."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

from newsaudio.cli import cli
from tests.support import cli_runner


def test_voices_json_subprocess(workdir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsaudio", "voices", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(done.stdout)
    assert all(
        set(r) == {"name", "engine", "language", "quality", "offline", "installed"} for r in rows
    )
    by_name = {r["name"]: r for r in rows}
    assert by_name["joe"] == {
        "name": "joe",
        "engine": "piper",
        "language": "en-US",
        "quality": "medium",
        "offline": True,
        "installed": True,
    }
    assert by_name["gtts-en-au"]["offline"] is False and by_name["fake"]["engine"] == "fake"
    assert {"gtts-en-us", "gtts-en-gb", "gtts-en-in"} <= set(by_name)


def test_voices_table(workdir: Path) -> None:
    result = cli_runner().invoke(cli, ["voices"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "NAME",
        "ENGINE",
        "LANGUAGE",
        "QUALITY",
        "OFFLINE",
        "INSTALLED",
        "CPU-S/MIN",
    ]
    assert any(line.startswith("joe (default)") and "piper" in line for line in lines)


def test_preview_writes_wav_and_mp3(workdir: Path) -> None:
    runner = cli_runner()
    result = runner.invoke(cli, ["voices", "preview", "fake", "Hello there.", "-o", "p.wav"])
    assert result.exit_code == 0, result.output
    with wave.open(str(workdir / "p.wav")) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (22050, 1, 2)
        assert w.getnframes() > 22050 * 0.4
    result = runner.invoke(cli, ["voices", "preview", "fake", "-o", "p.mp3"])
    assert result.exit_code == 0, result.output
    assert (workdir / "p.mp3").stat().st_size > 1000
    result = runner.invoke(cli, ["voices", "preview", "fake", "-o", "p.ogg"])
    assert result.exit_code == 2 and "use a .wav or .mp3 file name" in result.stderr


def test_unknown_voice_errors(workdir: Path, article_file: Path) -> None:
    runner = cli_runner()
    result = runner.invoke(cli, ["voices", "preview", "nobody", "-o", "p.wav"])
    assert result.exit_code == 4
    assert "unknown voice 'nobody'; available voices: fake, gtts-en-au" in result.stderr
    result = runner.invoke(cli, ["add", str(article_file), "--voice", "nobody"])
    assert result.exit_code == 4 and "available voices:" in result.stderr
    assert not (workdir / "output" / "feed.xml").exists()


def test_article_language_without_voice(workdir: Path) -> None:
    page = workdir / "artikel.html"
    page.write_text(
        '<html lang="de"><head><title>Neue Radwege</title></head><body><article>'
        "<h1>Neue Radwege</h1><p>Der Stadtrat hat am Dienstag zwölf Kilometer neue Radwege "
        "beschlossen. Die Arbeiten beginnen im Mai.</p></article></body></html>",
        encoding="utf-8",
    )
    result = cli_runner().invoke(cli, ["add", str(page)])
    assert result.exit_code == 4
    assert "no installed voice speaks 'de' (the article's language)" in result.stderr
    result = cli_runner().invoke(cli, ["add", str(page), "--voice", "joe"])
    assert result.exit_code == 4
    assert "voice 'joe' speaks en-US, but the article is in de" in result.stderr
