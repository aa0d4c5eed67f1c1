"""Bylines (issue 25): a byline paragraph is the article's author, never read nor described;
an article without an author is "Published <date>." in the feed and on the page, never "by"
the show."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from newsaudio.config import Show
from newsaudio.pipeline import AddOptions, Runtime, add
from newsaudio.publish.feed import build_feed, byline
from tests.support.episodes import episode

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
WHEN = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def page(workdir: Path, name: str, lead: str) -> Path:
    """An HTML article dated 6 December 2026 with no author metadata; ``lead`` (HTML) opens
    its body."""
    path = workdir / f"{name}.html"
    path.write_text(
        f"""<!DOCTYPE html><html lang="en"><head><title>Council approves harbour plan</title>
<meta property="article:published_time" content="{WHEN.isoformat()}"></head>
<body><article><h1>Council approves harbour plan</h1>{lead}
<p>The city council voted on Tuesday to approve the long-debated plan for the old harbour.</p>
<p>Work is due to begin in March and should take eighteen months, the council said.</p>
</article></body></html>""",
        encoding="utf-8",
    )
    return path


def test_byline_paragraph_credits_its_author_and_no_author_credits_no_one(
    workdir: Path,
) -> None:
    show = Show(out_dir=workdir / "out", author="Alex Doe")
    runtime = Runtime(cache_dir=workdir.parent / "cache")
    options = AddOptions(voice="fake", jingles=False)
    with_byline = add(str(page(workdir, "a", "<p>By Jane Smith</p>")), show, options, runtime)
    without = add(str(page(workdir, "b", "")), show, options, runtime)

    items = {
        i.findtext("guid"): i
        for i in etree.fromstring((show.out_dir / "feed.xml").read_bytes()).iter("item")
    }
    described = items[with_byline.episode.guid].findtext("description") or ""
    assert described.startswith("Published 6 December 2026 by Jane Smith.\n\n"), described
    assert "By Jane Smith" not in described
    assert described.split("\n\n", 1)[1].startswith("The city council voted")
    assert items[with_byline.episode.guid].findtext(f"{ITUNES}author") == "Jane Smith"
    plain = items[without.episode.guid].findtext("description") or ""
    assert plain.startswith("Published 6 December 2026.\n\n"), plain
    assert "Alex Doe" not in plain

    html = (show.out_dir / "index.html").read_text(encoding="utf-8")
    assert "Published 6 December 2026 by Jane Smith." in html
    assert "Published 6 December 2026.<" in html
    assert "by Alex Doe" not in html and "· Alex Doe" not in html
    transcript = (show.out_dir / "episodes" / f"{with_byline.episode.slug}.txt").read_text(
        encoding="utf-8"
    )
    assert "Jane Smith" not in transcript and "Council approves harbour plan" in transcript


def test_an_episode_that_stored_the_show_as_its_author_credits_no_one(tmp_path: Path) -> None:
    """Episodes rendered before this fix stored the show's author as the article's."""
    show = Show(out_dir=tmp_path, author="Alex Doe")
    dated = {"article_date": WHEN.isoformat()}
    assert byline(episode(author="Alex Doe", extra=dated), "UTC", "Alex Doe") == (
        "Published 6 December 2026."
    )
    assert byline(episode(author=None, extra=dated), "UTC", "Alex Doe") == (
        "Published 6 December 2026."
    )
    assert byline(episode(author="Jane Smith", extra=dated), "UTC", "Alex Doe") == (
        "Published 6 December 2026 by Jane Smith."
    )
    feed = build_feed(show, [episode(author="Alex Doe", extra=dated)]).decode("utf-8")
    assert "Published 6 December 2026.\n" in feed and "by Alex Doe" not in feed
