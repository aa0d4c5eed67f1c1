"""Tag: ID3v2.3 metadata that podcast apps and players read, written with mutagen.

Frames (ID3v2.3, https://id3.org/id3v2.3.0): TIT2 title, TPE1 author, TALB show title,
TCON "Podcast", TYER/TDAT date, COMM summary, TLEN length (ms), WOAS article URL, USLT
transcript, APIC front cover, CHAP + CTOC chapters (ID3v2 Chapter Frame Addendum 1.0; each
CHAP holds TIT2 and, when known, WXXX link and APIC image sub-frames), and
the podcast frames PCST, WFED (feed URL, in the iTunes text-frame layout that TagLib and eyeD3
read), TGID (episode guid), TDES (description).

Text frames use encoding 0 (Latin-1) when the text is pure Latin-1 and 1 (UTF-16 with BOM)
otherwise, never UTF-8 (not valid in v2.3). Any tag already in the file (e.g. ffmpeg's
v2.4) is replaced, never stacked, and no ID3v1 tag is written.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from newsaudio.errors import PublishError, plain_reason
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
    chapter_images: Mapping[str, bytes] = field(default_factory=dict)
    """JPEG bytes by chapter ``image_url``, embedded as APIC in that chapter's CHAP."""


def _encoding(text: str) -> int:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return 1
    return 0


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _wfed(url: str) -> Any:
    """WFED as iTunes writes it: laid out like a text frame (encoding byte, Latin-1 text).

    mutagen models WFED as a URL frame (no encoding byte), but iTunes, TagLib and eyeD3
    read it as text: this frame class, named WFED, makes mutagen write the iTunes layout.
    """
    from mutagen.id3 import TextFrame

    frame_class = type("WFED", (TextFrame,), {"__module__": __name__})
    return frame_class(encoding=0, text=[url])


def _wxxx(url: str) -> Any:
    """A chapter's WXXX link with the URL unterminated, as ID3v2.3 lays it out (mutagen ends
    it with a NUL byte, which eyeD3 then keeps as part of the URL). Non-ASCII characters
    are percent-encoded (the URL field is Latin-1)."""
    from urllib.parse import quote

    from mutagen.id3 import WXXX
    from mutagen.id3._specs import Latin1TextSpec  # mutagen has no public spec classes

    class _Unterminated(Latin1TextSpec):
        def write(self, config: Any, data: Any, value: str) -> bytes:
            return value.encode("latin-1")

    specs = [_Unterminated("url") if spec.name == "url" else spec for spec in WXXX._framespec]
    frame_class = type("WXXX", (WXXX,), {"_framespec": specs, "__module__": __name__})
    return frame_class(encoding=0, desc="", url=quote(url, safe=":/?#[]@!$&'()*+,;=%~"))


def write_tags(path: Path, info: TagInfo) -> None:
    """Replace any tag in the MP3 at ``path`` with a fresh ID3v2.3 tag from ``info``.

    Raises PublishError if mutagen cannot write the file.
    """
    from mutagen import MutagenError
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
        tags.add(_wfed(info.feed_url))
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
            sub_frames: list[Any] = [TIT2(encoding=_encoding(title), text=[title])]
            if chapter.url:
                sub_frames.append(_wxxx(chapter.url))
            image = info.chapter_images.get(chapter.image_url or "")
            if image:
                sub_frames.append(APIC(encoding=0, mime="image/jpeg", type=0, desc="", data=image))
            tags.add(
                CHAP(
                    element_id=element_id,
                    start_time=int(chapter.start_ms),
                    end_time=int(chapter.end_ms),
                    start_offset=0xFFFFFFFF,
                    end_offset=0xFFFFFFFF,
                    sub_frames=sub_frames,
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
        _order_chapters(path)
    except (MutagenError, ID3Error, OSError) as exc:
        raise PublishError(f"{path}: cannot write ID3 tag ({plain_reason(exc)})") from exc


def _syncsafe(data: bytes) -> int:
    """A 28-bit ID3v2 "syncsafe" integer (7 bits per byte)."""
    value = 0
    for byte in data:
        value = (value << 7) | (byte & 0x7F)
    return value


def _split_frames(body: bytes) -> list[bytes]:
    """The frames (header included) of an ID3v2.3 tag body, up to the padding."""
    frames: list[bytes] = []
    pos = 0
    while pos + 10 <= len(body) and body[pos : pos + 4].strip(b"\0"):
        length = int.from_bytes(body[pos + 4 : pos + 8], "big")
        frames.append(body[pos : pos + 10 + length])
        pos += 10 + length
    return frames


def _raw_wfed(path: Path) -> str | None:
    """WFED's URL read from the raw v2.3 tag (mutagen reads it as a URL frame and so
    loses the iTunes layout's text after its leading encoding byte)."""
    with path.open("rb") as f:
        header = f.read(10)
        if header[:3] != b"ID3" or header[3] != 3 or header[5] & 0xC0:
            return None
        body = f.read(_syncsafe(header[6:10]))
    for frame in _split_frames(body):
        if frame[:4] == b"WFED":
            data = frame[10:]
            if data[:1] == b"\0":
                return data[1:].split(b"\0")[0].decode("latin-1")
            if data[:1] == b"\1":
                return data[1:].decode("utf-16", "replace").split("\0")[0]
            return data.split(b"\0")[0].decode("latin-1")
    return None


def _order_chapters(path: Path) -> None:
    """Rewrite the tag in place with its CHAP frames in chronological order, before CTOC.

    mutagen orders frames by size, but readers that ignore CTOC (ffmpeg/ffprobe among
    them) list chapters in file order. Frames are only moved, so the tag keeps its size.
    """
    with path.open("r+b") as f:
        header = f.read(10)
        if header[:3] != b"ID3" or header[3] != 3 or header[5] & 0xC0:
            return  # not a plain v2.3 tag (unsynchronised or extended header): leave it
        size = _syncsafe(header[6:10])
        body = f.read(size)
        frames = _split_frames(body)
        padding = body[sum(len(fr) for fr in frames) :]

        def start_ms(frame: bytes) -> int:
            data = frame[10:]
            end = data.index(b"\0") + 1
            return int.from_bytes(data[end : end + 4], "big")

        chaps = sorted((fr for fr in frames if fr[:4] == b"CHAP"), key=start_ms)
        others = [fr for fr in frames if fr[:4] not in (b"CHAP", b"CTOC")]
        tocs = [fr for fr in frames if fr[:4] == b"CTOC"]
        if not chaps:
            return
        first_big = next((i for i, fr in enumerate(others) if fr[:4] in (b"APIC", b"USLT")), None)
        at = len(others) if first_big is None else first_big
        ordered = b"".join(others[:at] + tocs + chaps + others[at:]) + padding
        if len(ordered) == len(body):
            f.seek(10)
            f.write(ordered)


@dataclass(frozen=True)
class TagSummary:
    """What an MP3's ID3v2 tag holds, as read back by mutagen.

    ``version`` is ``"2.3.0"`` style (empty without a tag); ``frames`` maps each frame id to
    a short one-line description (text frames: their text; APIC: mime type and size in
    bytes; USLT: length in characters); ``chapters`` follow the top-level CTOC's order;
    ``has_v1`` says whether an ID3v1 tag sits at the end of the file.
    """

    version: str
    frames: dict[str, list[str]]
    chapters: tuple[Chapter, ...]
    has_v1: bool


def _describe(frame: Any) -> str:
    kind = frame.FrameID
    value: str
    if kind == "APIC":
        value = f"{frame.mime}, type {int(frame.type)}, {len(frame.data)} bytes"
    elif kind == "USLT":
        value = f"{len(frame.text)} characters"
    elif kind == "CHAP":
        value = f"{frame.element_id} {frame.start_time}-{frame.end_time} ms"
    elif kind == "CTOC":
        value = f"{frame.element_id}: {', '.join(frame.child_element_ids)}"
    elif kind == "PCST":
        value = str(frame.value)
    elif hasattr(frame, "url"):
        value = str(frame.url)
    elif hasattr(frame, "text"):
        value = " / ".join(str(t) for t in frame.text)
    else:
        value = str(frame)
    value = " ".join(value.split())
    return value if len(value) <= 120 else value[:119] + "…"


def read_tags(path: Path) -> TagSummary:
    """Read back the ID3v2 tag of ``path`` (and whether an ID3v1 tag exists).

    Raises PublishError if the file cannot be read.
    """
    from mutagen import MutagenError
    from mutagen.id3 import ID3, CTOCFlags, ID3NoHeaderError
    from mutagen.id3 import error as ID3Error

    try:
        with path.open("rb") as f:
            f.seek(0, 2)
            has_v1 = False
            if f.tell() >= 128:
                f.seek(-128, 2)
                has_v1 = f.read(3) == b"TAG"
        try:
            tags = ID3(str(path), translate=False)
        except ID3NoHeaderError:
            return TagSummary("", {}, (), has_v1)
    except (MutagenError, ID3Error, OSError) as exc:
        raise PublishError(f"{path}: cannot read ID3 tag ({plain_reason(exc)})") from exc
    frames: dict[str, list[str]] = {}
    frame: Any
    for frame in tags.values():
        frames.setdefault(frame.FrameID, []).append(_describe(frame))
    if "WFED" in frames:
        frames["WFED"] = [_raw_wfed(path) or ""]
    chaps: dict[str, Any] = {f.element_id: f for f in tags.getall("CHAP")}
    order: list[str] = []
    toc: Any
    for toc in tags.getall("CTOC"):
        if toc.flags & CTOCFlags.TOP_LEVEL:
            order = [i for i in toc.child_element_ids if i in chaps]
    if not order:
        order = sorted(chaps, key=lambda i: chaps[i].start_time)
    chapters = []
    for element_id in order:
        chap = chaps[element_id]
        sub = chap.sub_frames.get("TIT2")
        title = str(sub.text[0]) if sub is not None and sub.text else element_id
        chapters.append(Chapter(int(chap.start_time), int(chap.end_time), title))
    version = ".".join(str(v) for v in tags.version)
    return TagSummary(version, frames, tuple(chapters), has_v1)
