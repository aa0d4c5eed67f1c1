"""index.html on a phone and on a desktop, in headless Chromium (Debian's ``chromium``).

The page is served over HTTP by ``newsaudio serve``'s app and shown at 390 px (a phone) and
1200 px wide. Screenshots land in the test's tmp folder (``index-390.png``,
``index-1200.png``). The DOM is measured by a small test page in the same show folder that
holds index.html in an iframe of the exact width and reports, after layout: every element
sticking out of the viewport, the page's scroll width, the QR code SVG, and the summaries
and source links of the episodes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html
from PIL import Image

from newsaudio.config import Show
from newsaudio.pipeline import AddOptions, Runtime, add
from tests.support.chromium import CHROMIUM, chromium
from tests.support.serving import running

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)"
    ),
]

MEASURE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<pre id="out">pending</pre>
<script>
var width = parseInt(location.search.slice(1), 10);
var frame = document.createElement('iframe');
frame.style.cssText = 'border:0;display:block;height:6000px;width:' + width + 'px';
frame.addEventListener('load', function () {
  var d = frame.contentDocument, w = d.documentElement.clientWidth, wide = [];
  d.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) {
      wide.push(el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '') + ' ' +
                Math.round(r.left) + '..' + Math.round(r.right));
    }
  });
  // text sticking out of its box (a long word that does not wrap) counts too
  var walker = d.createTreeWalker(d.body, NodeFilter.SHOW_TEXT), node, range = d.createRange();
  while ((node = walker.nextNode())) {
    if (!node.textContent.trim() || node.parentNode.closest('script,style')) continue;
    range.selectNodeContents(node);
    var t = range.getBoundingClientRect();
    if (t.width > 0 && (t.right > w + 0.5 || t.left < -0.5)) {
      wide.push('text "' + node.textContent.trim().slice(0, 30) + '" ' +
                Math.round(t.left) + '..' + Math.round(t.right));
    }
  }
  var arts = Array.prototype.slice.call(d.querySelectorAll('main article'));
  document.getElementById('out').textContent = JSON.stringify({
    viewport: w,
    scrollWidth: d.documentElement.scrollWidth,
    wide: wide,
    qr: Array.prototype.map.call(d.querySelectorAll('svg'), function (s) {
      var r = s.getBoundingClientRect();
      return {label: s.getAttribute('aria-label'), width: r.width, height: r.height};
    }),
    summaries: arts.map(function (a) { return a.querySelectorAll('.summary').length; }),
    sources: arts.map(function (a) {
      return Array.prototype.map.call(a.querySelectorAll('a'), function (l) {
        return l.textContent === 'Source article' ? l.href : null;
      }).filter(Boolean);
    }),
    ago: d.querySelectorAll('time + .ago').length,
    copy: !!d.getElementById('copy')
  });
});
frame.src = 'index.html';
document.body.appendChild(frame);
</script></body></html>
"""

LONG = "Supercalifragilisticexpialidocious-unbreakable-headline-word-" * 2


def _page(n: int) -> str:
    title = f"Story {n}: {LONG if n == 0 else 'council approves harbour plan'}"
    body = " ".join(["The council met on Tuesday and approved the plan for the harbour."] * 6)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="https://news.example.org/2024/05/07/{n}/{"x" * 90}">'
        f"</head><body><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article>"
        "</body></html>"
    )


@pytest.fixture
def show(workdir: Path) -> Show:
    """Three episodes from saved web pages (canonical URLs, so each has a source link), one
    with an unbreakable 120-character headline, and a long base URL."""
    show = Show(
        out_dir=workdir / "out",
        base_url="https://podcasts.example.org/a-rather-long-path/to-the-show-folder/",
        timezone="Europe/Berlin",
    )
    runtime = Runtime(cache_dir=workdir.parent / "cache")
    for n in range(3):
        page = workdir / f"story-{n}.html"
        page.write_text(_page(n), encoding="utf-8")
        add(str(page), show, AddOptions(voice="fake", jingles=False), runtime)
    (show.out_dir / "measure.html").write_text(MEASURE, encoding="utf-8")
    return show


def _measure(tmp_path: Path, url: str) -> dict[str, object]:
    run = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", url)
    assert run.returncode == 0, run.stderr[-2000:]
    text = html.fromstring(run.stdout).get_element_by_id("out").text_content()
    assert text != "pending", "the measuring page did not run"
    result: dict[str, object] = json.loads(text)
    return result


@pytest.mark.parametrize("width", [390, 1200])
def test_page_fits_the_screen_with_qr_summaries_and_sources(
    show: Show, tmp_path: Path, width: int
) -> None:
    with running(show.out_dir) as port:
        base = f"http://127.0.0.1:{port}/"
        facts = _measure(tmp_path, f"{base}measure.html?{width}")
        shot = tmp_path / f"index-{width}.png"
        taken = chromium(
            tmp_path, f"--window-size={width},1600", f"--screenshot={shot}", f"{base}index.html"
        )
    assert taken.returncode == 0, taken.stderr[-2000:]
    with Image.open(shot) as image:
        assert image.size == (width, 1600)
        low, high = image.convert("L").getextrema()
        assert high - low > 100  # something was drawn
    assert facts["viewport"] == width
    assert facts["wide"] == [], f"wider than {width} px: {facts['wide']}"
    assert facts["scrollWidth"] == width
    (qr,) = facts["qr"]  # type: ignore[misc]
    assert show.feed_url in qr["label"] and qr["width"] == qr["height"] >= 100
    assert facts["summaries"] == [1, 1, 1]  # one summary per episode
    sources = facts["sources"]
    assert isinstance(sources, list) and len(sources) == 3
    assert all(len(s) == 1 and s[0].startswith("https://news.example.org/") for s in sources)
    assert facts["ago"] == 3  # "(… ago)" after each date
    assert facts["copy"] is True
