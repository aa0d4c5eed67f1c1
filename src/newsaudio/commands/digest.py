"""``newsaudio digest``: one episode from many articles, a chapter per story."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import click

from newsaudio.commands._brief import (
    brief_options,
    echo_brief_notes,
    make_brief_options,
    story_records,
    story_seconds,
)
from newsaudio.commands._common import (
    cache_dir_option,
    cluster_address,
    cluster_option,
    echo_error,
    episode_json,
    finite,
    progress_bar,
    publish_after_run,
    report_removed,
    speed_option,
    voice_option,
)
from newsaudio.commands._show import load_show_from, show_options


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--title", default=None, help="Episode title [default: the show's title and date].")
@click.option(
    "--max-minutes",
    type=click.FloatRange(min=0.5, max=24 * 60),
    default=None,
    callback=finite,
    help="Drop whole stories from the end until the episode fits in M minutes "
    "(the first story is always kept whole).",
)
@click.option("--strict", is_flag=True, help="Fail (publish nothing) if any source cannot be read.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object: the keys of 'add --json' plus chapters "
    "([{title, start_ms, url}]), stories, left_out, duplicates and failed; with --cluster "
    "also workers (the worker that spoke each story). With --brief each story is "
    "{title, brief: lead|llm, seconds, sentences, summarizer}.",
)
@brief_options
@show_options
@voice_option
@speed_option
@cache_dir_option
@click.option(
    "--no-jingle", is_flag=True, help="No intro, outro or stings (a pause between stories)."
)
@cluster_option
def digest(
    sources: tuple[str, ...],
    title: str | None,
    max_minutes: float | None,
    strict: bool,
    as_json: bool,
    out_dir: Path | None,
    config_file: Path | None,
    voice: str | None,
    speed: float | None,
    base_url: str | None,
    cache_dir: Path | None,
    no_jingle: bool,
    cluster: str | None,
    brief_seconds: float | None,
    summarizer: str | None,
    llm_url: str | None,
    llm_model: str | None,
) -> None:
    """Make ONE episode from all SOURCEs, in order, with a chapter per story.

    An intro sting, an opening line (show, date, headlines), then for each story a short
    sting, "From <site>: <headline>." and the article; then the outro. Sentences of articles
    already made into their own episodes come from the segment cache. The same digest made
    again the same day updates its episode; another day's is a new one.

    A source that cannot be read is reported on one line and left out (exit code: that
    error's); --strict makes it fatal. Two sources that are the same article are read once.

    With --brief each story is told in about SECONDS (a morning briefing: ten stories at 60 s
    make about ten minutes): its lead sentences, or with --summarizer llm a summary that is
    read only when every number and name in it is found in the article (otherwise, or when
    the endpoint fails, the lead; one line says so). Each chapter links to the show's own
    episode of that story when it has one. Put --brief after the sources, or give it a value
    (--brief=60): a bare --brief takes the next word as its value.
    """
    from newsaudio.pipeline.context import AddOptions, Runtime
    from newsaudio.pipeline.digest import digest as make_digest
    from newsaudio.text import wording

    show = load_show_from(
        config_file, remember=True, out_dir=out_dir, base_url=base_url, voice=voice, speed=speed
    )
    options = AddOptions.from_show(show, cache_dir=cache_dir, no_jingle=no_jingle)
    from newsaudio.config import find_config, read_digest_config

    defaults = read_digest_config(find_config(config_file)).show
    cluster = cluster_address(cluster, config_file)
    brief = make_brief_options(
        config_file,
        seconds=brief_seconds or (defaults.story_seconds if defaults.brief else None),
        enabled=defaults.brief or summarizer is not None,  # --summarizer implies --brief
        summarizer=summarizer or defaults.summarizer,
        llm_url=llm_url,
        llm_model=llm_model,
        cache_dir=cache_dir,
        measure=not cluster,  # on a cluster the voice is not loaded here: estimates
    )
    runtime = Runtime(cache_dir=cache_dir)
    with contextlib.ExitStack() as stack:
        render = None
        if cluster:  # a task per story, then one that assembles the digest; published here
            from newsaudio.executors.dask.client import DaskExecutor

            render = stack.enter_context(contextlib.closing(DaskExecutor(cluster))).render_digest
        update, finish = progress_bar("Speaking the digest")
        try:
            made = make_digest(
                sources,
                show,
                options,
                runtime,
                title=title,
                max_minutes=max_minutes,
                strict=strict,
                progress=update,
                render=render,
                brief=brief,
            )
        finally:
            finish()
    for _source, exc in made.failed:
        echo_error(exc, " (left out of the digest)")
    for duplicate, first in made.duplicates:
        click.echo(
            f"newsaudio: note: {wording.duplicate_note(duplicate.source, first.source)}", err=True
        )
    if made.over_budget and max_minutes is not None:
        click.echo(f"newsaudio: note: {wording.over_budget_note(max_minutes)}", err=True)
    echo_brief_notes(made)
    if made.left_out and max_minutes is not None:
        titles = [a.title for a in made.left_out]
        click.echo(f"newsaudio: note: {wording.left_out_note(titles, max_minutes)}", err=True)
    result = made.result
    ep = result.episode
    if as_json:
        record = episode_json(result, show)
        record["chapters"] = [
            {"title": c.title, "start_ms": c.start_ms, "url": c.url} for c in made.chapters
        ]
        record["stories"] = [a.title for a in made.stories]
        if made.briefs:  # with --brief: an object per story
            record["stories"] = story_records(made, story_seconds(made, ep.duration_ms))
        record["left_out"] = [a.title for a in made.left_out]
        record["duplicates"] = [a.source for a, _ in made.duplicates]
        record["failed"] = [{"source": s, "error": str(e)} for s, e in made.failed]
        if made.workers:  # on a cluster: the worker that spoke each story, in story order
            record["workers"] = list(made.workers)
        click.echo(json.dumps(record, ensure_ascii=False))
    else:
        minutes, seconds = divmod(round(ep.duration_ms / 1000), 60)
        click.echo(
            f"{ep.title} ({wording.stories(len(made.stories), capital=False)}, "
            f"{len(made.chapters)} chapters)\n  {result.path} ({ep.bytes:,} bytes, "
            f"{minutes}:{seconds:02d}, {ep.loudness.integrated_lufs:.1f} LUFS)\n"
            f"  feed: {show.out_dir / 'feed.xml'}"
        )
    report_removed(show, result.removed)
    publish_after_run(show)
    if made.failed:
        click.get_current_context().exit(int(made.failed[0][1].exit_status))
