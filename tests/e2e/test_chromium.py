"""index.html in a real browser: headless Chromium (Debian's ``chromium``), from file:// and
over HTTP through ``newsaudio serve``'s app. A screenshot lands in the test's tmp folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from newsaudio.config import Show
from tests.support.chromium import CHROMIUM, chromium
from tests.support.episodes import make_episodes
from tests.support.serving import running

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)"
    ),
]


def check_dom(dom: str, titles: list[str]) -> None:
    doc = html.fromstring(dom)
    audios = doc.xpath("//audio")
    assert len(audios) == len(titles)
    assert all(a.get("src", "").startswith("episodes/") for a in audios)
    assert [h.text_content() for h in doc.xpath("//article/h2")] == titles
    assert doc.xpath("//article//b | //article//script") == []  # no markup from articles
    assert doc.xpath("//img/@src") == ["cover.jpg"]


def test_page_in_headless_chromium(workdir: Path, tmp_path: Path) -> None:
    show = Show(out_dir=workdir / "out")
    results = make_episodes(workdir, show)
    titles = [r.episode.title for r in reversed(results)]
    page = (show.out_dir / "index.html").resolve()

    dumped = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    check_dom(dumped.stdout, titles)

    shot = tmp_path / "index.png"
    taken = chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000

    with running(show.out_dir) as port:
        over_http = chromium(tmp_path, "--dump-dom", f"http://127.0.0.1:{port}/")
    assert over_http.returncode == 0, over_http.stderr[-2000:]
    check_dom(over_http.stdout, titles)
