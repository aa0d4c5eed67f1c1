"""Article loaders: a source (path, ``-`` for stdin, later URLs) in, an :class:`Article` out.

Reading bytes happens here, at the edge, and :func:`load` runs a source from end to end;
decoding them to text is :mod:`newsaudio.loaders.decode`; each format is a :class:`Loader`
registered by name in :mod:`newsaudio.loaders.registry` (adding a format is one new module
plus one line there), chosen by the source's suffix, or sniffed from the content for stdin;
URLs are fetched by :mod:`newsaudio.loaders.url`.

Errors: :class:`~newsaudio.errors.InputError` naming the source and the problem (missing,
a directory, unreadable, empty, binary, in an unknown charset, no words).
"""

from __future__ import annotations

import hashlib
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from newsaudio.errors import InputError
from newsaudio.loaders.decode import declared_charset, decode_text
from newsaudio.loaders.registry import Loader, choose_loader, get_loader, loader_names
from newsaudio.loaders.url import is_url, load_url
from newsaudio.models import Article

__all__ = [
    "MAX_ARTICLE_CHARS",
    "MAX_SOURCE_BYTES",
    "Loader",
    "check_length",
    "choose_loader",
    "declared_charset",
    "decode_text",
    "get_loader",
    "load",
    "loader_names",
    "read_source",
    "source_key_for",
    "url_guess",
]

MAX_SOURCE_BYTES = 16 * 1024 * 1024
"""Largest article file read, in bytes (16 MiB): a saved news page with inline images stays
well below it; anything larger is not an article. Sources are read up to this cap plus one
byte, never further, so an endless source (``/dev/zero``, a pipe) cannot exhaust memory."""

MAX_ARTICLE_CHARS = 1_000_000
"""Most characters of text (headline and blocks) an article may hold, about 17 hours of
speech; longer texts are refused before any work starts."""


def read_source(source: str, stdin: BinaryIO | None = None) -> bytes:
    """Read the raw bytes of ``source``: a file path, or ``-`` for standard input.

    Raises InputError for a missing path, a directory, a pipe or device (anything but a
    regular file), an unreadable file, or more than :data:`MAX_SOURCE_BYTES`.
    """
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_SOURCE_BYTES + 1)
        if len(data) > MAX_SOURCE_BYTES:
            raise InputError("<stdin>", f"larger than {MAX_SOURCE_BYTES // 2**20} MiB")
        return data
    path = Path(source)
    try:
        st = path.stat()
    except FileNotFoundError:
        what = "a broken symbolic link" if path.is_symlink() else "no such file"
        guess = url_guess(source)
        if guess is not None:
            what += f"; did you mean {guess}?"
        raise InputError(source, what) from None
    except OSError as exc:  # ELOOP (symbolic link loop), ENAMETOOLONG, EACCES on a folder
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(source, "is a directory, not an article file")
    if not stat.S_ISREG(st.st_mode):
        kind = "a named pipe" if stat.S_ISFIFO(st.st_mode) else "a device or socket"
        raise InputError(source, f"is {kind}, not a regular file; use - to read standard input")
    if st.st_size > MAX_SOURCE_BYTES:
        raise InputError(source, _too_large(st.st_size))
    try:
        with path.open("rb") as f:
            data = f.read(MAX_SOURCE_BYTES + 1)
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_SOURCE_BYTES:  # the file grew after stat()
        raise InputError(source, _too_large(len(data)))
    return data


_LOCAL_HOST_LIKE = re.compile(
    r"^(?:localhost|(?:\d{1,3}\.){3}\d{1,3})(?::\d{1,5}(?:[/?#].*)?|[/?#].*)$", re.I
)
_HOST_LIKE = re.compile(
    r"^(?:www\.[a-z0-9-]+(?:\.[a-z0-9-]+)*|(?:[a-z0-9-]+\.)+[a-z]{2,63})(?::\d{1,5})?(?:[/?#].*)?$",
    re.I,
)


def url_guess(source: str) -> str | None:
    """``https://`` + ``source`` when a missing file name looks like a web address without
    its scheme (``www.example.org/news/1``, ``example.org/story``), else None.

    A bare ``name.ext`` (``notes.txt``) is not a guess: it needs ``www.`` or a path. This
    computer or an IPv4 address with a port or a path (``127.0.0.1:8765/feed.xml``,
    ``localhost:8000/a``) gets ``http://``: such servers rarely speak TLS."""
    if _LOCAL_HOST_LIKE.match(source):
        return f"http://{source}"
    if not _HOST_LIKE.match(source) or source.startswith(("/", ".")):
        return None
    host = re.split(r"[/?#:]", source, maxsplit=1)[0]
    if not (host.lower().startswith("www.") or source[len(host) :][:1] in ("/", ":")):
        return None
    return f"https://{source}"


def _too_large(size: int) -> str:
    return (
        f"is {size / 2**20:.0f} MiB; articles larger than "
        f"{MAX_SOURCE_BYTES // 2**20} MiB are refused"
    )


def source_key_for(source: str, text: str) -> str:
    """Stable identity of a source: the resolved path of a file, a content hash for stdin."""
    if source == "-":
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        return "stdin:" + hashlib.sha256(first.encode("utf-8")).hexdigest()[:32]
    return "file:" + str(Path(source).resolve())


def load(source: str, stdin: BinaryIO | None = None) -> Article:
    """Load ``source`` (a path, an ``http(s)://`` URL or ``-``) into an :class:`Article`.

    The article is not yet cleaned. URLs are fetched by :mod:`newsaudio.loaders.url`
    (other schemes are refused). Raises InputError naming the source and the problem.
    """
    if is_url(source):
        return check_length(load_url(source))
    data = read_source(source, stdin)
    text = decode_text(data, source)
    loader = choose_loader(source, text)
    return check_length(
        loader.load(
            text,
            source="<stdin>" if source == "-" else source,
            source_key=source_key_for(source, text),
        )
    )


def check_length(article: Article) -> Article:
    """Return ``article`` if it holds at most :data:`MAX_ARTICLE_CHARS` characters of text.

    Raises InputError naming the source otherwise (such a text is a book or a data dump).
    """
    chars = len(article.title) + sum(len(block.text) for block in article.blocks)
    if chars > MAX_ARTICLE_CHARS:
        raise InputError(
            article.source,
            f"has {chars:,} characters of text; articles longer than "
            f"{MAX_ARTICLE_CHARS:,} characters are refused",
        )
    return article
