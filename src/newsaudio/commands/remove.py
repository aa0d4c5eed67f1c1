"""``newsaudio remove``: take an episode out of the show."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsaudio.commands._common import publish_after_run
from newsaudio.commands._show import load_show_from, show_options

if TYPE_CHECKING:
    from newsaudio.models import Episode


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
    from newsaudio.sources.state import record_removal

    show = load_show_from(config_file, remember=True, out_dir=out_dir, base_url=base_url)

    def tombstone(episode: Episode, now: datetime) -> None:
        record_removal(show.state_dir, episode.guid, episode.source_key, now)

    removed = 0
    try:
        for guid in guids:
            episode = remove_episode(show, guid, on_remove=tombstone)
            removed += 1
            click.echo(f"Removed {episode.guid}  {episode.title}")
    finally:
        if removed:
            publish_after_run(show)
