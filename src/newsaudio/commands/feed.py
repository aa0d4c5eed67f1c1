"""``newsaudio feed``: rebuild feed and page from the catalog; ``newsaudio feed check``."""

from __future__ import annotations

from pathlib import Path

import click

from newsaudio.commands.init import load_show_from, show_options


@click.group(invoke_without_command=True)
@show_options
@click.option(
    "--keep",
    type=click.IntRange(0),
    default=None,
    help="Keep only the newest N episodes; older ones are removed (files too). 0 keeps all.",
)
@click.pass_context
def feed(
    ctx: click.Context,
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    keep: int | None,
) -> None:
    """Rebuild feed.xml and index.html from the catalog.

    Run it after changing show settings (title, base URL, cover...). With a subcommand
    (check), --config, --out and --base-url choose the show whose feed is checked; they
    are accepted after the subcommand too (feed check --out DIR).
    """
    from newsaudio.publish import rebuild_show

    if ctx.invoked_subcommand is not None:
        # the show is loaded by the subcommand, whose own show options win over these
        ctx.obj = {"config_file": config_file, "out_dir": out_dir, "base_url": base_url}
        return
    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url, keep=keep)
    pruned = rebuild_show(show)
    for ep in pruned:
        click.echo(f"Removed {ep.guid}  {ep.title} (older than the newest {show.keep})")
    click.echo(f"Wrote {show.out_dir / 'feed.xml'} and {show.out_dir / 'index.html'}")
    click.echo(f"Feed URL: {show.feed_url}")


@feed.command()
@click.argument("target", required=False, metavar="[URL|PATH]")
@show_options
@click.option(
    "--timeout", type=float, default=10.0, show_default=True, help="Seconds per HTTP request."
)
@click.pass_obj
def check(
    parent: dict[str, object] | None,
    target: str | None,
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    timeout: float,
) -> None:
    """Check a feed against Apple's and Podcasting 2.0's rules.

    TARGET is a feed URL (then the host is also checked: HEAD and byte-range requests on
    every enclosure and the artwork) or a feed file (then enclosure lengths are compared
    with the files in the show folder). Default: the show's feed.xml. Prints one line per
    problem; exits non-zero if there is any error.
    """
    from newsaudio.errors import PublishError
    from newsaudio.publish.check import check_target

    given = {"config_file": config_file, "out_dir": out_dir, "base_url": base_url}
    chosen = {k: v if v is not None else (parent or {}).get(k) for k, v in given.items()}
    config = chosen.pop("config_file")
    show = load_show_from(config if isinstance(config, Path) else None, **chosen)
    where = target or str(show.out_dir / "feed.xml")
    report = check_target(where, show=show, timeout_s=timeout)
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
