"""Publishing: final sizes in the feed, re-adding in place, covers, and the helpers other
publishing tests use to make a small show quickly with the fake voice."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from newsaudio.config import Show
from newsaudio.errors import ConfigError
from newsaudio.pipeline import AddOptions, Runtime, add
from newsaudio.publish import ensure_cover, slug_for
from tests.support.episodes import make_episodes


def test_enclosure_length_is_final_tagged_size(workdir: Path) -> None:
    """FEED-01: length is the file's final size after ID3 tags and cover art."""
    show = Show(out_dir=workdir / "out", base_url="https://podcast.example.org/")
    (result,) = make_episodes(workdir, show, ["Harbour walk"])
    size = result.path.stat().st_size
    root = etree.fromstring((show.out_dir / "feed.xml").read_bytes())
    enclosure = root.find("channel/item/enclosure")
    assert enclosure is not None
    assert enclosure.get("length") == str(size) == str(result.episode.bytes)
    assert result.path.read_bytes()[:3] == b"ID3"  # tagged before its size was taken
    assert enclosure.get("url") == f"https://podcast.example.org/episodes/{result.path.name}"


def test_readding_updates_in_place_and_keeps_guid(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out")
    first = make_episodes(workdir, show, ["Same story"])[0].episode
    second = make_episodes(workdir, show, ["Same story"])[0].episode
    assert first.guid == second.guid and first.slug == second.slug
    root = etree.fromstring((show.out_dir / "feed.xml").read_bytes())
    assert len(root.findall("channel/item")) == 1


def test_a_feed_that_cannot_be_written_leaves_the_show_as_it_was(workdir: Path) -> None:
    """The feed is written before the episode is committed: when feed.xml cannot be written,
    the run fails (exit 7's PublishError) and the catalog, the feed and episodes/ are those
    of before (no episode in the catalog that no feed names); a re-render of an episode
    already there keeps the catalogued one."""
    from newsaudio.errors import PublishError
    from newsaudio.publish import list_episodes

    show = Show(out_dir=workdir / "out")
    (first,) = make_episodes(workdir, show, ["First story"])
    feed = show.out_dir / "feed.xml"
    before = sorted(p.name for p in show.episodes_dir.iterdir())
    feed.unlink()
    feed.mkdir()  # a folder where feed.xml goes: the write fails after the MP3 is in place
    runtime = Runtime(cache_dir=workdir.parent / "cache")
    options = AddOptions(voice="fake", jingles=False)
    second = workdir / "second.txt"
    second.write_text("Second story\n\nA new story, never published.\n", encoding="utf-8")
    again = workdir / "article-0.txt"  # the first story's source, changed: a re-render
    again.write_text("First story\n\nThe story, told again in other words.\n", encoding="utf-8")
    try:
        for source in (second, again):
            with pytest.raises(PublishError, match=r"feed\.xml"):
                add(str(source), show, options, runtime)
            assert list_episodes(show) == [first.episode]
    finally:
        feed.rmdir()
    assert sorted(p.name for p in show.episodes_dir.iterdir()) == before


def _image(fmt: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new(mode, size, "red" if mode != "L" else 128).save(buf, format=fmt)
    return buf.getvalue()


def test_user_cover_kept_converted_or_refused(tmp_path: Path) -> None:
    from PIL import Image

    good = tmp_path / "good.jpg"
    good.write_bytes(_image("JPEG", (1400, 1400)))
    show = Show(out_dir=tmp_path / "out", cover_image=good)
    assert ensure_cover(show).read_bytes() == good.read_bytes()  # byte for byte

    png = tmp_path / "big.png"
    png.write_bytes(_image("PNG", (3200, 3200), "RGBA"))
    cover = ensure_cover(Show(out_dir=tmp_path / "out", cover_image=png))
    with Image.open(cover) as img:
        assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (3000, 3000))

    for name, data, problem in (
        ("wide.png", _image("PNG", (2000, 1400)), "square"),
        ("small.jpg", _image("JPEG", (600, 600)), "1400-3000"),
        ("cover.gif", _image("GIF", (1500, 1500), "L"), "JPEG or PNG"),
        ("text.png", b"not an image", "not a JPEG or PNG"),
    ):
        bad = tmp_path / name
        bad.write_bytes(data)
        with pytest.raises(ConfigError, match=problem) as info:
            ensure_cover(Show(out_dir=tmp_path / "out2", cover_image=bad))
        assert str(bad) in str(info.value)


def test_drawn_cover_follows_the_title(tmp_path: Path) -> None:
    from PIL import Image

    first = ensure_cover(Show(out_dir=tmp_path, title="One")).read_bytes()
    again = ensure_cover(Show(out_dir=tmp_path, title="One")).read_bytes()
    other = ensure_cover(Show(out_dir=tmp_path, title="Two")).read_bytes()
    assert first == again != other
    with Image.open(io.BytesIO(other)) as img:
        assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (3000, 3000))


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "City council approves £1.2bn plan for new trams",
            "city-council-approves-1-2-billion-pounds-plan-for-new-trams",
        ),
        (
            "Heatwave: temperatures near 44°C in Seville",
            "heatwave-temperatures-near-44-degrees-celsius-in-seville",
        ),
        ("Shares fall 50% after $5k fine", "shares-fall-50-percent-after-5-thousand-dollars-fine"),
        ("Tickets: €3.50", "tickets-3-euros-and-50-cents"),
        ("Ünïcode & Spaces: Café (Morgen) — Folge 1", "unicode-spaces-cafe-morgen-folge-1"),
        ("™ Brand® → news ★", "brand-news"),
        ("£ and € alone", "and-alone"),
    ],
)
def test_slugs_say_symbols_or_drop_them(title: str, slug: str) -> None:
    """Slugs are built from what is said (the speech normalizer, digits kept), never from a
    transliteration of the symbol ('ps1-2bn', '44degc')."""
    assert slug_for(title) == slug


def test_slug_of_a_non_english_title_drops_symbols() -> None:
    assert slug_for("Hitzewelle: 44°C in Köln", "de") == "hitzewelle-44-c-in-koln"
