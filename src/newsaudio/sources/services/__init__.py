"""Source kinds beside feeds: read-later services, feed readers' starred items and IMAP
newsletters, each one module behind :class:`.base.Kind`.

Adding one is one new module and one line in :data:`KINDS`; :func:`kind_of` picks the kind
from the address a user follows (``wallabag+https://...``, ``readwise:later``,
``imaps://user@host/Folder``...), :func:`open_kind` builds it with the credentials.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from newsaudio.sources.services.base import Kind, KindError

KINDS: dict[str, str] = {
    "wallabag": "newsaudio.sources.services.wallabag:WallabagKind",
    "readwise": "newsaudio.sources.services.readwise:ReadwiseKind",
    "karakeep": "newsaudio.sources.services.karakeep:KarakeepKind",
    "readeck": "newsaudio.sources.services.readeck:ReadeckKind",
    "miniflux": "newsaudio.sources.services.miniflux:MinifluxKind",
    "greader": "newsaudio.sources.services.greader:GReaderKind",
    "imap": "newsaudio.sources.services.imap:ImapKind",
}
"""Kind name -> ``module:class``."""


def kind_of(address: str) -> str | None:
    """The kind of ``address`` (None for a feed URL or a path)."""
    lowered = address.lower()
    if lowered.startswith(("imap://", "imaps://")):
        return "imap"
    if lowered.startswith("readwise:"):
        return "readwise"
    prefix, plus, _ = lowered.partition("+")
    if plus and prefix in KINDS and "://" in lowered:
        return prefix
    return None


def open_kind(address: str, credentials: Mapping[str, str], **options: Any) -> Kind:
    """The kind object for ``address``. Raises KindError for an address of no kind."""
    name = kind_of(address)
    if name is None:
        raise KindError(address, "is not a service or mailbox address")
    module, _, cls = KINDS[name].partition(":")
    kind: Kind = getattr(importlib.import_module(module), cls)(address, credentials, **options)
    return kind


def check_address(address: str) -> None:
    """Raise KindError when ``address`` is refused by its kind (scheme, host, port, plain
    http or imap away from loopback...): the kind is constructed with placeholder
    credentials, which checks the address and connects to nothing."""
    cls: Any = kind_class(address)
    cls(address, dict.fromkeys(cls.credential_keys, "-"))


def kind_class(address: str) -> type[Kind]:
    """The kind class of ``address`` (its ``credential_keys``, ``write_backs`` and
    ``default_write_back``) without connecting. Raises KindError for no kind."""
    name = kind_of(address)
    if name is None:
        raise KindError(address, "is not a service or mailbox address")
    module, _, cls = KINDS[name].partition(":")
    found: type[Kind] = getattr(importlib.import_module(module), cls)
    return found
