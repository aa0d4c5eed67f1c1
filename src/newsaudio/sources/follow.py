"""Following and unfollowing sources, and what ``sources`` shows about them.

``follow`` fetches the URL once to check it: a feed is followed as it is; a web page is
searched for the feeds it announces (:mod:`.discover`) and the first readable one is
followed. Following the same feed twice is one source (its settings are updated).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsaudio.errors import InputError, SourceError
from newsaudio.loaders import url_guess
from newsaudio.show import Show
from newsaudio.sources import fetch, parse, scheme_of
from newsaudio.sources.discover import discover, looks_like_html
from newsaudio.sources.model import FeedResponse, ParsedFeed
from newsaudio.sources.opml import Outline
from newsaudio.sources.service import ServiceOptions, is_service
from newsaudio.sources.state import SourceRecord, StateStore

_LOG = logging.getLogger(__name__)

FULL_TEXT_MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class FollowOptions:
    """Settings of a followed source (see ``newsaudio follow --help``)."""

    name: str | None = None
    voice: str | None = None
    limit: int = 3
    include: str = ""
    exclude: str = ""
    full_text: str = "auto"
    service: ServiceOptions = field(default_factory=ServiceOptions)
    """A service's or mailbox's settings (ignored for a feed)."""
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    """Secrets asked at ``follow`` (stored in ``credentials.toml`` once the check passed)."""


@dataclass(frozen=True)
class Followed:
    """The outcome of ``follow``: the source as stored, its item count and feed format,
    whether it was followed already, and what is wrong with a feed that was read anyway
    (``problem``: not well-formed XML feedparser recovered from; None for a sound feed)."""

    source: SourceRecord
    items: int
    format: str
    already: bool
    problem: str | None = None


@dataclass(frozen=True)
class SourceStatus:
    """One line of ``newsaudio sources``."""

    source: SourceRecord
    published: int
    failed: int
    skipped: int
    error: str | None
    write_back_failed: int = 0
    write_back_error: str | None = None


def feed_address(url: str) -> str:
    """The stored form of ``url``: an absolute path for a local file, else ``url``."""
    if scheme_of(url) == "file" and "://" not in url:
        return str(Path(url).expanduser().resolve())
    return url


def resolve_feed(url: str) -> tuple[str, FeedResponse, ParsedFeed]:
    """Fetch ``url`` and find the feed: the document itself, or the first readable feed a
    web page announces. Returns (feed URL, response, parsed feed). Raises SourceError."""
    given, url = url, feed_address(url)
    if scheme_of(given) == "file" and "://" not in given and not Path(url).exists():
        guess = url_guess(given)
        if guess is not None:
            raise SourceError(given, f"no such file; did you mean {guess}?")
    response = fetch(url)
    if response.moved_to:
        url = response.moved_to
    if not looks_like_html(response.body, response.media_type):
        return url, response, parse(response)
    candidates = discover(response.body, response.url)
    if not candidates:
        raise SourceError(
            url, "is a web page that announces no feed (no RSS, Atom or JSON Feed link)"
        )
    problems = []
    for candidate in candidates:
        try:
            feed_response = fetch(candidate)
            return feed_response.moved_to or candidate, feed_response, parse(feed_response)
        except SourceError as exc:
            problems.append(str(exc))
    raise SourceError(url, "announces feeds, but none is readable: " + "; ".join(problems))


def _unique_name(store: StateStore, wanted: str, url: str) -> str:
    taken = {s.name.casefold() for s in store.sources() if s.url != url}
    name, n = wanted, 2
    while name.casefold() in taken:
        name, n = f"{wanted} ({n})", n + 1
    return name


def follow(show: Show, url: str, options: FollowOptions, now: datetime) -> Followed:
    """Check ``url`` and follow its feed. Raises SourceError if it is neither a feed nor a
    page announcing one, InputError for bad options, PublishError if state is unwritable."""
    if options.full_text not in FULL_TEXT_MODES:
        raise InputError(url, f"--full-text must be one of {', '.join(FULL_TEXT_MODES)}")
    if is_service(url):
        return _follow_service(show, url, options, now)
    feed_url, response, feed = resolve_feed(url)
    with StateStore.of(show.state_dir) as store, store.transaction():
        old = store.source_by_url(feed_url)
        already = old is not None and old.active
        wanted = options.name or (old.name if already and old else None) or feed.title
        name = _unique_name(store, wanted or feed_url, feed_url)
        source = store.add_source(
            feed_url,
            name,
            now,
            voice=options.voice,
            limit=options.limit,
            include=options.include,
            exclude=options.exclude,
            full_text=options.full_text,
            gone=False,
            error=None,
            next_retry=None,
            last_checked=now,  # the check made here, shown by `sources`
            last_status=response.status,
        )
    _LOG.info("following %s (%s, %d items)", feed_url, feed.format, feed.total_items)
    return Followed(source, feed.total_items, feed.format, already, feed.problem)


def _follow_service(show: Show, url: str, options: FollowOptions, now: datetime) -> Followed:
    """Follow a service or mailbox: open it with the credentials (asked ones, else stored
    or the environment's), list one item to check them, then store the source and the
    asked secrets. Raises SourceError (KindError: "authentication failed", an unreachable
    host, a missing folder...), ConfigError (credentials file)."""
    from newsaudio.sources.credentials import resolve, store
    from newsaudio.sources.service import default_name, open_service
    from newsaudio.sources.services.base import check_action, strip_secrets

    address = strip_secrets(url.strip())
    if options.secrets:
        secrets = {**resolve(address, options.service.credential_env), **options.secrets}
    else:
        secrets = resolve(address, options.service.credential_env)
    kind = open_service(address, options.service, secrets)
    if options.service.when_published not in (None, "none"):
        check_action(kind, options.service.when_published, address)
    listed = kind.list_new(1)
    extra_check = getattr(kind, "check", None)  # a kind's own follow-time checks, if any
    if callable(extra_check):
        extra_check()
    if options.secrets:
        store(address, options.secrets)
    with StateStore.of(show.state_dir) as state, state.transaction():
        old = state.source_by_url(address)
        already = old is not None and old.active
        wanted = options.name or (old.name if already and old else None) or default_name(address)
        name = _unique_name(state, wanted, address)
        source = state.add_source(
            address,
            name,
            now,
            voice=options.voice,
            limit=options.limit,
            include=options.include,
            exclude=options.exclude,
            full_text=options.full_text,
            options=options.service.to_json(),
            gone=False,
            error=None,
            next_retry=None,
            last_checked=now,
            last_status=None,
        )
    _LOG.info("following %s (%s)", address, kind.name)
    return Followed(source, len(listed), kind.name, already)


def unfollow(show: Show, ref: str) -> SourceRecord:
    """Stop following the source named ``ref`` (or with URL ``ref``). Its episodes stay; its
    items' states are kept, so following it again makes nothing twice. Raises InputError."""
    with StateStore.of(show.state_dir) as store, store.transaction():
        source = store.find_source(ref) or store.find_source(feed_address(ref))
        if source is None:
            raise InputError(ref, "no followed source with this name or URL (newsaudio sources)")
        store.update_source(source.id, active=False)
        return source


def source_statuses(show: Show) -> list[SourceStatus]:
    """Every followed source with its counts and last error ([] for a show following none)."""
    if not (show.state_dir / "sources.sqlite").is_file():
        return []
    with StateStore.of(show.state_dir, read_only=True) as store:  # a read-only show works
        out = []
        for source in store.sources():
            counts = store.counts(source.id)
            wb_failed, wb_error = store.write_back_failures(source.id)
            out.append(
                SourceStatus(
                    source,
                    counts["published"],
                    counts["failed"],
                    counts["skipped"],
                    source.error or store.last_item_error(source.id),
                    wb_failed,
                    wb_error,
                )
            )
        return out


def _outline_url(url: str) -> str:
    """The OPML ``xmlUrl`` of a stored source: a feed URL, a file's ``file://`` URL, or a
    service's address without any secret."""
    if is_service(url):
        from newsaudio.sources.services.base import strip_secrets

        return strip_secrets(url)
    return url if "://" in url else Path(url).resolve().as_uri()


def export_outlines(show: Show) -> list[Outline]:
    """The followed sources as OPML outlines."""
    return [
        Outline(
            url=_outline_url(st.source.url),
            name=st.source.name,
            voice=st.source.voice,
            limit=st.source.limit,
            include=st.source.include,
            exclude=st.source.exclude,
            full_text=st.source.full_text,
        )
        for st in source_statuses(show)
    ]


def import_outlines(show: Show, outlines: list[Outline], now: datetime) -> tuple[int, list[str]]:
    """Follow each outline (without fetching). Only http(s) and ``file://`` feed URLs are
    taken. Returns (how many were followed, one line for each refused)."""
    refused: list[str] = []
    added = 0
    with StateStore.of(show.state_dir) as store, store.transaction():
        for o in outlines:
            scheme = scheme_of(o.url)
            if "://" not in o.url or scheme not in ("http", "https", "file"):
                refused.append(f"{o.name}: {o.url} is not an http(s) or file:// URL")
                continue
            url = str(Path(unquote(urlsplit(o.url).path))) if scheme == "file" else o.url
            mode = o.full_text if o.full_text in FULL_TEXT_MODES else "auto"
            store.add_source(
                url,
                _unique_name(store, o.name or url, url),
                now,
                voice=o.voice,
                limit=o.limit,
                include=o.include,
                exclude=o.exclude,
                full_text=mode,
            )
            added += 1
    return added, refused
