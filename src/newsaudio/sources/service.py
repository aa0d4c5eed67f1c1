"""Followed services and mailboxes as feeds: what :mod:`newsaudio.pipeline.update` asks of a
source that is not a feed (see :mod:`.services` for the kinds themselves).

::

    address + options ─open_service─▶ Kind ─service_feed─▶ ParsedFeed (FeedItem, ...)
                                         └─ write_back(item, action)   after publish

A service's items become :class:`~newsaudio.sources.model.FeedItem` (guid: the item's
identity in the service; link: the article's URL; content_html: the service's HTML), so the
item rules are the feeds' (identity, state, attempts, tombstones, first-run limit, full
text). A newsletter's HTML part is first read by the page extractor
(:func:`newsaudio.loaders.html.extract.parse_html`), as a fetched page would be.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

from newsaudio.errors import InputError, SourceError
from newsaudio.models import Block
from newsaudio.sources.model import FeedItem, ParsedFeed
from newsaudio.sources.services import kind_of, open_kind
from newsaudio.sources.services.base import Kind, ServiceItem

LIST_LIMIT = 100
"""Items listed per check after the first (the first lists the source's ``--limit``)."""

KIND_TITLES = {
    "wallabag": "Wallabag",
    "readwise": "Readwise Reader",
    "karakeep": "Karakeep",
    "readeck": "Readeck",
    "miniflux": "Miniflux",
    "greader": "Google Reader API",
    "imap": "Newsletters",
}


@dataclass(frozen=True)
class ServiceOptions:
    """A followed service's settings (stored as JSON in the source's ``options``; never a
    secret): ``when_published`` archive, read or none (None: the kind's default);
    ``credential_env`` credential key -> environment variable; ``move_to`` an IMAP folder;
    ``all_unread`` (Miniflux: every unread entry, not only starred ones)."""

    when_published: str | None = None
    credential_env: dict[str, str] = field(default_factory=dict)
    move_to: str | None = None
    all_unread: bool = False

    def to_json(self) -> str:
        """The JSON object stored in the state."""
        return json.dumps(
            {
                "when_published": self.when_published,
                "credential_env": self.credential_env,
                "move_to": self.move_to,
                "all_unread": self.all_unread,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> ServiceOptions:
        """The options stored by :meth:`to_json` (defaults for ``{}`` or bad JSON)."""
        try:
            d = json.loads(text or "{}")
        except ValueError:
            d = {}
        if not isinstance(d, dict):
            d = {}
        env = d.get("credential_env") or {}
        if not isinstance(env, dict):
            env = {}
        return cls(
            when_published=d.get("when_published") or None,
            credential_env={str(k): str(v) for k, v in env.items()}
            if isinstance(env, dict)
            else {},
            move_to=d.get("move_to") or None,
            all_unread=bool(d.get("all_unread")),
        )


def is_service(address: str) -> bool:
    """True for a service or mailbox address (``wallabag+https://``, ``readwise:``,
    ``imaps://``...), False for a feed URL or path."""
    return kind_of(address) is not None


def open_service(
    address: str,
    options: ServiceOptions,
    secrets: dict[str, str] | None = None,
    **kind_options: Any,
) -> Kind:
    """The kind object of ``address`` with its credentials (``secrets`` if given, else the
    stored ones and the environment's). Raises SourceError (KindError) or ConfigError."""
    if secrets is None:
        from newsaudio.sources.credentials import resolve

        secrets = resolve(address, options.credential_env)
    extra: dict[str, Any] = dict(kind_options)
    if options.move_to:
        extra["move_to"] = options.move_to
    if options.all_unread:
        extra["all_unread"] = True
    return open_kind(address, secrets, **extra)


def write_back_action(kind: Kind, options: ServiceOptions) -> str:
    """The write-back ``kind`` does after publishing (``none``: nothing)."""
    return options.when_published or kind.default_write_back


def default_name(address: str) -> str:
    """A source name for ``address`` when ``follow`` is given none."""
    from urllib.parse import unquote, urlsplit

    name = kind_of(address) or "service"
    title = KIND_TITLES.get(name, name)
    if name == "readwise":
        return f"{title} ({address.partition(':')[2] or 'later'})"
    if name == "imap":
        parts = urlsplit(address)
        folder = unquote(parts.path.strip("/")) or "INBOX"
        return f"{folder} ({unquote(parts.username or '')}@{parts.hostname})"
    host = urlsplit(address.partition("+")[2]).hostname or address
    return f"{title} ({host})"


def _blocks_html(blocks: list[Block] | tuple[Block, ...]) -> str:
    parts: list[str] = []
    for block in blocks:
        text = html.escape(block.text)
        if block.kind == "heading":
            level = min(max(block.level, 1), 6)
            parts.append(f"<h{level}>{text}</h{level}>")
        elif block.kind == "list_item":
            parts.append(f"<ul><li>{text}</li></ul>")
        else:
            parts.append(f"<p>{text}</p>")
    return "".join(parts)


def extracted_html(body_html: str, source: str, url: str | None) -> str:
    """A newsletter's HTML read by the page extractor, as simple HTML (headings,
    paragraphs, list items). Raises InputError when no text is left."""
    from newsaudio.loaders.html.extract import parse_html

    article = parse_html(body_html, source=source, source_key=source, url=url)
    if not article.blocks:
        raise InputError(source, "has no text")
    return _blocks_html(article.blocks)


def feed_item(item: ServiceItem) -> FeedItem:
    """``item`` as a FeedItem (its identity as the guid)."""
    return FeedItem(
        title=item.title,
        guid=item.identity,
        link=item.url,
        author=item.author,
        published=item.published,
        content_html=item.html or "",
    )


def service_feed(kind: Kind, address: str, limit: int) -> ParsedFeed:
    """The items ``kind`` lists now (up to ``limit``) as a ParsedFeed whose ``service_ids``
    map each item key to its id in the service and whose ``skips`` give the items not to
    make and why (a newsletter with no text). Raises SourceError."""
    from newsaudio.sources.identity import item_key

    listed = kind.list_new(limit)
    items: list[FeedItem] = []
    ids: dict[str, str] = {}
    skips: dict[str, str] = {}
    for service_item in listed:
        item = feed_item(service_item)
        key = item_key(item)
        if kind.name == "imap":
            from newsaudio.sources.services.imap import skip_reason

            reason = skip_reason(service_item)
            if reason is None and service_item.html:
                try:
                    from dataclasses import replace

                    item = replace(
                        item, content_html=extracted_html(service_item.html, address, item.link)
                    )
                except InputError as exc:
                    reason = exc.problem
            if reason is not None:
                skips[key] = reason
        items.append(item)
        ids[key] = service_item.id
    return ParsedFeed(
        title=default_name(address),
        items=tuple(items),
        format=kind.name,
        total_items=len(items),
        service_ids=ids,
        skips=skips,
    )


def service_item(record_key: str, service_id: str, title: str, link: str | None) -> ServiceItem:
    """The ServiceItem a write-back needs, from what the state remembers (``record_key``
    is ``guid:<identity>``)."""
    identity = record_key.removeprefix("guid:")
    return ServiceItem(
        id=service_id,
        title=title,
        url=link,
        key=identity if identity != service_id else None,
    )


__all__ = [
    "LIST_LIMIT",
    "ServiceOptions",
    "SourceError",
    "default_name",
    "extracted_html",
    "feed_item",
    "is_service",
    "open_service",
    "service_feed",
    "service_item",
    "write_back_action",
]
