"""``newsaudio follow``: follow a feed (or a page announcing one)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from newsaudio.commands._show import load_show_from, show_options


@click.command()
@click.argument("url")
@click.option("--name", default=None, help="The source's name [default: the feed's title].")
@click.option("--voice", default=None, help="Voice for this source's episodes.")
@click.option(
    "--limit",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    help="On the first update, make only the newest N items (never the archive).",
)
@click.option(
    "--include",
    default="",
    help="Comma-separated words or phrases: only items whose title or summary has one.",
)
@click.option(
    "--exclude",
    default="",
    help="Comma-separated words or phrases: items whose title or summary has one are skipped.",
)
@click.option(
    "--full-text",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="auto: the feed's text if it has 150 words or more, else the linked page; "
    "always: the linked page; never: the feed's text only.",
)
@show_options
def follow(
    url: str,
    name: str | None,
    voice: str | None,
    limit: int,
    include: str,
    exclude: str,
    full_text: str,
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
) -> None:
    """Follow URL: an RSS, Atom or JSON Feed URL, a local feed file, or a web page that
    announces its feed. It is fetched once to check it; `newsaudio update` then makes
    episodes of its new items. Following the same feed again updates its settings."""
    from newsaudio.sources.follow import FollowOptions
    from newsaudio.sources.follow import follow as follow_source
    from newsaudio.tts.base import get_voice

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url)
    if voice is not None:
        get_voice(voice)  # an unknown voice fails now, not at every update
    followed = follow_source(
        show,
        url,
        FollowOptions(name, voice, limit, include, exclude, full_text),
        datetime.now(UTC),
    )
    s = followed.source
    again = " (already followed; settings updated)" if followed.already else ""
    items = f"{followed.items} item{'' if followed.items == 1 else 's'}"
    click.echo(f"Following {s.name}: {items}{again}\n  {s.url}")
    if followed.problem:
        click.echo(
            f"newsaudio: warning: {s.url}: the feed has errors ({followed.problem}); "
            f"followed anyway ({items} read)",
            err=True,
        )
