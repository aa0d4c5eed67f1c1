"""``newsaudio inbox``: the device tokens of the inbox (``serve --inbox``)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsaudio.commands._show import load_show_from, show_options
from newsaudio.errors import InputError, UsageError


@click.group()
def inbox() -> None:
    """The inbox of `serve --inbox`: links shared from a phone become episodes. Each device
    gets its own token (revoke one lost phone alone)."""


@inbox.group()
def token() -> None:
    """Add, list and revoke the inbox's device tokens."""


@token.command("add")
@click.argument("name")
@show_options
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"name", "token", "pair_url"} as one JSON object.',
)
def add(
    name: str, config_file: Path | None, out_dir: Path | None, base_url: str | None, as_json: bool
) -> None:
    """Make a token for device NAME (letters, digits, '.', '_', '-') and print it once,
    with the pairing URL (open it on the device: the token stays in its browser) and its
    QR code. Only a hash of the token is kept."""
    from newsaudio.inbox.tokens import TokenError
    from newsaudio.pipeline.home import open_tokens

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url)
    store = open_tokens(show)
    try:
        secret = store.add(name)
    except TokenError as exc:  # a name that is not usable, or taken: a usage error
        raise UsageError(str(exc)) from None
    pair_url = f"{show.base_url}inbox#token={secret}"
    if as_json:
        click.echo(json.dumps({"name": name, "token": secret, "pair_url": pair_url}))
        return
    from newsaudio.publish.qr import qr_text

    click.echo(f"Token for {name} (shown once; keep it like a password):\n  {secret}")
    click.echo(f"Pairing URL (open it on {name}; the token stays in its browser):\n  {pair_url}")
    click.echo("Or point the device's camera at this code:")
    click.echo(qr_text(pair_url), nl=False)
    click.echo(
        f"Shortcuts and scripts send the header 'Authorization: Bearer TOKEN' to "
        f"{show.base_url}api/inbox (see README, Inbox). Serve with: newsaudio serve --inbox",
        err=True,
    )


@token.command("list")
@show_options
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"tokens": [{"name", "created", "last_used"}]} (never the tokens).',
)
def list_tokens(
    config_file: Path | None, out_dir: Path | None, base_url: str | None, as_json: bool
) -> None:
    """The devices that have a token, with creation and last-use times (UTC); never the
    tokens themselves."""
    from newsaudio.pipeline.home import open_tokens

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url)
    infos = open_tokens(show).list()
    if as_json:
        rows = [{"name": i.name, "created": i.created, "last_used": i.last_used} for i in infos]
        click.echo(json.dumps({"tokens": rows}))
        return
    if not infos:
        click.echo("No inbox tokens (newsaudio inbox token add NAME makes one).", err=True)
    for i in infos:
        click.echo(f"{i.name}\tcreated {i.created}\tlast used {i.last_used or 'never'}")


@token.command("revoke")
@click.argument("name")
@show_options
def revoke(name: str, config_file: Path | None, out_dir: Path | None, base_url: str | None) -> None:
    """Delete device NAME's token: it stops working at once."""
    from newsaudio.inbox.tokens import TokenError
    from newsaudio.pipeline.home import open_tokens

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url)
    try:
        open_tokens(show).revoke(name)
    except TokenError:  # unknown, like remove or unfollow of an unknown name: exit 3
        raise InputError(name, "no such inbox token (see: newsaudio inbox token list)") from None
    click.echo(f"Revoked the inbox token of {name}", err=True)
