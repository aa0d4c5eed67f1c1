"""Helpers shared by the command modules: progress bars, JSON output, show options."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from newsaudio.models import Episode
    from newsaudio.pipeline.context import Result
    from newsaudio.show import Show


def finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """A click callback refusing NaN (which passes click's FloatRange) with a usage error."""
    if value is not None and math.isnan(value):
        raise click.BadParameter(f"{value} is not a number", ctx=ctx, param=param)
    return value


def voice_option(f: F) -> F:
    """Add ``--voice NAME`` (a voice profile; None = the show's setting) to a command."""
    return click.option(
        "--voice",
        default=None,
        help="Voice profile name (see newsaudio voices) [default: newsaudio.toml, else joe].",
    )(f)


def speed_option(f: F) -> F:
    """Add ``--speed X`` (0.5-2.0; None = the show's setting) to a command."""
    return click.option(
        "--speed",
        type=click.FloatRange(0.5, 2.0),
        default=None,
        help="Speaking speed, 0.5-2.0: speech and pauses, not jingles (1.25 = 25 % faster) "
        "[default: newsaudio.toml, else 1].",
    )(f)


def cache_dir_option(f: F) -> F:
    """Add ``--cache-dir DIR`` (env ``NEWSAUDIO_CACHE_DIR``) to a command."""
    return click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        envvar="NEWSAUDIO_CACHE_DIR",
        help="Segment cache folder [default: the user cache dir; env NEWSAUDIO_CACHE_DIR].",
    )(f)


def cluster_option(f: F) -> F:
    """Add ``--cluster ADDRESS`` (env ``NEWSAUDIO_CLUSTER``) to a command; resolve it with
    :func:`cluster_address`."""
    return click.option(
        "--cluster",
        default=None,
        envvar="NEWSAUDIO_CLUSTER",
        help="Render on a Dask cluster: tcp://HOST:8786 (a running scheduler) or local:N "
        "(N worker processes on this machine, for this run); episodes are published here "
        "[default: [cluster] address in newsaudio.toml, else in this process; "
        "env NEWSAUDIO_CLUSTER; needs pip install 'newsaudio[cluster]'].",
    )(f)


def cluster_address(cluster: str | None, config_file: Path | None) -> str | None:
    """The cluster to render on: ``--cluster`` or ``NEWSAUDIO_CLUSTER`` (``cluster``), else
    ``[cluster] address`` of the settings file, else None (this process). An empty value
    means this process. Raises ConfigError for a malformed settings file, ClusterError naming
    where a malformed address came from (the option, the variable or the file)."""
    from newsaudio.config import cluster_setting

    if cluster is not None and cluster.strip():
        from click.core import ParameterSource

        from newsaudio.executors.address import parse_address

        ctx = click.get_current_context(silent=True)
        source = ctx.get_parameter_source("cluster") if ctx is not None else None
        parse_address(
            cluster, "NEWSAUDIO_CLUSTER" if source is ParameterSource.ENVIRONMENT else "--cluster"
        )
        return cluster.strip()
    if cluster is not None:
        return None
    return cluster_setting(config_file)


def echo_error(exc: BaseException, suffix: str = "") -> None:
    """Report an error that does not end the command (one source of several failed): its
    one line on stderr, after its traceback when the run has ``--traceback``."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_root().params.get("traceback"):
        import traceback

        click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
    click.echo(f"newsaudio: error: {exc}{suffix}", err=True)


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


class ArticleBar:
    """One bar over all articles of a run (done/total, and the worker of the last one),
    drawn on stderr when it is a terminal; for renders whose utterances are out of sight
    (on cluster workers)."""

    def __init__(self, label: str, total: int) -> None:
        self._bar: Any = None
        if sys.stderr.isatty():
            self._bar = click.progressbar(
                length=total,
                label=label,
                file=sys.stderr,
                show_eta=True,
                show_pos=True,
                item_show_func=lambda worker: f"last on {worker}" if worker else None,
            )
            self._bar.__enter__()

    def update(self, done: int, total: int) -> None:
        """Utterance progress: not shown (the bar counts articles)."""

    def next(self, worker: str | None = None) -> None:
        """One more article done (rendered on ``worker``, or failed)."""
        if self._bar is not None:
            self._bar.update(1, worker)

    def close(self) -> None:
        """Finish the bar."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def publish_after_run(show: Show) -> None:
    """Publish the show to its target (``[publish] to``, ``NEWSAUDIO_PUBLISH_TO``) if it has
    one, after a command changed it (add, update, remove, feed). One summary line on stderr
    (stdout stays the command's own output). Raises TargetError/PublishError (exit 7)."""
    if not show.publish_to:
        return
    from newsaudio.publish.remote import publish_show

    report = publish_show(show)
    warn_unreachable(show)
    click.echo(
        f"Published to {report.target}: {len(report.uploaded)} uploaded "
        f"({report.bytes:,} bytes), {len(report.deleted)} deleted, {report.unchanged} unchanged",
        err=True,
    )


def warn_unreachable(show: Show) -> None:
    """One warning line on stderr when a show about to be published has a base URL that
    listeners elsewhere cannot reach (localhost, a LAN address: see
    :func:`newsaudio.publish.remote.unreachable_host`), naming ``--base-url``."""
    from newsaudio.publish.remote import unreachable_host

    host = unreachable_host(show)
    if host is not None:
        click.echo(
            f"newsaudio: warning: the show's base URL {show.base_url} is on {host}, which only "
            "this computer or its local network can reach; give the public one with "
            "--base-url URL (newsaudio feed --base-url URL, or base_url in newsaudio.toml)",
            err=True,
        )


def report_removed(show: Show, removed: Sequence[Episode]) -> None:
    """One stderr line per episode retention removed (``Removed <guid>  <title> (why)``)."""
    from newsaudio.publish.show import removal_reason

    for ep in removed:
        click.echo(f"Removed {ep.guid}  {ep.title} ({removal_reason(show, ep)})", err=True)


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
