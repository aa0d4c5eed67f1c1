"""Plain dataclasses that flow between the pipeline stages.

::

    source ──load──▶ Article ──clean──▶ Article ──prepare──▶ Script
    Script ──speak──▶ Segment per Utterance ──assemble──▶ Programme (+ Timeline)
    Programme ──master/encode──▶ MP3 + Loudness ──tag──▶ MP3 ──publish──▶ Episode in the catalog

Units are in the names: ``*_ms`` milliseconds, ``*_hz`` hertz, ``*_lufs`` LUFS
(ITU-R BS.1770 integrated loudness), ``*_dbtp`` dB true peak, ``*_kbps`` kilobits per second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

BlockKind = Literal["paragraph", "heading", "list_item"]
UtteranceKind = Literal["title", "heading", "list_item", "sentence"]


@dataclass(frozen=True)
class Block:
    """One block of an article body: a paragraph, a heading or a list item.

    ``text`` is display text (original characters, whitespace collapsed). ``level`` is the
    heading level (1-6) for headings, 0 otherwise.
    """

    kind: BlockKind
    text: str
    level: int = 0


@dataclass(frozen=True)
class Article:
    """A loaded article.

    ``source`` is what the user named (a path, a URL or ``-``); ``source_key`` is the stable
    identity the episode guid is derived from, so re-adding the same source updates its
    episode. ``published`` is timezone-aware when known. ``language`` is a BCP 47 tag.
    ``wall`` says why a page looks like a login wall or paywall (None for an article).
    """

    title: str
    blocks: tuple[Block, ...]
    source: str
    source_key: str
    byline: str | None = None
    published: datetime | None = None
    source_url: str | None = None
    language: str = "en"
    site_name: str | None = None
    """The publication's name ("Harbour Gazette"), for spoken attribution in digests."""
    image_url: str | None = None
    """An absolute http(s) URL of the article's lead image (``og:image``), if it names one."""
    wall: str | None = None  # why the page looks like a login wall or paywall, else None
    full_story_url: str | None = None
    """A digest brief's link to the full story (the show's own episode of the article, a page
    anchor); chapters link here instead of ``source_url``. None: ``source_url``."""


@dataclass(frozen=True)
class ChapterMark:
    """A chapter that starts at the utterance carrying it (digests: one per story).

    ``url`` links the chapter to its article, ``image_url`` is the article's image (both
    absolute http(s) URLs or None). ``transition``: a short sting (or, without jingles, a
    pause) is placed before the utterance.
    """

    title: str
    url: str | None = None
    image_url: str | None = None
    transition: bool = False


@dataclass(frozen=True)
class Utterance:
    """One unit handed to a text-to-speech engine.

    ``display`` is what transcripts show (original characters); ``spoken`` is what the engine
    reads (after speech normalization and the pronunciation lexicon). ``pause_after_ms`` is
    the silence placed after it in the programme. ``block`` indexes ``Article.blocks``
    (-1 for the title).
    """

    kind: UtteranceKind
    display: str
    spoken: str
    pause_after_ms: int
    block: int = -1
    chapter: ChapterMark | None = None
    """Set on the first utterance of a chapter when the script chooses its chapters
    (digests); None lets assembly derive chapters from headings and paragraphs."""
    language: str | None = None
    """BCP 47 tag of the text when it is not the script's (a digest's story in another
    language, read by a voice of that language); None: ``Script.article.language``."""


@dataclass(frozen=True)
class Script:
    """The article as an ordered list of utterances, ready to be spoken."""

    article: Article
    utterances: tuple[Utterance, ...]


@dataclass(frozen=True)
class Segment:
    """PCM audio of one utterance (or jingle, or pause).

    ``samples`` is int16 with shape ``(frames, channels)``; values are full-scale signed
    16-bit. ``sample_rate_hz`` is the rate of those frames.
    """

    samples: npt.NDArray[np.int16]
    sample_rate_hz: int

    @property
    def channels(self) -> int:
        """Channel count (1 = mono)."""
        return int(self.samples.shape[1])

    @property
    def frames(self) -> int:
        """Number of sample frames."""
        return int(self.samples.shape[0])

    @property
    def duration_ms(self) -> float:
        """Duration in milliseconds."""
        return 1000.0 * self.frames / self.sample_rate_hz


@dataclass(frozen=True)
class Cue:
    """One timed utterance in the final audio (start/end in ms from the start of the file)."""

    start_ms: int
    end_ms: int
    display: str
    spoken: str
    kind: UtteranceKind
    block: int = -1
    """Index of the article block (paragraph, heading, list item) it belongs to; -1 title."""


@dataclass(frozen=True)
class Chapter:
    """A chapter of the final audio (start/end in ms), with an optional link and image URL."""

    start_ms: int
    end_ms: int
    title: str
    url: str | None = None
    image_url: str | None = None


@dataclass(frozen=True)
class Timeline:
    """Where every utterance and chapter sits in the programme, measured from written samples."""

    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]
    duration_ms: int


@dataclass(frozen=True)
class Programme:
    """The assembled programme: raw s16le PCM (interleaved) in a temporary file + Timeline."""

    pcm_path: Path
    sample_rate_hz: int
    channels: int
    timeline: Timeline


@dataclass(frozen=True)
class Loudness:
    """Loudness of a file per ITU-R BS.1770-4 / EBU R128, as measured by ffmpeg's ebur128."""

    integrated_lufs: float
    true_peak_dbtp: float
    lra_lu: float


@dataclass(frozen=True)
class EncodedAudio:
    """A mastered, encoded MP3 (not yet tagged nor published)."""

    path: Path
    duration_ms: int
    loudness: Loudness
    bitrate_kbps: int
    sample_rate_hz: int
    channels: int


@dataclass(frozen=True)
class Episode:
    """One published episode, as stored in the catalog.

    ``guid`` never changes once published. ``file_name`` is the MP3's name inside
    ``episodes/`` (ASCII slug). ``bytes`` is the final tagged file's exact size.
    """

    guid: str
    source_key: str
    slug: str
    title: str
    description: str
    published: datetime
    updated: datetime
    duration_ms: int
    bytes: int
    loudness: Loudness
    voice: str
    language: str = "en"
    author: str | None = None
    link: str | None = None
    transcript: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        """MP3 file name inside the show's ``episodes/`` folder (``<slug>.mp3``, or the name
        a re-render with changed audio got, kept in ``extra["file_name"]``)."""
        return self.extra.get("file_name") or f"{self.slug}.mp3"
