"""``newsaudio feed``: rebuild feed and page from the catalog; ``newsaudio feed check``;
``newsaudio feed token``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsaudio.commands._common import publish_after_run
from newsaudio.commands._show import load_show_from, show_options

if TYPE_CHECKING:
    from newsaudio.show import Show


@click.group(invoke_without_command=True)
@show_options
@click.option(
    "--keep",
    type=click.IntRange(0),
    default=None,
    help="Keep only the newest N episodes; older ones are removed (files too). 0 keeps all.",
)
@click.option(
    "--keep-days",
    type=click.IntRange(0),
    default=None,
    help="Remove episodes first published more than D days ago (files too). 0 keeps all.",
)
@click.pass_context
def feed(
    ctx: click.Context,
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    keep: int | None,
    keep_days: int | None,
) -> None:
    """Rebuild feed.xml and index.html from the catalog.

    Run it after changing show settings (title, base URL, cover...); a --base-url given
    here is kept as the show's setting. A show with a publish target is published after.
    With a subcommand (check, token), --config, --out and --base-url choose the show; they
    are accepted after the subcommand too (feed check --out DIR).
    """
    from newsaudio.publish import rebuild_show
    from newsaudio.publish.show import removal_reason

    if ctx.invoked_subcommand is not None:
        # the show is loaded by the subcommand, whose own show options win over these
        ctx.obj = {"config_file": config_file, "out_dir": out_dir, "base_url": base_url}
        return
    show = load_show_from(
        config_file,
        remember=True,
        out_dir=out_dir,
        base_url=base_url,
        keep=keep,
        keep_days=keep_days,
    )
    pruned = rebuild_show(show)
    for ep in pruned:
        click.echo(f"Removed {ep.guid}  {ep.title} ({removal_reason(show, ep)})")
    click.echo(f"Wrote {show.out_dir / 'feed.xml'} and {show.out_dir / 'index.html'}")
    click.echo(f"Feed URL: {show.feed_url}")
    publish_after_run(show)


@feed.command()
@click.argument("target", required=False, metavar="[URL|PATH]")
@show_options
@click.option(
    "--timeout", type=float, default=10.0, show_default=True, help="Seconds per HTTP request."
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"errors": [...], "warnings": [...]} on stdout.',
)
@click.pass_obj
def check(
    parent: dict[str, object] | None,
    target: str | None,
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    timeout: float,
    as_json: bool,
) -> None:
    """Check a feed against Apple's and Podcasting 2.0's rules.

    URL|PATH is a feed URL (then the host is also checked: HEAD and byte-range requests on
    every enclosure and the artwork) or a feed file PATH (then enclosure lengths are compared
    with the files in the show folder). Default: the show's feed.xml. Links to localhost,
    127.0.0.0/8 or another host than the feed's own are warnings. Prints one line per
    problem; exits non-zero if there is any error. --json prints {"errors": [...],
    "warnings": [...]} instead.
    """
    import json

    from newsaudio.errors import PublishError
    from newsaudio.publish.check import check_target

    show = _show(parent, config_file, out_dir, base_url)
    where = target or str(show.out_dir / "feed.xml")
    report = check_target(where, show=show, timeout_s=timeout)
    if as_json:
        warnings_ = [p for p in report.problems if p.level == "warning"]
        click.echo(
            json.dumps(
                {
                    "errors": [f"{p.where}: {p.message}" for p in report.errors],
                    "warnings": [f"{p.where}: {p.message}" for p in warnings_],
                },
                ensure_ascii=False,
            )
        )
        if report.errors:
            click.get_current_context().exit(int(PublishError.exit_status))
        return
    for problem in report.problems:
        click.echo(str(problem))
    errors = report.errors
    warnings = len(report.problems) - len(errors)
    click.echo(
        f"{where}: {_count(report.items, 'episode')}, {_count(len(errors), 'error')}, "
        f"{_count(warnings, 'warning')}"
    )
    if errors:
        raise PublishError(f"{where}: the feed has {_count(len(errors), 'error')} (listed above)")


def _count(n: int, noun: str) -> str:
    """``1 error``, ``2 errors``, ``0 errors``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _show(
    parent: dict[str, object] | None,
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
) -> Show:
    """The show named by a subcommand's own show options, else by the group's."""
    given = {"config_file": config_file, "out_dir": out_dir, "base_url": base_url}
    chosen: dict[str, Any] = {
        k: v if v is not None else (parent or {}).get(k) for k, v in given.items()
    }
    config = chosen.pop("config_file")
    return load_show_from(config if isinstance(config, Path) else None, **chosen)


@feed.command()
@show_options
@click.option(
    "--rotate",
    is_flag=True,
    help="Move the show to a new token (the old feed URL stops working).",
)
@click.pass_obj
def token(
    parent: dict[str, object] | None,
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    rotate: bool,
) -> None:
    """Show a private show's feed URL (its path holds the token), or rotate the token.

    With --rotate the feed and page are rebuilt for a new 128-bit token, the show is
    published under the new path (when it has a target), and the old path is deleted after
    the new one is up. Subscribers must subscribe again with the new URL.
    """
    from dataclasses import replace

    from newsaudio.config import show_token
    from newsaudio.errors import ConfigError
    from newsaudio.publish import rebuild_show

    show = _show(parent, config_file, out_dir, base_url)
    if not show.private:
        raise ConfigError(
            f"{show.out_dir}: the show is not private (set private = true in newsaudio.toml, "
            "or newsaudio init --private)"
        )
    if rotate:
        show = replace(show, token=show_token(show.state_dir, rotate=True))
        if show.catalog_path.is_file():
            rebuild_show(show)
            publish_after_run(show)
    click.echo(f"Feed URL: {show.feed_url}")
