"""The in-process executor: renders one job after another here, in order.

It is :func:`newsaudio.pipeline.render_many` behind the :class:`~newsaudio.executors.Executor`
interface; ``newsaudio add`` without ``--cluster`` uses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsaudio.config import Show
    from newsaudio.models import Article
    from newsaudio.pipeline import (
        AddOptions,
        DigestRendition,
        Outcome,
        RenderJob,
        RunAssets,
        Runtime,
    )
    from newsaudio.tts.speak import ProgressCallback


class LocalExecutor:
    """Renders in this process, in job order (see :func:`newsaudio.pipeline.render_many`)."""

    name = "in process"

    def map(
        self,
        jobs: Iterable[RenderJob],
        show: Show,
        options: AddOptions,
        runtime: Runtime,
        assets: RunAssets,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Outcome]:
        """Yield ``(job, Rendition | NewsaudioError)`` for each job, in order."""
        from newsaudio.pipeline import render_many

        return render_many(jobs, show, options, runtime, assets, progress)

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
        """:func:`newsaudio.pipeline.render_digest`, here."""
        from newsaudio.pipeline import render_digest

        return render_digest(
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

    def close(self) -> None:
        """Nothing to release."""


def create(address: str | None = None) -> LocalExecutor:
    """Factory registered as executor ``local`` (``address`` is ignored)."""
    return LocalExecutor()
