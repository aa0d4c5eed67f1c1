"""index.html: the show and its episodes, everything escaped, no external assets."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from lxml import html

from newsaudio.config import Show
from newsaudio.publish.site import build_page

from .test_feed import episode

NASTY = 'Tom & Jerry <b>bold</b> <script>alert("x")</script> "q" 🎉\x07'


def test_page_escapes_everything_and_has_players(tmp_path: Path) -> None:
    show = Show(out_dir=tmp_path, title="A & B <i>Show</i>", timezone="Europe/Berlin")
    eps = [
        episode(title=NASTY, guid="g1", slug="tom", link="javascript:alert(1)"),
        episode(
            title="Second",
            guid="g2",
            slug="second",
            published=datetime(2024, 12, 3, 23, 53, 36, tzinfo=UTC),
            link="https://news.example.org/a?x=1&y=2",
        ),
    ]
    page = build_page(show, eps)
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "\x07" not in page
    doc = html.fromstring(page)
    assert [h.text_content() for h in doc.iter("h2")] == [NASTY.replace("\x07", ""), "Second"]
    assert doc.findtext(".//h1") == "A & B <i>Show</i>"
    audios = list(doc.iter("audio"))
    assert [a.get("src") for a in audios] == ["episodes/tom.mp3", "episodes/second.mp3"]
    links = [a.get("href") for a in doc.iter("a")]
    assert "javascript:alert(1)" not in links  # only http(s) article links
    assert "https://news.example.org/a?x=1&y=2" in links
    assert "episodes/tom.vtt" in links and "feed.xml" in links
    # dates in the show's zone, durations as m:ss
    times = [t.text for t in doc.iter("time")]
    assert times[1] == "2024-12-04 00:53"
    assert doc.find_class("duration")[0].text == "20:31"
    assert doc.xpath("//input/@value") == [show.feed_url]


def test_page_has_no_external_assets(tmp_path: Path) -> None:
    page = build_page(Show(out_dir=tmp_path), [episode()])
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not url.startswith(("http://", "https://", "//")), url


def test_empty_show(tmp_path: Path) -> None:
    assert "No episodes yet." in build_page(Show(out_dir=tmp_path), [])
