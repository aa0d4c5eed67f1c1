"""The ``[serve]`` table of newsaudio.toml and when ``serve`` runs ``update``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsaudio.config import (
    ServeSettings,
    parse_clock_times,
    parse_duration,
    read_serve_config,
    serve_settings,
)
from newsaudio.errors import ConfigError
from newsaudio.pipeline.home import Schedule


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800), ("2h", 7200), ("1h30m", 5400), ("90s", 90), ("45", 2700), (" 1h ", 3600)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text, "x") == seconds


@pytest.mark.parametrize("text", ["", "soon", "30x", "5s", "0m", "-5m"])
def test_bad_durations_name_the_setting(text: str) -> None:
    with pytest.raises(ConfigError, match=r"^f: \[serve\] update_every: "):
        parse_duration(text, "f: [serve] update_every")


def test_clock_times_sorted_unique() -> None:
    assert parse_clock_times(["18:00", "6:05", "18:00"], "x") == ((6, 5), (18, 0))
    for bad in (["24:00"], ["6"], [], "noon", [6]):
        with pytest.raises(ConfigError, match="update_at"):
            parse_clock_times(bad, "f: [serve] update_at")


def test_serve_table(tmp_path: Path) -> None:
    path = tmp_path / "newsaudio.toml"
    path.write_text(
        'title = "T"\n[serve]\ninbox = true\nupdate_at = ["06:00", "18:00"]\n', encoding="utf-8"
    )
    assert read_serve_config(path) == ServeSettings(inbox=True, update_at=((6, 0), (18, 0)))
    assert read_serve_config(None) == ServeSettings()
    with pytest.raises(ConfigError, match=r"unknown setting 'inboxx'"):
        serve_settings({"inboxx": True}, "f: [serve]")
    with pytest.raises(ConfigError, match=r"inbox: expected true or false"):
        serve_settings({"inbox": "yes"}, "f: [serve]")


def test_schedule_every_and_at_in_the_show_time_zone() -> None:
    now = datetime(2026, 12, 7, 17, 30, tzinfo=UTC)  # 18:30 in Berlin
    assert Schedule(every_s=1800).next_after(now) == datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
    at = Schedule(at=((6, 0), (18, 0)), zone="Europe/Berlin")
    assert at.next_after(now) == datetime(2026, 12, 8, 5, 0, tzinfo=UTC)  # 06:00 Berlin
    early = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
    assert at.next_after(early) == datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
    assert Schedule().next_after(now) is None and not Schedule().active
