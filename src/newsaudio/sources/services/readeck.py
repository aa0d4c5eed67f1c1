"""Readeck: bookmarks neither archived nor read to the end, with their article HTML;
archived (or marked read) once the episode is published.

API (codeberg.org/readeck/readeck ``internal/bookmarks/routes``, ``dataset``), base
``{HOST}/api``, ``Authorization: Bearer <token>``:

* ``GET /bookmarks?is_archived=false&read_status=unread&read_status=reading&type=article
  &limit=N&offset=O`` -> a JSON array; headers ``Total-Count``, ``Total-Pages``,
  ``Current-Page`` and ``Link: <...>; rel="next"``. Items: ``id, url, title, authors,
  published, has_article, resources.article.src``.
* ``GET /bookmarks/{id}/article`` -> the article body as ``text/html``.
* ``PATCH /bookmarks/{id}`` JSON ``{"is_archived": true}`` or ``{"read_progress": 100}``.
"""

from __future__ import annotations

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

PAGE = 50


class ReadeckKind:
    """A Readeck account at ``readeck+https://HOST``."""

    name: ClassVar[str] = "readeck"
    credential_keys: ClassVar[tuple[str, ...]] = ("token",)
    write_backs: ClassVar[tuple[str, ...]] = ("archive", "read")
    default_write_back: ClassVar[str] = "archive"

    def __init__(self, address: str, credentials: Mapping[str, str], **options: Any) -> None:
        self.address = address
        self.base = service_base(address, "readeck") + "/api"
        self.headers = {
            "Authorization": "Bearer " + require(credentials, ("token",), address)["token"]
        }
        self.http = HttpClient(address, verify=options.get("verify", True))

    def list_new(self, limit: int) -> list[ServiceItem]:
        """Unarchived, unfinished articles, newest first, ``limit``/``offset`` pages; the
        article HTML of each is fetched (one request per item)."""
        found: list[dict[str, Any]] = []
        offset = 0
        page = min(PAGE, max(limit, 1))
        while len(found) < limit:
            params = [
                ("is_archived", "false"),
                ("read_status", "unread"),
                ("read_status", "reading"),
                ("type", "article"),
                ("limit", str(page)),
                ("offset", str(offset)),
            ]
            response = self.http.request(
                "GET", f"{self.base}/bookmarks", headers=self.headers, params=params
            )
            try:
                rows = response.json()
            except ValueError:
                raise KindError(self.address, "bookmark list is not JSON") from None
            if not isinstance(rows, list):
                raise KindError(self.address, "bookmark list is not a JSON array")
            found.extend(r for r in rows if isinstance(r, dict) and r.get("id"))
            if not rows or 'rel="next"' not in response.headers.get("Link", ""):
                break
            offset += len(rows)
        return [self._item(b) for b in found[:limit]]

    def _item(self, b: dict[str, Any]) -> ServiceItem:
        html = None
        if b.get("has_article"):
            html = (
                self.http.request(
                    "GET", f"{self.base}/bookmarks/{b['id']}/article", headers=self.headers
                ).text
                or None
            )
        authors = [a for a in b.get("authors") or [] if isinstance(a, str) and a.strip()]
        return ServiceItem(
            id=str(b["id"]),
            title=str(b.get("title") or b.get("url") or ""),
            url=b.get("url") or None,
            author=", ".join(authors) or None,
            published=parse_time(b.get("published")),
            html=html,
        )

    def write_back(self, item: ServiceItem, action: str) -> None:
        """Archive the bookmark, or mark it read (progress 100 %)."""
        check_action(self, action, self.address)
        body: dict[str, Any] = (
            {"is_archived": True} if action == "archive" else {"read_progress": 100}
        )
        self.http.request(
            "PATCH", f"{self.base}/bookmarks/{item.id}", headers=self.headers, json_body=body
        )
