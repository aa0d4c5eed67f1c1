"""``newsaudio serve``: serve the show folder over HTTP (byte ranges, podcast MIME types)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsaudio.commands._common import cache_dir_option, cluster_address, cluster_option
from newsaudio.commands._show import load_show_from, show_options

if TYPE_CHECKING:
    from newsaudio.config import ServeSettings
    from newsaudio.show import Show

STOP_GRACE_S = 7.0
"""Seconds a stop waits for the render in progress before leaving it for the next start
(the process exits within 10 s of SIGTERM)."""


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    from newsaudio.config import parse_duration
    from newsaudio.errors import ConfigError

    try:
        return parse_duration(value, "--update-every")
    except ConfigError as exc:
        raise click.BadParameter(str(exc).removeprefix("--update-every: ")) from None


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
@click.option(
    "--inbox/--no-inbox",
    "inbox",
    default=None,
    help="Take links at POST /api/inbox (a device token each: newsaudio inbox token add "
    "NAME) and make them episodes, one after another, published at once; the page /inbox "
    "pairs a phone [default: [serve] inbox in newsaudio.toml, else off].",
)
@click.option(
    "--inbox-allow-private",
    is_flag=True,
    default=None,
    help="Let the inbox take links whose host is in a private network (loopback, LAN, "
    "link-local); refused by default, so a token cannot probe your network.",
)
@click.option(
    "--update-every",
    "update_every_s",
    metavar="DURATION",
    callback=_duration,
    default=None,
    help="Run update every DURATION (30m, 2h, 1h30m) while serving; a run that falls due "
    "while another update runs is skipped [default: [serve] update_every or update_at "
    "in newsaudio.toml, else never].",
)
@cluster_option
@cache_dir_option
def serve(
    config_file: Path | None,
    out_dir: Path | None,
    base_url: str | None,
    host: str,
    port: int,
    inbox: bool | None,
    inbox_allow_private: bool | None,
    update_every_s: float | None,
    cluster: str | None,
    cache_dir: Path | None,
) -> None:
    """Serve the show folder; print the feed URL to paste into a podcast app, and its QR
    code for a phone's camera. Each request is logged on stderr (client, method, path,
    Range header, status, bytes sent).

    Serves files as they are, with byte ranges (206), HEAD and the MIME types podcast apps
    expect; never the show's .newsaudio/ state, dot-files, or anything outside the folder.
    The enclosure URLs inside feed.xml come from the show's base URL: if it differs from
    the address served here, rebuild the feed for it first (the command is printed).

    With --inbox (or [serve] inbox = true) serve is the show's always-on home: links shared
    from a phone are queued (kept in .newsaudio/inbox.sqlite across restarts), rendered and
    published one after another (then to the [publish] target, feed last). With
    --update-every or [serve] update_at = ["06:00", "18:00"] (the show's time zone) it runs
    update itself. GET /healthz answers {"status", "queue", "rendering", "last_update",
    "next_update"}. SIGTERM or Ctrl-C: new links get 503, the render in progress is
    finished and published if it can be within 7 s (else it is done again at the next
    start), and serve exits 0 within 10 s.
    """
    import errno
    import socket
    import sys

    from newsaudio.config import find_config, read_serve_config
    from newsaudio.errors import PublishError
    from newsaudio.publish.qr import qr_text
    from newsaudio.publish.serve import public_base_url, run

    show = load_show_from(config_file, out_dir=out_dir, base_url=base_url)
    settings = read_serve_config(find_config(config_file))
    inbox = settings.inbox if inbox is None else inbox
    allow_private = settings.inbox_allow_private or bool(inbox_allow_private)
    scheduled = (
        update_every_s is not None or bool(settings.update_at) or bool(settings.update_every_s)
    )
    if not (show.out_dir / "feed.xml").is_file() and not (inbox or scheduled):
        raise PublishError(f"{show.out_dir}: no feed.xml yet (newsaudio add ARTICLE first)")
    if inbox or scheduled:
        from newsaudio.fsutil import check_show_folder

        check_show_folder(show)  # a read-only show folder fails here, with one line
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
    _show_access_log()
    if not (inbox or scheduled):
        click.echo("Press Ctrl-C to stop. Each request is logged below.", err=True)
        run(show.out_dir, host, port, show.token)
        return
    _serve_home(
        show, served, host, port, inbox, allow_private, update_every_s, settings,
        cluster_address(cluster, config_file), cache_dir,
    )  # fmt: skip


def _serve_home(
    show: Show,
    served: str,
    host: str,
    port: int,
    inbox: bool,
    allow_private: bool,
    update_every_s: float | None,
    settings: ServeSettings,
    cluster: str | None,
    cache_dir: Path | None,
) -> None:
    """Serve with the inbox and/or scheduled updates (see :mod:`newsaudio.pipeline.home`);
    exits the process with 0 after a stop."""
    import os
    import sys

    from newsaudio.pipeline.context import AddOptions
    from newsaudio.pipeline.home import Home, Schedule, limit_arenas
    from newsaudio.publish.serve import run

    if not (show.out_dir / "feed.xml").is_file():
        from newsaudio.publish import rebuild_show

        rebuild_show(show)  # an empty feed to subscribe to before the first episode
    limit_arenas()
    schedule = Schedule(
        every_s=update_every_s or settings.update_every_s,
        at=() if update_every_s else settings.update_at,
        zone=show.timezone or "UTC",
    )
    retry = os.environ.get("NEWSAUDIO_INBOX_RETRY_S")  # tests: no minutes between attempts
    home = Home(
        show,
        AddOptions.from_show(show, cache_dir=cache_dir),
        cluster=cluster,
        cache_dir=cache_dir,
        inbox=inbox,
        schedule=schedule,
        retry_delay_s=float(retry) if retry else None,
    )
    routes = []
    if inbox:
        from newsaudio.inbox.api import inbox_routes

        assert home.queue is not None and home.tokens is not None
        routes = inbox_routes(
            home.queue,
            home.tokens,
            allow_private=allow_private,
            stopping=home.stopping.is_set,
            submitted=home.wake.set,
        )
        click.echo(f"Inbox: POST {served}api/inbox (Authorization: Bearer TOKEN)")
        click.echo(f"Inbox page: {served}inbox (pair a phone: newsaudio inbox token "
                   "add NAME prints its pairing URL and QR code)")  # fmt: skip
        if home.tokens.list() == []:
            click.echo("newsaudio: note: no inbox token yet (newsaudio inbox token add NAME)",
                       err=True)  # fmt: skip
    home.start()
    if home.next_update is not None:
        click.echo(f"Next update: {home.next_update.isoformat(timespec='seconds')}")
    click.echo("Press Ctrl-C to stop. Each request is logged below.", err=True)

    def stop() -> None:
        home.stop()
        home.wait_idle(STOP_GRACE_S)

    run(show.out_dir, host, port, show.token, routes=routes, health=home.health, on_stop=stop)
    sys.stdout.flush()
    sys.stderr.flush()
    _stop_engines(1.5)
    os._exit(0)  # the worker thread may still hold a render: leave it (recovered at start)


def _stop_engines(timeout_s: float) -> None:
    """Stop Piper's worker processes, waiting at most ``timeout_s``."""
    import threading

    from newsaudio.tts.base import shutdown_engines

    thread = threading.Thread(target=shutdown_engines, daemon=True)
    thread.start()
    thread.join(timeout_s)


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
