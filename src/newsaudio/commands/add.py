"""``newsaudio add``: make episodes from articles and publish them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsaudio.commands._common import progress_bar
from newsaudio.config import DEFAULT_BASE_URL, Show
from newsaudio.errors import NewsaudioError


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="The show's folder: feed.xml, index.html, episodes/.",
)
@click.option("--voice", default=None, help="Voice profile name (see voices/). Default: joe.")
@click.option(
    "--base-url",
    default=DEFAULT_BASE_URL,
    show_default=True,
    help="Public URL where the --out folder is served; enclosure URLs use it.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="NEWSAUDIO_CACHE_DIR",
    help="Segment cache folder [default: the user cache dir; env NEWSAUDIO_CACHE_DIR].",
)
@click.option("--no-jingle", is_flag=True, help="Leave out the intro and outro jingles.")
@click.option(
    "--bitrate",
    "bitrate_kbps",
    type=click.IntRange(32, 320),
    default=96,
    show_default=True,
    help="MP3 bitrate in kbps (CBR).",
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
    out_dir: Path,
    voice: str | None,
    base_url: str,
    cache_dir: Path | None,
    no_jingle: bool,
    bitrate_kbps: int,
    as_json: bool,
) -> None:
    """Make an episode from each SOURCE and publish it in the show's feed.

    SOURCE is a .txt file (its first non-empty line is the headline, blank lines separate
    paragraphs) or - for standard input. Adding the same source again updates its episode
    (same guid) instead of adding a duplicate.
    """
    from newsaudio.audio.master import MasterSettings
    from newsaudio.pipeline import AddOptions, Runtime
    from newsaudio.pipeline import add as add_episode
    from newsaudio.text.lexicon import load_lexicon
    from newsaudio.tts.base import DEFAULT_VOICE, builtin_voices_dir

    show = Show(out_dir=out_dir, base_url=base_url)
    lexicon = load_lexicon(builtin_voices_dir() / "lexicon.toml", Path("voices/lexicon.toml"))
    options = AddOptions(
        voice=voice or DEFAULT_VOICE,
        cache_dir=cache_dir,
        jingles=not no_jingle,
        master=MasterSettings(bitrate_kbps=bitrate_kbps),
        lexicon=lexicon,
    )
    runtime = Runtime(cache_dir=cache_dir)
    first_error: NewsaudioError | None = None
    for source in sources:
        update, finish = progress_bar(f"Speaking {Path(source).name if source != '-' else 'stdin'}")
        try:
            result = add_episode(source, show, options, runtime, progress=update)
        except NewsaudioError as exc:
            finish()
            if len(sources) == 1:
                raise
            click.echo(f"newsaudio: error: {exc}", err=True)
            first_error = first_error or exc
            continue
        finish()
        ep = result.episode
        if as_json:
            click.echo(
                json.dumps(
                    {
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
                    },
                    ensure_ascii=False,
                )
            )
        else:
            minutes, seconds = divmod(round(ep.duration_ms / 1000), 60)
            click.echo(
                f"{ep.title}\n  {result.path} ({ep.bytes:,} bytes, {minutes}:{seconds:02d}, "
                f"{ep.loudness.integrated_lufs:.1f} LUFS, "
                f"{ep.loudness.true_peak_dbtp:.1f} dBTP)\n  feed: {show.out_dir / 'feed.xml'}"
            )
    if first_error is not None:
        raise first_error
