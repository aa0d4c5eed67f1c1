"""``newsaudio sources``: the followed sources; ``import`` and ``export`` as OPML 2.0."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from newsaudio.commands._show import load_show_from, show_folder_options


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


@click.group(invoke_without_command=True)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON array: name, url, last_checked, last_status, published, failed, error.",
)
@show_folder_options
@click.pass_context
def sources(
    ctx: click.Context,
    as_json: bool,
    config_file: Path | None,
    out_dir: Path | None,
) -> None:
    """The followed sources: name, URL, last check (time, HTTP status), items published and
    failed, last error and next retry. `sources import FILE.opml` and `sources export [FILE]`
    move the list to and from feed readers (OPML 2.0)."""
    ctx.ensure_object(dict)
    ctx.obj["show_flags"] = (config_file, out_dir)
    if ctx.invoked_subcommand is not None:
        return
    from newsaudio.sources.follow import source_statuses

    show = load_show_from(config_file, out_dir=out_dir)
    statuses = source_statuses(show)
    if as_json:
        rows: list[dict[str, Any]] = [
            {
                "name": st.source.name,
                "url": st.source.url,
                "last_checked": _when(st.source.last_checked),
                "last_status": st.source.last_status,
                "published": st.published,
                "failed": st.failed,
                "error": st.error,
                **(
                    {
                        "kind": _kind(st.source.url),
                        "write_back_failed": st.write_back_failed,
                        "write_back_error": st.write_back_error,
                    }
                    if _kind(st.source.url)
                    else {}
                ),
            }
            for st in statuses
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not statuses:
        click.echo("No sources followed (newsaudio follow URL)", err=True)
        return
    for st in statuses:
        s = st.source
        checked = (
            f"checked {_when(s.last_checked)}"
            + (f" (HTTP {s.last_status})" if s.last_status else "")
            if s.last_checked
            else "not checked yet"
        )
        click.echo(
            f"{s.name}\n  {s.url}\n  {checked}; {st.published} published, {st.failed} failed"
        )
        if s.gone:
            click.echo("  gone (HTTP 410): no longer checked")
        if st.error:
            click.echo(f"  last error: {st.error}")
        if st.write_back_failed:
            click.echo(
                f"  write-back failed for {st.write_back_failed} (retried at the next update):"
                f" {st.write_back_error}"
            )
        if s.next_retry:  # the feed asked to wait (429, 503 with Retry-After)
            click.echo(f"  next retry: {_when(s.next_retry)}")
        elif s.error and not s.gone:  # the last check failed: every update tries again
            click.echo("  next retry: at the next update (newsaudio update)")


def _kind(url: str) -> str | None:
    from newsaudio.sources.services import kind_of

    return kind_of(url)


def _show_from(ctx: click.Context, config_file: Path | None, out_dir: Path | None) -> Any:
    parent_config, parent_out = ctx.obj.get("show_flags", (None, None))
    return load_show_from(config_file or parent_config, out_dir=out_dir or parent_out)


@sources.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@show_folder_options
@click.pass_context
def import_(
    ctx: click.Context,
    file: Path,
    config_file: Path | None,
    out_dir: Path | None,
) -> None:
    """Follow every feed listed in an OPML FILE (as feed readers export it). Feeds are not
    fetched now; `newsaudio update` checks them."""
    from newsaudio.errors import InputError
    from newsaudio.loaders import read_source
    from newsaudio.sources.follow import import_outlines
    from newsaudio.sources.opml import import_opml

    show = _show_from(ctx, config_file, out_dir)
    try:
        data = read_source(str(file))
    except InputError:
        raise
    outlines = import_opml(data, str(file))
    added, refused = import_outlines(show, outlines, datetime.now(UTC))
    for line in refused:
        click.echo(f"newsaudio: skipped: {line}", err=True)
    click.echo(f"Imported {added} source{'' if added == 1 else 's'} from {file}")


@sources.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@show_folder_options
@click.pass_context
def export(
    ctx: click.Context,
    file: Path | None,
    config_file: Path | None,
    out_dir: Path | None,
) -> None:
    """Write the followed sources as OPML 2.0 to FILE (default: standard output)."""
    from newsaudio.fsutil import atomic_write_bytes
    from newsaudio.sources.follow import export_outlines
    from newsaudio.sources.opml import export_opml

    show = _show_from(ctx, config_file, out_dir)
    data = export_opml(export_outlines(show), f"{show.title}: sources", datetime.now(UTC))
    if file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write_bytes(file, data)
