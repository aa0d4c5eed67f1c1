"""Karakeep (formerly Hoarder): link bookmarks not archived, with their crawled HTML;
archived once the episode is published.

API (karakeep-app/karakeep ``packages/open-api/karakeep-openapi-spec.json``), base
``{HOST}/api/v1``, ``Authorization: Bearer <API key>``:

* ``GET /bookmarks?archived=false&sortOrder=desc&includeContent=true&limit=N[&cursor=C]``
  -> ``{"bookmarks": [...], "nextCursor": C|null}``. Link bookmarks carry ``content``
  ``{type: "link", url, title, author, datePublished, htmlContent}``; text and asset
  bookmarks are not articles.
* ``PATCH /bookmarks/{id}`` JSON ``{"archived": true}``.
* 401 ``Unauthorized`` (text); 429 without ``Retry-After`` when rate limiting is on.
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


class KarakeepKind:
    """A Karakeep account at ``karakeep+https://HOST``."""

    name: ClassVar[str] = "karakeep"
    credential_keys: ClassVar[tuple[str, ...]] = ("token",)
    write_backs: ClassVar[tuple[str, ...]] = ("archive",)
    default_write_back: ClassVar[str] = "archive"

    def __init__(self, address: str, credentials: Mapping[str, str], **options: Any) -> None:
        self.address = address
        self.base = service_base(address, "karakeep") + "/api/v1"
        self.headers = {
            "Authorization": "Bearer " + require(credentials, ("token",), address)["token"]
        }
        self.http = HttpClient(address, verify=options.get("verify", True))

    def list_new(self, limit: int) -> list[ServiceItem]:
        """Link bookmarks not archived, newest first, following ``nextCursor``."""
        items: list[ServiceItem] = []
        cursor: str | None = None
        while len(items) < limit:
            params = {
                "archived": "false",
                "sortOrder": "desc",
                "includeContent": "true",
                "limit": str(min(PAGE, max(limit, 1))),
            }
            if cursor:
                params["cursor"] = cursor
            answer = self.http.json(
                "GET", f"{self.base}/bookmarks", headers=self.headers, params=params
            )
            if not isinstance(answer, dict):
                raise KindError(self.address, "bookmark list is not a JSON object")
            for b in answer.get("bookmarks") or []:
                content = b.get("content") if isinstance(b, dict) else None
                if (
                    isinstance(content, dict)
                    and content.get("type") == "link"
                    and content.get("url")
                ):
                    items.append(_item(b, content))
            cursor = answer.get("nextCursor") or None
            if cursor is None:
                break
        return items[:limit]

    def write_back(self, item: ServiceItem, action: str) -> None:
        """Archive the bookmark."""
        check_action(self, action, self.address)
        self.http.request(
            "PATCH",
            f"{self.base}/bookmarks/{item.id}",
            headers=self.headers,
            json_body={"archived": True},
        )


def _item(bookmark: dict[str, Any], content: dict[str, Any]) -> ServiceItem:
    return ServiceItem(
        id=str(bookmark["id"]),
        title=str(bookmark.get("title") or content.get("title") or content["url"]),
        url=str(content["url"]),
        author=content.get("author") or None,
        published=parse_time(content.get("datePublished")),
        html=content.get("htmlContent") or None,
    )
