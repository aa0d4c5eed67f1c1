"""``newsaudio list``: the show's episodes from the catalog, newest first."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsaudio.commands._show import load_show_from, show_options


@click.command(name="list")
@show_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of episodes.")
def list_(
    config_file: Path | None, out_dir: Path | None, base_url: str | None, as_json: bool
) -> None:
    """List the show's episodes, newest first: date, duration, guid, kind ("single", or
    "digest of N" stories) and title.

    With --json, one JSON array of objects (guid, title, slug, published, duration_s,
    bytes, url, path, voice, loudness_lufs, source, kind) for scripts.
    """
    from newsaudio.errors import InputError
    from newsaudio.publish import list_episodes
    from newsaudio.publish.feed import to_datetime

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url)
    if not show.out_dir.is_dir():
        raise InputError(
            str(show.out_dir), "no show here: the folder does not exist (newsaudio add ARTICLE)"
        )
    episodes = list_episodes(show)
    if as_json:
        rows = [
            {
                "guid": ep.guid,
                "title": ep.title,
                "slug": ep.slug,
                "published": to_datetime(ep.published, show.timezone).isoformat(),
                "duration_s": round(ep.duration_ms / 1000, 3),
                "bytes": ep.bytes,
                "url": show.episode_url(ep.file_name),
                "path": str(show.episodes_dir / ep.file_name),
                "voice": ep.voice,
                "loudness_lufs": ep.loudness.integrated_lufs,
                "source": ep.source_key,
                "kind": ep.extra.get("kind", "single"),
            }
            for ep in episodes
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not episodes:
        click.echo(f"No episodes in {show.out_dir} yet (newsaudio add ARTICLE).", err=True)
        return
    for ep in episodes:
        minutes, seconds = divmod(round(ep.duration_ms / 1000), 60)
        date = to_datetime(ep.published, show.timezone).strftime("%Y-%m-%d %H:%M")
        kind = (
            f"digest of {ep.extra.get('stories', '?')}"
            if ep.extra.get("kind") == "digest"
            else "single"
        )
        click.echo(f"{date}  {minutes:3d}:{seconds:02d}  {ep.guid}  {kind:<12}  {ep.title}")


list = list_  # cli.py registers each command by its module's name
