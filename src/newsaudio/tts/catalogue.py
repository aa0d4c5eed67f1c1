"""Piper's voice catalogue and the voice installer (``newsaudio voices install/remove``).

The catalogue is ``voices.json`` of the piper-voices repository: an object keyed by voice
name (``en_GB-alan-medium``), each with ``language.code`` (``en_GB``), ``quality``
(``x_low``, ``low``, ``medium``, ``high``) and ``files``: path (relative to the
repository's root) -> ``size_bytes`` and ``md5_digest``. Its base URL is a setting
(``voices_url`` in newsaudio.toml, ``NEWSAUDIO_VOICES_URL``; default :data:`DEFAULT_URL`),
so a mirror, a ``file://`` URL or a plain folder holding a copy of the repository works
offline. The last catalogue read is kept in the data folder, for hints offline.

Installed voices live in the user data folder (platformdirs; ``$NEWSAUDIO_DATA_DIR``
overrides it) under ``voices/``: ``NAME.onnx``, ``NAME.onnx.json`` and a profile
``NAME.toml`` naming the model beside it, with language and quality. Files are downloaded
(or copied) to temporary files in that folder, checked against the catalogue's MD5 sums
and renamed into place only when both are good; the profile is written last. A mismatch,
a failed download or an unreadable model config leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from newsaudio.errors import VoiceError, plain_reason

_LOGGER = logging.getLogger(__name__)

DEFAULT_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0/"
"""The official piper-voices repository (release v1.0.0): ``voices.json`` and the files."""

CATALOGUE_FILE = "voices.json"
MAX_CATALOGUE_BYTES = 32 << 20
MAX_MODEL_BYTES = 1 << 30
TIMEOUT_S = 30.0
BLOCK = 1 << 20
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
"""A voice name that is safe as a file name (``en_GB-alan-medium``)."""


def data_dir() -> Path:
    """``$NEWSAUDIO_DATA_DIR``, else the platform's user data folder for newsaudio."""
    env = os.environ.get("NEWSAUDIO_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("newsaudio", appauthor=False))


def installed_dir() -> Path:
    """Where ``voices install`` puts voices (searched for profiles after ./voices)."""
    return data_dir() / "voices"


@dataclass(frozen=True)
class CatalogueFile:
    """One file of a catalogue voice: its path in the repository, size and MD5 (hex)."""

    path: str
    size_bytes: int
    md5: str


@dataclass(frozen=True)
class CatalogueVoice:
    """A voice the catalogue offers: ``name`` (``en_GB-alan-medium``), ``language`` (BCP 47,
    ``en-GB``), ``quality``, and its model and config files."""

    name: str
    language: str
    quality: str
    model: CatalogueFile
    config: CatalogueFile

    @property
    def size_bytes(self) -> int:
        """Download size: model plus config, in bytes."""
        return self.model.size_bytes + self.config.size_bytes


def bcp47(code: str) -> str:
    """A Piper/POSIX language code as BCP 47: ``en_GB`` -> ``en-GB``."""
    return "-".join(p for p in code.replace("_", "-").split("-") if p)


def parse_catalogue(data: Any) -> dict[str, CatalogueVoice]:
    """The voices of a parsed ``voices.json``; entries without an ``.onnx`` and its
    ``.onnx.json`` are skipped. Raises VoiceError if ``data`` is not such an object."""
    if not isinstance(data, dict):
        raise VoiceError("the voice catalogue is not a JSON object of voices")
    voices: dict[str, CatalogueVoice] = {}
    for name, entry in data.items():
        try:
            files = {
                Path(path).name: CatalogueFile(
                    path, int(info["size_bytes"]), str(info["md5_digest"]).lower()
                )
                for path, info in entry["files"].items()
            }
            model, config = files[f"{name}.onnx"], files[f"{name}.onnx.json"]
            language = bcp47(str((entry.get("language") or {}).get("code") or "und"))
            voices[name] = CatalogueVoice(
                name, language, str(entry.get("quality") or "?"), model, config
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            _LOGGER.debug("catalogue entry %r skipped: no model files", name)
    return voices


def _base(url: str | None) -> str:
    base = url or DEFAULT_URL
    if "://" not in base:  # a plain folder
        base = Path(base).expanduser().resolve().as_uri()
    return base if base.endswith("/") else base + "/"


@contextlib.contextmanager
def _open(url: str) -> Iterator[tuple[Iterator[bytes], int | None]]:
    """Blocks of the resource at ``url`` (http(s) or file) and its length if known.
    Raises VoiceError naming the URL when it cannot be read."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        try:
            f = path.open("rb")
        except OSError as exc:
            raise VoiceError(f"{path}: cannot read ({exc.strerror or exc})") from exc
        with f:
            yield iter(lambda: f.read(BLOCK), b""), path.stat().st_size
        return
    if parts.scheme not in ("http", "https"):
        raise VoiceError(f"{url}: not an http(s):// or file:// URL or a local path")
    import requests

    from newsaudio.net import describe_request_error

    try:
        reply = requests.get(url, stream=True, timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        reason = describe_request_error(exc, url, timeout_s=TIMEOUT_S)
        raise VoiceError(f"{url}: cannot download: {reason}") from exc
    with reply:
        if reply.status_code != 200:
            raise VoiceError(f"{url}: HTTP {reply.status_code} ({reply.reason})")
        length = reply.headers.get("Content-Length")

        def blocks() -> Iterator[bytes]:
            try:
                yield from reply.iter_content(BLOCK)
            except requests.RequestException as exc:
                reason = describe_request_error(exc, url, timeout_s=TIMEOUT_S)
                raise VoiceError(f"{url}: download failed: {reason}") from exc

        yield blocks(), int(length) if length and length.isdigit() else None


def _read(url: str, limit: int) -> bytes:
    out = bytearray()
    with _open(url) as (blocks, _):
        for block in blocks:
            out += block
            if len(out) > limit:
                raise VoiceError(f"{url}: larger than {limit >> 20} MiB")
    return bytes(out)


def _cached_catalogue() -> Path:
    return data_dir() / "catalogue.json"


def load_catalogue(url: str | None = None) -> dict[str, CatalogueVoice]:
    """The catalogue at ``url`` (base URL or folder; None: :data:`DEFAULT_URL`), kept in the
    data folder. When it cannot be read, the copy kept from an earlier read is used (logged).
    Raises VoiceError when neither can be read, or the catalogue is not valid JSON."""
    source = urljoin(_base(url), CATALOGUE_FILE)
    try:
        raw = _read(source, MAX_CATALOGUE_BYTES)
    except VoiceError as exc:
        kept = cached_catalogue()
        if kept is None:
            raise
        _LOGGER.warning("%s; using the catalogue read earlier", exc)
        return kept
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VoiceError(f"{source}: not a valid voices.json ({exc})") from exc
    voices = parse_catalogue(data)
    with contextlib.suppress(OSError):
        _atomic_write(_cached_catalogue(), raw)
    return voices


def cached_catalogue() -> dict[str, CatalogueVoice] | None:
    """The catalogue read last (no network), or None."""
    try:
        return parse_catalogue(json.loads(_cached_catalogue().read_bytes()))
    except (OSError, ValueError, VoiceError):
        return None


def install_hint(language: str) -> str:
    """The command that installs a voice for ``language`` (BCP 47): a named voice from the
    catalogue read last when it has one (exact tag, then the same language; medium quality
    first), else the command listing what the catalogue offers. Never touches the network."""
    primary = language.split("-")[0].lower()
    catalogue = cached_catalogue() or {}
    order = {"medium": 0, "high": 1, "low": 2, "x_low": 3}

    def rank(v: CatalogueVoice) -> tuple[bool, int, str]:
        return (v.language.lower() != language.lower(), order.get(v.quality, 4), v.name)

    fits = [v for v in catalogue.values() if v.language.split("-")[0].lower() == primary]
    if fits:
        return f"newsaudio voices install {min(fits, key=rank).name}"
    return f"newsaudio voices install NAME (see: newsaudio voices --available --language {primary})"


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _download(url: str, folder: Path, expected: CatalogueFile | None) -> Path:
    """``url`` into a temporary file in ``folder``; checked against ``expected`` (size and
    MD5) when given. Returns the temporary path; removes it and raises VoiceError on any
    failure or mismatch."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
    path = Path(tmp)
    try:
        digest = hashlib.md5(usedforsecurity=False)
        size = 0
        limit = expected.size_bytes if expected is not None else MAX_MODEL_BYTES
        with os.fdopen(fd, "wb") as f, _open(url) as (blocks, _):
            for block in blocks:
                size += len(block)
                if size > limit:
                    raise VoiceError(f"{url}: larger than expected ({limit:,} bytes)")
                digest.update(block)
                f.write(block)
        if expected is not None and (size, digest.hexdigest()) != (
            expected.size_bytes,
            expected.md5,
        ):
            raise VoiceError(
                f"{url}: checksum mismatch (MD5 {digest.hexdigest()}, {size:,} bytes; the "
                f"catalogue says {expected.md5}, {expected.size_bytes:,} bytes); nothing installed"
            )
        if size == 0:
            raise VoiceError(f"{url}: empty file")
        return path
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


@dataclass(frozen=True)
class Installed:
    """What :func:`install` did: the voice name, its profile and language and quality."""

    name: str
    profile: Path
    language: str
    quality: str
    checked: bool  # True if the files were checked against the catalogue's MD5 sums
    catalogue_read: bool = True  # False: no catalogue was at hand to check against (offline)

    @property
    def check_note(self) -> str:
        """``MD5 checked``, or why not: no catalogue at hand, or the voice is not in it."""
        if self.checked:
            return "MD5 checked"
        if not self.catalogue_read:
            return (
                "no catalogue read yet (offline?; newsaudio voices --available fetches it): "
                "no MD5 check"
            )
        return "not in the catalogue: no MD5 check"


def _sources(source: str, url: str | None) -> tuple[str, str, str, CatalogueVoice | None]:
    """(name, model URL, config URL, catalogue entry) for a path, a URL or a voice name."""
    if "://" in source:
        name = Path(unquote(urlsplit(source).path)).name
        if not name.endswith(".onnx"):
            raise VoiceError(f"{source}: not the URL of a Piper .onnx model")
        name = name[: -len(".onnx")]
        return name, source, source + ".json", (cached_catalogue() or {}).get(name)
    path = Path(source).expanduser()
    if path.suffix == ".onnx" or path.exists() or os.sep in source:
        if not path.is_file() or path.suffix != ".onnx":
            raise VoiceError(f"{source}: not a Piper .onnx model file")
        name = path.name[: -len(".onnx")]
        absolute = path.absolute()  # not resolved: a symlinked model keeps its own name
        config = absolute.with_name(absolute.name + ".json")
        return name, absolute.as_uri(), config.as_uri(), (cached_catalogue() or {}).get(name)
    catalogue = load_catalogue(url)
    entry = catalogue.get(source)
    if entry is None:
        close = difflib.get_close_matches(source, list(catalogue), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise VoiceError(f"unknown voice {source!r} in the catalogue {_base(url)}{hint}")
    base = _base(url)
    return source, urljoin(base, entry.model.path), urljoin(base, entry.config.path), entry


def install(source: str, url: str | None = None) -> Installed:
    """Install the Piper voice ``source``: a catalogue name, an ``.onnx`` URL (its
    ``.onnx.json`` beside it) or a local ``.onnx`` path. ``url`` is the catalogue's base URL.

    Files named in the catalogue are checked against its MD5 sums. Raises VoiceError for an
    unknown name, a failed download, a checksum mismatch or an unreadable model config; then
    nothing is left in the voices folder.
    """
    name, model_url, config_url, entry = _sources(source, url)
    known = entry or cached_catalogue()  # None: no catalogue at hand (never fetched, offline)
    if not _NAME.fullmatch(name):
        raise VoiceError(f"{source}: {name!r} is not a usable voice name (letters, digits, _ . -)")
    folder = installed_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = plain_reason(exc)
        raise VoiceError(f"{folder}: cannot create the voices folder ({reason})") from exc
    temps: list[Path] = []
    try:
        temps.append(_download(config_url, folder, entry.config if entry else None))
        try:
            config = json.loads(temps[0].read_text(encoding="utf-8"))
            if not isinstance(config, dict):
                raise ValueError("not a JSON object")
        except (UnicodeDecodeError, ValueError) as exc:
            raise VoiceError(f"{config_url}: not a Piper model config ({exc})") from exc
        temps.append(_download(model_url, folder, entry.model if entry else None))
        code = (config.get("language") or {}).get("code") or (config.get("espeak") or {}).get(
            "voice"
        )
        language = entry.language if entry else bcp47(str(code or "und"))
        quality = entry.quality if entry else str((config.get("audio") or {}).get("quality", "?"))
        model = folder / f"{name}.onnx"
        os.replace(temps[0], model.with_name(model.name + ".json"))
        os.replace(temps[1], model)
        temps.clear()
    finally:
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
    profile = folder / f"{name}.toml"
    origin = source if entry is None else f"{source} from {_base(url)}"
    text = (
        f"# Installed by: newsaudio voices install {origin}\n"
        f"name = {json.dumps(name)}\n"
        'engine = "piper"\n'
        f"language = {json.dumps(language)}\n"
        f"quality = {json.dumps(quality)}\n"
        f"model = {json.dumps(model.name)}  # beside this file\n"
        f"description = {json.dumps(f'Piper {name}, offline')}\n"
    )
    _atomic_write(profile, text.encode("utf-8"))
    done = Installed(
        name, profile, language, quality, entry is not None, catalogue_read=known is not None
    )
    if entry is None:
        _LOGGER.warning("%s: installed without a checksum check (%s)", name, done.check_note)
    return done


def remove(name: str) -> list[Path]:
    """Remove the installed voice ``name`` (profile, model, config); returns what was
    removed. Raises VoiceError if ``name`` is not a voice installed by :func:`install`."""
    folder = installed_dir()
    paths = [folder / f"{name}.toml", folder / f"{name}.onnx", folder / f"{name}.onnx.json"]
    if not _NAME.fullmatch(name) or not any(p.exists() for p in paths):
        raise VoiceError(f"{name!r} is not an installed voice (installed voices are in {folder})")
    removed = []
    for path in paths:  # the profile first: a half-removed voice is never listed
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise VoiceError(f"{path}: cannot remove ({exc.strerror or exc})") from exc
    return removed
