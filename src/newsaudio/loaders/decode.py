"""Article bytes to text, as a browser decodes them: byte-order marks, UTF-8, a declared
charset (WHATWG labels), else a confident detection; binary data is refused.

Errors: :class:`~newsaudio.errors.InputError` naming the source (empty, binary, in an
unknown charset).
"""

from __future__ import annotations

import codecs
import logging
import re

from newsaudio.errors import InputError

_LOGGER = logging.getLogger(__name__)

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


def _looks_binary(data: bytes) -> bool:
    """True for bytes in no charset that still have almost no white space (under 1% of the
    first 64 KiB being ASCII spaces, tabs or line breaks, over at least 64 bytes): text in
    any script with a single-byte or legacy charset separates its words or lines, random or
    compressed bytes do not. Only asked once every charset has failed."""
    sample = data[:65536]
    spaces = sum(sample.count(c) for c in b" \t\r\n")
    return len(sample) >= 64 and spaces < len(sample) / 100


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
    if _looks_binary(data):
        raise InputError(name, "is binary data (no charset fits and no spaces), not text")
    bad = data[error.start : error.start + 1].hex()
    raise InputError(
        name,
        f"is not valid UTF-8 (byte 0x{bad} at offset {error.start}) and declares no other "
        "charset; save it as UTF-8 and try again",
    )
