"""``newsaudio serve``: serve the show folder over HTTP (byte ranges, podcast MIME types)."""

from __future__ import annotations

from pathlib import Path

import click

from newsaudio.commands._show import load_show_from, show_options


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
    """Serve the show folder; print the feed URL to paste into a podcast app, and its QR
    code for a phone's camera. Each request is logged on stderr (client, method, path,
    Range header, status, bytes sent).

    Serves files as they are, with byte ranges (206), HEAD and the MIME types podcast apps
    expect; never the show's .newsaudio/ state, dot-files, or anything outside the folder.
    The enclosure URLs inside feed.xml come from the show's base URL: if it differs from
    the address served here, rebuild the feed for it first (the command is printed).
    """
    import errno
    import socket
    import sys

    from newsaudio.errors import PublishError
    from newsaudio.publish.qr import qr_text
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
            if exc.errno == errno.EADDRINUSE:
                raise PublishError(
                    f"{host}:{port}: cannot listen: port {port} is already in use (another "
                    f"program, or another newsaudio serve); choose another with "
                    f"--port {_free_port(family, host, port)}"
                ) from exc
            raise PublishError(f"{host}:{port}: cannot listen ({exc.strerror})") from exc
    served = public_base_url(host, port)
    click.echo(f"Serving {show.out_dir} at {served}")
    feed_url = f"{served}{show.token}/feed.xml" if show.token else f"{served}feed.xml"
    click.echo(f"Feed URL (paste into your podcast app): {feed_url}")
    click.echo("Or point a phone's camera at this code:")
    click.echo(qr_text(feed_url), nl=False)
    loopback = ("http://localhost:", "http://127.0.0.1:")
    same = show.base_url == served or (
        show.base_url.startswith(loopback)
        and served.startswith(loopback)
        and show.base_url.split(":", 2)[2] == served.split(":", 2)[2]
    )
    offer = (
        not same
        and show.base_url.startswith(loopback)
        and not served.startswith(loopback)
        and sys.stdin.isatty()
    )
    # offer to make the LAN address the show's base URL, kept so no later add reverts it
    if offer and click.confirm(
        f"feed.xml points its episodes at {show.base_url}. Make {served} the show's base "
        "URL (kept in newsaudio.toml or the show's state) and rebuild the feed?",
        default=True,
        err=True,
    ):
        from dataclasses import replace

        from newsaudio.config import remember_base_url
        from newsaudio.publish import rebuild_show

        show = replace(show, base_url=served)
        click.echo(f"Base URL {served} kept in {remember_base_url(show, config_file)}", err=True)
        rebuild_show(show)
        same = True
    if not same:
        click.echo(
            f"Note: feed.xml points its episodes at {show.base_url}; to subscribe from this "
            f"address, first run: newsaudio feed --out {show.out_dir} --base-url {served}",
            err=True,
        )
    click.echo("Press Ctrl-C to stop. Each request is logged below.", err=True)
    _show_access_log()
    run(show.out_dir, host, port, show.token)


def _free_port(family: int, host: str, port: int) -> int:
    """The first port after ``port`` that ``host`` can listen on (or ``port`` + 1)."""
    import socket

    for candidate in range(port + 1, min(port + 50, 65536)):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    return port + 1


def _show_access_log() -> None:
    """Print the server's one-line-per-request log (newsaudio.serve) on stderr."""
    import logging
    import sys

    logger = logging.getLogger("newsaudio.serve")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
