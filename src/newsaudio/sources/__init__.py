"""Sources: feeds a show follows, and their items over time (beside :mod:`newsaudio.loaders`,
which turn one source into one Article).

::

    URL ─fetch─▶ FeedResponse ─parse─▶ ParsedFeed ─▶ items ─state─▶ new ones ─▶ render, publish

Fetching is apart from parsing, each chosen from a small registry: :data:`FETCHERS` by URL
scheme (``http``/``https``: conditional, polite requests in :mod:`.fetch_http`; a local path
or ``file://``: :mod:`.fetch_file`), :data:`PARSERS` by what the document is (RSS and Atom:
:mod:`.parse_xml`; JSON Feed: :mod:`.parse_json`). Adding one is one new module and one line.
Item identity is in :mod:`.identity`, item state and the followed sources in :mod:`.state`
(SQLite), the run in :mod:`.update`, OPML in :mod:`.opml`.

Feed library: **feedparser**, with our own fetching and state. We looked at ``reader``
(lemon24/reader 3.26, installable here): it is well made (Atom, RSS and JSON Feed,
conditional requests, entry state in SQLite, typed), but it parses with feedparser itself,
keeps a second database of its own whose entry model (read/important flags, tags) is not
our item life (published, skipped with a reason, failed with attempts, removed with a
tombstone), and its retriever would have to be wrapped anyway for our fetch bounds (size
cap, deadline, http(s)-only redirects), per-host spacing, Retry-After and 410 handling. It
would also pull in Werkzeug, BeautifulSoup and structlog. feedparser is the parsing core
both share; fetching (requests, already a dependency) and state (one versioned SQLite file
beside the catalog) stay small and ours. JSON Feed, which feedparser does not read, is a
small JSON object parsed with the standard library.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from newsaudio.errors import SourceError
from newsaudio.sources.model import FeedResponse, ParsedFeed, Validators

MAX_ITEMS = 500
"""Items read from one feed document (document order, newest first in practice); a feed of
100,000 items costs no more than one of 500 (see :func:`.parse_xml.bounded`)."""

FETCHERS: dict[str, str] = {
    "http": "newsaudio.sources.fetch_http:fetch_http",
    "https": "newsaudio.sources.fetch_http:fetch_http",
    "file": "newsaudio.sources.fetch_file:fetch_file",
}
"""URL scheme -> ``module:function`` fetching it (a path without a scheme is ``file``)."""

PARSERS: dict[str, str] = {
    "xml": "newsaudio.sources.parse_xml:parse_xml",
    "json": "newsaudio.sources.parse_json:parse_json",
}
"""Document kind -> ``module:function`` parsing it (see :func:`document_kind`)."""

Fetcher = Callable[[str, Validators | None], FeedResponse]
Parser = Callable[[FeedResponse, int], ParsedFeed]


def _resolve(spec: str) -> Callable[..., object]:
    module, _, name = spec.partition(":")
    func: Callable[..., object] = getattr(importlib.import_module(module), name)
    return func


def scheme_of(url: str) -> str:
    """The registry scheme of ``url``: its URL scheme (lower case), ``file`` for a path."""
    if "://" in url:
        return url.split("://", 1)[0].lower()
    return "file"


def fetch(url: str, validators: Validators | None = None) -> FeedResponse:
    """Fetch the feed at ``url`` with the fetcher of its scheme. Raises SourceError (also for
    a scheme no fetcher handles)."""
    scheme = scheme_of(url)
    if scheme not in FETCHERS:
        raise SourceError(url, f"{scheme}: URLs are not fetched; use http(s) or a file")
    response: FeedResponse = _resolve(FETCHERS[scheme])(url, validators)  # type: ignore[assignment]
    return response


def document_kind(response: FeedResponse) -> str:
    """'json' for a JSON Feed (by media type or a leading ``{``), else 'xml'."""
    head = response.body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if "json" in response.media_type or head.startswith(b"{"):
        return "json"
    return "xml"


def parse(response: FeedResponse, max_items: int = MAX_ITEMS) -> ParsedFeed:
    """Parse a fetched feed document. Raises SourceError if it is not a feed."""
    from newsaudio.sources.discover import looks_like_html

    if not response.body.strip():
        raise SourceError(response.url, "is empty, not a feed")
    if looks_like_html(response.body, response.media_type):
        raise SourceError(response.url, "is a web page, not a feed")
    feed: ParsedFeed = _resolve(PARSERS[document_kind(response)])(response, max_items)  # type: ignore[assignment]
    return feed
