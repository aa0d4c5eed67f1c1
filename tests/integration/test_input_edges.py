"""Real-world input edges: declared and detected charsets, stray control bytes, binary data,
login walls and paywalls, and articles with nothing but a headline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsaudio.cli import cli
from newsaudio.errors import InputError
from newsaudio.loaders import declared_charset, decode_text
from newsaudio.loaders.html import access_wall
from newsaudio.models import Block
from tests.support import cli_runner

GERMAN = (
    "Die Straße war gesperrt, weil ein Löschzug über die Brücke fuhr. Die Bürger ärgerten sich."
)
POLISH = "Sejm zagłosował za unijnymi funduszami. Pieniądze trafią do samorządów w przyszłym roku."


def _page(charset_tag: str, body: str) -> str:
    return (
        f"<!doctype html><html><head>{charset_tag}<title>Nachrichten</title></head>"
        f"<body><article><h1>Nachrichten</h1><p>{body}</p><p>{body}</p></article></body></html>"
    )


def _normalize(path: Path, *extra: str) -> tuple[int, list[dict[str, str]], str]:
    result = cli_runner().invoke(cli, ["normalize", "--json", str(path), *extra])
    rows = json.loads(result.stdout) if result.exit_code == 0 else []
    return result.exit_code, rows, result.stderr


@pytest.mark.parametrize(
    ("tag", "encoding", "text"),
    [
        ('<meta charset="windows-1252">', "cp1252", GERMAN),
        ('<meta charset="ISO-8859-1" />', "latin-1", GERMAN),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
            "latin-1",
            GERMAN,
        ),
        (
            '<meta http-equiv="content-type" content="text/html; charset=Windows-1250"/>',
            "cp1250",
            POLISH,
        ),
        ("<meta charset='iso-8859-2'>", "iso-8859-2", POLISH),
    ],
)
def test_html_in_a_declared_legacy_charset_is_read(
    tmp_path: Path, tag: str, encoding: str, text: str
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(_page(tag, text).encode(encoding))
    code, rows, err = _normalize(path)
    assert code == 0, err
    assert text.split(".")[0] in " ".join(r["display"] for r in rows)


def test_declared_charset_follows_whatwg_labels() -> None:
    assert declared_charset(b'<meta charset="latin1">') == "cp1252"
    assert declared_charset(b'<meta charset="us-ascii">') == "cp1252"
    assert declared_charset(b'<?xml version="1.0" encoding="ISO-8859-2"?><html>') == "iso8859-2"
    assert declared_charset(b'<meta charset="no-such-charset">') is None
    assert declared_charset(b"<p>plain</p>") is None


def test_bom_wins_over_the_declaration() -> None:
    data = b"\xef\xbb\xbf" + _page('<meta charset="windows-1252">', GERMAN).encode("utf-8")
    assert GERMAN in decode_text(data, "page.html")
    utf16 = _page('<meta charset="windows-1252">', GERMAN).encode("utf-16")
    assert GERMAN in decode_text(utf16, "page.html")


def test_plain_text_in_latin1_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_bytes(f"Grüße aus München\n\n{GERMAN}\n".encode("latin-1"))
    code, rows, err = _normalize(path)
    assert code == 0, err
    assert rows[0]["display"] == "Grüße aus München"


def test_plain_text_in_an_unknown_charset_keeps_the_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Headline\n\nThe price rose \x80 percent.\n")
    code, _, err = _normalize(path)
    assert code == 3
    assert err.strip().splitlines() == [
        f"newsaudio: error: {path}: is not valid UTF-8 (byte 0x80 at offset 25) and declares "
        "no other charset; save it as UTF-8 and try again"
    ]


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_stray_nul_and_control_bytes_are_replaced(tmp_path: Path, suffix: str) -> None:
    body = b"Some\x00text\x01here and more words to read in this line.\x00"
    if suffix == ".html":
        data = b"<html><body><h1>Title</h1><p>" + body + b"</p><p>Another line.</p></body></html>"
    else:
        data = b"Title\n\n" + body + b"\n"
    path = tmp_path / f"nul{suffix}"
    path.write_bytes(data)
    code, rows, err = _normalize(path)
    assert code == 0, err
    assert "Some text here and more words" in " ".join(r["display"] for r in rows)


def test_binary_by_proportion_and_by_magic_number() -> None:
    with pytest.raises(InputError, match=r"binary data .*control bytes"):
        decode_text(bytes(range(32)) * 20 + b"some text", "blob.txt")
    with pytest.raises(InputError, match="PNG"):
        decode_text(b"\x89PNG\r\n\x1a\n" + b"text " * 100, "photo.txt")


LOGIN_WALL = """<!doctype html>
<html lang="en"><head><title>Council budget row deepens | The Daily Courier</title></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><h1>Council budget row deepens</h1>
<p>The city council's budget dispute took a new turn on Tuesday when two members walked out.</p>
<div class="wall"><h2>Sign in to continue reading</h2>
<p>Already a subscriber? Sign in below to keep reading this story.</p>
<form><label>Email</label><input type="email"><label>Password</label><input type="password">
<p>Forgot your password?</p><button>Sign in</button></form>
<p>Don't have an account? Subscribe now for unlimited access.</p></div></main>
<footer>© 2024 The Daily Courier</footer></body></html>"""

PAYWALL = """<!doctype html><html lang="en"><head><title>Harbour plan approved</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Harbour plan approved", "isAccessibleForFree": "False",
"hasPart": {"@type": "WebPageElement", "isAccessibleForFree": "False", "cssSelector": ".paid"}}
</script></head><body><article><h1>Harbour plan approved</h1>
<p>The harbour plan was approved by the planning committee on Monday evening.</p>
<div class="paid"><p>Subscribe to read the full story.</p></div></article></body></html>"""


@pytest.mark.parametrize("page", [LOGIN_WALL, PAYWALL], ids=["login-wall", "paywall"])
def test_walls_are_refused_in_one_line_unless_forced(workdir: Path, page: str) -> None:
    path = workdir / "wall.html"
    path.write_text(page, encoding="utf-8")
    result = cli_runner().invoke(cli, ["add", str(path), "--voice", "fake", "--out", "show"])
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--force" in lines[0] and "wall" in lines[0], lines
    assert not (workdir / "show" / "episodes").exists() or not any(
        (workdir / "show" / "episodes").glob("*.mp3")
    )
    forced = cli_runner().invoke(
        cli, ["add", str(path), "--voice", "fake", "--out", "show", "--force", "--json"]
    )
    assert forced.exit_code == 0, forced.stderr
    assert json.loads(forced.stdout.strip().splitlines()[-1])["title"]


def test_a_long_article_marked_not_free_is_read() -> None:
    blocks = [Block("paragraph", "The committee met again on Monday to discuss it. " * 8)] * 4
    assert access_wall(blocks, not_free=True) is None
    assert (
        access_wall([*blocks, Block("paragraph", "Subscribe now. Sign in to continue.")], False)
        is None
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("headline.txt", "Just a headline\n"),
        ("code.md", "# Release notes\n\n```\nfor i in range(10):\n    print(i)\n```\n"),
        ("empty.html", "<html><body><div><p></p><span> </span></div></body></html>"),
    ],
)
def test_headline_only_and_empty_articles_are_refused_alike(
    tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, _, err = _normalize(path)
    assert code == 3
    assert len(err.strip().splitlines()) == 1
    assert "newsaudio: error:" in err
