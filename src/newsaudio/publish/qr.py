"""QR codes of the feed URL, so a phone subscribes by pointing its camera (segno, ISO/IEC
18004 QR Code 2015).

Two renderings of the same code (error correction level M, the smallest version that holds
the URL): :func:`qr_svg`, an inline ``<svg>`` element for index.html (modules are 4 CSS
pixels by default, dark on light with the standard 4-module quiet zone), and
:func:`qr_text`, block characters for a terminal (two module rows per text line).
"""

from __future__ import annotations

import functools
import io
from typing import Any


def _code(data: str) -> Any:
    import segno

    return segno.make(data, error="m", micro=False)


@functools.lru_cache(maxsize=8)
def qr_svg(data: str, *, scale: int = 4, label: str | None = None) -> str:
    """An inline ``<svg>`` element (no XML declaration) encoding ``data``; its ``<title>``
    and ``aria-label`` are ``label`` (default: ``data``). ``scale`` is CSS pixels per module.
    Kept per process (the page is rebuilt after every episode of a run; the code costs
    about 50 ms of mask scoring)."""
    out = io.BytesIO()
    _code(data).save(
        out,
        kind="svg",
        scale=scale,
        border=4,
        dark="#000",
        light="#fff",
        xmldecl=False,
        svgns=True,
        title=label or data,
        svgclass="qr",
        lineclass=None,
        omitsize=False,
    )
    svg = out.getvalue().decode("utf-8")
    return svg.replace("<svg ", f'<svg role="img" aria-label="QR code: {_attr(label or data)}" ', 1)


def qr_text(data: str) -> str:
    """``data`` as a QR code drawn with block characters, for a terminal (ends with a
    newline). Light modules are drawn as full blocks, so it scans on dark terminals."""
    out = io.StringIO()
    _code(data).terminal(out=out, compact=True, border=2)
    return out.getvalue()


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
