"""Many renders through an executor, published here by the show's single writer.

:func:`render_and_publish` is what ``newsaudio add`` runs: the executor for ``cluster`` first
(a cluster that cannot be reached fails before anything is written), then the run's checks
(:func:`~newsaudio.pipeline.context.check_run`), then each job rendered where the executor
renders it and published (:func:`~newsaudio.pipeline.render.publish_rendition`) as its
outcome arrives; a job that fails fails alone when the caller takes failures
(``on_failed``), else its error is raised and nothing after it is rendered or published.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import Protocol

from newsaudio.errors import NewsaudioError
from newsaudio.executors import create_executor
from newsaudio.pipeline.context import (
    AddOptions,
    RenderJob,
    Result,
    Runtime,
    check_run,
)
from newsaudio.pipeline.render import publish_rendition
from newsaudio.show import Show


class JobsProgress(Protocol):
    """What a run shows while it renders: ``update(done, total)`` utterances of the render in
    progress (in process), ``next(worker)`` when a render ended (``worker``: the Dask worker
    that made it, or None), ``close()`` at the end (also on errors)."""

    def update(self, done: int, total: int) -> None: ...

    def next(self, worker: str | None = None) -> None: ...

    def close(self) -> None: ...


@dataclass
class JobsReport:
    """What :func:`render_and_publish` did: the jobs published (with their Result) and the
    jobs that failed (with their one-line error), each in the order their outcome arrived."""

    published: list[tuple[RenderJob, Result]] = field(default_factory=list)
    failed: list[tuple[RenderJob, NewsaudioError]] = field(default_factory=list)


def render_and_publish(
    jobs: Sequence[RenderJob],
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    cluster: str | None = None,
    *,
    progress: Callable[[str], JobsProgress] | None = None,
    on_published: Callable[[RenderJob, Result], None] | None = None,
    on_failed: Callable[[RenderJob, NewsaudioError], None] | None = None,
) -> JobsReport:
    """Render ``jobs`` through the executor for ``cluster`` (None: in this process) and
    publish each as it completes. ``progress(executor_name)`` makes the progress display once
    the executor is known. ``on_published(job, result)`` runs after each publish;
    ``on_failed(job, error)`` for each job that failed to load, render or publish, which then
    fails alone; without ``on_failed`` the first error is raised. Raises ClusterError (the
    executor), what :func:`check_run` raises, and the first job's error without
    ``on_failed``."""
    report = JobsReport()
    with closing(create_executor(cluster)) as executor:  # the cluster first: nothing to undo
        assets = check_run(show, options)
        shown = progress(executor.name) if progress is not None else None
        progress_of_render = shown.update if shown is not None else None
        try:
            for job, outcome in executor.map(
                jobs, show, options, runtime, assets, progress_of_render
            ):
                if shown is not None:
                    shown.next(getattr(outcome, "worker", None))
                try:
                    if isinstance(outcome, NewsaudioError):
                        raise outcome
                    result = publish_rendition(show, outcome, runtime)
                except NewsaudioError as exc:
                    if on_failed is None:
                        raise
                    report.failed.append((job, exc))
                    on_failed(job, exc)
                    continue
                report.published.append((job, result))
                if on_published is not None:
                    on_published(job, result)
        finally:
            if shown is not None:
                shown.close()
    return report
