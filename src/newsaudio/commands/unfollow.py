"""``newsaudio unfollow``: stop following a source."""

from __future__ import annotations

from pathlib import Path

import click

from newsaudio.commands._show import load_show_from, show_folder_options


@click.command()
@click.argument("ref", metavar="NAME|URL")
@show_folder_options
def unfollow(ref: str, config_file: Path | None, out_dir: Path | None) -> None:
    """Stop following the source NAME (or URL). Its episodes stay in the show, and what it
    already made is remembered if you follow it again."""
    from newsaudio.sources.follow import unfollow as unfollow_source

    show = load_show_from(config_file, out_dir=out_dir)
    source = unfollow_source(show, ref)
    click.echo(f"Unfollowed {source.name} ({source.url}); its episodes stay")
