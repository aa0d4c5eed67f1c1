"""What a run carries: its options (:class:`AddOptions`), the loaded engines and caches
(:class:`Runtime`), the show's checked assets (:class:`RunAssets`, :func:`check_run`), the
work folder, what a render yields (:class:`Rendition`) and asks for (:class:`RenderJob`).

Checks that can fail fast run before any synthesis: ffmpeg present, voice known and its
model intact, the show folder writable with free disk space.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from newsaudio.audio import jingle
from newsaudio.audio.ffmpeg import check_ffmpeg, decode_file
from newsaudio.audio.master import MasterSettings
from newsaudio.cover import thumbnail
from newsaudio.errors import NewsaudioError, PublishError
from newsaudio.fsutil import atomic_write_bytes, check_show_folder
from newsaudio.models import Article, Episode, Script, Segment, Timeline
from newsaudio.publish import ensure_cover
from newsaudio.show import Show
from newsaudio.text.lexicon import Lexicon, load_lexicon
from newsaudio.tts.base import (
    Engine,
    builtin_voices_dir,
    create_engine,
    get_voice,
    shutdown_engines,
    voice_for_language,
)
from newsaudio.tts.cache import SegmentCache
from newsaudio.tts.speak import ProgressCallback
from newsaudio.tts.voices import primary_language, speaks

SUMMARY_CHARS = 600

_LOG = logging.getLogger(__name__)
MAX_JINGLE_MS = 60_000  # user jingles and music beds are decoded up to this length


@dataclass(frozen=True)
class AddOptions:
    """Per-run settings of ``newsaudio add``."""

    voice: str | None = None  # None: the default voice, or one that speaks the article's language
    cache_dir: Path | None = None
    jingles: bool = True
    intro: Path | None = None  # user intro jingle (any format ffmpeg reads); None = default
    outro: Path | None = None  # user outro jingle; None = default
    music_bed: Path | None = None  # music under the spoken headline, ducked under speech
    master: MasterSettings = field(default_factory=MasterSettings)
    lexicon: Lexicon | None = None
    speed: float = 1.0  # speaking speed: speech and pauses (not jingles); 1.25 = 25 % faster
    force: bool = False  # read login walls and paywalls anyway

    @classmethod
    def from_show(
        cls,
        show: Show,
        *,
        cache_dir: Path | None = None,
        no_jingle: bool = False,
        intro: Path | None = None,
        outro: Path | None = None,
        music_bed: Path | None = None,
        channels: int | None = None,
        force: bool = False,
        lexicon: Lexicon | None = None,
    ) -> AddOptions:
        """The options of a run for ``show`` (its voice, jingles, loudness, bitrate, speed)
        and the command's flags; ``channels`` None keeps :class:`MasterSettings`' default
        (mono). ``lexicon`` defaults to the built-in lexicon plus ``voices/lexicon.toml`` of
        the current folder (:func:`~newsaudio.text.lexicon.load_lexicon`; ConfigError if
        malformed). Every command that renders builds its options here."""
        if lexicon is None:
            lexicon = load_lexicon(
                builtin_voices_dir() / "lexicon.toml", Path("voices/lexicon.toml")
            )
        master = MasterSettings(bitrate_kbps=show.bitrate_kbps, target_lufs=show.loudness_lufs)
        if channels is not None:
            master = replace(master, channels=channels)
        return cls(
            voice=show.voice,
            cache_dir=cache_dir,
            jingles=show.jingles and not no_jingle,
            intro=intro,
            outro=outro,
            music_bed=music_bed,
            master=master,
            lexicon=lexicon,
            speed=show.speed,
            force=force,
        )


@dataclass(frozen=True)
class Result:
    """What ``add`` produced for one source: the catalogued episode and where it lives."""

    episode: Episode
    path: Path
    url: str
    spoken_text: str
    script: Script
    synthesized: int = 0  # chunks synthesized in this run
    cached: int = 0  # chunks served from the segment cache
    fallback_chunks: tuple[int, ...] = ()  # 1-based chunks spoken by the fallback voice
    worker: str | None = None  # the cluster worker that rendered it; None: this process
    removed: tuple[Episode, ...] = ()  # episodes retention removed when this one was published


class Runtime:
    """The run's environment: clock, engines (one per voice, loaded once) and cache."""

    def __init__(
        self, now: Callable[[], datetime] | None = None, cache_dir: Path | None = None
    ) -> None:
        self.now = now or (lambda: datetime.now(UTC))
        self.cache = SegmentCache(cache_dir)
        self._engines: dict[str, Engine] = {}
        self._jingles: dict[str, Segment] = {}
        self._lock = threading.RLock()  # renders may run in several threads at once

    def close(self) -> None:
        """Stop the engines' background processes (Piper's worker processes). Idempotent."""
        shutdown_engines()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def engine(self, voice_name: str, speed: float = 1.0) -> Engine:
        """The engine for ``voice_name`` speaking ``speed`` times the profile's own speed
        (created once per run and speed). Raises VoiceError."""
        key = f"{voice_name}@{speed:g}"
        with self._lock:
            if key not in self._engines:
                voice = get_voice(voice_name)
                if speed != 1.0:
                    voice = replace(voice, speed=voice.speed * speed)
                self._engines[key] = create_engine(voice)
            return self._engines[key]

    def fallback_engine(self, voice_name: str, speed: float = 1.0) -> Engine | None:
        """The engine of the fallback voice named by ``voice_name``'s profile, if any."""
        fallback = get_voice(voice_name).fallback
        if fallback is None or fallback == voice_name:
            return None
        return self.engine(fallback, speed)

    def jingle(self, which: str) -> Segment:
        """The default ``intro``, ``outro`` or ``sting`` (between digest stories), generated
        once, then served from the segment cache."""
        with self._lock:
            if which not in self._jingles:
                key = self.cache.key("jingle/v1", which)
                segment = self.cache.get(key)
                if segment is None:
                    make = {"intro": jingle.intro, "outro": jingle.outro, "sting": jingle.sting}
                    segment = make[which]()
                    self.cache.put(key, segment)
                self._jingles[which] = segment
            return self._jingles[which]


def _clear_stale_work(work_root: Path) -> None:
    """Remove work folders of runs whose process is gone (killed runs leave them)."""
    if not work_root.is_dir():
        return
    for folder in work_root.iterdir():
        pid = folder.name.split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
            else:  # a temporary file of fsutil.atomic_write_bytes
                with contextlib.suppress(OSError):
                    folder.unlink()
        except PermissionError:
            pass


def _segment_id(segment: Segment | None) -> str:
    """A short identity of a jingle or music bed for the rendition key."""
    if segment is None:
        return "-"
    digest = hashlib.sha256(segment.samples.tobytes()).hexdigest()
    return f"{segment.sample_rate_hz}/{segment.channels}/{digest}"


def reading_language(article: Article, show: Show) -> str:
    """The BCP 47 tag that picks the voice: the article's, made as specific as the show's
    when both are the same language (an ``en`` article in an ``en-GB`` show reads en-GB)."""
    article_tag, show_tag = article.language, show.language
    same = article_tag.split("-")[0].lower() == show_tag.split("-")[0].lower()
    return show_tag if same and "-" not in article_tag else article_tag


def story_voices(
    articles: Sequence[Article], show: Show, preferred: str | None = None
) -> dict[str, str]:
    """Voice names by language tag for a digest's stories in another language than its
    first story's (primary subtags compared): ``{"de": "thorsten"}`` for a French digest
    with a German story. ``preferred`` (``--voice``) reads them when it speaks their
    language; otherwise the installed voice :func:`voice_for_language` picks for it.
    Raises VoiceError (exit 4) naming ``voices install`` when no installed voice speaks one
    of them, as for a single article."""
    if not articles:
        return {}
    first = primary_language(articles[0].language)
    voices: dict[str, str] = {}
    for article in articles[1:]:
        tag = article.language
        if primary_language(tag) == first or tag in voices:
            continue
        wanted = reading_language(article, show)
        chosen = None
        if preferred is not None:
            voice = get_voice(preferred)
            chosen = voice.name if speaks(voice, wanted) else None
        voices[tag] = chosen or voice_for_language(wanted).name
    return voices


@dataclass(frozen=True)
class Rendition:
    """A rendered episode, not yet published: the tagged MP3 in a work folder, its Timeline
    and sidecars, and the draft catalog row (``bytes`` 0, ``published`` the render time,
    the article's own date in ``extra["article_date"]``). Produced by :func:`render` without
    touching the show; consumed by :func:`publish_rendition`, the show's single writer."""

    mp3_path: Path
    draft: Episode
    sidecars: dict[str, str]
    script: Script
    timeline: Timeline
    synthesized: int = 0
    cached: int = 0
    fallback_chunks: tuple[int, ...] = ()
    worker: str | None = None  # the cluster worker that rendered it; None: this process


@dataclass(frozen=True)
class RunAssets:
    """What every render of a run shares, checked before any synthesis: user jingles and
    music bed decoded, and the show's cover thumbnail (JPEG bytes for ID3 APIC)."""

    user_jingles: dict[str, Segment]
    bed: Segment | None
    cover_jpeg: bytes


def check_run(show: Show, options: AddOptions) -> RunAssets:
    """Fail-fast checks before the expensive part: ffmpeg present, user jingles decodable,
    the voice known, the show folder (and its state and episodes folders) writable with
    enough free disk space (:func:`~newsaudio.fsutil.check_writable`). Writes the show's
    cover if needed. Raises AudioError, VoiceError, ConfigError or PublishError."""
    _LOG.info("stage check: ffmpeg and voice")
    check_ffmpeg()
    s = options.master
    user_jingles = {
        which: decode_file(path, s.sample_rate_hz, s.channels, max_ms=MAX_JINGLE_MS)
        for which, path in (("intro", options.intro), ("outro", options.outro))
        if path is not None and options.jingles
    }
    bed = (
        decode_file(options.music_bed, s.sample_rate_hz, s.channels, max_ms=MAX_JINGLE_MS)
        if options.music_bed is not None
        else None
    )
    if options.voice is not None:
        get_voice(options.voice)  # an unknown name fails before the article is read
    check_show_folder(show)
    try:
        cover = ensure_cover(show)
        cover_jpeg = _tag_cover(show, cover.read_bytes())
    except OSError as exc:
        raise PublishError(
            f"{show.out_dir}: cannot write the show's cover ({exc.strerror or exc})"
        ) from exc
    return RunAssets(user_jingles, bed, cover_jpeg)


def _tag_cover(show: Show, cover: bytes) -> bytes:
    """The cover's thumbnail for ID3 tags, kept in the show's state folder under the cover's
    hash (scaling a 3000 px JPEG costs about 0.2 CPU-s, at every run otherwise)."""
    path = show.state_dir / f"cover-tag-{hashlib.sha256(cover).hexdigest()[:16]}.jpg"
    with contextlib.suppress(OSError):
        return path.read_bytes()
    jpeg = thumbnail(cover)
    with contextlib.suppress(NewsaudioError, OSError):  # only a cache: the run goes on
        atomic_write_bytes(path, jpeg)
        for old in show.state_dir.glob("cover-tag-*.jpg"):
            if old != path:
                old.unlink()
    return jpeg


@contextlib.contextmanager
def work_folder(show: Show) -> Iterator[Path]:
    """A private work folder for one render under ``<show>/.newsaudio/work/`` (removed after;
    folders of killed runs are cleared). Raises PublishError if it cannot be created."""
    work_root = show.state_dir / "work"
    work = work_root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    for attempt in range(3):
        try:
            work_root.mkdir(parents=True, exist_ok=True)
            if attempt == 0:
                _clear_stale_work(work_root)
            work.mkdir()
            break
        except (FileExistsError, FileNotFoundError) as exc:
            # a concurrent render removed the empty work_root (the rmdir below) between
            # mkdir's "exists" and its "is a directory" check, or before work.mkdir: again
            if attempt == 2:
                raise PublishError(
                    f"{show.out_dir}: cannot create the show folder ({exc.strerror or exc})"
                ) from exc
        except OSError as exc:
            raise PublishError(
                f"{show.out_dir}: cannot create the show folder ({exc.strerror or exc})"
            ) from exc
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            work_root.rmdir()


@dataclass(frozen=True)
class EpisodeMeta:
    """What tags and the catalog say about an episode besides its audio: ``source_key``
    (the guid derives from it), title, description (plain text), author (None: the article
    names none, and the show is never credited as its author), link, publication
    date (None: the render time), language and the catalog's ``extra`` fields."""

    source_key: str
    title: str
    description: str
    author: str | None
    link: str | None
    published: datetime | None
    language: str
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderJob:
    """One render a run asks for: ``key`` is the caller's identity for it (a source path, a
    feed item id); ``source`` is what to load (a path, URL or ``-``) or an Article already
    loaded (a feed item's text)."""

    key: str
    source: str | Article


Outcome = tuple[RenderJob, "Rendition | NewsaudioError"]
"""A render's result: the Rendition, or the one-line error that failed it alone."""


@dataclass(frozen=True)
class RenderContext:
    """What every render of one run shares: the show, the run's options, the loaded engines
    and caches (``runtime``, one per process), the checked assets (:func:`check_run`) and
    where progress goes (``progress(done, total)`` in utterances of the render in progress;
    None for none). A digest's render (:func:`~newsaudio.pipeline.digest.render_digest`, and
    each executor's ``render_digest``) and the in-process job loops
    (:func:`~newsaudio.pipeline.render.render_many`) take it whole instead of its parts."""

    show: Show
    options: AddOptions
    runtime: Runtime
    assets: RunAssets
    progress: ProgressCallback | None = None
