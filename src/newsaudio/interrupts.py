"""Ctrl-C (SIGINT) handling that keeps the show consistent.

newsaudio lets SIGINT raise KeyboardInterrupt anywhere while an episode is rendered (nothing
of the show is touched then; finished segments are already in the cache), and the CLI turns
it into exit 130 and one line. Child processes (Piper workers, ffmpeg) run in their own
process groups, so the signal reaches only newsaudio, which stops them.

Publishing is the exception: :func:`deferred` holds SIGINT back while the catalog, the files
and the feed are written, and raises KeyboardInterrupt once they are complete, so the show is
never left half-updated.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Run the block with SIGINT held back; if one arrived, act on it when the block ends.

    Only the main thread can hold signals back; elsewhere (and where SIGINT is not handled by
    Python) this does nothing. Raises KeyboardInterrupt after a block that completed while a
    SIGINT arrived (a block that raised keeps its own exception).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and callable(previous):
        previous(signal.SIGINT, None)
