"""Article loaders: a source (path, ``-`` for stdin, later URLs) in, an :class:`Article` out.

Reading bytes and decoding them to text happen here, at the edge; each format is a
:class:`Loader` registered by name in :data:`LOADERS` (adding a format is one new module
plus one line in :data:`_LOADER_MODULES`). Which loader runs is decided by the source's
suffix, or sniffed from the content for stdin.

Errors: :class:`~newsaudio.errors.InputError` naming the source and the problem (missing,
a directory, unreadable, empty, binary, in an unknown charset, no words).
"""

from __future__ import annotations

import codecs
import hashlib
import importlib
import logging
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO, Protocol

from newsaudio.errors import InputError
from newsaudio.models import Article

_LOGGER = logging.getLogger(__name__)

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


_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
_CONTROL_RE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_MAX_CONTROL_SHARE = 0.1
"""Share of C0 control bytes (other than tab, newlines, form feed, escape) above which a file
is binary data; below it, they are stray bytes that browsers replace and read on."""

_SNIFF_BYTES = 65536
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# WHATWG Encoding Standard: these labels all mean windows-1252 in a browser.
_WINDOWS_1252_LABELS = frozenset(
    {
        "ascii",
        "us-ascii",
        "iso-8859-1",
        "iso8859-1",
        "latin1",
        "latin-1",
        "l1",
        "cp819",
        "iso-ir-100",
        "ibm819",
        "csisolatin1",
        "iso_8859-1",
        "x-cp1252",
        "cp1252",
        "windows-1252",
    }
)
_MIN_DETECTION_BYTES = 3
_MAX_DETECTION_CHAOS = 0.1
_DETECTION_MARGIN = 0.05


def declared_charset(data: bytes) -> str | None:
    """The Python codec named by an HTML ``<meta charset>`` or ``http-equiv`` Content-Type, or
    an XML declaration, in the first 64 KiB of ``data``; None if none or an unknown label.

    Labels follow the WHATWG Encoding Standard as browsers do (``iso-8859-1``, ``latin1`` and
    ``ascii`` are windows-1252).
    """
    head = data[:_SNIFF_BYTES]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii").strip().lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _detected_charset(data: bytes) -> str | None:
    """The charset charset-normalizer finds for ``data`` when it is confident, else None.

    Confident: a few non-ASCII bytes to judge by, little "chaos" (mojibake-like text) once
    decoded, and no other candidate charset about as plausible that gives a different text
    (short Latin texts often fit windows-1250 and windows-1252 equally well).
    """
    if sum(byte >= 0x80 for byte in data) < _MIN_DETECTION_BYTES:
        return None
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches or matches[0].chaos > _MAX_DETECTION_CHAOS:
        return None
    best = matches[0]
    text = str(best)
    for rival in matches[1:]:
        if rival.chaos <= best.chaos + _DETECTION_MARGIN and str(rival) != text:
            return None
    return str(best.encoding)


def _drop_stray_controls(data: bytes, name: str) -> bytes:
    """``data`` with stray C0 control bytes (NUL...) replaced by spaces, so no words are glued;
    InputError if there are so many that it is binary data."""
    sample = data[:_SNIFF_BYTES]
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    if not controls:
        return data
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise InputError(
            name, f"is binary data ({controls / len(sample):.0%} control bytes), not text"
        )
    _LOGGER.info("%s: replaced %d stray control bytes (NUL...) with spaces", name, controls)
    return _CONTROL_RE.sub(b" ", data)


def decode_text(data: bytes, source: str) -> str:
    """Decode article bytes to text, as a browser would.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32); else UTF-8 if the bytes are valid
    UTF-8; else the charset an HTML page declares (``<meta charset>``, ``http-equiv``
    Content-Type, XML declaration; WHATWG labels); else the charset charset-normalizer
    detects when it is confident. Stray C0 control bytes (NUL...) become spaces, as browsers
    replace them and read on.

    Raises InputError if the bytes are empty, binary (a known file signature, or more than
    10% control bytes), or in an unknown charset (naming the first byte that is not UTF-8).
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
    data = _drop_stray_controls(data, name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        error = exc
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace")
    charset = declared_charset(data) or _detected_charset(data)
    if charset and charset != "utf-8":
        _LOGGER.info("%s: decoded as %s", name, charset)
        return data.decode(charset, errors="replace")
    bad = data[error.start : error.start + 1].hex()
    raise InputError(
        name,
        f"is not valid UTF-8 (byte 0x{bad} at offset {error.start}) and declares no other "
        "charset; save it as UTF-8 and try again",
    )


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
