"""Untrusted article text never escapes into markup, tags or paths; fetching and serving
stay in their lanes; subprocesses never go through a shell."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from newsaudio.publish import MAX_SLUG_CHARS, slug_for
from tests.support.robustness.harness import child_env, feed_problems, partial_files

SRC = Path(__file__).resolve().parents[3] / "src" / "newsaudio"

EVIL_TITLE = (
    "../../../etc/passwd <script>alert('t')</script> ]]> &amp; &lt;b&gt; \"q\" 'a' "
    "{{7*7}} $(id) `id` %2e%2e/ \u202egnp.exe\u202c /root/.ssh"
)
EVIL_BYLINE = "<img src=x onerror=alert(1)> & Co ]]>"
EVIL_BODY = (
    '<iframe src=javascript:alert(2)></iframe> Tom & Jerry\'s "show" ]]> <![CDATA[x]]> '
    "</description><item><title>injected</title></item> \x1b[31m red."
)


def _add(wd: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsaudio", "add", *args, "--voice", "fake", "--out", "out"],
        cwd=wd,
        env=child_env(cache),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def evil_show(workdir: Path, cache_dir: Path) -> Path:
    """A show with one episode made from a Markdown article whose every field is hostile."""
    (workdir / "evil.md").write_text(
        f"---\ntitle: '{EVIL_TITLE.replace(chr(39), chr(39) * 2)}'\n"
        f"author: '{EVIL_BYLINE}'\n---\n\n{EVIL_BODY}\n",
        encoding="utf-8",
    )
    proc = _add(workdir, cache_dir, "evil.md")
    assert proc.returncode == 0, proc.stderr
    return workdir / "out"


def _only_episode_stem(out: Path) -> str:
    mp3s = list((out / "episodes").glob("*.mp3"))
    assert len(mp3s) == 1
    return mp3s[0].stem


@pytest.mark.slow
def test_hostile_title_stays_text_in_feed_page_tags_and_file_names(evil_show: Path) -> None:
    out = evil_show
    # file names: every published file is inside out/, named by an ASCII slug
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
    stem = _only_episode_stem(out)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", stem) and len(stem) <= MAX_SLUG_CHARS
    assert partial_files(out) == []
    # feed: strictly well-formed, one item, the title is the text itself, not markup
    assert feed_problems(out) == ([], 1)
    rss = etree.fromstring((out / "feed.xml").read_bytes(), etree.XMLParser(recover=False))
    items = rss.findall("channel/item")
    assert len(items) == 1
    title = items[0].findtext("title") or ""
    assert "<script>" in title and "]]>" in title
    assert not rss.xpath("//script | //iframe | //img")
    assert "injected" not in [t.text for t in rss.iter("title")]
    # page: no element made from article text
    page = lxml_html.fromstring((out / "index.html").read_bytes())
    assert not page.xpath("//main//script | //iframe | //img[@onerror] | //*[@onerror]")
    (own,) = page.xpath("//script")  # the page's own script (copy button, relative times)
    assert "alert" not in own.text_content()
    assert any("<script>" in (h.text_content()) for h in page.iter("h2", "h3", "a"))
    # ID3: the title frame holds the same text
    from mutagen.id3 import ID3

    tags = ID3(out / "episodes" / f"{stem}.mp3")  # type: ignore[no-untyped-call]
    assert "<script>alert('t')</script>" in str(tags["TIT2"])
    assert "\x1b" not in (out / "feed.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "title",
    [
        "../../etc/passwd",
        "..",
        ".",
        "/",
        "....//....//",
        "CON",
        "nul.txt",
        "\x00\x01\x02",
        "a" * 5000,
        "\u00e9" * 300,
        "\U0001f600" * 100,
        "\u202eexe.mp3",
        ".hidden",
        "-rf",
        " \t\n ",
    ],
)
def test_slug_is_a_safe_short_file_name(title: str) -> None:
    slug = slug_for(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    assert len(slug) <= MAX_SLUG_CHARS
    assert len(f"{slug}.chapters.json".encode()) < 255


@pytest.mark.slow
def test_five_thousand_character_title(workdir: Path, cache_dir: Path) -> None:
    (workdir / "long.txt").write_text(
        " ".join(["Overlong"] * 600) + "\n\nBody text here.\n", encoding="utf-8"
    )
    proc = _add(workdir, cache_dir, "long.txt")
    assert proc.returncode == 0, proc.stderr
    out = workdir / "out"
    for path in (out / "episodes").iterdir():
        assert len(path.name.encode()) < 255
    assert feed_problems(out)[0] == []


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def test_no_shell_anywhere_in_src() -> None:
    """Subprocesses get argument lists: no shell=True, os.system, os.popen or a command
    string passed to subprocess."""
    offenders: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"shell\s*=\s*True", text):
            offenders.append(f"{path}: shell=True")
        for call in _calls(ast.parse(text)):
            func = call.func
            name = (
                f"{func.value.id}.{func.attr}"
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                else getattr(func, "id", "")
            )
            if name in ("os.system", "os.popen", "os.execl", "os.spawnl", "commands.getoutput"):
                offenders.append(f"{path}:{call.lineno}: {name}")
            if name.startswith("subprocess.") and call.args:
                first = call.args[0]
                if isinstance(first, ast.Constant | ast.JoinedStr | ast.BinOp):
                    offenders.append(f"{path}:{call.lineno}: {name} with a string command")
    assert offenders == []


def test_url_fetch_refuses_other_schemes_before_any_io() -> None:
    from newsaudio.errors import InputError
    from newsaudio.loaders.url import fetch

    for url in ("file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "data:,hi"):
        with pytest.raises(InputError, match="only http and https"):
            fetch(url)


def test_url_limits_come_from_the_environment() -> None:
    from newsaudio.errors import ConfigError
    from newsaudio.loaders.url import FetchLimits

    limits = FetchLimits.from_env({"NEWSAUDIO_FETCH_TIMEOUT": "2"})
    assert limits.total_timeout_s == 2 and limits.read_timeout_s == 2
    assert limits.connect_timeout_s == 2 and limits.max_bytes == 10 * 2**20
    assert FetchLimits.from_env({}) == FetchLimits()
    for bad in ("0", "-1", "soon", "inf", "nan"):
        with pytest.raises(ConfigError, match="NEWSAUDIO_FETCH_TIMEOUT"):
            FetchLimits.from_env({"NEWSAUDIO_FETCH_TIMEOUT": bad})


@pytest.fixture
def served(tmp_path: Path) -> tuple[Path, object]:
    """A show folder with a secret beside it, symlinks out of it, and a TestClient."""
    pytest.importorskip("httpx")
    from starlette.testclient import TestClient

    from newsaudio.publish.serve import create_app

    root = tmp_path / "out"
    (root / "episodes").mkdir(parents=True)
    (root / ".newsaudio").mkdir()
    (root / ".newsaudio" / "catalog.sqlite").write_bytes(b"SQLite format 3\x00secret")
    (root / "index.html").write_text("<h1>show</h1>", encoding="utf-8")
    (root / "episodes" / "a.mp3").write_bytes(b"ID3" + b"\x00" * 100)
    (tmp_path / "secret.txt").write_text("top secret", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", root / "episodes" / "leak.txt")
    os.symlink(tmp_path, root / "up")
    os.symlink("/etc", root / "etc")
    os.symlink(root / ".newsaudio" / "catalog.sqlite", root / "catalog.mp3")
    return root, TestClient(create_app(root))


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/episodes/%2e%2e/%2e%2e/secret.txt",
        "/episodes/..%2f..%2fsecret.txt",
        "/episodes/leak.txt",
        "/up/secret.txt",
        "/etc/passwd",
        "/catalog.mp3",
        "/.newsaudio/catalog.sqlite",
        "/%2enewsaudio/catalog.sqlite",
        "/episodes/",
        "/episodes",
        "/episodes/a.mp3%00.txt",
        "/episodes\\a.mp3",
        "//etc/passwd",
    ],
)
def test_serve_only_files_under_the_show(served: tuple[Path, object], path: str) -> None:
    _root, client = served
    response = client.get(path)  # type: ignore[attr-defined]
    assert response.status_code == 404, (path, response.status_code, response.text[:80])
    assert b"secret" not in response.content and b"root:" not in response.content


def test_serve_still_serves_the_show(served: tuple[Path, object]) -> None:
    _root, client = served
    assert client.get("/").text == "<h1>show</h1>"  # type: ignore[attr-defined]
    assert client.get("/episodes/a.mp3").status_code == 200  # type: ignore[attr-defined]
