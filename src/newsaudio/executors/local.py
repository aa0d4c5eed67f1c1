"""The in-process executor: renders here, a few at a time, yielding outcomes in job order.

A single render leaves the machine's cores idle at its edges: loading and preparing before
the first chunk reaches the engine, mastering, tagging and publishing after the last one.
With several articles (``update``, ``add`` of several sources) the next render's loading and
synthesis therefore start while the previous one is mastered, encoded and published:
:class:`LocalExecutor` keeps :data:`IN_FLIGHT` renders going in background threads (they
share the run's engines: Piper's worker processes take chunks from both), and the caller,
the show's single publisher, publishes each outcome in job order as it completes.

Ctrl-C stops the renders in flight at their next utterance (and the engines' worker
processes are stopped by the command); finished segments are in the cache, nothing of the
show is touched, and their work folders are removed.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from newsaudio.pipeline.context import RenderContext
from newsaudio.pipeline.digest import render_digest
from newsaudio.pipeline.render import render_job, render_many
from newsaudio.tts.turns import RENDER_PRIORITY, end_turn

if TYPE_CHECKING:
    from newsaudio.errors import NewsaudioError
    from newsaudio.models import Article
    from newsaudio.pipeline.context import (
        AddOptions,
        Outcome,
        RenderJob,
        Rendition,
        RunAssets,
        Runtime,
    )
    from newsaudio.pipeline.digest import DigestRendition
    from newsaudio.show import Show
    from newsaudio.tts.speak import ProgressCallback

    _Done = tuple[Rendition | NewsaudioError, contextlib.ExitStack]

_LOG = logging.getLogger(__name__)

IN_FLIGHT = 2
"""Renders going at once besides the one being published. Two keep both cores of a
2-core machine busy across article edges (benchmarks/bench_update.py); more only add
memory (each holds its article's audio) and delay the first episode."""


class _Stopped(Exception):
    """The run is ending: a render in flight stops at its next utterance."""


class _Progress:
    """Per-job progress, forwarded to the caller's callback only for the job the caller is
    waiting for (the bar in front of the user); a job's last figures are replayed when it
    becomes that job. Raises _Stopped in the render's thread once the run is stopping."""

    def __init__(self, forward: ProgressCallback | None) -> None:
        self._forward = forward
        self._lock = threading.Lock()
        self._head = 0
        self._last: dict[int, tuple[int, int]] = {}
        self.stopping = threading.Event()

    def for_job(self, index: int) -> ProgressCallback:
        def update(done: int, total: int) -> None:
            if self.stopping.is_set():
                raise _Stopped
            with self._lock:
                self._last[index] = (done, total)
                if index != self._head or self._forward is None:
                    return
            self._forward(done, total)

        return update

    def advance(self, index: int) -> None:
        """The caller now waits for job ``index``: replay its figures so far."""
        with self._lock:
            self._head = index
            self._last.pop(index - 1, None)
            last = self._last.get(index)
        if last is not None and self._forward is not None:
            self._forward(*last)


class LocalExecutor:
    """Renders in this process, ``in_flight`` at a time, yielding outcomes in job order.
    ``in_flight=1`` renders one job after another
    (:func:`newsaudio.pipeline.render.render_many`)."""

    name = "in process"

    def __init__(self, in_flight: int = IN_FLIGHT) -> None:
        self.in_flight = max(1, in_flight)

    def map(
        self,
        jobs: Iterable[RenderJob],
        show: Show,
        options: AddOptions,
        runtime: Runtime,
        assets: RunAssets,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Outcome]:
        """Yield ``(job, Rendition | NewsaudioError)`` for each job, in job order. ``jobs``
        is consumed in the calling thread, one job ahead of the renders in flight."""
        context = RenderContext(show, options, runtime, assets, progress)
        if self.in_flight == 1:
            return render_many(jobs, context)
        return self._overlapped(jobs, context)

    def _overlapped(
        self,
        jobs: Iterable[RenderJob],
        context: RenderContext,
    ) -> Iterator[Outcome]:

        bars = _Progress(context.progress)
        pool = ThreadPoolExecutor(self.in_flight, thread_name_prefix="newsaudio-render")
        pending: deque[tuple[RenderJob, Future[_Done]]] = deque()
        source = iter(jobs)
        submitted = 0

        def run(job: RenderJob, index: int) -> _Done:
            # Ctrl-C is the main thread's: it stops the run (see the module's docstring)
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            RENDER_PRIORITY.set(index)  # earlier jobs get the engines first
            stack = contextlib.ExitStack()
            try:
                outcome = render_job(job, replace(context, progress=bars.for_job(index)), stack)
            except BaseException:
                stack.close()
                raise
            finally:
                end_turn(index)
            return outcome, stack

        def fill() -> None:
            nonlocal submitted
            while len(pending) < self.in_flight:
                job = next(source, None)
                if job is None:
                    return
                pending.append((job, pool.submit(run, job, submitted)))
                submitted += 1

        index = 0
        try:
            fill()
            while pending:
                job, future = pending.popleft()
                bars.advance(index)
                outcome, stack = _result(future)
                with stack:  # the work folder lives until the caller has published
                    fill()  # the next render starts while this one is published
                    yield job, outcome
                index += 1
        finally:
            bars.stopping.set()
            for _job, future in pending:
                future.add_done_callback(_close_stack)
            pool.shutdown(wait=False, cancel_futures=True)

    def render_digest(
        self,
        articles: Sequence[Article],
        context: RenderContext,
        work: Path,
        *,
        title: str | None = None,
        max_minutes: float | None = None,
    ) -> DigestRendition:
        """:func:`newsaudio.pipeline.digest.render_digest`, here."""

        return render_digest(articles, context, work, title=title, max_minutes=max_minutes)

    def close(self) -> None:
        """Nothing to release (renders in flight stop with their generator)."""


def _result(future: Future[_Done]) -> _Done:
    """``future.result()``, waking up every 0.2 s so that a Ctrl-C is acted on at once."""
    while True:
        with contextlib.suppress(TimeoutError):
            return future.result(timeout=0.2)


def _close_stack(future: Future[_Done]) -> None:
    """Remove the work folder of a render nobody will publish."""
    if future.cancelled() or future.exception() is not None:
        return
    future.result()[1].close()


def create(address: str | None = None) -> LocalExecutor:
    """Factory registered as executor ``local`` (``address`` is ignored)."""
    return LocalExecutor()
