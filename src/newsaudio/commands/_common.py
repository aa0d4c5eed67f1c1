"""Helpers shared by the command modules: progress bars, JSON output, show options."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click


def progress_bar(label: str) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A progress callback drawing a click progress bar (with ETA) on stderr."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return  # no bar in logs and pipes: stderr stays one line per problem
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(
                length=total, label=label, file=sys.stderr, show_eta=True, show_pos=True
            )
            bar.__enter__()
            state["bar"] = bar
        bar.update(done - bar.pos)

    def finish() -> None:
        bar = state.pop("bar", None)
        if bar is not None:
            bar.__exit__(None, None, None)

    return update, finish
