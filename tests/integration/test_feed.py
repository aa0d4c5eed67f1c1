"""The feed: the shared FEED cases, strict XML whatever the text, and real parsers."""

from __future__ import annotations

import locale
import re
from datetime import datetime
from pathlib import Path

import feedparser
import podcastparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from newsaudio.config import Show
from newsaudio.publish import slug_for
from newsaudio.publish.feed import ITUNES, PODCAST, build_feed, explicit_value, rfc2822, xml_text
from tests.support import case_json
from tests.support.episodes import THREE_TITLES, episode, make_episodes

STRICT = etree.XMLParser(recover=False, resolve_entities=False)


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, STRICT)


def test_feed01_enclosure_exact_form_and_whole_second_duration(tmp_path: Path) -> None:
    case = case_json("FEED-01")
    url = case["input"]["url"]
    base, name = url.split("/episodes/")
    show = Show(out_dir=tmp_path, base_url=base + "/")
    ep = episode(
        slug=name.removesuffix(".mp3"),
        bytes=case["input"]["mp3_size_bytes_after_tagging"],
        duration_ms=round(case["input"]["duration_s"] * 1000),
    )
    data = build_feed(show, [ep])
    item = parse(data).find("channel/item")
    assert item is not None
    enclosure = item.find("enclosure")
    assert enclosure is not None
    # exactly this element, as serialized in the document
    assert any(
        line.strip() == case["expected"]["enclosure"] for line in data.decode("utf-8").splitlines()
    )
    assert enclosure.get("length") == "5860687"
    assert item.findtext(f"{{{ITUNES}}}duration") in ("20:31", "1231")


@pytest.mark.parametrize("lc", ["de_DE.UTF-8", "fr_FR.UTF-8", "C"])
def test_feed02_pubdate_naive_z_epoch_in_show_timezone(lc: str, tmp_path: Path) -> None:
    case = case_json("FEED-02")
    tz = case["input"]["show_timezone"]
    try:
        old = locale.setlocale(locale.LC_TIME)
        locale.setlocale(locale.LC_TIME, lc)
    except locale.Error:
        old = None
    try:
        got = [rfc2822(v["value"], tz) for v in case["input"]["published_values"]]
        show = Show(out_dir=tmp_path, timezone=tz)
        naive = datetime.fromisoformat(case["input"]["published_values"][0]["value"])
        item_date = parse(build_feed(show, [episode(published=naive)])).findtext(
            "channel/item/pubDate"
        )
    finally:
        if old is not None:
            locale.setlocale(locale.LC_TIME, old)
    assert got == case["expected"]["pubDate"]
    assert item_date == case["expected"]["pubDate"][0]


def test_feed04_explicit_always_true_or_false(tmp_path: Path) -> None:
    case = case_json("FEED-04")
    values = case["input"]["explicit_config_values"]
    assert [explicit_value(v) for v in values] == ["false", "false", "false", "false", "true"]
    for value in values:
        show = Show(out_dir=tmp_path, explicit=explicit_value(value) == "true")
        channel = parse(build_feed(show, [episode()])).find("channel")
        assert channel is not None
        text = channel.findtext(f"{{{ITUNES}}}explicit")
        assert text == ("true" if value is True else "false")


def test_feed05_ascii_slug_url_and_title_keeps_characters(workdir: Path) -> None:
    case = case_json("FEED-05")
    title = case["input"]["episode_title"]
    assert f"{slug_for(title)}.mp3" == case["expected"]["file_name_example"]
    show = Show(out_dir=workdir / "out", base_url=case["input"]["base_url"])
    (result,) = make_episodes(workdir, show, [title])
    item = parse((show.out_dir / "feed.xml").read_bytes()).find("channel/item")
    assert item is not None
    url = item.find("enclosure").get("url")  # type: ignore[union-attr]
    assert url.isascii() and not re.search(r"[\s&()]", url)
    assert url == show.base_url + "episodes/" + case["expected"]["file_name_example"]
    # consistency: the URL names exactly the file written
    assert (show.out_dir / url.removeprefix(show.base_url)).is_file()
    assert result.path.name == case["expected"]["file_name_example"]
    assert item.findtext("title") == title


def test_non_ascii_file_names_are_percent_encoded(tmp_path: Path) -> None:
    show = Show(out_dir=tmp_path, base_url="https://pod.example.org/Café shows/")
    assert show.base_url == "https://pod.example.org/Caf%C3%A9%20shows/"
    assert show.episode_url("a b(1)é.mp3") == show.base_url + "episodes/a%20b%281%29%C3%A9.mp3"


def test_markup_quotes_emoji_controls_escaped_once(tmp_path: Path) -> None:
    title = "Tom & Jerry <b>bold</b> \"quoted\" 'single' 🎉 \x07bell &amp; done"
    data = build_feed(Show(out_dir=tmp_path, title="A & B <Show>"), [episode(title=title)])
    root = parse(data)  # strict: no recovery
    expected = title.replace("\x07", "")
    assert root.findtext("channel/item/title") == expected
    assert root.findtext("channel/title") == "A & B <Show>"
    text = data.decode("utf-8")
    assert "&amp;amp;amp;" not in text and "&amp;amp;" in text  # the literal "&amp;" once
    assert "<b>" not in text and "\x07" not in text and "🎉" in text


_text = st.text(st.characters(codec=None), max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_text, description=_text, show_title=_text)
def test_any_unicode_stays_strict_xml_and_round_trips(
    title: str, description: str, show_title: str
) -> None:
    show = Show(out_dir=Path("/nonexistent"), title=show_title or "x")
    data = build_feed(show, [episode(title=title, description=description or "d")])
    root = parse(data)
    item = root.find("channel/item")
    assert item is not None
    assert item.findtext("title") == _xml_roundtrip(title)
    assert item.findtext("description") == _xml_roundtrip(description or "d")
    assert root.findtext("channel/title") == _xml_roundtrip(show_title or "x")


def _xml_roundtrip(text: str) -> str:
    """What an XML parser gives back for ``text`` written by the feed (line ends per XML §2.11)."""
    return xml_text(text)


def test_three_episode_feed_parses_with_feedparser_and_podcastparser(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out", base_url="http://127.0.0.1:8000/")
    results = make_episodes(workdir, show)
    data = (show.out_dir / "feed.xml").read_bytes()
    parse(data)

    fp = feedparser.parse(data)
    assert not fp.bozo, fp.get("bozo_exception")
    assert len(fp.entries) == 3
    by_guid = {e.id: e for e in fp.entries}
    for r in results:
        entry = by_guid[r.episode.guid]
        assert entry.enclosures[0].href == r.url
        assert int(entry.enclosures[0].length) == r.path.stat().st_size
        assert entry.enclosures[0].type == "audio/mpeg"
        assert entry.title == r.episode.title
    first = results[0].episode.title
    assert "&" in first and "<b>" in first and "🎉" in first and "\x07" not in first
    assert fp.feed.title == "newsaudio"

    pp = podcastparser.parse(show.feed_url, io_bytes(data))
    assert len(pp["episodes"]) == 3
    titles = {e["title"] for e in pp["episodes"]}
    assert THREE_TITLES[0].replace("\x07", "") in titles
    assert THREE_TITLES[2] in titles
    for e in pp["episodes"]:
        (enclosure,) = e["enclosures"]
        r = next(r for r in results if r.episode.guid == e["guid"])
        assert enclosure["file_size"] == r.path.stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg"
        assert e["total_time"] == round(r.episode.duration_ms / 1000)
    channel = parse(data).find("channel")
    assert channel is not None
    assert channel.findtext(f"{{{PODCAST}}}guid") == show.podcast_guid


def io_bytes(data: bytes) -> object:
    import io

    return io.BytesIO(data)


def test_podcast_guid_follows_the_namespace_rule() -> None:
    # the namespace's own example: podcastindex.org/namespace/1.0 documentation
    show = Show(out_dir=Path("."), base_url="https://mp3s.nashownotes.com/")
    assert show.feed_url == "https://mp3s.nashownotes.com/feed.xml"
    import uuid

    expected = uuid.uuid5(
        uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "mp3s.nashownotes.com/feed.xml"
    )
    assert show.podcast_guid == str(expected)


def test_long_description_cut_to_4000_bytes(tmp_path: Path) -> None:
    long = "Wörter " * 2000
    root = parse(build_feed(Show(out_dir=tmp_path, description=long), [episode(description=long)]))
    for path in ("channel/description", "channel/item/description"):
        text = root.findtext(path)
        assert text is not None and len(text.encode("utf-8")) <= 4000 and text.endswith("…")
