"""The show's web page, ``index.html``: cover, title, the feed URL to subscribe, and each
episode with its date, duration, an ``<audio>`` player and a transcript link.

Self-contained (inline CSS, no external assets), works from ``file://`` (relative links)
and over HTTP. Every text from articles is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote
from zoneinfo import ZoneInfo

from newsaudio.config import Show
from newsaudio.models import Episode
from newsaudio.publish.feed import to_datetime, xml_text


def e(text: str) -> str:
    """``text`` HTML-escaped (quotes too), without control characters HTML forbids."""
    return escape(xml_text(text), quote=True)


def _href(path: str) -> str:
    """A relative link to ``path`` (percent-encoded, then HTML-escaped)."""
    return escape(quote(path, safe="/-._~"), quote=True)


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:46rem;
margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fafafa;line-height:1.5}
header{display:flex;gap:1.5rem;align-items:center;margin-bottom:2rem}
header img{width:9rem;height:9rem;border-radius:.6rem}
h1{margin:.2rem 0;font-size:1.8rem}
.feed input{width:100%;font:inherit;padding:.3rem;border:1px solid #bbb;border-radius:.3rem}
article{background:#fff;border:1px solid #e3e3e3;border-radius:.6rem;padding:1rem;margin:1rem 0}
article h2{font-size:1.2rem;margin:0 0 .3rem}
.meta{color:#5b6470;font-size:.9rem}
audio{width:100%;margin:.5rem 0}
"""


def _clock(ms: int) -> str:
    s = round(ms / 1000)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def build_page(show: Show, episodes: Sequence[Episode]) -> str:
    """The HTML of ``index.html`` for ``show`` and ``episodes`` (newest first); dates are
    shown in the show's time zone, durations as [h:]mm:ss."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(show.language)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(show.title)}</title>",
        f'<link rel="alternate" type="application/rss+xml" title="{e(show.title)}" '
        f'href="feed.xml">',
        f"<style>{_CSS}</style></head><body>",
        '<header><img src="cover.jpg" alt="Cover art">',
        f"<div><h1>{e(show.title)}</h1><p>{e(show.description)}</p>",
        '<p class="feed">Subscribe in your podcast app with this feed URL:<br>',
        f'<input readonly value="{e(show.feed_url)}" aria-label="Feed URL"> '
        f'<a href="feed.xml">feed.xml</a></p></div></header><main>',
    ]
    if not episodes:
        parts.append("<p>No episodes yet.</p>")
    zone = ZoneInfo(show.timezone)
    for ep in episodes:
        when = to_datetime(ep.published, zone).astimezone(zone)
        parts += [
            f'<article id="{e(ep.guid)}"><h2>{e(ep.title)}</h2>',
            f'<p class="meta"><time datetime="{e(when.isoformat())}">'
            f"{e(when.strftime('%Y-%m-%d %H:%M'))}</time> · "
            f'<span class="duration">{_clock(ep.duration_ms)}</span>'
            + (f" · {e(ep.author)}" if ep.author else "")
            + "</p>",
            f'<audio controls preload="none" src="{_href("episodes/" + ep.file_name)}"></audio>',
            f'<p><a href="{_href(f"episodes/{ep.slug}.vtt")}">Transcript (WebVTT)</a> · '
            f'<a href="{_href(f"episodes/{ep.slug}.txt")}">Transcript (text)</a>'
            + (
                f' · <a href="{e(ep.link)}">Original article</a>'
                if ep.link and ep.link.startswith(("http://", "https://"))
                else ""
            )
            + "</p></article>",
        ]
    parts.append("</main></body></html>\n")
    return "\n".join(parts)
