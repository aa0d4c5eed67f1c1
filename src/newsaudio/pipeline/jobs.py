"""Many renders: :class:`~newsaudio.pipeline.context.RenderJob` in, outcomes out, in
process (the executors hand their jobs here or to Dask workers).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator

from newsaudio.errors import NewsaudioError
from newsaudio.pipeline.context import (
    AddOptions,
    Outcome,
    RenderJob,
    Rendition,
    RunAssets,
    Runtime,
    work_folder,
)
from newsaudio.pipeline.render import load_article, render
from newsaudio.show import Show
from newsaudio.tts.speak import ProgressCallback

_LOG = logging.getLogger(__name__)


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
