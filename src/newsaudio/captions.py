"""Transcripts and chapters from a :class:`Timeline`: WebVTT, SRT, Podcasting 2.0 chapters JSON.

Cue times come from the samples actually written (no speech recognition). Cues show the
display text (not the normalized spoken text), wrapped at about 65 characters a line.
WebVTT follows the W3C WebVTT spec; SRT the SubRip convention; chapters the Podcasting 2.0
JSON Chapters format, version 1.2.0.
"""

from __future__ import annotations

import json
import textwrap

from newsaudio.models import Cue, Timeline

LINE_CHARS = 65


def _clock(ms: int, sep: str) -> str:
    h, rest = divmod(max(0, int(ms)), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def _lines(text: str) -> str:
    return "\n".join(textwrap.wrap(text, LINE_CHARS, break_long_words=False)) or text


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "->")


def to_vtt(timeline: Timeline) -> str:
    """The timeline as a WebVTT document (one cue per utterance)."""
    out = ["WEBVTT", ""]
    for i, cue in enumerate(timeline.cues, 1):
        out += [
            str(i),
            f"{_clock(cue.start_ms, '.')} --> {_clock(cue.end_ms, '.')}",
            _vtt_escape(_lines(cue.display)),
            "",
        ]
    return "\n".join(out)


def to_srt(timeline: Timeline) -> str:
    """The timeline as SubRip (.srt) text."""
    out: list[str] = []
    for i, cue in enumerate(timeline.cues, 1):
        out += [
            str(i),
            f"{_clock(cue.start_ms, ',')} --> {_clock(cue.end_ms, ',')}",
            _lines(cue.display).replace("-->", "->"),
            "",
        ]
    return "\n".join(out)


def to_text(timeline: Timeline) -> str:
    """Plain-text transcript: the display text, one paragraph per article block (headline,
    headings, paragraphs and list items each start a new one), blank lines between."""
    parts: list[str] = []
    previous: Cue | None = None
    for cue in timeline.cues:
        if (
            previous is None
            or cue.block != previous.block
            or "title" in (cue.kind, previous.kind)
            or "heading" in (cue.kind, previous.kind)
        ):
            parts.append(cue.display)
        else:
            parts[-1] = f"{parts[-1]} {cue.display}"
        previous = cue
    return "\n\n".join(p.strip() for p in parts if p.strip()) + "\n"


def to_chapters_json(timeline: Timeline, title: str | None = None) -> str:
    """Podcasting 2.0 chapters (version 1.2.0); ``startTime``/``endTime`` in seconds, ``url``
    and ``img`` when the chapter has a link or an image."""
    doc: dict[str, object] = {"version": "1.2.0"}
    if title:
        doc["title"] = title
    chapters: list[dict[str, object]] = []
    for c in timeline.chapters:
        entry: dict[str, object] = {
            "startTime": round(c.start_ms / 1000, 3),
            "endTime": round(c.end_ms / 1000, 3),
            "title": c.title,
        }
        if c.url:
            entry["url"] = c.url
        if c.image_url:
            entry["img"] = c.image_url
        chapters.append(entry)
    doc["chapters"] = chapters
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
