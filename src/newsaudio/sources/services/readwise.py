"""Readwise Reader: documents in one location (``readwise:later`` by default, or
``readwise:new``...) with their HTML; moved to the archive once the episode is published.

API (https://readwise.io/reader_api):

* ``Authorization: Token <token>``; ``GET /api/v2/auth/`` answers 204 for a good token.
* ``GET /api/v3/list/?location=later&withHtmlContent=true[&pageCursor=C]`` ->
  ``{"count", "nextPageCursor", "results": [{id, url (Reader's own), source_url (the
  article), title, author, published_date, html_content, category, parent_id, ...}]}``.
  Highlights and notes (``parent_id`` set) are not documents to read.
* ``PATCH /api/v3/update/<id>/`` JSON ``{"location": "archive"}``.
* Limits: 20 list requests a minute (50 for update); over it, 429 with ``Retry-After``
  (seconds): waited once when short, else reported for the next update.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar

from newsaudio.sources.services._http import HttpClient, parse_time
from newsaudio.sources.services.base import (
    KindError,
    ServiceItem,
    check_action,
    require,
    service_base,
)

BASE = "https://readwise.io"
LOCATIONS = ("new", "later", "shortlist", "archive", "feed")
READABLE = frozenset({"article", "email", "rss", "pdf", "epub"})


class ReadwiseKind:
    """A Readwise Reader location: ``readwise:`` / ``readwise:later`` / ``readwise:new``."""

    name: ClassVar[str] = "readwise"
    credential_keys: ClassVar[tuple[str, ...]] = ("token",)
    write_backs: ClassVar[tuple[str, ...]] = ("archive",)
    default_write_back: ClassVar[str] = "archive"

    def __init__(self, address: str, credentials: Mapping[str, str], **options: Any) -> None:
        self.address = address
        scheme, _, location = address.partition(":")
        location = location.strip("/") or "later"
        if scheme.lower() != "readwise" or location not in LOCATIONS:
            raise KindError(address, f"is not readwise:LOCATION ({', '.join(LOCATIONS)})")
        self.location = location
        # NEWSAUDIO_READWISE_API: another address of the same API (a proxy; tests)
        base = options.get("base_url") or os.environ.get("NEWSAUDIO_READWISE_API") or BASE
        self.base = service_base("readwise+" + str(base), "readwise")  # http: loopback only
        self.headers = {
            "Authorization": "Token " + require(credentials, ("token",), address)["token"]
        }
        self.http = HttpClient(address, max_wait_s=float(options.get("max_wait_s", 65.0)))

    def list_new(self, limit: int) -> list[ServiceItem]:
        """Documents in the location, following ``nextPageCursor`` until ``limit``."""
        items: list[ServiceItem] = []
        cursor: str | None = None
        while len(items) < limit:
            params = {"location": self.location, "withHtmlContent": "true"}
            if cursor:
                params["pageCursor"] = cursor
            answer = self.http.json(
                "GET", f"{self.base}/api/v3/list/", headers=self.headers, params=params
            )
            if not isinstance(answer, dict):
                raise KindError(self.address, "list answer is not a JSON object")
            for doc in answer.get("results") or []:
                if (
                    isinstance(doc, dict)
                    and doc.get("id")
                    and not doc.get("parent_id")
                    and doc.get("category", "article") in READABLE
                ):
                    items.append(_item(doc))
            cursor = answer.get("nextPageCursor") or None
            if cursor is None:
                break
        return items[:limit]

    def write_back(self, item: ServiceItem, action: str) -> None:
        """Move the document to the archive."""
        check_action(self, action, self.address)
        self.http.request(
            "PATCH",
            f"{self.base}/api/v3/update/{item.id}/",
            headers=self.headers,
            json_body={"location": "archive"},
        )


def _item(doc: dict[str, Any]) -> ServiceItem:
    published = doc.get("published_date")
    if isinstance(published, (int, float)) and published > 1e11:  # milliseconds
        published = published / 1000
    return ServiceItem(
        id=str(doc["id"]),
        title=str(doc.get("title") or doc.get("source_url") or ""),
        url=doc.get("source_url") or doc.get("url") or None,
        author=doc.get("author") or None,
        published=parse_time(published),
        html=doc.get("html_content") or None,
    )
