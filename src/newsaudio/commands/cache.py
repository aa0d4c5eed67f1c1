"""``newsaudio cache``: inspect and clear the segment cache."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

_CACHE_DIR = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="NEWSAUDIO_CACHE_DIR",
    help="Segment cache folder [default: the user cache dir; env NEWSAUDIO_CACHE_DIR].",
)


def _when(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


@click.group()
def cache() -> None:
    """The segment cache: every spoken chunk, kept so nothing is synthesized twice.

    Shared by all shows; its size is capped (NEWSAUDIO_CACHE_MAX_MB, default 2048) by
    deleting the least recently used chunks.
    """


@cache.command()
@_CACHE_DIR
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON object: path, entries, bytes, max_bytes, oldest, newest.",
)
def info(cache_dir: Path | None, as_json: bool) -> None:
    """Show where the cache is, how many chunks it holds and its size."""
    from newsaudio.tts.cache import SegmentCache

    summary = SegmentCache(cache_dir).info()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "path": str(summary.root),
                    "entries": summary.entries,
                    "bytes": summary.bytes,
                    "max_bytes": summary.max_bytes,
                    "oldest": _when(summary.oldest),
                    "newest": _when(summary.newest),
                }
            )
        )
        return
    click.echo(f"path:    {summary.root}")
    click.echo(f"entries: {summary.entries:,}")
    click.echo(
        f"size:    {summary.bytes / 1048576:.1f} MiB of {summary.max_bytes / 1048576:.0f} MiB"
    )
    if summary.oldest is not None:
        click.echo(f"oldest:  {_when(summary.oldest)}\nnewest:  {_when(summary.newest)}")


@cache.command()
@_CACHE_DIR
@click.option(
    "--older-than",
    "older_than_days",
    type=click.FloatRange(min=0),
    default=None,
    metavar="DAYS",
    help="Only delete chunks not used for more than DAYS days.",
)
def clear(cache_dir: Path | None, older_than_days: float | None) -> None:
    """Delete cached chunks (all of them, or the unused ones with --older-than)."""
    from newsaudio.tts.cache import SegmentCache

    removed = SegmentCache(cache_dir).clear(older_than_days)
    click.echo(f"removed {removed.entries:,} chunks ({removed.bytes / 1048576:.1f} MiB)")
