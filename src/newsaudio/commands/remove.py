"""``newsaudio remove``: take an episode out of the show."""

from __future__ import annotations

from pathlib import Path

import click

from newsaudio.commands._common import publish_after_run
from newsaudio.commands.init import load_show_from, show_options


@click.command()
@click.argument("guids", nargs=-1, required=True, metavar="GUID...")
@show_options
def remove(
    guids: tuple[str, ...], config_file: Path | None, out_dir: Path | None, base_url: str | None
) -> None:
    """Remove episodes (by guid or slug, see newsaudio list) and rebuild the feed.

    The catalog row goes first, then feed.xml and index.html are rebuilt, then the MP3,
    transcripts and chapters are deleted, so the feed never points at a missing file. A
    show with a publish target is published after (deletions after the new feed).
    """
    from newsaudio.publish import remove_episode

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url)
    removed = 0
    try:
        for guid in guids:
            episode = remove_episode(show, guid)
            removed += 1
            click.echo(f"Removed {episode.guid}  {episode.title}")
    finally:
        if removed:
            publish_after_run(show)
