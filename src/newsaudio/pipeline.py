"""The pipeline: the only module that runs the stages, in this order::

    load      source (path | '-')            -> Article            loaders/
    clean     Article                        -> Article            text/clean.py
    prepare   Article                        -> Script             text/prepare.py
    speak     Script                         -> Segment stream     tts/speak.py (+ cache)
    assemble  Segment stream                 -> Programme          audio/assemble.py
    master    Programme                      -> EncodedAudio (MP3) audio/master.py
    tag       EncodedAudio                   -> tagged MP3         tags.py
    publish   tagged MP3 + Timeline          -> Episode            publish/ (catalog, feed)

The seam between ``render`` (load .. tag: source in, :class:`Rendition` out, no shared
state) and ``publish_rendition`` (the show's single writer) is what ``update``, digests and
cluster runs build on: render anywhere, publish here, in order.

Checks that can fail fast run before any synthesis: ffmpeg present, voice known and its
model intact, the show folder writable with free disk space, the article readable and
non-empty.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from newsaudio import captions
from newsaudio.audio import jingle
from newsaudio.audio.assemble import GAP_AFTER_INTRO_MS, GAP_BEFORE_OUTRO_MS, assemble
from newsaudio.audio.ffmpeg import check_ffmpeg, decode_file
from newsaudio.audio.master import MasterSettings, StreamingMaster
from newsaudio.audio.rendition import RenditionCache, rendition_key
from newsaudio.config import Show
from newsaudio.cover import thumbnail
from newsaudio.errors import InputError, NewsaudioError, PublishError
from newsaudio.fsutil import check_writable
from newsaudio.interrupts import deferred
from newsaudio.loaders import load
from newsaudio.models import Article, Episode, Script, Segment, Timeline
from newsaudio.publish import ensure_cover, guid_for, publish, slug_for
from newsaudio.tags import TagInfo, write_tags
from newsaudio.text.clean import clean_article
from newsaudio.text.lexicon import Lexicon
from newsaudio.text.prepare import Pauses, prepare
from newsaudio.tts.base import (
    Engine,
    create_engine,
    get_voice,
    shutdown_engines,
    voice_for_language,
)
from newsaudio.tts.cache import SegmentCache
from newsaudio.tts.speak import ProgressCallback, SpeakStats, speak

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


def summary(article: Article, limit: int = SUMMARY_CHARS) -> str:
    """The first paragraphs of ``article``, up to about ``limit`` characters."""
    out = ""
    for block in article.blocks:
        if block.kind != "paragraph":
            continue
        candidate = f"{out} {block.text}".strip()
        if out and len(candidate) > limit:
            break
        out = candidate
        if len(out) >= limit:
            break
    return out or article.title


class Runtime:
    """The run's environment: clock, engines (one per voice, loaded once) and cache."""

    def __init__(
        self, now: Callable[[], datetime] | None = None, cache_dir: Path | None = None
    ) -> None:
        self.now = now or (lambda: datetime.now(UTC))
        self.cache = SegmentCache(cache_dir)
        self._engines: dict[str, Engine] = {}
        self._jingles: dict[str, Segment] = {}

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
        """The default intro or outro (generated once, then served from the segment cache)."""
        if which not in self._jingles:
            key = self.cache.key("jingle/v1", which)
            segment = self.cache.get(key)
            if segment is None:
                segment = jingle.intro() if which == "intro" else jingle.outro()
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


def load_article(source: str) -> Article:
    """Load and clean ``source``. Raises InputError if nothing speakable is left."""
    article = clean_article(load(source))
    if not article.title and not article.blocks:
        raise InputError(article.source, "has no words to read after removing boilerplate")
    if not article.title:
        first = article.blocks[0]
        article = Article(
            **{**article.__dict__, "title": first.text[:120], "blocks": article.blocks[1:]}
        )
    return article


@dataclass(frozen=True)
class Rendition:
    """A rendered episode, not yet published: the tagged MP3 in a work folder, its Timeline
    and sidecars, and the draft catalog row (``bytes`` 0, ``published`` the article's date or
    the render time). Produced by :func:`render` without touching the show; consumed by
    :func:`publish_rendition`, the show's single writer."""

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
    _LOG.info("stage check: the show folder %s is writable", show.out_dir)
    try:
        show.state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(
            f"{show.out_dir}: cannot create the show folder ({exc.strerror or exc})"
        ) from exc
    for folder in (show.out_dir, show.state_dir, show.episodes_dir):
        if folder.is_dir():
            check_writable(folder, show.out_dir)
    try:
        cover = ensure_cover(show)
        cover_jpeg = thumbnail(cover.read_bytes())
    except OSError as exc:
        raise PublishError(
            f"{show.out_dir}: cannot write the show's cover ({exc.strerror or exc})"
        ) from exc
    return RunAssets(user_jingles, bed, cover_jpeg)


@contextlib.contextmanager
def work_folder(show: Show) -> Iterator[Path]:
    """A private work folder for one render under ``<show>/.newsaudio/work/`` (removed after;
    folders of killed runs are cleared). Raises PublishError if it cannot be created."""
    work_root = show.state_dir / "work"
    try:
        work_root.mkdir(parents=True, exist_ok=True)
        _clear_stale_work(work_root)
        work = work_root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        work.mkdir(parents=True)  # parents: a concurrent run may just have removed work_root
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


def render(
    article: Article,
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    assets: RunAssets,
    work: Path,
    progress: ProgressCallback | None = None,
) -> Rendition:
    """Render ``article`` into a tagged MP3 inside ``work``: prepare, speak, assemble, master,
    tag. Reads the segment and rendition caches; never touches the show's catalog, feed or
    published files. Raises VoiceError, SynthesisError, AudioError or PublishError (work
    folder unwritable)."""
    voice_name = voice_for_language(reading_language(article, show), options.voice).name
    speed = options.speed
    engine = runtime.engine(voice_name, speed)
    fallback = runtime.fallback_engine(voice_name, speed)
    stats = SpeakStats()
    pauses = Pauses().scaled(speed)
    script = prepare(article, max_chars=engine.max_chars, lexicon=options.lexicon, pauses=pauses)
    s = options.master
    try:
        jingles = assets.user_jingles
        intro = jingles.get("intro") or runtime.jingle("intro") if options.jingles else None
        outro = jingles.get("outro") or runtime.jingle("outro") if options.jingles else None
        renditions = RenditionCache(runtime.cache)
        key = rendition_key(
            engine.identity(),
            script,
            s,
            [_segment_id(piece) for piece in (intro, outro, assets.bed)],
        )
        cached = renditions.get(key, work / "episode.mp3")
        if cached is not None:
            _LOG.info("stage encode: the whole programme is cached (%s)", key[:12])
            encoded, timeline = cached
            stats.cached = len(script.utterances)
            if progress is not None:
                progress(len(script.utterances), len(script.utterances))
        else:
            _LOG.info("stage synthesis: %d utterances", len(script.utterances))
            with StreamingMaster(s, work / "episode.mp3") as master:
                programme = assemble(
                    speak(script, engine, runtime.cache, progress, fallback=fallback, stats=stats),
                    work / "programme.pcm",
                    rate_hz=s.sample_rate_hz,
                    channels=s.channels,
                    intro=intro,
                    outro=outro,
                    bed=assets.bed,
                    gap_after_intro_ms=round(GAP_AFTER_INTRO_MS / speed),
                    gap_before_outro_ms=round(GAP_BEFORE_OUTRO_MS / speed),
                    sinks=[master.feed],
                )
                _LOG.info("stage encode: %d ms of programme", programme.timeline.duration_ms)
                encoded = master.finish(programme)
            (work / "programme.pcm").unlink()
            timeline = programme.timeline
            if not stats.fallback_chunks:  # a fallback voice's audio is not the recipe's
                renditions.put(key, encoded, timeline)

        guid = guid_for(article.source_key)
        now = runtime.now()
        description = summary(article)
        author = article.byline or show.author
        transcript = captions.to_text(timeline)
        _LOG.info("stage tag: %s", encoded.path.name)
        write_tags(
            encoded.path,
            TagInfo(
                title=article.title,
                artist=author,
                album=show.title,
                date=article.published or now,
                comment=description,
                length_ms=encoded.duration_ms,
                guid=guid,
                url=article.source_url,
                feed_url=show.feed_url,
                transcript=transcript,
                cover_jpeg=assets.cover_jpeg,
                chapters=timeline.chapters,
            ),
        )
    except OSError as exc:  # ENOSPC, EROFS, EIO while writing work files: the show is untouched
        raise PublishError(
            f"{show.out_dir}: cannot write the episode ({exc.strerror or exc})"
        ) from exc
    draft = Episode(
        guid=guid,
        source_key=article.source_key,
        slug=slug_for(article.title, article.language),
        title=article.title,
        description=description,
        published=article.published or now,
        updated=now,
        duration_ms=encoded.duration_ms,
        bytes=0,
        loudness=encoded.loudness,
        voice=voice_name,
        language=article.language,
        author=author,
        link=article.source_url,
        transcript=transcript,
        extra={"published_from": "article" if article.published else "added"},
    )
    sidecars = {
        ".vtt": captions.to_vtt(timeline),
        ".srt": captions.to_srt(timeline),
        ".chapters.json": captions.to_chapters_json(timeline, article.title),
        ".txt": transcript,
    }
    return Rendition(
        mp3_path=encoded.path,
        draft=draft,
        sidecars=sidecars,
        script=script,
        timeline=timeline,
        synthesized=stats.synthesized,
        cached=stats.cached,
        fallback_chunks=tuple(stats.fallback_chunks),
    )


def publish_rendition(show: Show, rendition: Rendition, runtime: Runtime) -> Result:
    """Publish ``rendition`` into the show (catalog, files, feed, page) and return the
    :class:`Result`. The MP3 is moved out of its work folder. Raises PublishError."""
    _LOG.info("stage publish: %s", rendition.draft.slug)
    try:
        with deferred():  # a Ctrl-C now takes effect once the show is consistent again
            episode = publish(
                show, rendition.draft, rendition.mp3_path, rendition.sidecars, runtime.now()
            )
    except OSError as exc:
        raise PublishError(
            f"{show.out_dir}: cannot write the episode ({exc.strerror or exc})"
        ) from exc
    script = rendition.script
    return Result(
        episode,
        show.episodes_dir / episode.file_name,
        show.episode_url(episode.file_name),
        " ".join(u.spoken for u in script.utterances),
        script,
        synthesized=rendition.synthesized,
        cached=rendition.cached,
        fallback_chunks=rendition.fallback_chunks,
        worker=rendition.worker,
    )


def add(
    source: str,
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    progress: ProgressCallback | None = None,
    assets: RunAssets | None = None,
) -> Result:
    """Make and publish one episode from ``source``: :func:`check_run` (unless ``assets`` of
    an earlier check are given), load, :func:`render`, :func:`publish_rendition`. Raises a
    NewsaudioError subclass; the show is untouched on failure."""
    assets = assets or check_run(show, options)
    _LOG.info("stage load: %s", source)
    article = load_article(source)
    with work_folder(show) as work:
        rendition = render(article, show, options, runtime, assets, work, progress)
        return publish_rendition(show, rendition, runtime)


@dataclass(frozen=True)
class RenderJob:
    """One render a run asks for: ``key`` is the caller's identity for it (a source path, a
    feed item id); ``source`` is what to load (a path, URL or ``-``) or an Article already
    loaded (a feed item's text)."""

    key: str
    source: str | Article


Outcome = tuple[RenderJob, "Rendition | NewsaudioError"]
"""A render's result: the Rendition, or the one-line error that failed it alone."""


def render_many(
    jobs: Iterable[RenderJob],
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    assets: RunAssets,
    progress: ProgressCallback | None = None,
) -> Iterator[Outcome]:
    """Render ``jobs`` in order in this process, yielding each outcome as it completes.

    Each Rendition's work folder lives until the consumer asks for the next outcome, so
    publish it (:func:`publish_rendition`) before iterating on. A job that fails yields its
    NewsaudioError and the others go on. This is the in-process executor; other executors
    (a local pool, a Dask cluster) yield the same outcomes.
    """
    for job in jobs:
        try:
            article = load_article(job.source) if isinstance(job.source, str) else job.source
            with work_folder(show) as work:
                rendition = render(article, show, options, runtime, assets, work, progress)
                yield job, rendition
        except NewsaudioError as exc:
            yield job, exc
