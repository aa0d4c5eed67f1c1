"""Speaking speed: speech and pauses shorten alike, jingles keep their length, the cache
key includes the speed; Piper's length scale calibrated so 1.25 and 2.0 are really that."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsaudio.audio import jingle
from newsaudio.cli import cli
from newsaudio.text.prepare import Pauses
from tests.support import EXAMPLE, cli_runner

JINGLES_MS = jingle.intro().duration_ms + jingle.outro().duration_ms


def _add(workdir: Path, source: Path, *args: str) -> dict[str, object]:
    result = cli_runner().invoke(
        cli, ["add", str(source), "--out", str(workdir / "out"), "--json", *args]
    )
    assert result.exit_code == 0, result.stderr
    record: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return record


def _spoken_ms(record: dict[str, object]) -> float:
    """The programme minus its jingles, in ms."""
    return float(str(record["duration_s"])) * 1000 - JINGLES_MS


def test_pauses_scale_with_speed() -> None:
    assert Pauses().scaled(1.0) == Pauses()
    fast = Pauses().scaled(1.25)
    assert (fast.sentence_ms, fast.paragraph_ms, fast.title_ms) == (360, 720, 960)
    assert Pauses().scaled(0.5).heading_ms == 1600


def test_fake_voice_speed_shortens_speech_and_pauses_not_jingles(
    workdir: Path, article_file: Path
) -> None:
    base = _add(workdir, article_file, "--voice", "fake")
    for speed in (1.25, 2.0):
        fast = _add(workdir, article_file, "--voice", "fake", "--speed", str(speed))
        assert fast["synthesized"] == fast["utterances"]  # the cache key includes the speed
        ratio = _spoken_ms(base) / _spoken_ms(fast)
        assert abs(ratio / speed - 1) < 0.03, (speed, ratio)
    again = _add(workdir, article_file, "--voice", "fake", "--speed", "2")
    assert again["synthesized"] == 0


def test_speed_from_settings_and_bad_values(workdir: Path, article_file: Path) -> None:
    (workdir / "newsaudio.toml").write_text("speed = 1.25\n", encoding="utf-8")
    base = _add(workdir, article_file, "--voice", "fake", "--speed", "1")
    fast = _add(workdir, article_file, "--voice", "fake")
    assert _spoken_ms(base) / _spoken_ms(fast) == pytest.approx(1.25, rel=0.03)
    result = cli_runner().invoke(cli, ["add", str(article_file), "--speed", "3"])
    assert result.exit_code == 2 and "--speed" in result.stderr
    (workdir / "newsaudio.toml").write_text("speed = 4\n", encoding="utf-8")
    result = cli_runner().invoke(cli, ["add", str(article_file), "--voice", "fake"])
    assert result.exit_code == 8 and "speed" in result.stderr


@pytest.mark.slow
def test_piper_speed_is_exact_within_3_percent(workdir: Path) -> None:
    """The example article with Piper at speed 1, 1.25 and 2.0: the spoken part (programme
    minus jingles) is 1/speed of speed 1's, within 3 %."""
    base = _spoken_ms(_add(workdir, EXAMPLE))
    ratios = {}
    for speed in (1.25, 2.0):
        ratios[speed] = base / _spoken_ms(_add(workdir, EXAMPLE, "--speed", str(speed)))
    print("spoken ms at speed 1:", base, "ratios:", ratios)
    for speed, ratio in ratios.items():
        assert abs(ratio / speed - 1) < 0.03, ratios


def test_digest_and_update_take_speed(workdir: Path, article_file: Path) -> None:
    base = cli_runner().invoke(
        cli, ["digest", str(article_file), "--voice", "fake", "--json", "--no-jingle"]
    )
    fast = cli_runner().invoke(
        cli,
        ["digest", str(article_file), "--voice", "fake", "--json", "--no-jingle", "--speed", "2"],
    )
    assert base.exit_code == 0 and fast.exit_code == 0, base.stderr + fast.stderr
    ratio = json.loads(base.stdout)["duration_s"] / json.loads(fast.stdout)["duration_s"]
    assert ratio == pytest.approx(2.0, rel=0.03)
    result = cli_runner().invoke(cli, ["update", "--speed", "9"])
    assert result.exit_code == 2 and "--speed" in result.stderr


def test_voices_preview_speed(workdir: Path) -> None:
    durations = []
    for speed in ("1", "2"):
        out = workdir / f"p{speed}.wav"
        result = cli_runner().invoke(
            cli, ["voices", "preview", "fake", "--speed", speed, "-o", str(out)]
        )
        assert result.exit_code == 0, result.stderr
        durations.append(float(result.stdout.split("(")[1].split(" s")[0]))
    assert durations[0] / durations[1] == pytest.approx(2.0, rel=0.05)
