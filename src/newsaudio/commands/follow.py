"""``newsaudio follow``: follow a feed (or a page announcing one)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from newsaudio.commands._show import load_show_from, show_options
from newsaudio.errors import InputError, UsageError


def _credential_env(pairs: tuple[str, ...]) -> dict[str, str]:
    """``--credential KEY=ENVVAR`` options as {key: variable}. Raises UsageError."""
    env: dict[str, str] = {}
    for pair in pairs:
        key, sep, variable = pair.partition("=")
        if not sep or not key.strip() or not variable.strip():
            raise UsageError(f"--credential {pair!r}: expected KEY=ENVVAR")
        env[key.strip()] = variable.strip()
    return env


def _ask_secrets(url: str, env: dict[str, str], again: bool = False) -> dict[str, str]:
    """The credentials of ``url``'s kind that neither ``env`` names nor credentials.toml
    holds (``again``: also those it holds), asked with hidden input (from a terminal; else
    one line each from standard input). Raises UsageError for a key the kind does not
    know, InputError for one not given."""
    from newsaudio.sources.credentials import read_all
    from newsaudio.sources.services import check_address, kind_class
    from newsaudio.sources.services.base import strip_secrets

    address = strip_secrets(url.strip())
    check_address(url.strip())  # a refused address costs no typing of secrets
    keys = kind_class(address).credential_keys
    unknown = sorted(set(env) - set(keys))
    if unknown:
        raise UsageError(
            f"--credential {unknown[0]}: not a credential of this kind ({', '.join(keys)})"
        )
    stored = read_all().get(address, {})
    missing = [k for k in keys if k not in env and (again or not stored.get(k))]
    secrets: dict[str, str] = {}
    for key in missing:
        if sys.stdin.isatty():
            value = click.prompt(
                f"{key} for {address}", hide_input=True, default="", show_default=False
            )
        else:
            value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise InputError(address, f"missing credential {key} (or --credential {key}=ENVVAR)")
        secrets[key] = value
    return secrets


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
    default=None,
    help="auto: the feed's (or service's) text if it has 150 words or more, else the "
    "linked page; always: the linked page; never: the feed's text only "
    "[default: auto; never for a mailbox].",
)
@click.option(
    "--when-published",
    type=click.Choice(["archive", "read", "none"]),
    default=None,
    help="Services and mailboxes: what to do with an item once its episode is in the "
    "published feed [default: archive for Wallabag, Readwise, Karakeep, Readeck; read for "
    "Miniflux, Google Reader API, IMAP].",
)
@click.option(
    "--credential",
    "credentials",
    multiple=True,
    metavar="KEY=ENVVAR",
    help="Read credential KEY from environment variable ENVVAR at every update (nothing "
    "stored). Repeatable. Keys not given are asked with hidden input and kept in "
    "credentials.toml (mode 0600) in your config folder.",
)
@click.option(
    "--move-to",
    default=None,
    metavar="FOLDER",
    help="IMAP: move a published newsletter to FOLDER (after marking it seen).",
)
@click.option(
    "--all-unread", is_flag=True, help="Miniflux: every unread entry, not only starred ones."
)
@show_options
def follow(
    url: str,
    name: str | None,
    voice: str | None,
    limit: int,
    include: str,
    exclude: str,
    full_text: str | None,
    when_published: str | None,
    credentials: tuple[str, ...],
    move_to: str | None,
    all_unread: bool,
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
) -> None:
    """Follow URL: an RSS, Atom or JSON Feed URL, a local feed file, or a web page that
    announces its feed. It is fetched once to check it; `newsaudio update` then makes
    episodes of its new items. Following the same feed again updates its settings.

    Read-later services and newsletters too: wallabag+https://HOST[/PATH], readwise:later
    (or readwise:new), karakeep+https://HOST, readeck+https://HOST, miniflux+https://HOST,
    greader+https://HOST/api/greader.php (FreshRSS...), imaps://USER@HOST[:PORT]/FOLDER.
    Their items are archived or marked read once their episode is published
    (--when-published)."""
    from newsaudio.sources.follow import FollowOptions
    from newsaudio.sources.follow import follow as follow_source
    from newsaudio.sources.service import ServiceOptions, is_service
    from newsaudio.tts.base import get_voice

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url)
    if voice is not None:
        get_voice(voice)  # an unknown voice fails now, not at every update
    service = ServiceOptions()
    secrets: dict[str, str] = {}
    if is_service(url):
        env = _credential_env(credentials)
        service = ServiceOptions(when_published, env, move_to, all_unread)
        secrets = _ask_secrets(url, env)
        if full_text is None and url.lower().startswith(("imap://", "imaps://")):
            full_text = "never"
    elif credentials or when_published or move_to or all_unread:
        raise UsageError(
            "--credential, --when-published, --move-to and --all-unread are for services "
            "and mailboxes, not feeds"
        )

    def options() -> FollowOptions:
        mode = full_text or "auto"
        return FollowOptions(name, voice, limit, include, exclude, mode, service, secrets)

    try:
        followed = follow_source(show, url, options(), datetime.now(UTC))
    except InputError as exc:
        # the stored secrets were refused (a changed password): ask again, in a terminal
        if not getattr(exc, "auth", False) or secrets or not sys.stdin.isatty():
            raise
        click.echo(f"newsaudio: {exc}; enter the credentials again", err=True)
        secrets = _ask_secrets(url, service.credential_env, again=True)
        followed = follow_source(show, url, options(), datetime.now(UTC))
    s = followed.source
    again = " (already followed; settings updated)" if followed.already else ""
    items = f"{followed.items} item{'' if followed.items == 1 else 's'}"
    if is_service(url):
        waiting = "items waiting" if followed.items else "nothing waiting now"
        click.echo(
            f"Following {s.name} ({followed.format}): signed in, {waiting}{again}\n  {s.url}"
        )
        return
    click.echo(f"Following {s.name}: {items}{again}\n  {s.url}")
    if followed.problem:
        click.echo(
            f"newsaudio: warning: {s.url}: the feed has errors ({followed.problem}); "
            f"followed anyway ({items} read)",
            err=True,
        )
