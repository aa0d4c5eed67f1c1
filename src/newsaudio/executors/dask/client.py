"""The client side of the Dask executor: :class:`DaskExecutor` submits the tasks of
:mod:`newsaudio.executors.dask.tasks` and turns their results into renditions here, for the
single publisher (see :mod:`newsaudio.executors.dask` for the flow)."""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsaudio.errors import ClusterError, ExitStatus, NewsaudioError, PublishError
from newsaudio.executors.address import parse_address
from newsaudio.executors.dask.tasks import (
    RenderedDigest,
    RenderFailure,
    digest_task,
    render_task,
    story_outcome,
    story_task,
)
from newsaudio.pipeline.context import RenderContext, work_folder
from newsaudio.pipeline.digest import DigestRendition
from newsaudio.pipeline.render import load_article

if TYPE_CHECKING:
    from newsaudio.models import Article
    from newsaudio.pipeline.context import AddOptions, Outcome, RenderJob, RunAssets, Runtime
    from newsaudio.pipeline.digest import DigestRendition
    from newsaudio.show import Show
    from newsaudio.tts.speak import ProgressCallback

_LOG = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10
"""Seconds to reach the scheduler (``NEWSAUDIO_CLUSTER_TIMEOUT`` overrides it)."""

WORKERS_TIMEOUT_S = 60
"""Seconds to wait for a scheduler without workers to get its first one."""


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
        context: RenderContext,
        work: Path,
        *,
        title: str | None = None,
        max_minutes: float | None = None,
    ) -> DigestRendition:
        """:func:`newsaudio.pipeline.digest.render_digest` on the cluster: a :func:`story_task` per
        story (in parallel; this process learns each outcome from a :func:`story_outcome`
        task), then a :func:`digest_task` over the stories that did not fail,
        its MP3 written into ``work`` here. ``progress`` gets (stories spoken, stories).
        A story that fails alone is left out (``failed`` of the result). Raises what
        render_digest raises when every story failed or the assembly fails, ClusterError
        when every worker that tried the assembly died."""
        show, options, assets = context.show, context.options, context.assets
        progress = context.progress
        from distributed import as_completed

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
