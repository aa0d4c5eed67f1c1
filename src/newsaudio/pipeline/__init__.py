"""The pipeline: the only package that runs the stages (load, clean, prepare, speak,
assemble, master, tag, publish: the table is in :mod:`.render`).

Its rooms: :mod:`.context` (options, runtime, assets, checks, work folder), :mod:`.render`
(one article), :mod:`.compose` (several Articles into one Script) and :mod:`.digest` (a
digest's render), :mod:`.jobs` (many renders through an executor), :mod:`.update` (a show's
followed sources). The names most callers want are re-exported here (lazily) for code
outside ``src/newsaudio`` (tests, scripts); newsaudio's own modules import the room itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsaudio.pipeline.context import (
        AddOptions,
        RenderJob,
        Rendition,
        Result,
        RunAssets,
        Runtime,
        check_run,
    )
    from newsaudio.pipeline.render import add, load_article

_ROOMS = {
    "AddOptions": "context",
    "RenderJob": "context",
    "Rendition": "context",
    "Result": "context",
    "RunAssets": "context",
    "Runtime": "context",
    "check_run": "context",
    "add": "render",
    "load_article": "render",
}

__all__ = [
    "AddOptions",
    "RenderJob",
    "Rendition",
    "Result",
    "RunAssets",
    "Runtime",
    "add",
    "check_run",
    "load_article",
]


def __getattr__(name: str) -> Any:
    """The re-exported names, imported from their room on first use (PEP 562), so that
    importing one light room (:mod:`.compose` for the settings) does not load them all."""
    room = _ROOMS.get(name)
    if room is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{room}"), name)
