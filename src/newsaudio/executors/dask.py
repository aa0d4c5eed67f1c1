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
one-line message and exit code as in process. A scheduler that cannot be reached in
:data:`CONNECT_TIMEOUT_S` raises ClusterError before anything is rendered or published.

Only this module imports dask; it needs the ``cluster`` extra (``pip install
'newsaudio[cluster]'``).
"""

from __future__ import annotations

import contextlib
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

if TYPE_CHECKING:
    from newsaudio.config import Show
    from newsaudio.models import Article
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
class RenderedDigest:
    """What a worker sends back for a digest: the DigestRendition (its MP3 path a bare
    name), the tagged MP3 (bytes), and the worker's address."""

    made: DigestRendition
    mp3: bytes
    worker: str


def digest_task(
    articles: list[Article],
    show: Show,
    options: AddOptions,
    assets: RunAssets,
    title: str | None,
    max_minutes: float | None,
) -> RenderedDigest | RenderFailure:
    """Render a digest of ``articles`` on this worker (one Dask task: its stories are
    synthesized in sequence there). Never raises a NewsaudioError."""
    from newsaudio.pipeline import render_digest

    def make(runtime: Runtime, work: Path) -> RenderedDigest:
        made = render_digest(
            articles, show, options, runtime, assets, work, title=title, max_minutes=max_minutes
        )
        rendition, mp3, worker = _shipped(made.rendition)
        return RenderedDigest(replace(made, rendition=rendition), mp3, worker)

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
        """:func:`newsaudio.pipeline.render_digest` as one Dask task: the digest renders on a
        worker and its MP3 is written into ``work`` here. Raises what render_digest raises,
        or ClusterError when every worker that tried it died."""
        future = self.client.submit(
            digest_task,
            list(articles),
            show,
            options,
            assets,
            title,
            max_minutes,
            key=f"newsaudio-digest-{uuid.uuid4().hex[:8]}",
            pure=False,
        )
        value = self._result(future, f"digest of {len(articles)} stories")
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
        return replace(value.made, rendition=replace(value.made.rendition, mp3_path=path))

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
