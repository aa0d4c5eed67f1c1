"""Miniflux: starred unread entries (every unread one with ``all_unread``); marked read
once the episode is published.

API (miniflux/v2 ``internal/api``), base ``{HOST}/v1``, header ``X-Auth-Token: <API key>``:

* ``GET /entries?status=unread&starred=true&order=published_at&direction=desc&limit=N
  &offset=O`` -> ``{"total", "entries": [{id, title, url, author, published_at,
  content, starred, status, feed}]}`` (``limit`` at most 1,000: ``MaxEntryLimit``).
* ``PUT /entries`` JSON ``{"entry_ids": [id], "status": "read"}`` -> 204.
* 401 ``{"error_message": "access unauthorized"}``.
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

PAGE = 100


class MinifluxKind:
    """A Miniflux account at ``miniflux+https://HOST``."""

    name: ClassVar[str] = "miniflux"
    credential_keys: ClassVar[tuple[str, ...]] = ("token",)
    write_backs: ClassVar[tuple[str, ...]] = ("read",)
    default_write_back: ClassVar[str] = "read"

    def __init__(self, address: str, credentials: Mapping[str, str], **options: Any) -> None:
        self.address = address
        self.base = service_base(address, "miniflux") + "/v1"
        self.headers = {"X-Auth-Token": require(credentials, ("token",), address)["token"]}
        self.all_unread = bool(options.get("all_unread", False))
        self.http = HttpClient(address, verify=options.get("verify", True))

    def list_new(self, limit: int) -> list[ServiceItem]:
        """Starred (or all) unread entries, newest published first, ``limit``/``offset``."""
        items: list[ServiceItem] = []
        offset = 0
        page = min(PAGE, max(limit, 1))
        while len(items) < limit:
            params = {
                "status": "unread",
                "order": "published_at",
                "direction": "desc",
                "limit": str(page),
                "offset": str(offset),
            }
            if not self.all_unread:
                params["starred"] = "true"
            answer = self.http.json(
                "GET", f"{self.base}/entries", headers=self.headers, params=params
            )
            if not isinstance(answer, dict):
                raise KindError(self.address, "entry list is not a JSON object")
            entries = [e for e in answer.get("entries") or [] if isinstance(e, dict) and "id" in e]
            items.extend(_item(e) for e in entries)
            offset += len(entries)
            if not entries or offset >= int(answer.get("total") or 0):
                break
        return items[:limit]

    def write_back(self, item: ServiceItem, action: str) -> None:
        """Mark the entry read."""
        check_action(self, action, self.address)
        self.http.request(
            "PUT",
            f"{self.base}/entries",
            headers=self.headers,
            json_body={"entry_ids": [int(item.id)], "status": "read"},
        )


def _item(entry: dict[str, Any]) -> ServiceItem:
    return ServiceItem(
        id=str(entry["id"]),
        title=str(entry.get("title") or entry.get("url") or ""),
        url=entry.get("url") or None,
        author=entry.get("author") or None,
        published=parse_time(entry.get("published_at")),
        html=entry.get("content") or None,
    )
