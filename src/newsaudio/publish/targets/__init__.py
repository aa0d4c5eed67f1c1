"""Publish targets: where the public part of a show is copied, chosen by URL scheme.

A target is one module in this package defining ``SCHEMES`` (the URL schemes it serves,
``("s3",)``), ``describe(url) -> str`` (the URL as shown in messages: no credentials,
checked; raises ConfigError) and ``open_target(url) -> Target``. Modules are found by
scanning the package (:func:`registry`), so adding a kind of target is one new file; heavy
imports (boto3, paramiko) happen inside ``open_target``, so ``newsaudio --help`` stays
instant.

Keys are POSIX paths relative to the target's root (``episodes/x.mp3``, ``<token>/feed.xml``).
A target raises :class:`TargetError` (a PublishError, exit 7) with ``transient`` set when
retrying can help (network, timeouts, 5xx) and unset when it cannot (credentials, unknown
host key, missing bucket).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Protocol
from urllib.parse import urlsplit

from newsaudio.errors import ConfigError, PublishError

TEMP_PREFIX = ".newsaudio-tmp-"
"""Prefix of the temporary names files are uploaded under before their rename (folder and
SFTP targets); a killed publish leaves them, and the next one deletes them."""


@dataclass(frozen=True)
class RemoteObject:
    """What a target knows about one stored file: ``size`` in bytes and ``etag`` (S3's ETag;
    the modification time in ns for folders and SFTP), used to notice remote changes."""

    size: int
    etag: str | None = None


class TargetError(PublishError):
    """A target operation failed; ``transient`` when retrying may succeed."""

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class Target(Protocol):
    """A place the show is published to (see the module docstring)."""

    url: str
    """The target as shown to users: no credentials."""

    def list(self) -> dict[str, RemoteObject]:
        """Every stored file under the root, by key (``{}`` when the root does not exist yet).
        Temporary files of killed uploads are deleted, not listed."""
        ...

    def put(self, key: str, local: Path, content_type: str, cache_control: str) -> RemoteObject:
        """Store ``local`` at ``key`` atomically (a reader sees the old file or the new one,
        never part of one), with HTTP ``content_type`` and ``cache_control`` where the target
        keeps them; return what was stored."""
        ...

    def delete(self, key: str) -> None:
        """Delete ``key``; deleting a missing key is not an error."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def _modules() -> list[ModuleType]:
    package = importlib.import_module(__name__)
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]


def registry() -> dict[str, ModuleType]:
    """URL scheme -> target module, for every module of this package."""
    return {scheme: module for module in _modules() for scheme in module.SCHEMES}


def _module_for(url: str, where: str) -> ModuleType:
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    modules = registry()
    if scheme not in modules:
        known = ", ".join(f"{s}://" for s in sorted(modules, key=_scheme_order) if s)
        raise ConfigError(
            f"{where}: {_without_credentials(url)!r} is not a publish target; the supported kinds "
            f"are {known} or a folder path"
        )
    return modules[scheme]


def _without_credentials(url: str) -> str:
    """``url`` without a user, password or query (where credentials hide), for messages."""
    if "://" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("://", 1)[0] + "://..."
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}{parts.path}"


def _scheme_order(scheme: str) -> tuple[bool, str]:
    """s3, sftp, then file (the local kind last, as the documentation lists them)."""
    return scheme == "file", scheme


def check_url(url: str, where: str = "publish_to") -> str:
    """``url`` as shown in messages, after checking it names a known kind of target and is
    well-formed. Raises ConfigError naming ``where``."""
    description: str = _module_for(url, where).describe(url, where)
    return description


def open_target(url: str) -> Target:
    """The target for ``url`` (``s3://bucket/prefix``, ``sftp://user@host[:port]/path``,
    ``file:///path`` or a folder path). Raises ConfigError for a malformed URL and
    TargetError when it cannot be reached."""
    target: Target = _module_for(url, "target").open_target(url)
    return target
