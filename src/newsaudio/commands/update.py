"""``newsaudio update``: check every followed source, make and publish new episodes."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsaudio.commands._brief import (
    brief_options,
    echo_brief_notes,
    story_records,
    story_seconds,
)
from newsaudio.commands._common import (
    cache_dir_option,
    cluster_address,
    cluster_option,
    episode_json,
    publish_after_run,
    report_removed,
    speed_option,
)
from newsaudio.commands._show import load_show_from, show_options
from newsaudio.errors import ExitStatus

if TYPE_CHECKING:
    from newsaudio.pipeline.compose import DigestConfig, DigestSettings
    from newsaudio.pipeline.update import PublishedDigest, PublishedItem
    from newsaudio.show import Show
    from newsaudio.summarize import Summarizer


def published_json(item: PublishedItem, show: Show) -> dict[str, Any]:
    """The ``add --json`` object of an episode, plus ``text_source`` and ``source``."""
    return {
        **episode_json(item.result, show),
        "text_source": item.text_source,
        "source": item.source,
    }


def digest_json(item: PublishedDigest, show: Show) -> dict[str, Any]:
    """The ``digest --json`` object of a digest episode (``workers`` on a cluster), plus
    ``kind`` and ``sources``."""
    made = item.made
    record = {
        **episode_json(made.result, show),
        "kind": "digest",
        "chapters": [
            {"title": c.title, "start_ms": c.start_ms, "url": c.url} for c in made.chapters
        ],
        "stories": [a.title for a in made.stories],
        "left_out": [a.title for a in made.left_out],
        "sources": list(item.sources),
    }
    if made.workers:  # on a cluster: the worker that spoke each story, in story order
        record["workers"] = list(made.workers)
    if made.briefs:  # with briefs: an object per story
        record["stories"] = story_records(
            made, story_seconds(made, made.result.episode.duration_ms)
        )
    return record


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
    "--digest/--no-digest",
    "digest",
    default=None,
    help="Make the new items of this run ONE digest episode, a chapter per item "
    "(--no-digest: an episode each) [default: the [digest] settings of newsaudio.toml, "
    "per show or per source].",
)
@brief_options
@speed_option
@cache_dir_option
@cluster_option
@show_options
def update(
    dry_run: bool,
    as_json: bool,
    limit: int | None,
    digest: bool | None,
    speed: float | None,
    cache_dir: Path | None,
    cluster: str | None,
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    brief_seconds: float | None,
    summarizer: str | None,
    llm_url: str | None,
    llm_model: str | None,
) -> None:
    """Check every followed source and make an episode of each new item, published as it
    is made (then to the show's publish target, if it has one). Unchanged feeds cost one
    conditional request (304). Prints nothing when there is nothing new (for cron); -v logs
    each source. Exits 10 when some items or sources failed (the rest are published); a
    second update started meanwhile exits 0 at once.
    With --digest (or [digest] enabled = true) the new items become one digest episode; no
    new items: no episode, a one-line note, exit 0. With --brief (or [digest] brief = true)
    each story of a digest is read as a brief (see ``digest --help``)."""
    from newsaudio.config import find_config, read_digest_config
    from newsaudio.executors import LazyExecutor
    from newsaudio.pipeline.context import AddOptions, Runtime
    from newsaudio.pipeline.update import UpdateOptions, run_update

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url, speed=speed)
    options = AddOptions.from_show(show, cache_dir=cache_dir)

    digests = read_digest_config(find_config(config_file))
    if digest is not None:
        digests = digests.forced(digest)
    digesting = digests.show.enabled or any(s.enabled for s in digests.sources.values())
    digests, summarizers = _briefs(
        digests, config_file, brief_seconds, summarizer, llm_url, llm_model, cache_dir
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

    address = cluster_address(cluster, config_file)
    with closing(LazyExecutor(address)) as executor:
        report = run_update(
            show,
            options,
            Runtime(cache_dir=cache_dir),
            UpdateOptions(
                dry_run=dry_run,
                limit=limit,
                digest=digests if digesting else None,
                summarizers=summarizers,
                measure_briefs=not address,
            ),
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
    for note in report.notes:
        click.echo(f"newsaudio: note: {note}", err=True)
    if digesting and not dry_run and not report.digests and not report.episodes:
        click.echo("newsaudio: note: no new items; no digest made", err=True)
    for bulletin in report.digests:
        if bulletin.made.left_out:
            titles = "; ".join(a.title for a in bulletin.made.left_out)
            click.echo(f"newsaudio: note: left out of the digest until the next run: {titles}",
                       err=True)  # fmt: skip
        echo_brief_notes(bulletin.made)
        if not as_json:
            ep = bulletin.made.result.episode
            minutes, seconds = divmod(round(ep.duration_ms / 1000), 60)
            click.echo(
                f"{ep.title}\n  {bulletin.made.result.path} ({minutes}:{seconds:02d}; digest of "
                f"{len(bulletin.made.stories)} from {', '.join(bulletin.sources)})"
            )
    for item in report.episodes:
        report_removed(show, item.result.removed)
    for bulletin in report.digests:
        report_removed(show, bulletin.made.result.removed)
    due = False
    if not dry_run:
        from newsaudio.pipeline.write_back import has_due

        due = has_due(show)
    if (report.episodes or report.digests or (due and show.publish_to)) and not dry_run:
        publish_after_run(show)
    if due:  # after the feed is published: services hear only of episodes one can get
        from newsaudio.pipeline.write_back import write_back_due

        failed_sources = [s.name for s in report.sources if s.status in ("failed", "waiting")]
        written = write_back_due(show, skip_sources=failed_sources)
        for problem in written.problems:
            click.echo(f"newsaudio: error: {problem}", err=True)
        by_name = {s.name: s for s in report.sources}
        for name, count in written.done.items():
            if name in by_name:
                by_name[name].written_back = count
        for name, count in written.failed.items():
            if name in by_name:
                by_name[name].write_back_failed = count
    if as_json:
        out: dict[str, Any] = {
            "sources": [s.as_json() for s in report.sources],
            "episodes": [published_json(e, show) for e in report.episodes]
            + [digest_json(d, show) for d in report.digests],
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
                into = f"; into the digest {p.digest!r}" if p.digest else ""
                click.echo(f"  {p.title} ({how}{into})")
        bulletins: dict[str, list[str]] = {}
        for p in report.planned:
            if p.digest and not p.skipped:
                bulletins.setdefault(p.digest, []).append(p.title)
        for title, stories in bulletins.items():
            n = len(stories)
            click.echo(f"Digest {title!r}: {n} stor{'y' if n == 1 else 'ies'}")
            for story in stories:
                click.echo(f"  {story}")
    if report.failed:
        click.get_current_context().exit(int(ExitStatus.PARTIAL))


def _briefs(
    digests: DigestConfig,
    config_file: Path | None,
    seconds: float | None,
    summarizer: str | None,
    llm_url: str | None,
    llm_model: str | None,
    cache_dir: Path | None,
) -> tuple[DigestConfig, dict[str, Summarizer]]:
    """The digest settings with the flags applied (``--brief SECONDS``: every digest is a
    briefing of that budget; ``--summarizer``: every briefing's summarizer), and the
    summarizers the briefings need, created (and so checked) before the run: ConfigError
    for an llm without URL or model."""
    import dataclasses

    from newsaudio.config import find_config, read_summarizer_config
    from newsaudio.pipeline.compose import DigestConfig
    from newsaudio.summarize import create

    def forced(settings: DigestSettings) -> DigestSettings:
        values: dict[str, Any] = {}
        if seconds is not None:
            values.update(brief=True, story_seconds=seconds)
        if summarizer is not None:
            values["summarizer"] = summarizer
        return dataclasses.replace(settings, **values)

    digests = DigestConfig(forced(digests.show), {k: forced(v) for k, v in digests.sources.items()})
    wanted = [s for s in (digests.show, *digests.sources.values()) if s.enabled and s.brief]
    if not wanted:
        return digests, {}
    path = find_config(config_file)
    base = read_summarizer_config(path, base_url=llm_url, model=llm_model, cache_dir=cache_dir)
    summarizers: dict[str, Summarizer] = {"default": create(base)}
    for name in {s.summarizer for s in wanted if s.summarizer}:
        summarizers[name] = (
            summarizers["default"]
            if name == base.name
            else create(dataclasses.replace(base, name=name))
        )
    return digests, summarizers
