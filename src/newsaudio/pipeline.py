"""The pipeline: the only module that runs the stages, in this order::

    load      source (path | '-')            -> Article            loaders/
    clean     Article                        -> Article            text/clean.py
    prepare   Article                        -> Script             text/prepare.py
    speak     Script                         -> Segment stream     tts/speak.py (+ cache)
    assemble  Segment stream                 -> Programme          audio/assemble.py
    master    Programme                      -> EncodedAudio (MP3) audio/master.py
    tag       EncodedAudio                   -> tagged MP3         tags.py
    publish   tagged MP3 + Timeline          -> Episode            publish/ (catalog, feed)

A digest (:func:`digest`) loads several sources, composes their Articles into one Script
(:mod:`newsaudio.digest`, a chapter per story) and renders it with the same
:func:`render_script` as a single article.

The seam between ``render`` (load .. tag: source in, :class:`Rendition` out, no shared
state) and ``publish_rendition`` (the show's single writer) is what ``update``, digests and
cluster runs build on: render anywhere, publish here, in order.

Checks that can fail fast run before any synthesis: ffmpeg present, voice known and its
model intact, the show folder writable with free disk space, the article readable and
non-empty.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsaudio import captions
from newsaudio.audio import jingle
from newsaudio.audio.assemble import (
    GAP_AFTER_INTRO_MS,
    GAP_AFTER_STING_MS,
    GAP_BEFORE_OUTRO_MS,
    TRANSITION_PAUSE_MS,
    assemble,
    trim,
)
from newsaudio.audio.ffmpeg import check_ffmpeg, decode_file
from newsaudio.audio.master import MasterSettings, StreamingMaster
from newsaudio.audio.rendition import RenditionCache, rendition_key
from newsaudio.config import Show
from newsaudio.cover import thumbnail
from newsaudio.errors import InputError, NewsaudioError, PublishError, plain_reason
from newsaudio.fsutil import atomic_write_bytes, check_show_folder
from newsaudio.interrupts import deferred
from newsaudio.loaders import load
from newsaudio.models import Article, Chapter, Episode, Script, Segment, Timeline, Utterance
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

if TYPE_CHECKING:
    from newsaudio.digest import Composed

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


_ENDS_LIKE_A_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def load_article(source: str, *, force: bool = False) -> Article:
    """Load and clean ``source``.

    Raises InputError if the page is a login wall or paywall (unless ``force``), or if
    the source holds nothing but a headline (a lone line that ends like a sentence is a
    one-sentence article, and is read; a body that cleaning empties leaves the headline read).
    """
    article = load(source)
    if article.wall and not force:
        raise InputError(
            article.source, f"{article.wall}; not read (use --force to read it anyway)"
        )
    headline_only = (
        bool(article.title)
        and not article.blocks
        and not _ENDS_LIKE_A_SENTENCE.search(article.title)
    )
    article = clean_article(article)  # first: its "no words" (one unreadable word) is sharper
    if headline_only:
        raise InputError(article.source, "has no article text to read, only a headline")
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


@dataclass(frozen=True)
class EpisodeMeta:
    """What tags and the catalog say about an episode besides its audio: ``source_key``
    (the guid derives from it), title, description (plain text), author, link, publication
    date (None: the render time), language and the catalog's ``extra`` fields."""

    source_key: str
    title: str
    description: str
    author: str
    link: str | None
    published: datetime | None
    language: str
    extra: dict[str, str] = field(default_factory=dict)


def render(
    article: Article,
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    assets: RunAssets,
    work: Path,
    progress: ProgressCallback | None = None,
) -> Rendition:
    """Render ``article`` into a tagged MP3 inside ``work``: prepare, then
    :func:`render_script` (speak, assemble, master, tag). Reads the segment and rendition
    caches; never touches the show's catalog, feed or published files. Raises VoiceError,
    SynthesisError, AudioError or PublishError (work folder unwritable)."""
    voice_name = voice_for_language(reading_language(article, show), options.voice).name
    engine = runtime.engine(voice_name, options.speed)
    pauses = Pauses().scaled(options.speed)
    script = prepare(article, max_chars=engine.max_chars, lexicon=options.lexicon, pauses=pauses)
    meta = EpisodeMeta(
        source_key=article.source_key,
        title=article.title,
        description=summary(article),
        author=article.byline or show.author,
        link=article.source_url,
        published=article.published,
        language=article.language,
        extra={"article_date": article.published.isoformat()} if article.published else {},
    )
    return render_script(script, meta, voice_name, show, options, runtime, assets, work, progress)


def render_script(
    script: Script,
    meta: EpisodeMeta,
    voice_name: str,
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    assets: RunAssets,
    work: Path,
    progress: ProgressCallback | None = None,
    *,
    sting: bool = False,
    chapter_images: Mapping[str, bytes] | None = None,
    stats: SpeakStats | None = None,
) -> Rendition:
    """The body every render shares (one article or a digest): speak ``script`` with
    ``voice_name`` through the segment cache, assemble (with a transition ``sting`` before
    marked chapters when jingles are on), master, tag (``chapter_images``: JPEG bytes by
    chapter image URL) and write the sidecars, all inside ``work``; the whole programme is
    reused from the rendition cache when nothing changed. Raises VoiceError,
    SynthesisError, AudioError or PublishError."""
    speed = options.speed
    engine = runtime.engine(voice_name, speed)
    fallback = runtime.fallback_engine(voice_name, speed)
    stats = stats if stats is not None else SpeakStats()
    s = options.master
    try:
        jingles = assets.user_jingles
        intro = jingles.get("intro") or runtime.jingle("intro") if options.jingles else None
        outro = jingles.get("outro") or runtime.jingle("outro") if options.jingles else None
        between = runtime.jingle("sting") if sting and options.jingles else None
        renditions = RenditionCache(runtime.cache)
        key = rendition_key(
            engine.identity(),
            script,
            s,
            [_segment_id(piece) for piece in (intro, outro, assets.bed)]
            + ([_segment_id(between)] if between is not None else []),
        )
        cached = renditions.get(key, work / "episode.mp3")
        if cached is not None:
            _LOG.info("stage encode: the whole programme is cached (%s)", key[:12])
            encoded, timeline = cached
            stats.cached += len(script.utterances)
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
                    gap_after_sting_ms=round(GAP_AFTER_STING_MS / speed),
                    transition_pause_ms=round(TRANSITION_PAUSE_MS / speed),
                    sting=between,
                    sinks=[master.feed],
                )
                _LOG.info("stage encode: %d ms of programme", programme.timeline.duration_ms)
                encoded = master.finish(programme)
            (work / "programme.pcm").unlink()
            timeline = programme.timeline
            if not stats.fallback_chunks:  # a fallback voice's audio is not the recipe's
                renditions.put(key, encoded, timeline)

        guid = guid_for(meta.source_key)
        now = runtime.now()
        transcript = captions.to_text(timeline)
        _LOG.info("stage tag: %s", encoded.path.name)
        write_tags(
            encoded.path,
            TagInfo(
                title=meta.title,
                artist=meta.author,
                album=show.title,
                date=meta.published or now,
                comment=meta.description,
                length_ms=encoded.duration_ms,
                guid=guid,
                url=meta.link,
                feed_url=show.feed_url,
                transcript=transcript,
                cover_jpeg=assets.cover_jpeg,
                chapters=timeline.chapters,
                chapter_images=chapter_images or {},
            ),
        )
    except OSError as exc:  # ENOSPC, EROFS, EIO while writing work files: the show is untouched
        raise PublishError(
            f"{show.out_dir}: cannot write the episode ({exc.strerror or exc})"
        ) from exc
    draft = Episode(
        guid=guid,
        source_key=meta.source_key,
        slug=slug_for(meta.title, meta.language),
        title=meta.title,
        description=meta.description,
        published=now,  # the moment it enters the feed: publish() keeps a re-render's
        updated=now,
        duration_ms=encoded.duration_ms,
        bytes=0,
        loudness=encoded.loudness,
        voice=voice_name,
        language=meta.language,
        author=meta.author,
        link=meta.link,
        transcript=transcript,
        extra=dict(meta.extra),
    )
    sidecars = {
        ".vtt": captions.to_vtt(timeline),
        ".srt": captions.to_srt(timeline),
        ".chapters.json": captions.to_chapters_json(timeline, meta.title),
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
            episode, removed = publish(
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
        removed=tuple(removed),
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
    article = load_article(source, force=options.force)
    with work_folder(show) as work:
        rendition = render(article, show, options, runtime, assets, work, progress)
        return publish_rendition(show, rendition, runtime)


@dataclass(frozen=True)
class DigestRendition:
    """A rendered digest: the :class:`Rendition` and the stories it holds or left out
    (``left_out``: dropped from the end by the time budget; ``over_budget``: the first
    story alone is longer than the budget and was kept whole). Rendered on a cluster, a
    digest also says which worker spoke each story (``workers``, in story order) and which
    stories failed there alone and were left out (``failed``: article and one-line error)."""

    rendition: Rendition
    stories: tuple[Article, ...]
    left_out: tuple[Article, ...]
    over_budget: bool = False
    workers: tuple[str, ...] = ()
    failed: tuple[tuple[Article, NewsaudioError], ...] = ()


def _sound_ms(utterances: Iterable[tuple[Utterance, Segment]]) -> int:
    """Programme time of ``utterances``: each segment's sound (trimmed as assembly trims it)
    plus its pause, in ms."""
    total = 0.0
    for utterance, segment in utterances:
        cut = trim(segment.samples, segment.sample_rate_hz)
        total += 1000 * (cut.end - cut.onset) / segment.sample_rate_hz + utterance.pause_after_ms
    return round(total)


def _chapter_images(articles: Iterable[Article]) -> dict[str, bytes]:
    """JPEG bytes of each article's image, by its URL; an image that cannot be fetched or
    read is logged and left out (a chapter without its image is still a chapter)."""
    from newsaudio.cover import chapter_image
    from newsaudio.loaders.url import fetch_image

    images: dict[str, bytes] = {}
    for article in articles:
        url = article.image_url
        if not url or url in images:
            continue
        try:
            images[url] = chapter_image(fetch_image(url))
        except (NewsaudioError, OSError, ValueError) as exc:
            _LOG.warning("%s: chapter image left out (%s)", url, plain_reason(exc))
    return images


def render_digest(
    articles: Sequence[Article],
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    assets: RunAssets,
    work: Path,
    progress: ProgressCallback | None = None,
    *,
    title: str | None = None,
    max_minutes: float | None = None,
) -> DigestRendition:
    """Render one digest episode of ``articles`` (at least one, in order, duplicates
    already removed) inside ``work``: compose (:mod:`newsaudio.digest`), then the same
    :func:`render_script` as a single article, with a transition sting before each story.

    ``title`` defaults to the show's title and today's date (the show's time zone).
    ``max_minutes``: whole stories are dropped from the end until the programme fits; story
    lengths are measured from their segments (synthesized through the cache, so the work is
    not lost), in order and only as far as needed. Raises ValueError for no articles, and
    what :func:`render_script` raises.
    """
    from zoneinfo import ZoneInfo

    from newsaudio.digest import compose, digest_key, fit
    from newsaudio.text import wording

    if not articles:
        raise ValueError("a digest needs at least one article")
    day = runtime.now().astimezone(ZoneInfo(show.timezone)).date()
    title = title or wording.default_title(show.title, day)
    voice_name = voice_for_language(reading_language(articles[0], show), options.voice).name
    engine = runtime.engine(voice_name, options.speed)
    fallback = runtime.fallback_engine(voice_name, options.speed)

    def composed(chosen: Sequence[Article]) -> Composed:
        return compose(
            chosen,
            title=title,
            show_title=show.title,
            day=day,
            source_key=digest_key(show.title, title, day, chosen),
            max_chars=engine.max_chars,
            lexicon=options.lexicon,
            pauses=Pauses().scaled(options.speed),
        )

    kept = list(articles)
    measured_synthesized = 0
    kept_synthesized = 0
    over_budget = False
    if max_minutes is not None and len(articles) > 1:
        whole = composed(articles)
        bounds = (*whole.stories, len(whole.script.utterances))
        story_synth: dict[int, int] = {}
        opening_synth: dict[int, int] = {}

        def measure(utterances: Sequence[Utterance]) -> tuple[int, int]:
            part = Script(whole.script.article, tuple(utterances))
            stats = SpeakStats()
            ms = _sound_ms(speak(part, engine, runtime.cache, fallback=fallback, stats=stats))
            return ms, stats.synthesized

        story_len: dict[int, int] = {}
        opening_len: dict[int, int] = {}

        def story_ms(i: int) -> int:
            if i not in story_len:
                ms, story_synth[i] = measure(whole.script.utterances[bounds[i + 1] : bounds[i + 2]])
                story_len[i] = ms + transition_ms
            return story_len[i]

        def opening_ms(k: int) -> int:
            if k not in opening_len:
                some = composed(articles[:k])
                opening_len[k], opening_synth[k] = measure(
                    some.script.utterances[: some.stories[1]]
                )
            return opening_len[k]

        speed = options.speed
        if options.jingles:  # the jingles, their gaps and a sting before each story
            intro = assets.user_jingles.get("intro") or runtime.jingle("intro")
            outro = assets.user_jingles.get("outro") or runtime.jingle("outro")
            fixed_ms = round(
                intro.duration_ms + outro.duration_ms
                + (GAP_AFTER_INTRO_MS + GAP_BEFORE_OUTRO_MS) / speed
            )  # fmt: skip
            transition_ms = round(runtime.jingle("sting").duration_ms + GAP_AFTER_STING_MS / speed)
        else:
            fixed_ms = round(GAP_BEFORE_OUTRO_MS / speed)
            transition_ms = round(TRANSITION_PAUSE_MS / speed)
        budget_ms = round(max_minutes * 60_000)
        k = fit(len(articles), story_ms, opening_ms, fixed_ms, budget_ms)
        kept = list(articles[:k])
        over_budget = k == 1 and fixed_ms + opening_ms(1) + story_ms(0) > budget_ms
        measured_synthesized = sum(story_synth.values()) + sum(opening_synth.values())
        kept_synthesized = sum(story_synth.get(i, 0) for i in range(k)) + opening_synth.get(k, 0)
        _LOG.info("stage fit: %d of %d stories within %g minutes", k, len(articles), max_minutes)

    final = composed(kept)
    text, markup = wording.description(
        [wording.Listed(a.title, a.source_url, a.site_name) for a in kept]
    )
    meta = EpisodeMeta(
        source_key=final.script.article.source_key,
        title=title,
        description=text,
        author=show.author,
        link=None,
        published=None,
        language=final.script.article.language,
        extra={
            "published_from": "added",
            "kind": "digest",
            "stories": str(len(kept)),
            "description_html": markup,
        },
    )
    stats = SpeakStats()
    rendition = render_script(
        final.script,
        meta,
        voice_name,
        show,
        options,
        runtime,
        assets,
        work,
        progress,
        sting=True,
        chapter_images=_chapter_images(kept),
        stats=stats,
    )
    if measured_synthesized:  # chunks synthesized while measuring count as synthesized
        rendition = dataclasses.replace(
            rendition,
            synthesized=rendition.synthesized + measured_synthesized,
            cached=max(0, rendition.cached - kept_synthesized),
        )
    return DigestRendition(rendition, tuple(kept), tuple(articles[len(kept) :]), over_budget)


@dataclass(frozen=True)
class DigestResult:
    """What ``digest`` produced: the published episode (:class:`Result`), its chapters, the
    stories read, those left out by the time budget, duplicates read once
    (``(duplicate, first)``) and the sources that failed (``(source, error)``: those that
    could not be loaded, then stories that failed alone on a cluster, also listed with their
    Article in ``failed_stories``). ``workers``: on a cluster, the worker that spoke each
    story, in story order (empty otherwise)."""

    result: Result
    chapters: tuple[Chapter, ...]
    stories: tuple[Article, ...]
    left_out: tuple[Article, ...] = ()
    over_budget: bool = False
    duplicates: tuple[tuple[Article, Article], ...] = ()
    failed: tuple[tuple[str, NewsaudioError], ...] = ()
    workers: tuple[str, ...] = ()
    failed_stories: tuple[tuple[Article, NewsaudioError], ...] = ()


def digest(
    sources: Sequence[str | Article],
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    *,
    title: str | None = None,
    max_minutes: float | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
    assets: RunAssets | None = None,
    render: Callable[..., DigestRendition] | None = None,
) -> DigestResult:
    """Make and publish one digest episode from ``sources`` (paths, URLs, ``-`` or Articles
    already loaded), in order: :func:`check_run`, load each, drop duplicates,
    :func:`render_digest`, :func:`publish_rendition`.

    A source that fails to load is left out and listed in ``failed``; with ``strict`` its
    error is raised instead. Raises InputError when no source is usable (nothing is
    published), and what :func:`render_digest` and :func:`publish_rendition` raise.
    ``render`` replaces :func:`render_digest` (same arguments; a cluster executor's
    ``render_digest`` speaks the stories on its workers, and a story that fails there is
    left out like a source that cannot be loaded, or raised with ``strict``).
    """
    from newsaudio.digest import dedupe

    assets = assets or check_run(show, options)
    loaded: list[Article] = []
    failed: list[tuple[str, NewsaudioError]] = []
    for source in sources:
        if isinstance(source, Article):
            loaded.append(source)
            continue
        _LOG.info("stage load: %s", source)
        try:
            loaded.append(load_article(source))
        except NewsaudioError as exc:
            if strict:
                raise
            failed.append((source, exc))
    if not loaded:
        reasons = "; ".join(str(exc) for _, exc in failed)
        raise InputError("digest", f"no usable source ({reasons})")
    articles, duplicates = dedupe(loaded)
    with work_folder(show) as work:
        made = (render or render_digest)(
            articles,
            show,
            options,
            runtime,
            assets,
            work,
            progress,
            title=title,
            max_minutes=max_minutes,
        )
        if strict and made.failed:
            raise made.failed[0][1]
        result = publish_rendition(show, made.rendition, runtime)
    return DigestResult(
        result,
        made.rendition.timeline.chapters,
        made.stories,
        made.left_out,
        made.over_budget,
        tuple(duplicates),
        (*failed, *((story.source, exc) for story, exc in made.failed)),
        made.workers,
        made.failed,
    )


@dataclass(frozen=True)
class RenderJob:
    """One render a run asks for: ``key`` is the caller's identity for it (a source path, a
    feed item id); ``source`` is what to load (a path, URL or ``-``) or an Article already
    loaded (a feed item's text)."""

    key: str
    source: str | Article


Outcome = tuple[RenderJob, "Rendition | NewsaudioError"]
"""A render's result: the Rendition, or the one-line error that failed it alone."""


def render_job(
    job: RenderJob,
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    assets: RunAssets,
    stack: contextlib.ExitStack,
    progress: ProgressCallback | None = None,
) -> Rendition | NewsaudioError:
    """Load (when ``job.source`` is a path or URL) and :func:`render` one job in a work folder
    entered on ``stack``: the folder lives until the caller closes the stack (after
    publishing). A bad article returns its NewsaudioError instead of raising it."""
    if isinstance(job.source, str):
        _LOG.info("stage load: %s", job.source)
    try:
        article = (
            load_article(job.source, force=options.force)
            if isinstance(job.source, str)
            else job.source
        )
        work = stack.enter_context(work_folder(show))
        return render(article, show, options, runtime, assets, work, progress)
    except NewsaudioError as exc:
        return exc


def render_many(
    jobs: Iterable[RenderJob],
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    assets: RunAssets,
    progress: ProgressCallback | None = None,
) -> Iterator[Outcome]:
    """Render ``jobs`` in order in this process, one after another, yielding each outcome as
    it completes.

    Each Rendition's work folder lives until the consumer asks for the next outcome, so
    publish it (:func:`publish_rendition`) before iterating on. A job that fails yields its
    NewsaudioError and the others go on. :mod:`newsaudio.executors.local` overlaps several
    renders; other executors (a Dask cluster) yield the same outcomes.
    """
    for job in jobs:
        with contextlib.ExitStack() as stack:
            yield job, render_job(job, show, options, runtime, assets, stack, progress)
