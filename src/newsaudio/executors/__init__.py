"""Where renders run: one small interface, picked from ``--cluster``.

An :class:`Executor` takes :class:`~newsaudio.pipeline.context.RenderJob` s and yields their
outcomes ``(job, Rendition | NewsaudioError)`` as they complete; the caller (the show's single
publisher) publishes each Rendition before asking for the next outcome, because a Rendition's
MP3 lives in a work folder that is removed then. Executors register by name in
:data:`EXECUTORS` as ``"module:factory"`` strings, imported on first use, so the pipeline
never imports dask itself:

- ``local`` (:mod:`newsaudio.executors.local`): in this process, in order (the default).
- ``dask`` (:mod:`newsaudio.executors.dask`): one Dask task per article on a running scheduler
  (``tcp://host:8786``) or on a LocalCluster started for the run (``local:N``); a digest is
  one task per story, then one that assembles, masters and tags it.

Digests go through :meth:`Executor.render_digest`, which has the arguments and result of
:func:`newsaudio.pipeline.digest.render_digest`.

Adding an executor is one new module plus one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from newsaudio.models import Article
    from newsaudio.pipeline.context import (
        AddOptions,
        Outcome,
        RenderContext,
        RenderJob,
        RunAssets,
        Runtime,
    )
    from newsaudio.pipeline.digest import DigestRendition
    from newsaudio.show import Show
    from newsaudio.tts.speak import ProgressCallback


class Executor(Protocol):
    """Runs renders somewhere and yields their outcomes.

    ``name`` describes where, for logs and progress bars ("in process", "Dask at
    tcp://10.0.0.5:8786, 4 workers"). :meth:`map` yields one outcome per job, each exactly
    once, as renders complete (in-process executors: in job order); a job that fails yields
    its one-line NewsaudioError and the others go on. ``progress`` gets (done, total)
    utterances of the render in progress where the executor can see them (in process).
    :meth:`close` releases what the executor started (worker pools, a LocalCluster).
    """

    name: str

    def map(
        self,
        jobs: Iterable[RenderJob],
        show: Show,
        options: AddOptions,
        runtime: Runtime,
        assets: RunAssets,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Outcome]:
        """Render ``jobs``; yield ``(job, Rendition | NewsaudioError)`` as each completes."""
        ...

    def render_digest(
        self,
        articles: Sequence[Article],
        context: RenderContext,
        work: Path,
        *,
        title: str | None = None,
        max_minutes: float | None = None,
    ) -> DigestRendition:
        """Render one digest of ``articles`` (see :func:`newsaudio.pipeline.digest.render_digest`,
        whose arguments, result and errors it has); its MP3 ends up in ``work``."""
        ...

    def close(self) -> None:
        """Stop what the executor started; idempotent."""
        ...


ExecutorFactory = Callable[[str | None], Executor]

EXECUTORS: dict[str, str] = {
    "local": "newsaudio.executors.local:create",
    "dask": "newsaudio.executors.dask.client:create",
}
"""Registered executors: name -> ``"module:factory"``; the factory takes the address
(``--cluster`` value, or None)."""


def executor_kind(cluster: str | None) -> str:
    """The executor for a ``--cluster`` value: ``local`` without one, else ``dask``."""
    return "dask" if cluster else "local"


def create_executor(cluster: str | None = None) -> Executor:
    """The executor for ``cluster`` (None: in process). Raises ClusterError when a cluster
    cannot be used (dask missing, address malformed, scheduler unreachable)."""
    module_name, _, attr = EXECUTORS[executor_kind(cluster)].partition(":")
    factory: ExecutorFactory = getattr(importlib.import_module(module_name), attr)
    return factory(cluster)


class LazyExecutor:
    """The executor for ``cluster``, created on the first :meth:`map` (a run with nothing to
    render starts no LocalCluster and contacts no scheduler). The address is checked at once."""

    def __init__(self, cluster: str | None) -> None:
        if cluster:
            from newsaudio.executors.address import parse_address

            parse_address(cluster)  # a malformed address fails before any work
        self._cluster = cluster
        self._inner: Executor | None = None
        self.name = f"Dask at {cluster}" if cluster else "in process"

    def map(
        self,
        jobs: Iterable[RenderJob],
        show: Show,
        options: AddOptions,
        runtime: Runtime,
        assets: RunAssets,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Outcome]:
        """See :meth:`Executor.map`; creates the executor first. Raises ClusterError."""
        return self._ready().map(jobs, show, options, runtime, assets, progress)

    def render_digest(
        self,
        articles: Sequence[Article],
        context: RenderContext,
        work: Path,
        *,
        title: str | None = None,
        max_minutes: float | None = None,
    ) -> DigestRendition:
        """See :meth:`Executor.render_digest`; creates the executor first. Raises
        ClusterError, and what the digest's render raises."""
        return self._ready().render_digest(
            articles, context, work, title=title, max_minutes=max_minutes
        )

    def _ready(self) -> Executor:
        """The executor, created on first use. Raises ClusterError."""
        if self._inner is None:
            self._inner = create_executor(self._cluster)
            self.name = self._inner.name
        return self._inner

    def close(self) -> None:
        """Close the executor if it was created."""
        if self._inner is not None:
            self._inner.close()
            self._inner = None
