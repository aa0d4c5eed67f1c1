"""Renders of one process taking turns at the engines.

When several renders run at once in one process (:mod:`newsaudio.executors.local` overlaps
them), the one the user waits for should get the voice's worker processes first: otherwise
all renders advance in lockstep, reach mastering together and leave the engines idle then.
A render's place is :data:`RENDER_PRIORITY` (lower goes first; ``None`` outside an overlapping
executor: no turns at all), set in the render's thread and carried into the threads that
speak its chunks.

- :func:`speaking` (used by :func:`newsaudio.tts.speak.speak`): a render waits to start
  speaking while a render before it has chunks not yet dispatched; it may start once that
  one dispatches its last chunks (its tail), so its synthesis overlaps the other's tail,
  mastering, tagging and publishing.
- Engines with a queue of their own (Piper's worker pool) serve waiting chunks in
  :data:`RENDER_PRIORITY` order.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar

RENDER_PRIORITY: ContextVar[int | None] = ContextVar("newsaudio_render_priority", default=None)
"""The place of the render the current thread works for (0 = the first); None: no turns."""


class _Turns:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._speaking: set[int] = set()

    @contextlib.contextmanager
    def speaking(self, priority: int | None) -> Iterator[Callable[[], None]]:
        """Wait until no render before ``priority`` is still dispatching, then hold the
        turn until the block ends or the yielded function is called (all chunks
        dispatched)."""
        if priority is None:
            yield lambda: None
            return
        with self._cond:
            while any(other < priority for other in self._speaking):
                self._cond.wait()
            self._speaking.add(priority)

        def release() -> None:
            self.end(priority)

        try:
            yield release
        finally:
            release()

    def end(self, priority: int) -> None:
        """Give up the turn of ``priority`` (if it holds one)."""
        with self._cond:
            if priority in self._speaking:
                self._speaking.discard(priority)
                self._cond.notify_all()


_TURNS = _Turns()


def speaking(priority: int | None) -> contextlib.AbstractContextManager[Callable[[], None]]:
    """The process-wide turn of the render at ``priority`` (see the module docstring): a
    context manager yielding a function to call once the render's last chunk is
    dispatched (the next render may then start speaking)."""
    return _TURNS.speaking(priority)


def end_turn(priority: int) -> None:
    """Give up the turn of the render at ``priority`` if it still holds one: called when
    the render ends, whatever happened to its speaking (a failed render's speaking may be
    finalized only later)."""
    _TURNS.end(priority)
