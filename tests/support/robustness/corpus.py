"""The bad-input corpus: every case, how its input is made, and the decided outcome.

Large or binary inputs are generated here, not stored. Each builder gets the case's
folder (a copy of the template show: ``voices/fake.toml``, ``out/`` with one episode) and
returns the :class:`~tests.support.robustness.harness.Invocation`. Exit codes are those of
:class:`newsaudio.errors.ExitStatus` (README.md, *Exit codes*):
3 input, 4 voice, 6 audio/ffmpeg, 7 publish (output folder, catalog), 8 settings.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from tests.support.robustness.harness import Case, Context, Invocation

Builder = Callable[[Path, Context], Invocation]

USAGE, INPUT, VOICE, AUDIO, PUBLISH, CONFIG = 2, 3, 4, 6, 7, 8

HEAD = "Council budget approved\n\n"


def _write(wd: Path, name: str, data: bytes | str) -> str:
    path = wd / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return name


def _file(name: str, data: bytes | str) -> Builder:
    def build(wd: Path, ctx: Context) -> Invocation:
        return Invocation([_write(wd, name, data)])

    return build


def _url(route: str) -> Builder:
    def build(wd: Path, ctx: Context) -> Invocation:
        url = f"{ctx.http}{route}"
        return Invocation([url], env={"NEWSAUDIO_FETCH_TIMEOUT": "2"})

    return build


# -- environment-changing builders --------------------------------------------------------


def _can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    probe = Path("/tmp") / f"newsaudio-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    ok = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True
        ).returncode
        == 0
    )
    if ok:
        subprocess.run(["umount", str(probe)], capture_output=True)
    probe.rmdir()
    return ok


_MOUNT_OK: list[bool] = []
_MOUNT_LOCK = threading.Lock()


def mount_skip() -> str | None:
    """Why tmpfs cases cannot run here (not root, no mount), or None."""
    with _MOUNT_LOCK:
        if not _MOUNT_OK:
            _MOUNT_OK.append(_can_mount())
    return None if _MOUNT_OK[0] else "mounting a tmpfs needs root (CI containers may refuse)"


def _tmpfs_show(wd: Path, size: str, readonly: bool) -> Invocation:
    """Move the show onto a small tmpfs (read-only, or with ``size`` space left)."""
    mnt = wd / "mnt"
    mnt.mkdir()
    used = sum(p.stat().st_size for p in (wd / "out").rglob("*") if p.is_file())
    total = used + 64 * 1024 + int(size) if not readonly else used + 1024 * 1024
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={total}", "tmpfs", str(mnt)], check=True)
    shutil.copytree(wd / "out", mnt / "out")
    if readonly:
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)

    def cleanup() -> None:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)

    _write(wd, "story.txt", HEAD + "The council approved the budget on Tuesday.\n" * 40)
    return Invocation(
        ["story.txt"], out="mnt/out", names="mnt/out", cleanup=cleanup, shown_as="--out mnt/out"
    )


def _full_disk(wd: Path, ctx: Context) -> Invocation:
    return _tmpfs_show(wd, "0", readonly=False)


def _read_only(wd: Path, ctx: Context) -> Invocation:
    return _tmpfs_show(wd, "0", readonly=True)


def _out_under_file(wd: Path, ctx: Context) -> Invocation:
    _write(wd, "notadir", "I am a file\n")
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    return Invocation(
        ["story.txt"], out="notadir/out", names="notadir/out", shown_as="--out notadir/out"
    )


def _missing_ffmpeg(wd: Path, ctx: Context) -> Invocation:
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    path = os.pathsep.join(
        p for p in os.environ.get("PATH", "").split(os.pathsep) if not (Path(p) / "ffmpeg").exists()
    )
    return Invocation(
        ["story.txt"],
        env={"NEWSAUDIO_FFMPEG": "/nonexistent/ffmpeg", "PATH": path or "/nonexistent"},
        names="ffmpeg",
        shown_as="NEWSAUDIO_FFMPEG=/nonexistent/ffmpeg",
    )


def _no_ffmpeg_anywhere(wd: Path, ctx: Context) -> Invocation:
    """No NEWSAUDIO_FFMPEG, no ffmpeg on PATH, imageio-ffmpeg's binary pointed away."""
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    path = os.pathsep.join(
        p for p in os.environ.get("PATH", "").split(os.pathsep) if not (Path(p) / "ffmpeg").exists()
    )
    return Invocation(
        ["story.txt"],
        env={"PATH": path or "/nonexistent", "IMAGEIO_FFMPEG_EXE": "/nonexistent/ffmpeg"},
        names="ffmpeg",
        shown_as="PATH without ffmpeg",
    )


def _fake_ffmpeg(wd: Path, ctx: Context) -> Invocation:
    """NEWSAUDIO_FFMPEG names a program that is not ffmpeg (it exits 1)."""
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    exe = wd / "bin" / "ffmpeg"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\necho 'not really ffmpeg' >&2\nexit 1\n", encoding="utf-8")
    exe.chmod(0o755)
    return Invocation(
        ["story.txt"], env={"NEWSAUDIO_FFMPEG": str(exe)}, names="ffmpeg", shown_as="bin/ffmpeg"
    )


def _corrupt_model(wd: Path, ctx: Context) -> Invocation:
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    (wd / "voices" / "broken.onnx").write_bytes(os.urandom(4096))
    (wd / "voices" / "broken.onnx.json").write_text(
        '{"audio": {"sample_rate": 22050}, "language": {"code": "en_US"}, '
        '"num_speakers": 1, "phoneme_id_map": {}}',
        encoding="utf-8",
    )
    (wd / "voices" / "broken.toml").write_text(
        'name = "broken"\nengine = "piper"\nlanguage = "en-US"\nmodel = "broken.onnx"\n',
        encoding="utf-8",
    )
    return Invocation(["story.txt"], voice="broken", names="broken", shown_as="--voice broken")


def _malformed_profile(wd: Path, ctx: Context) -> Invocation:
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    (wd / "voices" / "bad.toml").write_text('name = "bad\nengine = = piper\n', encoding="utf-8")
    return Invocation(["story.txt"], voice="bad", names="bad.toml", shown_as="voices/bad.toml")


def _corrupt_jingle(wd: Path, ctx: Context) -> Invocation:
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    _write(wd, "jingle.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x10" + os.urandom(2000))
    return Invocation(
        ["story.txt", "--intro", "jingle.mp3"], names="jingle.mp3", shown_as="--intro jingle.mp3"
    )


def _missing_jingle(wd: Path, ctx: Context) -> Invocation:
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    return Invocation(
        ["story.txt", "--outro", "nosuch.wav"], names="nosuch.wav", shown_as="--outro nosuch.wav"
    )


def _toml(text: str, names: str = "newsaudio.toml") -> Builder:
    def build(wd: Path, ctx: Context) -> Invocation:
        _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
        _write(wd, "newsaudio.toml", text)
        return Invocation(["story.txt"], names=names, shown_as="newsaudio.toml")

    return build


def _catalog_garbage(wd: Path, ctx: Context) -> Invocation:
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    db = wd / "out" / ".newsaudio" / "catalog.sqlite"
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.write_bytes(b"this is not a database " * 200)
    return Invocation(["story.txt"], names="catalog.sqlite", shown_as=".newsaudio/catalog.sqlite")


def _catalog_future(wd: Path, ctx: Context) -> Invocation:
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    db = sqlite3.connect(wd / "out" / ".newsaudio" / "catalog.sqlite")
    db.execute("PRAGMA user_version=99")
    db.commit()
    db.close()
    return Invocation(["story.txt"], names="catalog.sqlite", shown_as=".newsaudio/catalog.sqlite")


def _catalog_locked(wd: Path, ctx: Context) -> Invocation:
    """Another process holds an exclusive write lock on the catalog for the whole run."""
    _write(wd, "story.txt", HEAD + "The council approved the budget.\n")
    db = sqlite3.connect(
        wd / "out" / ".newsaudio" / "catalog.sqlite", isolation_level=None, timeout=1
    )
    db.execute("BEGIN EXCLUSIVE")
    done = threading.Event()

    def cleanup() -> None:
        db.execute("ROLLBACK")
        db.close()
        done.set()

    return Invocation(
        ["story.txt"],
        env={"NEWSAUDIO_CATALOG_TIMEOUT": "1"},
        names="catalog.sqlite",
        cleanup=cleanup,
        shown_as=".newsaudio/catalog.sqlite",
    )


def _dev_zero(wd: Path, ctx: Context) -> Invocation:
    return Invocation(["/dev/zero"])


def _fifo(wd: Path, ctx: Context) -> Invocation:
    os.mkfifo(wd / "pipe.txt")
    return Invocation(["pipe.txt"])


def _directory(wd: Path, ctx: Context) -> Invocation:
    (wd / "folder.txt").mkdir()
    return Invocation(["folder.txt"])


def _symlink_loop(wd: Path, ctx: Context) -> Invocation:
    os.symlink("loop-b.txt", wd / "loop-a.txt")
    os.symlink("loop-a.txt", wd / "loop-b.txt")
    return Invocation(["loop-a.txt"])


def _stdin(data: bytes) -> Builder:
    def build(wd: Path, ctx: Context) -> Invocation:
        return Invocation(["-"], stdin=data, names="<stdin>")

    return build


def _newline_name(wd: Path, ctx: Context) -> Invocation:
    name = "odd\nname  $(rm -rf ~);'.txt"
    _write(wd, name, HEAD + "The council approved the budget.\n")
    return Invocation([name], shown_as="odd\\nname  $(rm -rf ~);'.txt")


def _big_file(wd: Path, ctx: Context) -> Invocation:
    line = b"The council approved the budget on Tuesday after a long debate.\n"
    with (wd / "big.txt").open("wb") as f:
        f.write(HEAD.encode())
        block = line * 16384  # 1 MiB
        for _ in range(50):
            f.write(block)
    return Invocation(["big.txt"])


def _french_html(wd: Path, ctx: Context) -> Invocation:
    _write(
        wd,
        "fr.html",
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Le conseil '
        "vote le budget</title></head><body><article><h1>Le conseil vote le budget</h1>"
        "<p>Le conseil municipal a adopté mardi le budget de l'année prochaine.</p>"
        "<p>Les travaux commenceront en mai, selon la mairie.</p></article></body></html>",
    )
    return Invocation(["fr.html"], voice=None, names="fr")


def _french_md_fake(wd: Path, ctx: Context) -> Invocation:
    _write(
        wd,
        "fr.md",
        "---\ntitle: Le conseil vote le budget\nlang: fr\n---\n\n"
        "Le conseil municipal a adopté mardi le budget de l'année prochaine.\n",
    )
    return Invocation(["fr.md"], names="fake")


WORD_100K = "x" * 100_000


CASES: list[Case] = [
    # -- files: empty, blank, no words ---------------------------------------------------
    Case("empty", "empty file", "error", INPUT, "is empty", _file("empty.txt", b"")),
    Case(
        "whitespace",
        "spaces, tabs, newlines, NBSP only",
        "error",
        INPUT,
        "empty|no words",
        _file("blank.txt", " \t\n\n \u00a0 \u202f\n\t\n"),
    ),
    Case(
        "punctuation",
        "punctuation only",
        "error",
        INPUT,
        "no words",
        _file("punct.txt", "... !!! ??? --- *** ;;; ,,, \u2014 \u2026\n\n!!!\n"),
    ),
    Case(
        "emoji-only",
        "emoji only",
        "error",
        INPUT,
        "no words",
        _file("emoji.txt", "\U0001f600\U0001f389\U0001f525\n\n\U0001f44d\u2764\ufe0f\U0001f680\n"),
    ),
    Case(
        "symbols-only",
        "math and box-drawing symbols only",
        "error",
        INPUT,
        "no words",
        _file(
            "symbols.txt",
            "\u2211\u222b\u2248\u2260 \u2500\u2502\u250c\u2510\n\n\u00a7\u00b6\u2020\n",
        ),
    ),
    Case(
        "zero-width",
        "zero-width and control characters only",
        "error",
        INPUT,
        "empty|no words",
        _file("zw.txt", "\u200b\u200c\u200d\ufeff\u2060\x07\x0c\n\u200b\n"),
    ),
    # -- size ----------------------------------------------------------------------------
    Case(
        "huge-50mb", "a 50 MB text file (refused before reading)", "error", INPUT, "MiB", _big_file
    ),
    Case(
        "long-word",
        "a single 100,000-character word",
        "error",
        INPUT,
        "no words",
        _file("longword.txt", WORD_100K + "\n"),
    ),
    Case(
        "long-word-in-text",
        "a 100,000-character word inside a normal article",
        "warning",
        0,
        "dropped a 100000-character word",
        _file(
            "longword2.txt",
            HEAD + "The council met. " + WORD_100K + " The budget passed on Tuesday.\n",
        ),
    ),
    Case(
        "base64-blob",
        "an article with a pasted 3,000-character base64 image",
        "warning",
        0,
        r"dropped a \d+-character word",
        _file(
            "blob.txt",
            # the blob sits inside article text: a paragraph that is only "Photo: ..." is a
            # caption and dropped, and a headline-only article is refused (exit 3)
            HEAD + "The budget passed after a long debate. Photo: data:image/png;"
            "base64," + "iVBORw0KGgo" * 272 + "Q" * 8 + " Work starts in May.\n",
        ),
    ),
    Case(
        "one-sentence",
        "one sentence",
        "fine",
        0,
        "",
        _file("one.txt", "The council approved the budget on Tuesday.\n"),
    ),
    Case(
        "title-only",
        "a headline and nothing else",
        "error",
        INPUT,
        "only a headline",
        _file("title.txt", "Council approves budget\n"),
    ),
    Case(
        "no-punctuation",
        "20,000 characters without a full stop",
        "fine",
        0,
        "",
        _file("runon.txt", HEAD + " ".join(["and the council kept talking"] * 700) + "\n"),
    ),
    # -- binary and encodings --------------------------------------------------------------
    Case(
        "binary",
        "random bytes",
        "error",
        INPUT,
        "binary|not valid UTF-8",
        _file("random.txt", bytes(range(256)) * 16),
    ),
    Case(
        "png-as-txt",
        "a PNG image renamed .txt",
        "error",
        INPUT,
        "PNG",
        _file("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200),
    ),
    Case(
        "pdf-as-txt",
        "a PDF renamed .txt",
        "error",
        INPUT,
        "PDF",
        _file("doc.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
    ),
    Case(
        "nul-bytes",
        "text with stray NUL bytes (read as spaces, as browsers do)",
        "fine",
        0,
        "",
        _file("nul.txt", b"Title\n\nSome\x00text\x00here\n"),
    ),
    Case(
        "invalid-utf8",
        "invalid UTF-8 (a lone continuation byte)",
        "error",
        INPUT,
        "not valid UTF-8",
        _file("bad.txt", b"Headline\n\nThe price rose \x80 percent.\n"),
    ),
    Case(
        "latin-1",
        "Latin-1 (ISO-8859-1) text",
        "error",
        INPUT,
        "not valid UTF-8.*UTF-8",
        _file("latin1.txt", "Café crème\n\nLe déjà-vu à Noël.\n".encode("latin-1")),
    ),
    Case(
        "utf-16-bom",
        "UTF-16 with a byte-order mark",
        "fine",
        0,
        "",
        _file("utf16.txt", (HEAD + "The council approved it.\n").encode("utf-16")),
    ),
    Case(
        "utf-32-bom",
        "UTF-32 with a byte-order mark",
        "fine",
        0,
        "",
        _file("utf32.txt", (HEAD + "The council approved it.\n").encode("utf-32")),
    ),
    Case(
        "utf-8-bom-crlf",
        "UTF-8 with BOM and CRLF line ends",
        "fine",
        0,
        "",
        _file(
            "bom.txt",
            ("\ufeff" + HEAD + "The council approved it.\n").replace("\n", "\r\n").encode("utf-8"),
        ),
    ),
    Case(
        "utf-16-broken",
        "a UTF-16 BOM followed by an odd number of bytes",
        "error",
        INPUT,
        "UTF-16",
        _file("u16bad.txt", b"\xff\xfeH\x00i\x00\x00\xd8"),
    ),
    Case(
        "mixed-scripts",
        "English with Cyrillic, Greek, CJK and Arabic words",
        "fine",
        0,
        "",
        _file(
            "mixed.txt",
            HEAD + "The mayor of \u041c\u043e\u0441\u043a\u0432\u0430 met "
            "\u03b1\u03b8\u03ae\u03bd\u03b1 officials in \u6771\u4eac and "
            "\u0627\u0644\u0642\u0627\u0647\u0631\u0629 on Tuesday.\n",
        ),
    ),
    Case(
        "rtl-only",
        "Arabic text (right-to-left) read with --voice fake",
        "fine",
        0,
        "",
        _file(
            "rtl.txt",
            "\u0627\u0644\u0645\u062c\u0644\u0633 \u064a\u0648\u0627\u0641\u0642\n\n"
            "\u0648\u0627\u0641\u0642 \u0627\u0644\u0645\u062c\u0644\u0633 \u0639\u0644\u0649 "
            "\u0627\u0644\u0645\u064a\u0632\u0627\u0646\u064a\u0629.\n",
        ),
    ),
    Case(
        "bidi-controls",
        "text full of bidi overrides (U+202E) and combining marks",
        "fine",
        0,
        "",
        _file(
            "bidi.txt",
            "\u202eCouncil\u202c approves budget\n\nZa\u0301\u0308\u0316lgo "
            "te\u0336xt \u2067isolated\u2069 words here.\n",
        ),
    ),
    Case(
        "french-no-voice",
        "French HTML page (lang=fr), no French voice installed",
        "error",
        VOICE,
        "no installed voice speaks 'fr'",
        _french_html,
    ),
    Case(
        "french-english-voice",
        "French Markdown (lang: fr) with --voice fake (en-US)",
        "error",
        VOICE,
        "speaks en-US.*fr",
        _french_md_fake,
    ),
    # -- HTML ------------------------------------------------------------------------------
    Case(
        "html-scripts-only",
        "HTML with only <script> and <style>",
        "error",
        INPUT,
        "no words|no article",
        _file(
            "scripts.html",
            "<html><head><style>p{color:red}</style>"
            "<script>var a = 'Breaking news: all good';</script></head>"
            "<body><script>document.write('hi')</script></body></html>",
        ),
    ),
    Case(
        "html-nav-only",
        "an HTML page that is all navigation",
        "error",
        INPUT,
        "no words|no article",
        _file(
            "nav.html",
            (
                "<html><head><title>Menu</title></head><body><nav><ul>"
                + "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(60))
                + "</ul></nav><footer><a href='/privacy'>Privacy</a></footer></body></html>"
            ),
        ),
    ),
    Case(
        "html-truncated",
        "HTML cut off mid-tag",
        "fine",
        0,
        "",
        _file(
            "cut.html",
            "<html><head><title>Council approves budget</title></head><body>"
            "<article><h1>Council approves budget</h1><p>The council approved the budget "
            "on Tuesday after a long debate.</p><p>Work starts in May and will la",
        ),
    ),
    Case(
        "html-empty-tags",
        "HTML with empty tags only",
        "error",
        INPUT,
        "no words|no article",
        _file("tags.html", "<html><body><div><p></p><span> </span></div></body></html>"),
    ),
    Case(
        "markdown-code-only",
        "Markdown that is one code block",
        "error",
        INPUT,
        "only a headline",
        _file("code.md", "# Release notes\n\n```\nfor i in range(10):\n    print(i)\n```\n"),
    ),
    # -- not a file --------------------------------------------------------------------------
    Case(
        "missing",
        "a path that does not exist",
        "error",
        INPUT,
        "no such file",
        lambda wd, ctx: Invocation(["nosuch.txt"]),
    ),
    Case("directory", "a directory", "error", INPUT, "directory", _directory),
    Case(
        "dev-zero",
        "/dev/zero (endless, not a regular file)",
        "error",
        INPUT,
        "not a regular file",
        _dev_zero,
    ),
    Case("fifo", "a named pipe nobody writes to", "error", INPUT, "not a regular file", _fifo),
    Case(
        "symlink-loop",
        "a symbolic link loop",
        "error",
        INPUT,
        "symbolic link|no such file",
        _symlink_loop,
    ),
    Case("stdin-empty", "empty standard input", "error", INPUT, "empty", _stdin(b"")),
    Case(
        "stdin-binary",
        "binary data on standard input",
        "error",
        INPUT,
        "binary",
        _stdin(b"\x7fELF\x02\x01\x01" + b"\x00" * 100),
    ),
    Case(
        "odd-file-name",
        "a file name with a newline, quotes and $(...)",
        "fine",
        0,
        "",
        _newline_name,
    ),
    # -- URLs (a local server on 127.0.0.1) -----------------------------------------------
    Case("url-ok", "a good article page", "fine", 0, "", _url("/article")),
    Case("url-404", "HTTP 404", "error", INPUT, "HTTP 404", _url("/404")),
    Case("url-500", "HTTP 500", "error", INPUT, "HTTP 500", _url("/500")),
    Case("url-redirect-loop", "a redirect loop", "error", INPUT, "redirect loop", _url("/loop-a")),
    Case(
        "url-too-many-hops", "a chain of 8 redirects", "error", INPUT, "redirects", _url("/hops/8")
    ),
    Case("url-2gb", "Content-Length: 2 GiB", "error", INPUT, "2048.0 MiB.*refused", _url("/huge")),
    Case(
        "url-gzip-bomb",
        "a gzip body inflating to 64 MiB",
        "error",
        INPUT,
        "larger than",
        _url("/bomb"),
    ),
    Case(
        "url-slow-drip",
        "one byte every 0.2 s, forever (deadline 2 s here)",
        "error",
        INPUT,
        "too slow|did not answer|stopped sending",
        _url("/drip"),
    ),
    Case(
        "url-pdf", "Content-Type: application/pdf", "error", INPUT, "application/pdf", _url("/pdf")
    ),
    Case("url-png", "Content-Type: image/png", "error", INPUT, "image/png", _url("/png")),
    Case(
        "url-empty", "HTTP 200 with an empty body", "error", INPUT, "empty|no words", _url("/empty")
    ),
    Case(
        "url-nav-only",
        "a page that is all navigation",
        "error",
        INPUT,
        "no words|no article",
        _url("/nav"),
    ),
    Case(
        "url-to-file",
        "a redirect to file:///etc/passwd",
        "error",
        INPUT,
        "redirects to a file: URL",
        _url("/to-file"),
    ),
    Case(
        "url-to-ftp",
        "a redirect to ftp://",
        "error",
        INPUT,
        "redirects to a ftp: URL",
        _url("/to-ftp"),
    ),
    Case(
        "url-file-scheme",
        "a file:// URL given directly",
        "error",
        INPUT,
        "not an http",
        lambda wd, ctx: Invocation(["file:///etc/passwd"]),
    ),
    Case(
        "url-refused",
        "a port nobody listens on",
        "error",
        INPUT,
        "connection refused by 127.0.0.1:9",
        lambda wd, ctx: Invocation(["http://127.0.0.1:9/article"]),
    ),
    # -- voices, audio, ffmpeg ------------------------------------------------------------
    Case(
        "unknown-voice",
        "--voice nosuchvoice",
        "error",
        VOICE,
        "unknown voice|no voice",
        lambda wd, ctx: Invocation(
            [_write(wd, "s.txt", HEAD + "Text.\n")],
            voice="nosuch",
            names="nosuch",
            shown_as="--voice nosuch",
        ),
    ),
    Case(
        "corrupt-voice-model",
        "a voice profile whose .onnx model is random bytes",
        "error",
        VOICE,
        "broken",
        _corrupt_model,
    ),
    Case(
        "malformed-voice-profile",
        "voices/bad.toml that is not TOML",
        "error",
        CONFIG,
        "bad.toml",
        _malformed_profile,
    ),
    Case(
        "corrupt-jingle",
        "--intro FILE that is not audio",
        "error",
        AUDIO,
        "jingle.mp3",
        _corrupt_jingle,
    ),
    Case(
        "missing-jingle",
        "--outro FILE that does not exist",
        "error",
        AUDIO,
        "nosuch.wav",
        _missing_jingle,
    ),
    Case(
        "no-ffmpeg-env",
        "NEWSAUDIO_FFMPEG=/nonexistent, no ffmpeg on PATH",
        "error",
        AUDIO,
        "ffmpeg not found",
        _missing_ffmpeg,
    ),
    Case(
        "no-ffmpeg-at-all",
        "no ffmpeg on PATH, IMAGEIO_FFMPEG_EXE=/nonexistent",
        "error",
        AUDIO,
        "ffmpeg not found",
        _no_ffmpeg_anywhere,
    ),
    Case(
        "broken-ffmpeg",
        "NEWSAUDIO_FFMPEG names a program that fails",
        "error",
        AUDIO,
        "does not run",
        _fake_ffmpeg,
    ),
    # -- output folder, disk, settings, catalog --------------------------------------------
    Case(
        "out-under-file",
        "--out below a regular file (ENOTDIR)",
        "error",
        PUBLISH,
        "not a directory",
        _out_under_file,
    ),
    Case(
        "read-only-out",
        "the show on a read-only filesystem (tmpfs, ro)",
        "error",
        PUBLISH,
        "read-only",
        _read_only,
        mount_skip,
    ),
    Case(
        "disk-full",
        "the show on a full filesystem (tmpfs, 64 KiB free)",
        "error",
        PUBLISH,
        "no space",
        _full_disk,
        mount_skip,
    ),
    Case(
        "toml-malformed",
        "newsaudio.toml that is not TOML",
        "error",
        CONFIG,
        "newsaudio.toml",
        _toml('title = "My show\nbase_url = \n'),
    ),
    Case(
        "toml-bad-value",
        "newsaudio.toml with base_url = 42",
        "error",
        CONFIG,
        "base_url",
        _toml("base_url = 42\n"),
    ),
    Case(
        "catalog-garbage",
        "catalog.sqlite overwritten with garbage",
        "error",
        PUBLISH,
        "catalog",
        _catalog_garbage,
    ),
    Case(
        "catalog-future",
        "catalog from a future schema (user_version 99)",
        "error",
        PUBLISH,
        "schema version 99",
        _catalog_future,
    ),
    Case(
        "catalog-locked",
        "another process holds an exclusive lock on the catalog",
        "error",
        PUBLISH,
        "locked",
        _catalog_locked,
    ),
]
