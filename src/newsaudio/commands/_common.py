"""Helpers shared by the command modules: progress bars, JSON output, show options."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from newsaudio.config import Show
    from newsaudio.pipeline import Result


def progress_bar(label: str) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A progress callback drawing a click progress bar (with ETA) on stderr."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return  # no bar in logs and pipes: stderr stays one line per problem
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(
                length=total, label=label, file=sys.stderr, show_eta=True, show_pos=True
            )
            bar.__enter__()
            state["bar"] = bar
        bar.update(done - bar.pos)

    def finish() -> None:
        bar = state.pop("bar", None)
        if bar is not None:
            bar.__exit__(None, None, None)

    return update, finish


def episode_json(result: Result, show: Show) -> dict[str, Any]:
    """The JSON object ``add --json`` prints for one episode (``update`` and ``digest`` print
    the same keys, and may add their own). Runs on a cluster add ``worker``: the address of
    the Dask worker that rendered the episode."""
    ep = result.episode
    record: dict[str, Any] = {
        "title": ep.title,
        "guid": ep.guid,
        "path": str(result.path),
        "url": result.url,
        "bytes": ep.bytes,
        "duration_s": round(ep.duration_ms / 1000, 3),
        "loudness_lufs": ep.loudness.integrated_lufs,
        "true_peak_dbtp": ep.loudness.true_peak_dbtp,
        "lra_lu": ep.loudness.lra_lu,
        "slug": ep.slug,
        "voice": ep.voice,
        "feed": str(show.out_dir / "feed.xml"),
        "transcript": str(show.episodes_dir / f"{ep.slug}.vtt"),
        "utterances": len(result.script.utterances),
        "spoken_text": result.spoken_text,
        "synthesized": result.synthesized,
        "cached": result.cached,
        "fallback_chunks": list(result.fallback_chunks),
    }
    if result.worker is not None:  # rendered on a cluster (--cluster): which worker
        record["worker"] = result.worker
    return record
