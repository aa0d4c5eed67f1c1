"""Property-based fuzzing (hypothesis, bounded examples) of the text front-end and of feed
and page writing.

* Front-end: any bytes, as a file of any article type or on stdin, go through
  load -> clean -> prepare. The only failure allowed is an InputError (one line); otherwise
  every utterance is non-empty, speakable and within the engine's limit.
* Feed and page: any Unicode in article and show fields (titles, bylines, descriptions,
  links) gives a strictly well-formed feed whose text nodes hold exactly the input minus
  the characters XML 1.0 forbids, and an index.html with no element the text did not
  come from the template.
"""

from __future__ import annotations

import io
import re
import string
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from newsaudio.config import Show
from newsaudio.errors import ConfigError, InputError
from newsaudio.loaders import load
from newsaudio.models import Episode, Loudness
from newsaudio.publish import MAX_SLUG_CHARS, slug_for
from newsaudio.publish.feed import build_feed, xml_text
from newsaudio.publish.site import build_page
from newsaudio.text.clean import clean_article, has_words
from newsaudio.text.prepare import prepare

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)

_WORDS = ["the", "council", "Budget", "2024", "£5m", "Dr.", "U.S.", "café", "naïve", "e.g.",
          "東京", "Москва", "القاهرة", "😀", "—", "...", "&amp;", "<b>", "</p>", "#", "*", "-",
          "[link](http://x)", "```", "\u00a0", "\u200b", "\u202e", "\ufeff", "\x00", "\r\n",
          "\n\n", "<script>x</script>", "<!--", "]]>", "x" * 70]  # fmt: skip

article_like = st.lists(st.sampled_from(_WORDS) | st.text(max_size=12), max_size=80).map(" ".join)
any_bytes = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    article_like.map(lambda t: t.encode("utf-8", "surrogatepass")),
    article_like.map(lambda t: f"<html><body><article><h1>{t}</h1><p>{t}</p>".encode(
        "utf-8", "surrogatepass")),
)  # fmt: skip


def _front_end(source: str, stdin: io.BytesIO | None = None) -> None:
    try:
        article = clean_article(load(source, stdin))
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).strip()
        return
    script = prepare(article, max_chars=400)
    for utterance in script.utterances:
        assert utterance.spoken.strip() and has_words(utterance.spoken)
        assert len(utterance.spoken) <= 400


@FUZZ
@given(data=any_bytes, suffix=st.sampled_from([".txt", ".md", ".html", ".htm", ""]))
def test_front_end_never_crashes_on_files(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"article{suffix}"
    path.write_bytes(data)
    _front_end(str(path))


@FUZZ
@given(data=any_bytes)
def test_front_end_never_crashes_on_stdin(data: bytes) -> None:
    _front_end("-", io.BytesIO(data))


@FUZZ
@given(title=st.text())
def test_slug_of_any_title_is_a_short_safe_name(title: str) -> None:
    slug = slug_for(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= MAX_SLUG_CHARS


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _tags(page: str) -> list[str]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _episode(title: str, description: str, author: str | None, link: str | None) -> Episode:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    return Episode(
        guid="8c1b5f7e-0000-5000-8000-000000000001",
        source_key="file:/fuzz",
        slug=slug_for(title),
        title=title,
        description=description,
        published=now,
        updated=now,
        duration_ms=61_000,
        bytes=12345,
        loudness=Loudness(-16.0, -1.5, 4.0),
        voice="fake",
        author=author,
        link=link,
    )


text_field = st.text(max_size=300) | article_like


@FUZZ
@given(
    title=text_field,
    description=text_field,
    author=st.none() | text_field,
    link=st.none() | text_field,
    show_title=text_field,
    show_author=text_field,
)
def test_feed_and_page_with_arbitrary_unicode(
    tmp_path: Path,
    title: str,
    description: str,
    author: str | None,
    link: str | None,
    show_title: str,
    show_author: str,
) -> None:
    try:
        show = Show(
            out_dir=tmp_path / "out",
            title=show_title,
            author=show_author,
            base_url="https://pod.example.org/",
        )
    except ConfigError:
        assume(False)
        return
    episode = _episode(title, description, author, link)
    data = build_feed(show, [episode], datetime(2024, 5, 2, tzinfo=UTC))
    rss = etree.fromstring(data, etree.XMLParser(recover=False, resolve_entities=False))
    item = rss.find("channel/item")
    assert item is not None and len(rss.findall("channel/item")) == 1
    assert (item.findtext("title") or "") == xml_text(title)
    assert (rss.findtext("channel/title") or "") == xml_text(show.title)
    assert item.findtext("guid") == episode.guid
    page = build_page(show, [episode])
    baseline = build_page(
        Show(out_dir=tmp_path / "out", title="Show", base_url="https://pod.example.org/"),
        [_episode("Title", "Text", "Author" if author is not None else None,
                  "https://example.org/a" if link is not None else None)],
    )  # fmt: skip
    assert sorted(set(_tags(page))) == sorted(set(_tags(baseline)))
    assert "<script" not in page.lower() or "<script" in baseline.lower()


@pytest.mark.parametrize("ch", [chr(c) for c in range(0x20)] + ["\ud800", "\ufffe", "\uffff"])
def test_every_xml_forbidden_character_is_dropped(tmp_path: Path, ch: str) -> None:
    show = Show(out_dir=tmp_path / "out", base_url="https://pod.example.org/")
    title = f"a{ch}b"
    data = build_feed(show, [_episode(title, title, title, None)])
    rss = etree.fromstring(data, etree.XMLParser(recover=False))
    got = rss.findtext("channel/item/title")
    assert got == (title if ch in "\t\n\r" else "ab")
    assert set(got or "") <= set(string.printable) | {ch}
