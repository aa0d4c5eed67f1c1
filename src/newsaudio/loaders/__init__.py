"""Article loaders: a source (path, ``-`` for stdin, later URLs) in, an :class:`Article` out.

Reading bytes and decoding them to text happen here, at the edge; each format is a
:class:`Loader` registered by name in :data:`LOADERS` (adding a format is one new module
plus one line in :data:`_LOADER_MODULES`). Which loader runs is decided by the source's
suffix, or sniffed from the content for stdin.

Errors: :class:`~newsaudio.errors.InputError` naming the source and the problem (missing,
a directory, unreadable, empty, binary, not UTF-8, no words).
"""

from __future__ import annotations

import codecs
import hashlib
import importlib
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO, Protocol

from newsaudio.errors import InputError
from newsaudio.models import Article

MAX_SOURCE_BYTES = 16 * 1024 * 1024
"""Largest article file read, in bytes (16 MiB): a saved news page with inline images stays
well below it; anything larger is not an article. Sources are read up to this cap plus one
byte, never further, so an endless source (``/dev/zero``, a pipe) cannot exhaust memory."""

MAX_ARTICLE_CHARS = 1_000_000
"""Most characters of text (headline and blocks) an article may hold, about 17 hours of
speech; longer texts are refused before any work starts."""


class Loader(Protocol):
    """Turns the decoded text of one source into an :class:`Article`."""

    name: str
    suffixes: tuple[str, ...]

    def sniff(self, text: str) -> bool:
        """True if ``text`` (from stdin, no file name) looks like this loader's format."""
        ...

    def load(self, text: str, *, source: str, source_key: str) -> Article:
        """Parse ``text``; raise InputError(source, problem) if it holds no article."""
        ...


_LOADER_MODULES: dict[str, str] = {
    "html": "newsaudio.loaders.html",
    "markdown": "newsaudio.loaders.markdown",
    "text": "newsaudio.loaders.text",
}


def get_loader(name: str) -> Loader:
    """Return the loader registered as ``name`` (its module is imported on first use)."""
    module = importlib.import_module(_LOADER_MODULES[name])
    loader: Loader = module.LOADER
    return loader


def loader_names() -> list[str]:
    """Names of every registered loader, in sniffing order (most specific first)."""
    return list(_LOADER_MODULES)


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


_HOST_LIKE = re.compile(
    r"^(?:www\.[a-z0-9-]+(?:\.[a-z0-9-]+)*|(?:[a-z0-9-]+\.)+[a-z]{2,63})(?::\d{1,5})?(?:[/?#].*)?$",
    re.I,
)


def url_guess(source: str) -> str | None:
    """``https://`` + ``source`` when a missing file name looks like a web address without
    its scheme (``www.example.org/news/1``, ``example.org/story``), else None.

    A bare ``name.ext`` (``notes.txt``) is not a guess: it needs ``www.`` or a path."""
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


_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"ID3", "an MP3 file"),
    (b"RIFF", "a RIFF (WAV/AVI) file"),
    (b"\x7fELF", "a program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"OggS", "an Ogg file"),
    (b"fLaC", "a FLAC file"),
)


def decode_text(data: bytes, source: str) -> str:
    """Decode article bytes to text: UTF-8 (BOM optional), or UTF-16/32 with a BOM.

    Raises InputError if the bytes are empty, binary (a known file signature or NUL bytes
    without a UTF-16/32 BOM), or not valid UTF-8 (naming the first bad byte and its offset).
    """
    name = "<stdin>" if source == "-" else source
    if not data.strip():
        raise InputError(name, "is empty")
    for boms, encoding in (
        ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
        ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16"),
    ):
        if data.startswith(boms):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    name,
                    f"starts with a {encoding.upper()} mark but is not valid {encoding.upper()}",
                ) from None
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(name, f"is binary data ({what}), not an article")
    if b"\x00" in data[:65536]:
        raise InputError(name, "is binary data (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            name,
            f"is not valid UTF-8 (byte 0x{bad} at offset {exc.start}); "
            "save it as UTF-8 and try again",
        ) from None


def source_key_for(source: str, text: str) -> str:
    """Stable identity of a source: the resolved path of a file, a content hash for stdin."""
    if source == "-":
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        return "stdin:" + hashlib.sha256(first.encode("utf-8")).hexdigest()[:32]
    return "file:" + str(Path(source).resolve())


def choose_loader(source: str, text: str) -> Loader:
    """Pick the loader for ``source``: by known file suffix, else by sniffing the content
    (stdin, no or unknown suffix: HTML if it looks like markup, Markdown if it has ``#``
    headings, lists or links), else plain text."""
    suffix = Path(source).suffix.lower() if source != "-" else ""
    loaders = [get_loader(name) for name in loader_names()]
    if suffix:
        for loader in loaders:
            if suffix in loader.suffixes:
                return loader
    for loader in loaders:
        if loader.name != "text" and loader.sniff(text):
            return loader
    return get_loader("text")


def load(source: str, stdin: BinaryIO | None = None) -> Article:
    """Load ``source`` (a path, an ``http(s)://`` URL or ``-``) into an :class:`Article`.

    The article is not yet cleaned. URLs are fetched by :mod:`newsaudio.loaders.url`
    (other schemes are refused). Raises InputError naming the source and the problem.
    """
    from newsaudio.loaders.url import is_url

    if is_url(source):
        from newsaudio.loaders.url import load_url

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
