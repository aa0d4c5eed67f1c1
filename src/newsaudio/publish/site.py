"""The show's web page, ``index.html``: cover, title, the feed URL to subscribe (with a copy
button and its QR code), and each episode with its summary, date and time (with the time
zone), duration, an ``<audio>`` player, transcript links and the source article's link.

Self-contained (inline CSS, inline SVG, one small inline script; no external assets), works
from ``file://`` (relative links) and over HTTP, and fits a 390 px phone screen. Every text
from articles is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote
from zoneinfo import ZoneInfo

from newsaudio.models import Episode
from newsaudio.publish.feed import article_author, byline, to_datetime, xml_text
from newsaudio.show import Show


def e(text: str) -> str:
    """``text`` HTML-escaped (quotes too), without control characters HTML forbids."""
    return escape(xml_text(text), quote=True)


def _href(path: str) -> str:
    """A relative link to ``path`` (percent-encoded, then HTML-escaped)."""
    return escape(quote(path, safe="/-._~"), quote=True)


_CSS = """
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:46rem;
margin:1.5rem auto;padding:0 1rem;color:#1b1f24;background:#fafafa;line-height:1.5;
overflow-wrap:anywhere}
header{display:flex;flex-wrap:wrap;gap:1rem 1.5rem;align-items:center;margin-bottom:1.5rem}
header img{width:9rem;height:9rem;max-width:100%;border-radius:.6rem}
header>div{flex:1 1 16rem;min-width:0}
h1{margin:.2rem 0;font-size:1.8rem;line-height:1.2}
.subscribe{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;background:#fff;
border:1px solid #e3e3e3;border-radius:.6rem;padding:1rem;margin-bottom:1.5rem}
.subscribe .url{flex:1 1 14rem;min-width:0}
.subscribe .row{display:flex;gap:.5rem;margin:.4rem 0}
.subscribe input{flex:1;min-width:0;font:inherit;padding:.3rem;border:1px solid #bbb;
border-radius:.3rem}
.subscribe button{font:inherit;padding:.3rem .8rem;border:1px solid #888;border-radius:.3rem;
background:#f2f2f2;cursor:pointer}
.qr{flex:0 0 auto;width:9.25rem;max-width:100%;height:auto}
article{background:#fff;border:1px solid #e3e3e3;border-radius:.6rem;padding:1rem;margin:1rem 0}
article h2{font-size:1.2rem;margin:0 0 .3rem;line-height:1.3}
.meta{color:#5b6470;font-size:.9rem;margin:0}
.summary{margin:.5rem 0}
audio{display:block;width:100%;margin:.5rem 0}
"""

_SCRIPT = """
(function(){
  var b=document.getElementById('copy'),i=document.getElementById('feed-url');
  if(b&&i){b.addEventListener('click',function(){
    function done(){b.textContent='Copied';setTimeout(function(){b.textContent='Copy';},2000);}
    if(navigator.clipboard&&window.isSecureContext){
      navigator.clipboard.writeText(i.value).then(done,function(){i.select();});
    }else{i.focus();i.select();try{if(document.execCommand('copy'))done();}catch(e){}}
  });}
  if(!window.Intl||!Intl.RelativeTimeFormat)return;
  var f=new Intl.RelativeTimeFormat(document.documentElement.lang||undefined,{numeric:'auto'});
  var units=[['year',31536e3],['month',2592e3],['week',604800],['day',86400],['hour',3600],
    ['minute',60]];
  document.querySelectorAll('time[data-relative]').forEach(function(t){
    var s=(Date.parse(t.getAttribute('datetime'))-Date.now())/1000;
    if(isNaN(s))return;
    var u=units.find(function(x){return Math.abs(s)>=x[1];})||['second',1];
    var r=document.createElement('span');r.className='ago';
    r.textContent=' ('+f.format(Math.round(s/u[1]),u[0])+')';t.after(r);
  });
})();
"""


def _clock(ms: int) -> str:
    s = round(ms / 1000)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def _when(ep: Episode, zone: ZoneInfo) -> str:
    """``<time>`` of ``ep``'s publication: the date and time in the show's time zone with
    the zone's name (``2024-05-07 08:00 CEST``); the page's script adds "(2 hours ago)"."""
    when = to_datetime(ep.published, zone).astimezone(zone)
    shown = f"{when.strftime('%Y-%m-%d %H:%M')} {when.tzname() or when.strftime('%z')}"
    return (
        f'<time datetime="{e(when.isoformat())}" data-relative '
        f'title="{e(when.isoformat())}">{e(shown)}</time>'
    )


def build_page(show: Show, episodes: Sequence[Episode]) -> str:
    """The HTML of ``index.html`` for ``show`` and ``episodes`` (newest first).

    Layout fits any width down to a 390 px phone screen (nothing wider than the viewport).
    The feed URL is shown with a copy button and as a QR code (inline SVG, the same code
    ``serve`` prints). Each episode shows its summary, publication date and time in the
    show's time zone with the zone's name (a small script adds how long ago), duration as
    [h:]mm:ss, a player, transcripts and the link to the source article.
    """
    from newsaudio.publish.qr import qr_svg

    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(show.language)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex, nofollow">' if show.private else "",
        f"<title>{e(show.title)}</title>",
        f'<link rel="alternate" type="application/rss+xml" title="{e(show.title)}" '
        f'href="feed.xml">',
        f"<style>{_CSS}</style></head><body>",
        '<header><img src="cover.jpg" alt="Cover art">',
        f"<div><h1>{e(show.title)}</h1><p>{e(show.description)}</p></div></header>",
        '<section class="subscribe" aria-label="Subscribe"><div class="url">',
        '<label for="feed-url">Subscribe in your podcast app with this feed URL:</label>',
        f'<div class="row"><input id="feed-url" readonly value="{e(show.feed_url)}">'
        '<button id="copy" type="button">Copy</button></div>',
        '<p class="meta">Or point your phone\'s camera at the code. '
        '<a href="feed.xml">feed.xml</a></p></div>',
        qr_svg(show.feed_url, label=f"Feed URL {show.feed_url}"),
        "</section><main>",
    ]
    if not episodes:
        parts.append("<p>No episodes yet.</p>")
    zone = ZoneInfo(show.timezone)
    for ep in episodes:
        author = article_author(ep, show.author)
        published = byline(ep, zone, show.author)
        source = (
            f' · <a href="{e(ep.link)}" rel="noopener">Source article</a>'
            if ep.link and ep.link.startswith(("http://", "https://"))
            else ""
        )
        parts += [
            f'<article id="{e(ep.guid)}"><h2>{e(ep.title)}</h2>',
            f'<p class="meta">{_when(ep, zone)} · '
            f'<span class="duration">{_clock(ep.duration_ms)}</span>'
            + (f" · {e(author)}" if author else "")
            + (f" · from {e(ep.extra['source'])}" if ep.extra.get("source") else "")
            + "</p>",
            (f'<p class="meta article-date">{e(published)}</p>' if published else ""),
            f'<p class="summary">{e(ep.description)}</p>' if ep.description else "",
            f'<audio controls preload="none" src="{_href("episodes/" + ep.file_name)}"></audio>',
            f'<p class="meta"><a href="{_href(f"episodes/{ep.slug}.vtt")}">Transcript (WebVTT)'
            f'</a> · <a href="{_href(f"episodes/{ep.slug}.txt")}">Transcript (text)</a>'
            + source
            + "</p></article>",
        ]
    parts.append(f"</main><script>{_SCRIPT}</script></body></html>\n")
    return "\n".join(part for part in parts if part)
