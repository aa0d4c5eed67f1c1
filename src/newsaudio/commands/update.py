"""``newsaudio update``: check every followed source, make and publish new episodes."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsaudio.commands._common import cluster_address, cluster_option, episode_json
from newsaudio.commands.init import load_show_from, show_options
from newsaudio.errors import ExitStatus

if TYPE_CHECKING:
    from newsaudio.config import Show
    from newsaudio.sources.update import PublishedItem


def published_json(item: PublishedItem, show: Show) -> dict[str, Any]:
    """The ``add --json`` object of an episode, plus ``text_source`` and ``source``."""
    return {
        **episode_json(item.result, show),
        "text_source": item.text_source,
        "source": item.source,
    }


@click.command()
@click.option(
    "--dry-run",
    is_flag=True,
    help="Say what would be made; fetch nothing but the feeds and change nothing.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print one JSON object: {"sources": [{name, url, status, new, published, failed, '
    'skipped}], "episodes": [the objects add --json prints, plus text_source and source]}.',
)
@click.option(
    "--limit",
    type=click.IntRange(1),
    default=None,
    help="Make at most N episodes per source in this run (the rest wait for the next).",
)
@click.option(
    "--speed",
    type=click.FloatRange(0.5, 2.0),
    default=None,
    help="Speaking speed, 0.5-2.0: speech and pauses, not jingles (1.25 = 25 % faster) "
    "[default: newsaudio.toml, else 1].",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="NEWSAUDIO_CACHE_DIR",
    help="Segment cache folder [default: the user cache dir; env NEWSAUDIO_CACHE_DIR].",
)
@cluster_option
@show_options
def update(
    dry_run: bool,
    as_json: bool,
    limit: int | None,
    speed: float | None,
    cache_dir: Path | None,
    cluster: str | None,
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
) -> None:
    """Check every followed source and make an episode of each new item, published as it
    is made. Unchanged feeds cost one conditional request (304). Prints nothing when there
    is nothing new (for cron); -v logs each source. Exits 10 when some items or sources
    failed (the rest are published); a second update started meanwhile exits 0 at once."""
    from newsaudio.audio.master import MasterSettings
    from newsaudio.executors import LazyExecutor
    from newsaudio.pipeline import AddOptions, Runtime
    from newsaudio.sources.update import UpdateOptions, run_update
    from newsaudio.text.lexicon import load_lexicon
    from newsaudio.tts.base import builtin_voices_dir

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url, speed=speed)
    lexicon = load_lexicon(builtin_voices_dir() / "lexicon.toml", Path("voices/lexicon.toml"))
    options = AddOptions(
        voice=show.voice,
        cache_dir=cache_dir,
        jingles=show.jingles,
        master=MasterSettings(bitrate_kbps=show.bitrate_kbps, target_lufs=show.loudness_lufs),
        lexicon=lexicon,
        speed=show.speed,
    )

    def printed(item: PublishedItem) -> None:
        if as_json:
            return
        ep = item.result.episode
        minutes, seconds = divmod(round(ep.duration_ms / 1000), 60)
        click.echo(
            f"{ep.title}\n  {item.result.path} ({minutes}:{seconds:02d}; "
            f"{item.source}, text from the {item.text_source})"
        )

    with closing(LazyExecutor(cluster_address(cluster, config_file))) as executor:
        report = run_update(
            show,
            options,
            Runtime(cache_dir=cache_dir),
            UpdateOptions(dry_run=dry_run, limit=limit),
            on_published=printed,
            executor=executor,
        )
    if report.busy:
        click.echo(
            f"newsaudio: another update of {show.out_dir} is running; not starting a second",
            err=True,
        )
        return
    for problem in report.problems:
        click.echo(f"newsaudio: error: {problem}", err=True)
    if as_json:
        out: dict[str, Any] = {
            "sources": [s.as_json() for s in report.sources],
            "episodes": [published_json(e, show) for e in report.episodes],
        }
        if dry_run:
            out["planned"] = [
                {
                    "source": p.source,
                    "title": p.title,
                    "link": p.link,
                    "text_source": p.text_source,
                    "skipped": p.skipped,
                }
                for p in report.planned
            ]
        click.echo(json.dumps(out, ensure_ascii=False))
    elif dry_run:
        for source in report.sources:
            planned = [p for p in report.planned if p.source == source.name]
            made = sum(1 for p in planned if p.skipped is None)
            click.echo(f"{source.name} ({source.status}): {made} to make, {source.url}")
            for p in planned:
                how = f"skipped: {p.skipped}" if p.skipped else f"text from the {p.text_source}"
                click.echo(f"  {p.title} ({how})")
    if report.failed:
        click.get_current_context().exit(int(ExitStatus.PARTIAL))
