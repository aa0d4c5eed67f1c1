"""``newsaudio add``: make episodes from articles and publish them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsaudio.commands._common import (
    ArticleBar,
    cache_dir_option,
    cluster_address,
    cluster_option,
    echo_error,
    episode_json,
    progress_bar,
    publish_after_run,
    report_removed,
    speed_option,
    voice_option,
)
from newsaudio.commands._show import load_show_from, show_options
from newsaudio.errors import NewsaudioError

if TYPE_CHECKING:
    from newsaudio.pipeline.context import RenderJob, Result
    from newsaudio.show import Show


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@show_options
@click.option(
    "--keep",
    type=click.IntRange(0),
    default=None,
    help="Keep only the newest N episodes in the show; older ones are removed (never the "
    "one just made). 0 keeps all.",
)
@click.option(
    "--keep-days",
    type=click.IntRange(0),
    default=None,
    help="Remove episodes first published more than D days ago (never the one just made). "
    "0 keeps all.",
)
@voice_option
@speed_option
@cache_dir_option
@click.option("--no-jingle", is_flag=True, help="Leave out the intro and outro jingles.")
@click.option(
    "--intro",
    "intro",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Intro jingle: any audio file ffmpeg reads (default: a built-in sting).",
)
@click.option(
    "--outro",
    "outro",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Outro jingle: any audio file ffmpeg reads (default: a built-in sting).",
)
@click.option(
    "--music-bed",
    "music_bed",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Music played under the spoken headline, ducked under the voice.",
)
@click.option(
    "--loudness",
    "loudness_lufs",
    type=click.FloatRange(-36.0, -9.0),
    default=None,
    help="Integrated loudness target in LUFS (true peak stays <= -1 dBTP) "
    "[default: newsaudio.toml, else -16].",
)
@click.option(
    "--channels",
    type=click.Choice(["1", "2"]),
    default="1",
    show_default=True,
    help="MP3 channels: 1 mono, 2 stereo.",
)
@click.option(
    "--bitrate",
    "bitrate_kbps",
    type=click.IntRange(32, 320),
    default=None,
    help="MP3 bitrate in kbps (CBR) [default: newsaudio.toml, else 96].",
)
@cluster_option
@click.option(
    "--force",
    is_flag=True,
    help="Make an episode even from a page that looks like a login wall or paywall "
    "(refused by default with exit code 3).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object per episode on stdout (title, guid, path, url, "
    "bytes, duration_s, loudness_lufs, true_peak_dbtp, ...).",
)
def add(
    sources: tuple[str, ...],
    out_dir: Path | None,
    config_file: Path | None,
    keep: int | None,
    keep_days: int | None,
    voice: str | None,
    speed: float | None,
    base_url: str | None,
    cache_dir: Path | None,
    no_jingle: bool,
    intro: Path | None,
    outro: Path | None,
    music_bed: Path | None,
    loudness_lufs: float | None,
    channels: str,
    bitrate_kbps: int | None,
    cluster: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Make an episode from each SOURCE and publish it in the show's feed.

    SOURCE is a .txt file (its first non-empty line is the headline, blank lines separate
    paragraphs), a .md/.markdown file, a saved .html/.htm page, an http(s):// URL (fetched
    with a timeout and a 10 MiB cap), or - for standard input (HTML, Markdown or text,
    sniffed). Adding the same source again updates its episode
    (same guid) instead of adding a duplicate.
    """
    from newsaudio.tts.base import DEFAULT_VOICE, prestart, shutdown_engines

    show = load_show_from(
        config_file,
        remember=True,
        out_dir=out_dir,
        base_url=base_url,
        keep=keep,
        keep_days=keep_days,
        voice=voice,
        speed=speed,
        loudness_lufs=loudness_lufs,
        bitrate_kbps=bitrate_kbps,
    )
    cluster = cluster_address(cluster, config_file)
    from newsaudio.audio.rendition import mark_source

    # Piper's workers start now, loading the model while the article is read, except on a
    # cluster (its workers synthesize), when a file source is missing (it fails before any
    # synthesis) and on a warm re-run (every source rendered before with these settings)
    marks: dict[str, Path] = {}
    if not cluster and all(_may_exist(source) for source in sources):
        marks = _source_marks(
            sources, cache_dir, show, channels, no_jingle, intro, outro, music_bed
        )
        if len(marks) < len(sources) or not all(mark.is_file() for mark in marks.values()):
            from newsaudio.audio.ffmpeg import check_ffmpeg
            from newsaudio.fsutil import check_show_folder

            check_ffmpeg()  # nothing is written, and no worker starts, without ffmpeg
            check_show_folder(show)  # an unwritable show fails before any worker starts
            prestart(show.voice or DEFAULT_VOICE)
    click.get_current_context().call_on_close(shutdown_engines)  # also on errors and Ctrl-C

    from newsaudio.pipeline.context import AddOptions, RenderJob, Runtime
    from newsaudio.pipeline.jobs import render_and_publish

    options = AddOptions.from_show(
        show,
        cache_dir=cache_dir,
        no_jingle=no_jingle,
        intro=intro,
        outro=outro,
        music_bed=music_bed,
        channels=int(channels),
        force=force,
    )
    jobs = [RenderJob(source, source) for source in sources]
    errors: list[NewsaudioError] = []

    def bars(executor_name: str) -> _SourceBars | ArticleBar:
        return (
            ArticleBar(f"Rendering on {executor_name}", len(jobs)) if cluster else _SourceBars(jobs)
        )

    def published(job: RenderJob, result: Result) -> None:
        report_removed(show, result.removed)
        _print_episode(result, show, as_json)
        if job.key in marks:
            mark_source(marks[job.key])

    def failed_alone(job: RenderJob, exc: NewsaudioError) -> None:
        echo_error(exc)
        errors.append(exc)

    render_and_publish(
        jobs,
        show,
        options,
        Runtime(cache_dir=cache_dir),
        cluster,
        progress=bars,
        on_published=published,
        on_failed=failed_alone if len(sources) > 1 else None,
    )
    failed = len(errors)
    first_error = errors[0] if errors else None
    if failed < len(sources):
        publish_after_run(show)
    if first_error is not None:
        # each failure was reported on its own line above; exit with the first one's code
        click.echo(f"newsaudio: {failed} of {len(sources)} sources failed", err=True)
        click.get_current_context().exit(int(first_error.exit_status))


def _print_episode(result: Result, show: Show, as_json: bool) -> None:
    """One episode on stdout: a JSON object, or title, path and loudness for people."""
    ep = result.episode
    if as_json:
        click.echo(json.dumps(episode_json(result, show), ensure_ascii=False))
        return
    minutes, seconds = divmod(round(ep.duration_ms / 1000), 60)
    reused = "; audio reused from the cache" if result.cached and not result.synthesized else ""
    click.echo(
        f"{ep.title}\n  {result.path} ({ep.bytes:,} bytes, {minutes}:{seconds:02d}, "
        f"{ep.loudness.integrated_lufs:.1f} LUFS, "
        f"{ep.loudness.true_peak_dbtp:.1f} dBTP{reused})\n  feed: {show.out_dir / 'feed.xml'}"
    )


def _source_marks(
    sources: tuple[str, ...],
    cache_dir: Path | None,
    show: Show,
    channels: str,
    no_jingle: bool,
    *jingles: Path | None,
) -> dict[str, Path]:
    """The "rendered before" hint of each file source under these settings, by source (see
    :func:`newsaudio.audio.rendition.source_mark`; URLs, ``-`` and unreadable or special
    files have none). Each file is read once, here."""
    from newsaudio.audio.rendition import source_mark
    from newsaudio.tts.cache import SegmentCache

    segments = SegmentCache(cache_dir)
    settings = json.dumps(
        [show.voice, show.speed, show.loudness_lufs, show.bitrate_kbps, channels, show.jingles,
         no_jingle, *(str(p) for p in jingles)]
    )  # fmt: skip
    marks = {}
    for source in sources:
        if source != "-" and "://" not in source:
            mark = source_mark(segments, Path(source), settings)
            if mark is not None:
                marks[source] = mark
    return marks


def _may_exist(source: str) -> bool:
    """False for a file source that is certainly missing (URLs and ``-`` may exist)."""
    return source == "-" or "://" in source or Path(source).exists()


class _SourceBars:
    """One "Speaking NAME" bar per source, in job order, fed with (done, total) utterances."""

    def __init__(self, jobs: list[RenderJob]) -> None:
        self._names = [job.key if job.key != "-" else "stdin" for job in jobs]
        self._index = 0
        self._bar = progress_bar(self._label())

    def _label(self) -> str:
        names = self._names
        return f"Speaking {Path(names[self._index]).name if self._index < len(names) else ''}"

    def update(self, done: int, total: int) -> None:
        """Progress of the render in progress."""
        self._bar[0](done, total)

    def next(self, worker: str | None = None) -> None:
        """The render in progress ended: close its bar, ready the next source's."""
        self._bar[1]()
        self._index += 1
        self._bar = progress_bar(self._label())

    def close(self) -> None:
        """Nothing left open (each bar closes when its render ends)."""
