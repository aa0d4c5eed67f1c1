"""Transcripts and chapters from a Timeline: WebVTT, SRT, chapters JSON 1.2.0, text."""

from __future__ import annotations

import json
import re

from newsaudio.captions import LINE_CHARS, to_chapters_json, to_srt, to_text, to_vtt
from newsaudio.models import Chapter, Cue, Timeline

LONG = (
    "The council approved 12 km of new cycle lanes on Tuesday, after a debate that lasted "
    "more than four hours and drew a crowd of residents <and> cyclists."
)
TIMELINE = Timeline(
    cues=(
        Cue(4000, 6500, "Café — “cycle” lanes", "Cafe cycle lanes", "title"),
        Cue(7700, 15_250, LONG, LONG.replace("12 km", "twelve kilometres"), "sentence"),
        Cue(15_700, 3_725_004, "A --> B & C.", "A to B and C.", "sentence"),
    ),
    chapters=(
        Chapter(0, 4000, "Intro"),
        Chapter(4000, 7700, "Café — “cycle” lanes"),
        Chapter(7700, 3_726_000, "The council approved 12 km…"),
    ),
    duration_ms=3_726_000,
)


def test_vtt_has_header_timestamps_and_display_text() -> None:
    vtt = to_vtt(TIMELINE)
    assert vtt.startswith("WEBVTT\n\n")
    assert "00:00:04.000 --> 00:00:06.500" in vtt
    assert "01:02:05.004" in vtt
    assert "12 km" in vtt and "twelve kilometres" not in vtt  # display, not spoken text
    assert "&lt;and&gt;" in vtt and "A --&gt; B &amp; C." in vtt
    assert all("-->" not in line for line in vtt.splitlines() if not line[:1].isdigit())
    for line in vtt.splitlines():
        assert len(line) <= LINE_CHARS
    cue_blocks = [b for b in vtt.split("\n\n")[1:] if b.strip()]
    assert len(cue_blocks) == 3


def test_srt_uses_commas_and_numbers_cues() -> None:
    srt = to_srt(TIMELINE)
    blocks = [b for b in srt.strip().split("\n\n")]
    assert blocks[0].splitlines()[:2] == ["1", "00:00:04,000 --> 00:00:06,500"]
    assert re.fullmatch(r"\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}", blocks[2].splitlines()[1])
    assert all(len(line) <= LINE_CHARS for line in srt.splitlines())


def test_chapters_json_is_podcasting_2_0_version_1_2_0() -> None:
    doc = json.loads(to_chapters_json(TIMELINE, "Café — “cycle” lanes"))
    assert doc["version"] == "1.2.0"
    assert [c["title"] for c in doc["chapters"]] == [
        "Intro",
        "Café — “cycle” lanes",
        "The council approved 12 km…",
    ]
    assert doc["chapters"][1] == {"startTime": 4.0, "endTime": 7.7, "title": "Café — “cycle” lanes"}
    starts = [c["startTime"] for c in doc["chapters"]]
    assert starts == sorted(starts) and starts[0] == 0


def test_plain_text_transcript_keeps_display_text() -> None:
    text = to_text(TIMELINE)
    assert text.startswith("Café — “cycle” lanes\n\n")
    assert "12 km" in text and text.endswith("\n")
