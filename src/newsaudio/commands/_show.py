"""The show every command works on: :func:`show_options`, the ``--config/--out/--base-url``
option stack, and :func:`load_show_from`, which applies the settings precedence (defaults <
file < ``NEWSAUDIO_*`` variables < flags, :func:`newsaudio.config.load_show`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from newsaudio.config import CONFIG_FILE, load_show, remember_base_url
from newsaudio.show import Show

F = TypeVar("F", bound=Callable[..., Any])


def show_options(f: F) -> F:
    """Add ``--config FILE``, ``--out DIR`` and ``--base-url URL`` to a command."""
    f = click.option(
        "--base-url",
        default=None,
        help="Public URL where the show folder is served; enclosure URLs use it "
        "[default: base_url in newsaudio.toml, else http://localhost:8000/].",
    )(f)
    return show_folder_options(f)


def show_folder_options(f: F) -> F:
    """Add ``--config FILE`` and ``--out DIR`` to a command: for commands on which the base
    URL has no effect (they write no feed, page or URL)."""
    f = click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="The show's folder: feed.xml, index.html, episodes/ "
        "[default: out_dir in newsaudio.toml, else ./output].",
    )(f)
    f = click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=f"Show settings file [default: ./{CONFIG_FILE} if present].",
    )(f)
    return f


def load_show_from(config_file: Path | None, remember: bool = False, **flags: Any) -> Show:
    """The show from ``config_file`` (or ./newsaudio.toml), NEWSAUDIO_* variables and the
    given flag values (None = not given). With ``remember`` (commands that write the feed),
    a ``--base-url`` given is kept as the show's setting (:func:`remember_base_url`), so a
    later command never reverts it. Raises ConfigError."""
    show = load_show(config_file, overrides=flags)
    if remember and flags.get("base_url"):
        remember_base_url(show, config_file)
    return show
