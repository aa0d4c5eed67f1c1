"""The Dask executor: one Dask task per article, on a cluster; results published here.

``--cluster ADDRESS`` picks it: ``tcp://host:8786`` (or ``tls://``, ``ws://``...) connects to a
running ``dask scheduler``; ``local:N`` starts a ``distributed.LocalCluster`` of N worker
processes (one thread each) for the run and stops it afterwards.

Flow of one run::

    this process                               Dask worker (any machine)
    load source -> Article ──submit──▶ render_task: render() into a private temp folder
                                               -> RenderedEpisode (MP3 bytes, Timeline, draft)
    as_completed ◀──────────────────── result
    MP3 bytes -> work folder -> Rendition -> yielded to the single publisher

A digest (:meth:`DaskExecutor.render_digest`) is one task per story, then one more::

    this process                               Dask workers
    Articles ──submit──▶ story_task (one per story, in parallel): the story's attribution line
                           and sentences spoken -> SpokenStory (segments by cache key), kept
                           on its worker
    wait; a story that failed is left out
            ──submit──▶ digest_task (on the worker holding most of the stories' segments):
                           the local render_digest with those segments served first (compose,
                           fit, assemble, master, tag) -> RenderedDigest (MP3 bytes, Timeline)
    result ◀──────────────────────────────────
    MP3 bytes -> work folder -> DigestRendition -> published here

The assembly is the same code as without a cluster, fed the same segments, so the digest has
the same audio and chapters. It runs on a worker rather than here: assembling, mastering and
tagging cost 0.73 CPU-s per audio minute (measured from cached segments; a whole render
5.4-6.0, mostly Piper's synthesis), which would all land on this process, the show's single
publisher, whose own cost per episode is tens of CPU-ms; the stories' PCM (2.6 MB per audio
minute at 22.05 kHz) never travels here, only the MP3 (0.72 MB per minute at 96 kbps); and
this process needs no voice loaded for the opening line.

Sources are loaded here (files and URLs the workers may not see), so a bad source fails
before it reaches the cluster. Workers resolve the voice by name (``voices/`` in the worker's
current folder, or those shipped with newsaudio), keep one :class:`~newsaudio.pipeline.Runtime`
per process and cache folder (each voice loaded once per worker process), and use their own
segment cache, or the folder given by ``--cache-dir`` when it is shared. Piper runs in the
worker's own process with one thread (``NEWSAUDIO_PIPER_WORKERS=1``, ``..._THREADS=1`` unless
set): a Dask worker thread is one core's worth of work.

Faults: a worker that dies mid-task (SIGKILL, out of memory) loses its task to the scheduler,
which runs it again on another worker, up to ``distributed.scheduler.allowed-failures`` times
(3 by default; then the article fails alone with a ClusterError). A render that raises a
NewsaudioError on a worker comes back as a value and fails its article alone, with the same
one-line message and exit code as in process. A digest's story fails alone the same way
(left out of the digest, like a source that cannot be loaded; ``--strict``: nothing is
published); a story whose every worker died is left out with a ClusterError. A scheduler
that cannot be reached in :data:`CONNECT_TIMEOUT_S` raises ClusterError before anything is
rendered or published.

Only this module imports dask; it needs the ``cluster`` extra (``pip install
'newsaudio[cluster]'``).
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsaudio.errors import ClusterError, ExitStatus, NewsaudioError, PublishError
from newsaudio.tts.cache import SegmentCache

if TYPE_CHECKING:
    from newsaudio.config import Show
    from newsaudio.models import Article, Segment
    from newsaudio.pipeline import (
        AddOptions,
        DigestRendition,
        Outcome,
        RenderJob,
        Rendition,
        RunAssets,
        Runtime,
    )
    from newsaudio.tts.speak import ProgressCallback

_LOG = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10
"""Seconds to reach the scheduler (``NEWSAUDIO_CLUSTER_TIMEOUT`` overrides it)."""

WORKERS_TIMEOUT_S = 60
"""Seconds to wait for a scheduler without workers to get its first one."""

_LOCAL = re.compile(r"^local:(\d+)$")
_REMOTE = re.compile(r"^(tcp|tls|ws|wss|inproc|ucx)://[^\s/]+$")


def parse_address(address: str, where: str = "--cluster") -> tuple[str, int]:
    """``("local", N)`` for ``local:N`` (1 <= N <= 256), ``(address, 0)`` for a scheduler
    address (``tcp://host:port``...). Raises ClusterError for anything else, naming
    ``where`` the value came from (``--cluster``, ``NEWSAUDIO_CLUSTER``, the settings file)."""
    address = address.strip()
    local = _LOCAL.match(address)
    if local:
        workers = int(local.group(1))
        if not 1 <= workers <= 256:
            raise ClusterError(f"{where} {address}: local:N needs 1 to 256 workers")
        return "local", workers
    if _REMOTE.match(address):
        return address, 0
    raise ClusterError(
        f"{where} {address!r}: expected a scheduler address (tcp://HOST:8786) "
        "or local:N (N worker processes on this machine)"
    )


# -- the worker side -------------------------------------------------------------------------


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
    from newsaudio.pipeline import Runtime, _clear_stale_work

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
    from newsaudio.pipeline import render

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
    from newsaudio.digest import story_lines
    from newsaudio.models import Script
    from newsaudio.pipeline import reading_language
    from newsaudio.text.prepare import Pauses
    from newsaudio.tts.base import voice_for_language
    from newsaudio.tts.speak import SpeakStats, speak

    def make(runtime: Runtime, work: Path) -> SpokenStory:
        lead = replace(article, language=language)  # the digest's voice is its first story's
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
    :func:`newsaudio.pipeline.render_digest`, whose speaking finds the stories' segments
    ready and speaks only what is missing (the opening line, an attribution whose wording
    changed because a story before it failed). ``synthesized`` counts every chunk spoken
    for the digest, on any worker. Never raises a NewsaudioError."""
    from newsaudio.pipeline import render_digest

    spoken = [story for story in stories if isinstance(story, SpokenStory)]  # all, normally

    def make(runtime: Runtime, work: Path) -> RenderedDigest:
        ready = {key: seg for story in spoken for key, seg in story.segments.items()}
        here = copy.copy(runtime)  # the same engines, with the stories' segments served first
        here.cache = SpokenSegments(runtime.cache, ready)
        made = render_digest(
            articles, show, options, here, assets, work, title=title, max_minutes=max_minutes
        )
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


# -- the client side -------------------------------------------------------------------------


def _connect_timeout() -> float:
    raw = os.environ.get("NEWSAUDIO_CLUSTER_TIMEOUT", "")
    try:
        return float(raw) if raw.strip() else CONNECT_TIMEOUT_S
    except ValueError:
        raise ClusterError(
            f"NEWSAUDIO_CLUSTER_TIMEOUT={raw!r}: must be a number of seconds"
        ) from None


class DaskExecutor:
    """Renders on a Dask cluster (see the module docstring). Raises ClusterError when dask is
    not installed, the address is malformed, or the scheduler cannot be reached."""

    def __init__(self, address: str) -> None:
        target, workers = parse_address(address)
        try:
            import distributed
        except ImportError as exc:
            raise ClusterError(
                f"cluster {address}: Dask is not installed (pip install 'newsaudio[cluster]')"
            ) from exc
        self.address = address
        self._cluster: Any = None
        if not _LOG.isEnabledFor(logging.INFO):  # dask's own chatter only with -v
            logging.getLogger("distributed").setLevel(logging.ERROR)
        try:
            if target == "local":
                self._cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                )
                self.client = distributed.Client(self._cluster, set_as_default=False)
            else:
                self.client = distributed.Client(
                    target, timeout=_connect_timeout(), set_as_default=False
                )
                self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            self.close()
            problem = " ".join(str(exc).split()) or "no answer in time"
            if target != "local" and "Timed out" in problem:
                problem = "no answer (is `dask scheduler` running there?)"
            raise ClusterError(f"scheduler {address}: cannot connect ({problem})") from exc
        info = self.client.scheduler_info()
        self.name = (
            f"Dask at {info.get('address', address)}, {len(info.get('workers', {}))} workers"
        )
        _LOG.info("cluster: %s", self.name)

    def map(
        self,
        jobs: Iterable[RenderJob],
        show: Show,
        options: AddOptions,
        runtime: Runtime,
        assets: RunAssets,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Outcome]:
        """Load each job here, render it as a Dask task, and yield ``(job, Rendition |
        NewsaudioError)`` as each completes (completion order). Each Rendition's MP3 is in a
        local work folder that lives until the next outcome is asked for. ``progress`` is
        not called (utterance progress stays on the workers)."""
        from distributed import as_completed

        from newsaudio.pipeline import load_article, work_folder

        run = uuid.uuid4().hex[:8]
        # The assets (cover thumbnail, user jingles: small) travel inside each task rather than
        # as scattered data: a scattered dependency dies with the worker holding it, and its
        # dependants are then cancelled instead of rerun.
        pending: dict[Any, RenderJob] = {}
        failed: list[Outcome] = []
        completed = as_completed(loop=self.client.loop)
        for number, job in enumerate(jobs):
            try:
                article = load_article(job.source) if isinstance(job.source, str) else job.source
            except NewsaudioError as exc:
                failed.append((job, exc))  # reported after every good job is submitted
                continue
            future = self.client.submit(
                render_task,
                article,
                show,
                options,
                assets,
                key=f"newsaudio-render-{run}-{number}",
                pure=False,
            )
            pending[future.key] = job
            completed.add(future)
        yield from failed
        for future in completed:
            job = pending.pop(future.key)
            value = self._result(future, job.key)
            future.release()
            if isinstance(value, NewsaudioError):
                yield job, value
                continue
            with work_folder(show) as work:
                path = work / value.rendition.mp3_path.name
                try:
                    path.write_bytes(value.mp3)
                except OSError as exc:
                    error = PublishError(
                        f"{show.out_dir}: cannot write the episode ({exc.strerror or exc})"
                    )
                    yield job, error
                    continue
                yield job, replace(value.rendition, mp3_path=path)

    def _result(self, future: Any, name: str) -> Any:
        """What a finished task brought back (RenderedEpisode, RenderedDigest), or the error
        that failed it (``name``: what it rendered, for the message)."""
        from distributed import KilledWorker

        try:
            value = future.result()
        except KilledWorker:
            return ClusterError(
                f"{name}: every worker that rendered it died (killed or out of memory)"
            )
        except Exception as exc:  # a bug on the worker: this article fails, the others go on
            message = " ".join(str(exc).split())
            return NewsaudioError(
                f"{name}: internal error on a worker: {type(exc).__name__}: {message} "
                "(rerun without --cluster and with --traceback, and report it)"
            )
        if isinstance(value, RenderFailure):
            return value.error()
        return value

    def render_digest(
        self,
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
        """:func:`newsaudio.pipeline.render_digest` on the cluster: a :func:`story_task` per
        story (in parallel; this process learns each outcome from a :func:`story_outcome`
        task), then a :func:`digest_task` over the stories that did not fail,
        its MP3 written into ``work`` here. ``progress`` gets (stories spoken, stories).
        A story that fails alone is left out (``failed`` of the result). Raises what
        render_digest raises when every story failed or the assembly fails, ClusterError
        when every worker that tried the assembly died."""
        from distributed import as_completed

        from newsaudio.pipeline import DigestRendition

        if not articles:
            raise ValueError("a digest needs at least one article")
        run = uuid.uuid4().hex[:8]
        language = articles[0].language
        futures = [
            self.client.submit(
                story_task,
                article,
                index,
                language,
                show,
                options,
                key=f"newsaudio-story-{run}-{index}",
                pure=False,
            )
            for index, article in enumerate(articles)
        ]
        outcomes = [
            self.client.submit(story_outcome, future, key=f"newsaudio-outcome-{run}-{index}")
            for index, future in enumerate(futures)
        ]
        failed: dict[int, RenderFailure] = {}
        try:
            index_of = {future.key: index for index, future in enumerate(outcomes)}
            completed = as_completed(outcomes, loop=self.client.loop)
            for done, future in enumerate(completed, start=1):
                index = index_of[future.key]
                failure = self._story_failure(future, articles[index])
                if failure is not None:
                    failed[index] = failure
                future.release()
                if progress is not None:
                    progress(done, len(futures))
            kept = [i for i in range(len(articles)) if i not in failed]
            if not kept:
                reasons = "; ".join(f.message for f in failed.values())
                first = failed[0]
                raise replace(
                    first, message=f"digest: no story could be rendered ({reasons})"
                ).error()
            assembly = self.client.submit(
                digest_task,
                [articles[i] for i in kept],
                [futures[i] for i in kept],
                show,
                options,
                assets,
                title,
                max_minutes,
                key=f"newsaudio-digest-{run}",
                pure=False,
            )
            value = self._result(assembly, f"digest of {len(kept)} stories")
            assembly.release()
        finally:
            for future in futures:
                future.release()
        if isinstance(value, NewsaudioError):
            raise value
        assert isinstance(value, RenderedDigest)
        path = work / value.made.rendition.mp3_path.name
        try:
            path.write_bytes(value.mp3)
        except OSError as exc:
            raise PublishError(
                f"{show.out_dir}: cannot write the episode ({exc.strerror or exc})"
            ) from exc
        count = len(value.made.stories)
        return DigestRendition(
            replace(value.made.rendition, mp3_path=path),
            tuple(articles[i] for i in kept[:count]),
            tuple(articles[i] for i in kept[count:]),
            value.made.over_budget,
            value.story_workers[:count],
            tuple((articles[i], failure.error()) for i, failure in sorted(failed.items())),
        )

    @staticmethod
    def _story_failure(outcome: Any, article: Article) -> RenderFailure | None:
        """Why the story of ``article`` failed (its message naming the article's source),
        from its finished :func:`story_outcome` future; None when it was spoken."""
        from distributed import KilledWorker

        try:
            value = outcome.result()
        except Exception as exc:  # the story's task (or this one) erred or was lost
            error: BaseException = exc
        else:
            if not isinstance(value, RenderFailure):
                return None
            return replace(value, message=f"{article.source}: {value.message}")
        if isinstance(error, KilledWorker):
            message = "every worker that rendered it died (killed or out of memory)"
            return RenderFailure("ClusterError", f"{article.source}: {message}", 9, "")
        problem = " ".join(str(error).split())
        return RenderFailure(
            "NewsaudioError",
            f"{article.source}: internal error on a worker: {type(error).__name__}: {problem} "
            "(rerun without --cluster and with --traceback, and report it)",
            int(ExitStatus.ERROR),
            "",
        )

    def close(self) -> None:
        """Close the client, and stop the LocalCluster if this run started one."""
        client = getattr(self, "client", None)
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
            self._cluster = None


def create(address: str | None) -> DaskExecutor:
    """Factory registered as executor ``dask``. Raises ClusterError."""
    if not address:
        raise ClusterError("--cluster: no address given (tcp://HOST:8786 or local:N)")
    return DaskExecutor(address)
