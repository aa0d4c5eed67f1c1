"""Digest episodes: many articles, one episode, a chapter per story (issue 12).

Five local articles (Markdown with front matter, and one saved HTML page) whose images are
served by a real HTTP server on 127.0.0.1 are first made into single episodes, then into one
digest with the fake voice. Its chapters are read back by ffmpeg's demuxer, ffprobe (where
installed), eyeD3 (Debian ``eyed3``; skipped when absent) and mutagen; the chapters JSON is
validated against a JSON Schema written from the Podcasting 2.0 JSON Chapters spec 1.2.0.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsaudio.audio.ffmpeg import find_ffmpeg
from newsaudio.models import Article, Block
from newsaudio.pipeline.compose import dedupe, digest_key, fit
from newsaudio.text import wording
from tests.support import run_cli as run
from tests.support import write_fake_voice
from tests.support.audio import eyed3_python as _eyed3_python

STORIES = [
    ("Library reopens after two-year refit", "Harbour Gazette", True),
    ("Ferry fares rise by 4 percent in January", "Coastal Courier", True),
    ("Council approves 12 km of new cycle lanes", "Harbour Gazette", False),
    ("Fishing fleet returns early as storm nears", "Coastal Courier", True),
    ("School choir wins the regional final", "Town Crier", False),
]

# Podcasting 2.0 JSON Chapters, version 1.2 (podcast-namespace chapters/jsonChapters.md):
# required version (string) and chapters (array); a chapter requires startTime (number);
# title, img, url (strings), toc (boolean), endTime (number), location ({name, geo}) optional.
CHAPTERS_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["version", "chapters"],
    "properties": {
        "version": {"type": "string", "const": "1.2.0"},
        "author": {"type": "string"},
        "title": {"type": "string"},
        "podcastName": {"type": "string"},
        "description": {"type": "string"},
        "fileName": {"type": "string"},
        "waypoints": {"type": "boolean"},
        "chapters": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["startTime"],
                "additionalProperties": False,
                "properties": {
                    "startTime": {"type": "number", "minimum": 0},
                    "endTime": {"type": "number", "minimum": 0},
                    "title": {"type": "string"},
                    "img": {"type": "string", "format": "uri", "pattern": "^https?://"},
                    "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
                    "toc": {"type": "boolean"},
                    "location": {
                        "type": "object",
                        "required": ["name", "geo"],
                        "properties": {
                            "name": {"type": "string"},
                            "geo": {"type": "string"},
                            "osm": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}


def _png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 200), colour).save(buf, format="PNG")
    return buf.getvalue()


class _Images(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        m = re.fullmatch(r"/img/(\d+)\.png", self.path)
        if not m:
            self.send_response(404)
            self.end_headers()
            return
        body = _png((40 * int(m.group(1)), 90, 160))
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def image_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _body(i: int, title: str, paragraphs: int = 2) -> str:
    sentences = [
        f"This is the report on {title.lower()}, story {i + 1} of the day.",
        "Officials said the work had gone to plan and the costs stayed within budget.",
        f"About {120 + 7 * i} people came to see it on the first morning.",
        "Residents said they were pleased, though some wanted longer opening hours.",
    ]
    return "\n\n".join(" ".join(sentences[p % 4 :] + sentences[: p % 4]) for p in range(paragraphs))


def write_stories(folder: Path, images: str | None) -> list[Path]:
    """Four Markdown articles with front matter and one saved HTML page."""
    paths = []
    for i, (title, site, has_image) in enumerate(STORIES):
        url = f"https://news.example/{i + 1}/{title.lower().replace(' ', '-')}"
        image = f"{images}/img/{i + 1}.png" if images and has_image else None
        if i == 3:
            path = folder / f"story{i + 1}.html"
            meta = f'<meta property="og:image" content="{image}">' if image else ""
            paras = "".join(f"<p>{p}</p>" for p in _body(i, title).split("\n\n"))
            path.write_text(
                f'<!doctype html><html lang="en"><head><title>{title}</title>'
                f'<meta property="og:site_name" content="{site}">{meta}'
                f'<link rel="canonical" href="{url}"></head><body><article><h1>{title}</h1>'
                f"{paras}</article></body></html>",
                encoding="utf-8",
            )
        else:
            path = folder / f"story{i + 1}.md"
            front = f"---\ntitle: {title}\nsite: {site}\nurl: {url}\n"
            front += f"image: {image}\n" if image else ""
            path.write_text(f"{front}---\n\n{_body(i, title)}\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, image_server: str) -> Iterator[dict[str, Any]]:
    """The five stories made as single episodes, then as one digest (CLI, --json)."""
    root = tmp_path_factory.mktemp("digest")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.setenv("NEWSAUDIO_CACHE_DIR", str(root / "cache"))
        write_fake_voice(root)
        paths = write_stories(root, image_server)
        common = ["--voice", "fake", "--out", "show", "--base-url", "https://pod.example/"]
        code, out, err = run("add", *map(str, paths), *common, "--json")
        assert code == 0, err
        singles = [json.loads(line) for line in out.splitlines()]
        code, out, err = run("digest", *map(str, paths), *common, "--json", "--title", "Bulletin")
        assert code == 0, err
        record = json.loads(out)
        episodes = root / "show" / "episodes"
        yield {
            "root": root,
            "singles": singles,
            "digest": record,
            "stderr": err,
            "mp3": Path(record["path"]).resolve(),
            "chapters_json": json.loads(
                (episodes / f"{record['slug']}.chapters.json").read_text(encoding="utf-8")
            ),
            "vtt": (episodes / f"{record['slug']}.vtt").read_text(encoding="utf-8"),
        }


def _headlines() -> list[str]:
    return ["Headlines", *(t for t, _, _ in STORIES)]


def test_json_is_the_add_object_plus_chapters(made: dict[str, Any]) -> None:
    record, single = made["digest"], made["singles"][0]
    assert set(single) <= set(record)
    assert record["title"] == "Bulletin"
    assert [c["title"] for c in record["chapters"]] == _headlines()
    assert record["chapters"][0] == {"title": "Headlines", "start_ms": 0, "url": None}
    assert all(c["url"].startswith("https://news.example/") for c in record["chapters"][1:])
    assert record["stories"] == [t for t, _, _ in STORIES]
    assert record["left_out"] == [] and record["failed"] == [] and made["stderr"] == ""


def test_digest_of_rendered_articles_synthesizes_only_the_linking_lines(
    made: dict[str, Any],
) -> None:
    record = made["digest"]
    body = sum(s["utterances"] - 1 for s in made["singles"])  # each single's own headline
    assert record["synthesized"] == 1 + len(STORIES)  # the opening and one attribution each
    assert record["cached"] == body
    assert record["utterances"] == body + 1 + len(STORIES)


def _attribution_starts_ms(vtt: str) -> list[int]:
    starts = []
    for m in re.finditer(r"(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> .*\n(.*)", vtt):
        h, mi, s, ms, text = m.groups()
        if re.match(r"From [\w ]+: ", text):
            starts.append(((int(h) * 60 + int(mi)) * 60 + int(s)) * 1000 + int(ms))
    return starts


def test_chapters_start_at_the_attribution_lines(made: dict[str, Any]) -> None:
    starts = _attribution_starts_ms(made["vtt"])
    chapters = made["digest"]["chapters"]
    assert len(starts) == len(STORIES)
    for chapter, start in zip(chapters[1:], starts, strict=True):
        assert abs(chapter["start_ms"] - start) <= 50


def test_mutagen_reads_chapters_links_images_and_ordered_toc(made: dict[str, Any]) -> None:
    from mutagen.id3 import ID3, CTOCFlags

    tags = ID3(str(made["mp3"]))
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    (toc,) = tags.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    ordered = [chaps[i] for i in toc.child_element_ids]
    assert [c.sub_frames["TIT2"].text[0] for c in ordered] == _headlines()
    starts = [c.start_time for c in ordered]
    assert starts == sorted(starts) and starts[0] == 0
    assert starts == [c["start_ms"] for c in made["digest"]["chapters"]]
    assert "WXXX:" not in ordered[0].sub_frames
    for chap, (_, _, has_image), expected in zip(
        ordered[1:], STORIES, made["digest"]["chapters"][1:], strict=True
    ):
        assert chap.sub_frames["WXXX:"].url == expected["url"]
        pictures = chap.sub_frames.getall("APIC")
        assert bool(pictures) == has_image
        if pictures:
            assert pictures[0].mime == "image/jpeg" and pictures[0].data[:3] == b"\xff\xd8\xff"


def test_ffmpeg_demuxer_reads_six_chapters_in_order(made: dict[str, Any]) -> None:
    err = subprocess.run(
        [find_ffmpeg(), "-hide_banner", "-i", str(made["mp3"])], capture_output=True, text=True
    ).stderr
    starts = [float(x) for x in re.findall(r"Chapter #0:\d+: start ([\d.]+)", err)]
    titles = re.findall(r"Chapter #0:\d+:.*\n\s+Metadata:\n\s+title\s+: (.*)", err)
    assert titles == _headlines()
    expected = [c["start_ms"] / 1000 for c in made["digest"]["chapters"]]
    assert starts == pytest.approx(expected, abs=0.002)


def test_ffprobe_reads_six_chapters(made: dict[str, Any]) -> None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        pytest.skip("ffprobe is not installed (newsaudio never needs it)")
    out = subprocess.run(
        [ffprobe, "-v", "error", "-show_chapters", "-of", "json", str(made["mp3"])],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    chapters = json.loads(out)["chapters"]
    assert [c["tags"]["title"] for c in chapters] == _headlines()


def test_eyed3_reads_chapters_with_links(made: dict[str, Any]) -> None:
    python = _eyed3_python()
    if python is None:
        pytest.skip("eyeD3 is not installed (Debian: apt-get install eyed3)")
    probe = (
        "import eyed3, json, sys\n"
        "t = eyed3.load(sys.argv[1]).tag\n"
        "toc = [x for x in t.table_of_contents if x.toplevel][0]\n"
        "chaps = {c.element_id: c for c in t.chapters}\n"
        "print(json.dumps([[chaps[i].title, chaps[i].times.start, chaps[i].user_url,"
        " b'APIC' in chaps[i].sub_frames] for i in toc.child_ids] + [toc.ordered]))\n"
    )
    read = json.loads(
        subprocess.run(
            [python, "-c", probe, str(made["mp3"])], capture_output=True, text=True, check=True
        ).stdout
    )
    assert read.pop() is True  # ordered CTOC
    assert [r[0] for r in read] == _headlines()
    assert [r[1] for r in read] == [c["start_ms"] for c in made["digest"]["chapters"]]
    assert [r[2] for r in read] == [c["url"] for c in made["digest"]["chapters"]]
    assert [r[3] for r in read] == [False, *(img for _, _, img in STORIES)]


def test_chapters_json_validates_against_podcasting20_spec(
    made: dict[str, Any], image_server: str
) -> None:
    import jsonschema

    doc = made["chapters_json"]
    jsonschema.validate(doc, CHAPTERS_SCHEMA, format_checker=jsonschema.FormatChecker())
    chapters = doc["chapters"]
    assert [c["title"] for c in chapters] == _headlines()
    assert [round(c["startTime"] * 1000) for c in chapters] == [
        c["start_ms"] for c in made["digest"]["chapters"]
    ]
    images = [c.get("img") for c in chapters[1:]]
    assert images == [
        f"{image_server}/img/{i + 1}.png" if has else None for i, (_, _, has) in enumerate(STORIES)
    ]


def test_feed_lists_the_stories_with_links_and_list_shows_the_kind(made: dict[str, Any]) -> None:
    import feedparser

    root = made["root"]
    feed = feedparser.parse((root / "show" / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Bulletin")
    assert len(entry.summary.encode("utf-8")) < 4000
    for chapter in made["digest"]["chapters"][1:]:
        assert f'href="{chapter["url"]}"' in entry.summary
    assert "Five stories" in entry.summary
    _, out, _ = run("list", "--out", str(root / "show"), "--json")
    kinds = {row["title"]: row["kind"] for row in json.loads(out)}
    assert kinds["Bulletin"] == "digest" and kinds[STORIES[0][0]] == "single"
    _, out, _ = run("list", "--out", str(root / "show"))
    assert re.search(r"digest of 5\s+Bulletin", out)


# -- bad input --------------------------------------------------------------------------


def _stories(workdir: Path) -> list[str]:
    return [str(p) for p in write_stories(workdir, None)]


def test_one_failing_source_is_left_out_with_one_line(workdir: Path) -> None:
    paths = _stories(workdir)
    code, out, err = run("digest", paths[0], "missing.md", paths[1], "--voice", "fake", "--json")
    assert code == 3
    assert err.splitlines() == [
        "newsaudio: error: missing.md: no such file (left out of the digest)"
    ]
    record = json.loads(out)
    assert record["stories"] == [STORIES[0][0], STORIES[1][0]]
    assert record["failed"] == [{"source": "missing.md", "error": "missing.md: no such file"}]
    assert Path(record["path"]).is_file()


def test_strict_makes_a_failure_fatal_and_publishes_nothing(workdir: Path) -> None:
    paths = _stories(workdir)
    code, out, err = run("digest", paths[0], "missing.md", "--voice", "fake", "--strict")
    assert code == 3 and out == ""
    assert err.splitlines() == ["newsaudio: error: missing.md: no such file"]
    assert not (workdir / "output" / "episodes").exists()
    assert not (workdir / "output" / "feed.xml").exists()


def test_zero_usable_sources_is_one_line_and_nothing_published(workdir: Path) -> None:
    (workdir / "empty.md").write_text("\n", encoding="utf-8")
    code, out, err = run("digest", "missing.md", "empty.md", "--voice", "fake")
    assert code == 3 and out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("newsaudio: error: digest: no usable source (missing.md: no such file;")
    assert not (workdir / "output" / "episodes").exists()


def test_the_same_article_twice_is_one_story(workdir: Path) -> None:
    paths = _stories(workdir)
    copy = workdir / "copy.md"
    copy.write_text(Path(paths[0]).read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("digest", paths[0], paths[1], str(copy), paths[0], "--voice", "fake",
                         "--json")  # fmt: skip
    assert code == 0
    record = json.loads(out)
    assert record["stories"] == [STORIES[0][0], STORIES[1][0]]
    assert len(record["chapters"]) == 3
    assert len(err.splitlines()) == 2 and "read once" in err


def test_guid_is_stable_for_the_same_digest_and_new_the_next_day(workdir: Path) -> None:
    from newsaudio.commands._show import load_show_from
    from newsaudio.pipeline import AddOptions, Runtime
    from newsaudio.pipeline.digest import digest

    paths = []
    for i in range(3):
        paths.append(str(workdir / f"short{i}.md"))
        Path(paths[-1]).write_text(f"# Short story {i}\n\nOne sentence {i}.\n", encoding="utf-8")
    show = load_show_from(None, out_dir=workdir / "show")
    options = AddOptions(voice="fake", jingles=False)

    def make(day: int, sources: list[str]) -> str:
        now = datetime(2026, 12, day, 7, 0, tzinfo=UTC)
        runtime = Runtime(now=lambda: now)
        return digest(sources, show, options, runtime).result.episode.guid

    first = make(2, paths)
    assert make(2, list(reversed(paths))) == first  # the same set of stories, same day
    assert make(2, paths[:2]) != first  # another set
    assert make(3, paths) != first  # another day
    from newsaudio.publish import list_episodes

    assert len(list_episodes(show)) == 3


def test_a_second_digest_of_the_day_gets_its_own_title_kept_when_remade(workdir: Path) -> None:
    """Two digests of one day never share a title: the second gets the time of day (then a
    number), chosen when it is first made and kept when the same digest is made again."""
    from newsaudio.commands._show import load_show_from
    from newsaudio.pipeline import AddOptions, Runtime
    from newsaudio.pipeline.digest import digest
    from newsaudio.publish import list_episodes

    paths = []
    for i in range(4):
        paths.append(str(workdir / f"short{i}.md"))
        Path(paths[-1]).write_text(f"# Short story {i}\n\nOne sentence {i}.\n", encoding="utf-8")
    show = load_show_from(None, out_dir=workdir / "show", timezone="UTC", title="Harbour News")
    options = AddOptions(voice="fake", jingles=False)

    def make(hour: int, sources: list[str]) -> tuple[str, str]:
        now = datetime(2026, 12, 7, hour, 0, tzinfo=UTC)
        episode = digest(sources, show, options, Runtime(now=lambda: now)).result.episode
        return episode.guid, episode.title

    morning = make(7, paths[:2])
    evening = make(19, paths[2:])
    late = make(20, paths[1:3])
    assert morning[1] == "Harbour News, Monday 7 December"
    assert evening[1] == "Harbour News, Monday 7 December, evening"
    assert late[1] == "Harbour News, Monday 7 December, evening (2)"
    assert make(21, paths[2:]) == evening  # remade: the same guid and title
    assert make(8, paths[:2]) == morning
    titles = [e.title for e in list_episodes(show)]
    assert len(titles) == len(set(titles)) == 3


# -- --max-minutes ----------------------------------------------------------------------


def _long_story(folder: Path, i: int, chars: int) -> str:
    """A story of about ``chars`` characters: with the fake voice (40 ms a character) and
    its sentence pauses, 4,500 characters are a little over three minutes."""
    sentence = f"Story {i} goes on with one more sentence about the harbour and the town. "
    n = max(1, chars // len(sentence))
    paragraphs = ["".join([sentence] * 5) for _ in range(n // 5)]
    path = folder / f"long{i}.md"
    path.write_text(
        f"---\ntitle: Long story {i}\nsite: Harbour Gazette\n---\n\n" + "\n\n".join(paragraphs),
        encoding="utf-8",
    )
    return str(path)


def test_max_minutes_keeps_whole_stories_and_says_which_were_left_out(workdir: Path) -> None:
    paths = [_long_story(workdir, i, 4500) for i in range(1, 6)]
    code, out, err = run("digest", *paths, "--voice", "fake", "--json", "--max-minutes", "3")
    assert code == 0, err
    record = json.loads(out)
    assert record["stories"] == ["Long story 1"]  # never cut in half: the first is kept whole
    assert record["left_out"] == [f"Long story {i}" for i in range(2, 6)]
    assert "left out to stay within 3 minutes: Long story 2; Long story 3" in err
    assert "kept whole" in err
    story_sentences = len(Path(paths[0]).read_text().split("Story 1 goes on")) - 1
    assert record["utterances"] == 2 + story_sentences  # opening, attribution, every sentence


def test_max_minutes_drops_stories_from_the_end_to_fit(workdir: Path) -> None:
    paths = [_long_story(workdir, i, 1000) for i in range(1, 6)]
    code, out, err = run("digest", *paths, "--voice", "fake", "--json", "--max-minutes", "3")
    assert code == 0, err
    record = json.loads(out)
    kept = len(record["stories"])
    assert 1 < kept < 5 and record["stories"] == [f"Long story {i}" for i in range(1, kept + 1)]
    assert record["left_out"] == [f"Long story {i}" for i in range(kept + 1, 6)]
    assert record["duration_s"] <= 180
    assert len(record["chapters"]) == kept + 1
    assert err.splitlines() == [
        "newsaudio: note: left out to stay within 3 minutes: " + "; ".join(record["left_out"])
    ]


# -- units: wording, identity, duplicates, fitting ------------------------------------


def test_opening_reads_naturally_for_one_five_and_twenty_stories() -> None:
    day = date(2026, 12, 2)
    assert wording.opening("Harbour News", day, ["Library reopens after two-year refit"]) == (
        "Harbour News for Wednesday the second of December. One story today: "
        "Library reopens after two-year refit."
    )
    five = [t for t, _, _ in STORIES]
    assert wording.opening("Harbour News", day, five) == (
        "Harbour News for Wednesday the second of December. Five stories: Library reopens "
        "after two-year refit; Ferry fares rise by 4 percent in January; Council approves 12 km "
        "of new cycle lanes; Fishing fleet returns early as storm nears; and School choir wins "
        "the regional final."
    )
    twenty = [f"Headline {i}." for i in range(1, 21)]
    assert wording.opening("Harbour News", day, twenty) == (
        "Harbour News for Wednesday the second of December. Twenty stories, starting with: "
        "Headline 1; Headline 2; Headline 3; Headline 4; Headline 5; and fifteen more."
    )
    assert wording.opening("News", day, ["A?", "B"]).endswith("Two stories: A?; and B.")


def test_attribution_and_default_title() -> None:
    assert (
        wording.attribution("Harbour Gazette", "Library reopens after two-year refit", 0)
        == "From Harbour Gazette: Library reopens after two-year refit."
    )
    assert wording.attribution(None, "Fares rise", 0) == "First: Fares rise."
    assert wording.attribution(None, "Fares rise?", 3) == "Next: Fares rise?"
    assert wording.default_title("Harbour News", date(2026, 12, 2)) == (
        "Harbour News, Wednesday 2 December"
    )


def test_description_stays_under_apples_limit_with_and_n_more() -> None:
    title = "A long headline number {} about harbour & town " * 3
    listed = [
        wording.Listed(title.format(i, i, i), f"https://x.example/{i}", "Gazette")
        for i in range(60)
    ]
    text, markup = wording.description(listed)
    assert len(markup.encode("utf-8")) <= 4000 and len(text.encode("utf-8")) <= 4000
    m = re.search(r"<li>and (\d+) more</li></ol>$", markup)
    assert m is not None
    shown = markup.count("<a href=")
    assert shown + int(m.group(1)) == 60
    assert "&amp;" in markup and "Sixty stories" in markup
    few_text, few = wording.description(listed[:2])
    assert "more" not in few and few.count("<li>") == 2 and "Two stories" in few_text


def _article(key: str, title: str, url: str | None = None, text: str = "Body.") -> Article:
    return Article(title, (Block("paragraph", text),), key, key, source_url=url)


def test_dedupe_by_source_url_and_text() -> None:
    a = _article("a.md", "A", "https://x.example/a")
    b = _article("b.html", "B (updated)", "https://x.example/a", "Other.")
    c = _article("c.txt", "A", None)
    d = _article("d.txt", "D")
    kept, dropped = dedupe([a, b, c, d, a])
    assert kept == [a, d]
    assert [(x.source, y.source) for x, y in dropped] == [
        ("b.html", "a.md"), ("c.txt", "a.md"), ("a.md", "a.md")
    ]  # fmt: skip


def test_digest_key_ignores_order_and_changes_with_day_title_and_set() -> None:
    a, b = _article("a", "A"), _article("b", "B")
    day = date(2026, 12, 2)
    key = digest_key("Show", "T", day, [a, b])
    assert key == digest_key("Show", "T", day, [b, a])
    assert key != digest_key("Show", "T", date(2026, 12, 3), [a, b])
    assert key != digest_key("Show", "T2", day, [a, b])
    assert key != digest_key("Show", "T", day, [a])


def test_fit_keeps_whole_stories_and_measures_only_as_far_as_needed() -> None:
    measured: list[int] = []

    def story(i: int) -> int:
        measured.append(i)
        return 60_000

    assert fit(5, story, lambda k: 5_000 * k, 10_000, 180_000) == 2
    assert measured == [0, 1, 2]  # the third is measured, found too long; 4 and 5 never
    assert fit(5, lambda i: 200_000, lambda k: 5_000, 0, 180_000) == 1  # first kept whole
    assert fit(3, lambda i: 1_000, lambda k: 1_000, 0, 180_000) == 3
    assert fit(1, story, lambda k: 0, 0, 1) == 1


def test_transition_sting_is_loudness_matched_and_chapters_start_at_marks(tmp_path: Path) -> None:
    from dataclasses import replace

    import numpy as np

    from newsaudio.audio import jingle
    from newsaudio.audio.assemble import GAP_AFTER_STING_MS, TRANSITION_PAUSE_MS, assemble
    from newsaudio.audio.loudness import measure_segment
    from newsaudio.models import ChapterMark, Segment
    from tests.support.audio import sine, utt

    rate = 44100
    marks = [ChapterMark("Headlines"), ChapterMark("One", "https://x.example/1", None, True)]
    pieces = [
        (replace(utt("opening", 1200, "title"), chapter=marks[0]), sine(300, 2.0, 22050, amp=0.2)),
        (utt("body a", 900), sine(340, 1.5, 22050, amp=0.2)),
        (replace(utt("From X: One.", 1200, "heading", 1), chapter=marks[1]),
         sine(380, 1.5, 22050, amp=0.2)),
        (utt("body b", 900, block=2), sine(420, 1.5, 22050, amp=0.2)),
    ]  # fmt: skip
    programme = assemble(pieces, tmp_path / "p.pcm", sting=jingle.sting())
    cues, chapters = programme.timeline.cues, programme.timeline.chapters
    assert [(c.start_ms, c.title, c.url) for c in chapters] == [
        (0, "Headlines", None),
        (cues[2].start_ms, "One", "https://x.example/1"),
    ]
    pcm = np.fromfile(programme.pcm_path, dtype="<i2").reshape(-1, 1)

    def lufs(start_ms: int, end_ms: int) -> float:
        part = pcm[start_ms * rate // 1000 : end_ms * rate // 1000]
        return measure_segment(Segment(np.ascontiguousarray(part), rate)).integrated_lufs

    sting_ms = round(jingle.sting().duration_ms)
    sting_end = cues[2].start_ms - GAP_AFTER_STING_MS
    assert cues[2].start_ms - cues[1].end_ms >= 900 + sting_ms + GAP_AFTER_STING_MS - 60
    assert abs(lufs(sting_end - sting_ms, sting_end) - lufs(cues[0].start_ms, cues[1].end_ms)) <= 1
    silent = assemble(pieces, tmp_path / "q.pcm").timeline.cues  # no sting: a longer pause
    assert silent[2].start_ms - silent[1].end_ms >= TRANSITION_PAUSE_MS - 60


@pytest.mark.slow
def test_real_piper_digest_of_added_articles_speaks_only_the_linking_lines(
    workdir: Path,
) -> None:
    """With the default Piper voice, as real processes: two articles added, then digested."""
    import os
    import sys

    paths = []
    for i, (title, site, _) in enumerate(STORIES[:2]):
        path = workdir / f"real{i}.md"
        path.write_text(
            f"---\ntitle: {title}\nsite: {site}\n---\n\n"
            f"The report on story {i + 1} is short. It has two sentences.\n",
            encoding="utf-8",
        )
        paths.append(str(path))
    env = {**os.environ, "NEWSAUDIO_CACHE_DIR": str(workdir.parent / "cache")}

    def newsaudio(*args: str) -> list[dict[str, Any]]:
        proc = subprocess.run(
            [sys.executable, "-m", "newsaudio", *args, "--json"],
            cwd=workdir, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return [json.loads(line) for line in proc.stdout.splitlines()]

    singles = newsaudio("add", *paths)
    (record,) = newsaudio("digest", *paths)
    assert record["synthesized"] == 3  # the opening and two attributions
    assert record["cached"] == sum(s["utterances"] - 1 for s in singles)
    assert [c["title"] for c in record["chapters"]] == ["Headlines", STORIES[0][0], STORIES[1][0]]
    assert abs(record["loudness_lufs"] + 16) <= 1 and record["true_peak_dbtp"] <= -1


@pytest.mark.parametrize("value", ["nan", "inf", "0.1"])
def test_max_minutes_must_be_a_sensible_number(workdir: Path, value: str) -> None:

    (workdir / "a.txt").write_text("A headline\n\nOne sentence here.\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", "from newsaudio.cli import main; main()", "digest", "a.txt",
         "--voice", "fake", "--max-minutes", value, "--out", "show"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "--max-minutes" in proc.stderr
    assert not (workdir / "show").exists()
