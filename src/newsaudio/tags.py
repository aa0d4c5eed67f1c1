"""Tag: ID3v2.3 metadata that podcast apps and players read, written with mutagen.

Frames (ID3v2.3, https://id3.org/id3v2.3.0): TIT2 title, TPE1 author, TALB show title,
TCON "Podcast", TYER/TDAT date, COMM summary, TLEN length (ms), WOAS article URL, USLT
transcript, APIC front cover, CHAP + CTOC chapters (ID3v2 Chapter Frame Addendum 1.0), and
the podcast frames PCST, WFED (feed URL), TGID (episode guid), TDES (description).

Text frames use encoding 0 (Latin-1) when the text is pure Latin-1 and 1 (UTF-16 with BOM)
otherwise, never UTF-8 (not valid in v2.3). Any tag already in the file (e.g. ffmpeg's
v2.4) is replaced, never stacked, and no ID3v1 tag is written.
"""

from __future__ import annotations

import contextlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from newsaudio.errors import PublishError
from newsaudio.models import Chapter


@dataclass(frozen=True)
class TagInfo:
    """What goes into an episode's ID3 tag. ``length_ms`` is the audio duration."""

    title: str
    artist: str
    album: str
    date: datetime
    comment: str
    length_ms: int
    guid: str
    url: str | None = None
    feed_url: str | None = None
    transcript: str = ""
    cover_jpeg: bytes | None = None
    chapters: tuple[Chapter, ...] = field(default_factory=tuple)
    language: str = "eng"


def _encoding(text: str) -> int:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return 1
    return 0


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def write_tags(path: Path, info: TagInfo) -> None:
    """Replace any tag in the MP3 at ``path`` with a fresh ID3v2.3 tag from ``info``.

    Raises PublishError if mutagen cannot write the file.
    """
    from mutagen.id3 import (
        APIC,
        CHAP,
        COMM,
        CTOC,
        ID3,
        PCST,
        TALB,
        TCON,
        TDAT,
        TDES,
        TGID,
        TIT2,
        TLEN,
        TPE1,
        TYER,
        USLT,
        WFED,
        WOAS,
        CTOCFlags,
        ID3NoHeaderError,
    )
    from mutagen.id3 import error as ID3Error

    tags = ID3()

    def text(frame: type, value: str) -> None:
        value = _nfc(value)
        tags.add(frame(encoding=_encoding(value), text=[value]))

    text(TIT2, info.title)
    text(TPE1, info.artist)
    text(TALB, info.album)
    text(TCON, "Podcast")
    text(TYER, f"{info.date.year:04d}")
    text(TDAT, f"{info.date.day:02d}{info.date.month:02d}")
    text(TLEN, str(int(info.length_ms)))
    text(TGID, info.guid)
    if info.comment:
        comment = _nfc(info.comment)
        tags.add(COMM(encoding=_encoding(comment), lang=info.language, desc="", text=[comment]))
        text(TDES, comment)
    if info.url:
        tags.add(WOAS(url=info.url))
    if info.feed_url:
        tags.add(WFED(encoding=0, text=[info.feed_url]))
    tags.add(PCST(value=1))
    if info.transcript:
        transcript = _nfc(info.transcript)
        tags.add(USLT(encoding=_encoding(transcript), lang=info.language, desc="", text=transcript))
    if info.cover_jpeg:
        tags.add(APIC(encoding=0, mime="image/jpeg", type=3, desc="", data=info.cover_jpeg))
    if info.chapters:
        ids = [f"chp{i}" for i in range(len(info.chapters))]
        for element_id, chapter in zip(ids, info.chapters, strict=True):
            title = _nfc(chapter.title)
            tags.add(
                CHAP(
                    element_id=element_id,
                    start_time=int(chapter.start_ms),
                    end_time=int(chapter.end_ms),
                    start_offset=0xFFFFFFFF,
                    end_offset=0xFFFFFFFF,
                    sub_frames=[TIT2(encoding=_encoding(title), text=[title])],
                )
            )
        tags.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=0, text=["Chapters"])],
            )
        )
    try:
        with contextlib.suppress(ID3NoHeaderError):
            ID3(str(path)).delete(str(path), delete_v1=True, delete_v2=True)
        tags.save(str(path), v1=0, v2_version=3, padding=lambda info: 0)
    except (ID3Error, OSError) as exc:
        raise PublishError(f"{path}: cannot write ID3 tag ({exc})") from exc
