"""``newsaudio serve``: serve the show folder over HTTP (byte ranges, podcast MIME types)."""

from __future__ import annotations

from pathlib import Path

import click

from newsaudio.commands.init import load_show_from, show_options


@click.command()
@show_options
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on "
    "(0.0.0.0: every interface, to subscribe from a phone on the same network).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="TCP port to listen on.",
)
def serve(
    config_file: Path | None, out_dir: Path | None, base_url: str | None, host: str, port: int
) -> None:
    """Serve the show folder and print the feed URL to paste into a podcast app.

    Serves files as they are, with byte ranges (206), HEAD and the MIME types podcast apps
    expect; never the show's .newsaudio/ state, dot-files, or anything outside the folder.
    The enclosure URLs inside feed.xml come from the show's base URL: if it differs from
    the address served here, rebuild the feed for it first (the command is printed).
    """
    import errno
    import socket

    from newsaudio.errors import PublishError
    from newsaudio.publish.serve import public_base_url, run

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url)
    if not (show.out_dir / "feed.xml").is_file():
        raise PublishError(f"{show.out_dir}: no feed.xml yet (newsaudio add ARTICLE first)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = "address in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            raise PublishError(f"{host}:{port}: cannot listen ({reason})") from exc
    served = public_base_url(host, port)
    click.echo(f"Serving {show.out_dir} at {served}")
    click.echo(f"Feed URL (paste into your podcast app): {served}feed.xml")
    loopback = ("http://localhost:", "http://127.0.0.1:")
    same = show.base_url == served or (
        show.base_url.startswith(loopback)
        and served.startswith(loopback)
        and show.base_url.split(":", 2)[2] == served.split(":", 2)[2]
    )
    if not same:
        click.echo(
            f"Note: feed.xml points its episodes at {show.base_url}; to subscribe from this "
            f"address, first run: newsaudio feed --out {show.out_dir} --base-url {served}",
            err=True,
        )
    click.echo("Press Ctrl-C to stop.", err=True)
    run(show.out_dir, host, port)
