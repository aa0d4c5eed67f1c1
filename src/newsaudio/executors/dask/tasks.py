"""The worker side of the Dask executor: the tasks a Dask worker runs and what they return
(see :mod:`newsaudio.executors.dask` for the flow). Picklable plain dataclasses only."""

from __future__ import annotations

import copy
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsaudio.errors import ExitStatus, NewsaudioError
from newsaudio.models import Script
from newsaudio.pipeline.compose import story_lines
from newsaudio.pipeline.context import (
    RenderContext,
    Runtime,
    _clear_stale_work,
    reading_language,
    story_voices,
)
from newsaudio.pipeline.digest import render_digest
from newsaudio.pipeline.render import render
from newsaudio.text.prepare import Pauses
from newsaudio.tts.base import voice_for_language
from newsaudio.tts.cache import SegmentCache
from newsaudio.tts.speak import SpeakStats, speak
from newsaudio.tts.voices import primary_language

if TYPE_CHECKING:
    from newsaudio.models import Article, Segment
    from newsaudio.pipeline.context import AddOptions, Rendition, RunAssets, Runtime
    from newsaudio.pipeline.digest import DigestRendition
    from newsaudio.show import Show

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedEpisode:
    """What a worker sends back for one article: the Rendition (its ``mp3_path`` a bare file
    name, meaningless here), the tagged MP3 (bytes), and the worker's address."""

    rendition: Rendition
    mp3: bytes
    worker: str


@dataclass(frozen=True)
class RenderFailure:
    """A NewsaudioError raised on a worker, as plain values (some error classes cannot be
    pickled back as themselves): class name, one-line message, exit status, worker."""

    kind: str
    message: str
    exit_status: int
    worker: str

    def error(self) -> NewsaudioError:
        """The error to report here: the original class when known, with its message."""
        from newsaudio import errors

        cls = getattr(errors, self.kind, None)
        if not (isinstance(cls, type) and issubclass(cls, NewsaudioError)):
            cls = NewsaudioError
        message = self.message
        if self.kind == "VoiceError":  # workers find voices on their own machine
            message += (
                f" (on worker {self.worker}: voices are looked up in voices/ of the folder the "
                "worker was started in, and among those shipped with newsaudio)"
            )
        exc = cls.__new__(cls)
        NewsaudioError.__init__(exc, message)
        if exc.exit_status != self.exit_status:  # a subclass unknown here: keep its code
            exc.exit_status = ExitStatus(self.exit_status)
        return exc


_RUNTIMES: dict[str, Runtime] = {}
"""One Runtime per worker process and cache folder: engines (voices) load once per process."""


def _worker_address() -> str:
    from distributed import get_worker

    try:
        return str(get_worker().address)
    except ValueError:  # not on a worker (called directly, in tests of this module)
        return f"pid:{os.getpid()}"


def _on_worker(options: AddOptions, make: Callable[[Runtime, Path], Any]) -> Any:
    """Run ``make(runtime, work)`` on this worker with its per-process Runtime and a private
    temporary work folder (removed after). A NewsaudioError comes back as a
    :class:`RenderFailure`; other exceptions (bugs) propagate to the client."""

    os.environ.setdefault("NEWSAUDIO_PIPER_WORKERS", "1")
    os.environ.setdefault("NEWSAUDIO_PIPER_THREADS", "1")
    worker = _worker_address()
    cache_key = str(options.cache_dir or "")
    runtime = _RUNTIMES.get(cache_key)
    if runtime is None:
        runtime = _RUNTIMES[cache_key] = Runtime(cache_dir=options.cache_dir)
    work_root = Path(tempfile.gettempdir()) / "newsaudio-work"
    work = work_root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        try:
            work_root.mkdir(parents=True, exist_ok=True)
            _clear_stale_work(work_root)  # folders of killed worker processes
            work.mkdir()
        except OSError as exc:
            from newsaudio.errors import AudioError

            raise AudioError(
                f"{work_root}: cannot create a work folder on worker {worker} "
                f"({exc.strerror or exc})"
            ) from exc
        return make(runtime, work)
    except NewsaudioError as exc:
        return RenderFailure(type(exc).__name__, str(exc), int(exc.exit_status), worker)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _shipped(rendition: Rendition) -> tuple[Rendition, bytes, str]:
    """``rendition`` ready to travel: its MP3 as bytes, its path a bare name, the worker."""
    worker = _worker_address()
    mp3 = rendition.mp3_path.read_bytes()
    return replace(rendition, mp3_path=Path(rendition.mp3_path.name), worker=worker), mp3, worker


def render_task(
    article: Article, show: Show, options: AddOptions, assets: RunAssets
) -> RenderedEpisode | RenderFailure:
    """Render ``article`` on this worker (the Dask task of one article). Never raises a
    NewsaudioError: it comes back as a :class:`RenderFailure`."""

    def make(runtime: Runtime, work: Path) -> RenderedEpisode:
        return RenderedEpisode(*_shipped(render(article, show, options, runtime, assets, work)))

    result: RenderedEpisode | RenderFailure = _on_worker(options, make)
    return result


@dataclass(frozen=True)
class SpokenStory:
    """What a worker sends back for one story of a digest: its utterances' ``segments`` as
    the digest's voice spoke them, by segment cache key (:meth:`SegmentCache.key` of the
    engine ``identity`` and the spoken text; a chunk the fallback voice spoke is left out, so
    the assembly speaks it again as a local digest would); ``synthesized``: chunks synthesized
    now (their keys in ``fresh``), the others came from the worker's cache; the worker."""

    segments: dict[str, Segment]
    identity: str
    synthesized: int
    fresh: frozenset[str]
    worker: str


def story_task(
    article: Article, index: int, language: str, show: Show, options: AddOptions
) -> SpokenStory | RenderFailure:
    """Speak story ``index`` of a digest in ``language`` (its first story's) on this worker:
    the attribution line and the article's utterances exactly as
    :func:`newsaudio.digest.compose` places them (:func:`newsaudio.digest.story_lines`),
    through this worker's segment cache. Never raises a NewsaudioError: it comes back as a
    :class:`RenderFailure`."""

    def make(runtime: Runtime, work: Path) -> SpokenStory:
        if primary_language(article.language) != primary_language(language):
            # a story in another language is read by a voice of its own (as render_digest)
            voice_name = story_voices(
                [replace(article, language=language), article], show, options.voice
            )[article.language]
        else:
            lead = replace(article, language=language)  # the digest's voice: its first story's
            voice_name = voice_for_language(reading_language(lead, show), options.voice).name
        engine = runtime.engine(voice_name, options.speed)
        fallback = runtime.fallback_engine(voice_name, options.speed)
        _, lines = story_lines(
            article,
            index,
            language=language,
            max_chars=engine.max_chars,
            lexicon=options.lexicon,
            pauses=Pauses().scaled(options.speed),
        )
        identity = engine.identity()
        keys = [SegmentCache.key(identity, u.spoken) for u in lines]
        had = {k for k in keys if runtime.cache.path(k).is_file()}
        stats = SpeakStats()
        script = Script(article, lines)
        spoken = speak(script, engine, runtime.cache, fallback=fallback, stats=stats)
        segments = {
            key: segment
            for n, (key, (_, segment)) in enumerate(zip(keys, spoken, strict=True), start=1)
            if n not in stats.fallback_chunks
        }
        fresh = frozenset(k for k in segments if k not in had)
        return SpokenStory(segments, identity, stats.synthesized, fresh, _worker_address())

    result: SpokenStory | RenderFailure = _on_worker(options, make)
    return result


def story_outcome(story: SpokenStory | RenderFailure) -> RenderFailure | str:
    """A story's outcome without its segments (a task beside the story's result, so only
    this small value travels to the client): the failure, or the worker that spoke it."""
    return story if isinstance(story, RenderFailure) else story.worker


class SpokenSegments(SegmentCache):
    """A segment cache that serves segments already spoken (a digest's stories, spoken on
    other workers) before those in ``base``'s folder; everything else is ``base``'s."""

    def __init__(self, base: SegmentCache, ready: dict[str, Segment]) -> None:
        super().__init__(base.root.parent, base.max_bytes)
        self._ready = ready

    def get(self, key: str) -> Segment | None:
        """The spoken segment for ``key``, else the cached one, else None."""
        segment = self._ready.get(key)
        if segment is not None:
            self.hits += 1
            return segment
        return super().get(key)


@dataclass(frozen=True)
class RenderedDigest:
    """What a worker sends back for a digest: the DigestRendition (its MP3 path a bare
    name; its stories the first ``len(made.stories)`` of those sent), the tagged MP3
    (bytes), the worker's address, and the worker that spoke each story sent."""

    made: DigestRendition
    mp3: bytes
    worker: str
    story_workers: tuple[str, ...] = ()


def digest_task(
    articles: list[Article],
    stories: list[SpokenStory | RenderFailure],
    show: Show,
    options: AddOptions,
    assets: RunAssets,
    title: str | None,
    max_minutes: float | None,
) -> RenderedDigest | RenderFailure:
    """Assemble, master and tag the digest of ``articles`` on this worker, from their
    ``stories`` spoken by :func:`story_task` (Dask passes their results here): the local
    :func:`newsaudio.pipeline.digest.render_digest`, whose speaking finds the stories' segments
    ready and speaks only what is missing (the opening line, an attribution whose wording
    changed because a story before it failed). ``synthesized`` counts every chunk spoken
    for the digest, on any worker. Never raises a NewsaudioError."""

    spoken = [story for story in stories if isinstance(story, SpokenStory)]  # all, normally

    def make(runtime: Runtime, work: Path) -> RenderedDigest:
        ready = {key: seg for story in spoken for key, seg in story.segments.items()}
        here = copy.copy(runtime)  # the same engines, with the stories' segments served first
        here.cache = SpokenSegments(runtime.cache, ready)
        context = RenderContext(show, options, here, assets)
        made = render_digest(articles, context, work, title=title, max_minutes=max_minutes)
        fresh = frozenset().union(*(story.fresh for story in spoken))
        identities = {story.identity for story in spoken}
        fresh_in_digest = sum(
            1
            for u in made.rendition.script.utterances
            if any(SegmentCache.key(identity, u.spoken) in fresh for identity in identities)
        )
        counted = replace(
            made.rendition,
            synthesized=made.rendition.synthesized + sum(s.synthesized for s in spoken),
            cached=max(0, made.rendition.cached - fresh_in_digest),
        )
        rendition, mp3, worker = _shipped(counted)
        return RenderedDigest(
            replace(made, rendition=rendition), mp3, worker, tuple(s.worker for s in spoken)
        )

    result: RenderedDigest | RenderFailure = _on_worker(options, make)
    return result
