"""index.html: the show and its episodes, everything escaped, no external assets."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from lxml import html

from newsaudio.config import Show
from newsaudio.publish.site import build_page
from tests.support.episodes import episode

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
    assert "<b>" not in page and "<i>" not in page and "<script>alert" not in page
    assert page.count("<script>") == 1  # the page's own (copy button, relative times)
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
    assert times[1] == "2024-12-04 00:53 CET"  # with the zone's name
    assert doc.find_class("duration")[0].text == "20:31"
    assert doc.xpath("//input/@value") == [show.feed_url]


def test_page_has_no_external_assets(tmp_path: Path) -> None:
    page = build_page(Show(out_dir=tmp_path), [episode()])
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not url.startswith(("http://", "https://", "//")), url


def test_empty_show(tmp_path: Path) -> None:
    assert "No episodes yet." in build_page(Show(out_dir=tmp_path), [])


def test_page_shows_summary_source_link_qr_and_copy_button(tmp_path: Path) -> None:
    show = Show(out_dir=tmp_path, base_url="https://pod.example.org/show/")
    eps = [
        episode(guid="g1", slug="a", description="First summary.", link="https://ex.org/1"),
        episode(guid="g2", slug="b", description="Second <b>summary</b>.", link=None),
    ]
    doc = html.fromstring(build_page(show, eps))
    summaries = [p.text_content() for p in doc.find_class("summary")]
    assert summaries == ["First summary.", "Second <b>summary</b>."]
    sources = doc.xpath("//article//a[.='Source article']/@href")
    assert sources == ["https://ex.org/1"]  # one per episode that has a source URL
    (svg,) = doc.xpath("//svg")
    assert "https://pod.example.org/show/feed.xml" in svg.get("aria-label")
    assert doc.xpath("//button[@id='copy']") and doc.xpath("//input[@id='feed-url']")
    assert all(t.get("datetime") and t.text.endswith(" UTC") for t in doc.iter("time"))
