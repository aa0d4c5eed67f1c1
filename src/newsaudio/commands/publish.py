"""``newsaudio publish``: copy the public part of the show to its target."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsaudio.commands._common import warn_unreachable
from newsaudio.commands._show import load_show_from, show_options


@click.command()
@show_options
@click.option(
    "--to",
    "to_url",
    default=None,
    metavar="URL",
    help="Target: s3://bucket/prefix, sftp://user@host[:port]/path, file:///path or a folder "
    "[default: [publish] to in newsaudio.toml, env NEWSAUDIO_PUBLISH_TO].",
)
@click.option("--dry-run", is_flag=True, help="Say what would travel; change nothing.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"target", "uploaded", "deleted", "unchanged", "bytes"} on stdout.',
)
def publish(
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    to_url: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Copy the show (everything in its folder but .newsaudio/) to a target.

    Media, transcripts, chapters and cover go first, then index.html, then feed.xml; files
    no longer in the show are deleted after the new feed is up, so the remote is consistent
    at every moment. Only new or changed files travel (content hash, checked against the
    remote's size and ETag). Credentials come from the standard AWS environment and config
    files (s3://) or from ssh-agent and ~/.ssh with known_hosts checking (sftp://); they
    are never printed, logged or stored. add, digest, update, remove and feed publish by
    themselves when the show has a target.

    \b
    Example:
      newsaudio publish --to s3://my-bucket/podcast --dry-run
      newsaudio publish --to sftp://me@host.example/var/www/podcast --json
    """
    from newsaudio.publish.remote import publish_show

    show = load_show_from(config_file, remember=not dry_run, out_dir=out_dir, base_url=base_url)

    def step(action: str, key: str) -> None:
        if not as_json:
            click.echo(f"{action} {key}")

    report = publish_show(show, to_url, dry_run=dry_run, on_step=step)
    warn_unreachable(show)  # after: a publish that fails says only why
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
        return
    if dry_run:
        for key in report.uploaded:
            click.echo(f"would upload {key}")
        for key in report.deleted:
            click.echo(f"would delete {key}")
    verb = "Would publish" if dry_run else "Published"
    click.echo(
        f"{verb} to {report.target}: {len(report.uploaded)} uploaded ({report.bytes:,} bytes), "
        f"{len(report.deleted)} deleted, {report.unchanged} unchanged"
    )
    click.echo(f"Feed URL: {show.feed_url}")
