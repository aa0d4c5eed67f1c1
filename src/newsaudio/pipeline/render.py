"""One article, source to published episode::

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
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from newsaudio import captions
from newsaudio.audio.assemble import (
    GAP_AFTER_INTRO_MS,
    GAP_AFTER_STING_MS,
    GAP_BEFORE_OUTRO_MS,
    TRANSITION_PAUSE_MS,
    assemble,
)
from newsaudio.audio.master import StreamingMaster
from newsaudio.audio.rendition import RenditionCache, rendition_key
from newsaudio.errors import InputError, NewsaudioError, PublishError
from newsaudio.interrupts import deferred
from newsaudio.loaders import load
from newsaudio.models import Article, Episode, Script
from newsaudio.pipeline.context import (
    SUMMARY_CHARS,
    AddOptions,
    EpisodeMeta,
    Outcome,
    RenderContext,
    RenderJob,
    Rendition,
    Result,
    RunAssets,
    Runtime,
    _segment_id,
    check_run,
    reading_language,
    work_folder,
)
from newsaudio.publish import guid_for, publish, slug_for
from newsaudio.show import Show
from newsaudio.sources.identity import canonical_link
from newsaudio.tags import TagInfo, write_tags
from newsaudio.text.clean import clean_article
from newsaudio.text.prepare import Pauses, prepare
from newsaudio.tts.base import (
    voice_for_language,
)
from newsaudio.tts.speak import ProgressCallback, SpeakStats, speak

_LOG = logging.getLogger(__name__)


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
        author=article.byline,  # never the show's: "Published ... by <show>" credits no one
        link=canonical_link(article.source_url) if article.source_url else None,
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
    voices: Mapping[str, str] | None = None,
) -> Rendition:
    """The body every render shares (one article or a digest): speak ``script`` with
    ``voice_name`` through the segment cache, assemble (with a transition ``sting`` before
    marked chapters when jingles are on), master, tag (``chapter_images``: JPEG bytes by
    chapter image URL) and write the sidecars, all inside ``work``; the whole programme is
    reused from the rendition cache when nothing changed. ``voices``: voice names by BCP 47
    tag for the utterances in another language (:attr:`Utterance.language`, a digest's
    story); the others are read by ``voice_name``. Raises VoiceError, SynthesisError,
    AudioError or PublishError."""
    speed = options.speed
    engine = runtime.engine(voice_name, speed)
    engines = {tag: runtime.engine(name, speed) for tag, name in (voices or {}).items()}
    fallback = runtime.fallback_engine(voice_name, speed)
    stats = stats if stats is not None else SpeakStats()
    s = options.master
    try:
        jingles = assets.user_jingles
        intro = jingles.get("intro") or runtime.jingle("intro") if options.jingles else None
        outro = jingles.get("outro") or runtime.jingle("outro") if options.jingles else None
        between = runtime.jingle("sting") if sting and options.jingles else None
        renditions = RenditionCache(runtime.cache)
        identity = engine.identity() + "".join(
            f"\x00{tag}={engines[tag].identity()}" for tag in sorted(engines)
        )
        key = rendition_key(
            identity,
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
                    speak(
                        script,
                        engine,
                        runtime.cache,
                        progress,
                        fallback=fallback,
                        stats=stats,
                        engines=engines,
                    ),
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
                artist=meta.author or show.author,
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


def render_job(
    job: RenderJob, context: RenderContext, stack: contextlib.ExitStack
) -> Rendition | NewsaudioError:
    """Load (when ``job.source`` is a path or URL) and :func:`render` one job in a work folder
    entered on ``stack``: the folder lives until the caller closes the stack (after
    publishing). A bad article returns its NewsaudioError instead of raising it."""
    if isinstance(job.source, str):
        _LOG.info("stage load: %s", job.source)
    try:
        article = (
            load_article(job.source, force=context.options.force)
            if isinstance(job.source, str)
            else job.source
        )
        work = stack.enter_context(work_folder(context.show))
        c = context
        return render(article, c.show, c.options, c.runtime, c.assets, work, c.progress)
    except NewsaudioError as exc:
        return exc


def render_many(jobs: Iterable[RenderJob], context: RenderContext) -> Iterator[Outcome]:
    """Render ``jobs`` in order in this process, one after another, yielding each outcome as
    it completes.

    Each Rendition's work folder lives until the consumer asks for the next outcome, so
    publish it (:func:`publish_rendition`) before iterating on. A job that fails yields its
    NewsaudioError and the others go on. :mod:`newsaudio.executors.local` overlaps several
    renders; other executors (a Dask cluster) yield the same outcomes.
    """
    for job in jobs:
        with contextlib.ExitStack() as stack:
            yield job, render_job(job, context, stack)
