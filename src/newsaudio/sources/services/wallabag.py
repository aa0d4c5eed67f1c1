"""Wallabag: unread entries (``archive=0``) with their HTML content; archived once the
episode is published.

API (wallabag/wallabag ``doc/content/developer/api/``, ``EntryRestController``):

* ``POST {base}/oauth/v2/token`` form ``grant_type=password, client_id, client_secret,
  username, password`` -> ``{"access_token", "expires_in": 3600, "refresh_token", ...}``;
  ``grant_type=refresh_token`` renews it. A bad password or client is HTTP 400
  ``{"error": "invalid_grant"|"invalid_client"}``.
* ``GET {base}/api/entries.json?archive=0&sort=created&order=desc&page=N&perPage=M
  &detail=full`` with ``Authorization: Bearer <token>`` -> ``_embedded.items``, ``page``,
  ``pages``. An expired token is 401: refreshed once, then the password grant.
* ``PATCH {base}/api/entries/{id}.json`` form ``archive=1``.
"""

from __future__ import annotations

import time
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

PER_PAGE = 30


class WallabagKind:
    """A Wallabag account at ``wallabag+https://HOST[/PATH]``."""

    name: ClassVar[str] = "wallabag"
    credential_keys: ClassVar[tuple[str, ...]] = (
        "client_id",
        "client_secret",
        "username",
        "password",
    )
    write_backs: ClassVar[tuple[str, ...]] = ("archive",)
    default_write_back: ClassVar[str] = "archive"

    def __init__(self, address: str, credentials: Mapping[str, str], **options: Any) -> None:
        self.address = address
        self.base = service_base(address, "wallabag")
        self._creds = require(credentials, self.credential_keys, address)
        self.http = HttpClient(address, verify=options.get("verify", True))
        self._token: str | None = None
        self._refresh: str | None = None
        self._expires = 0.0

    def _grant(self, fields: dict[str, str]) -> None:
        form = {
            "client_id": self._creds["client_id"],
            "client_secret": self._creds["client_secret"],
            **fields,
        }
        answer = self.http.json("POST", f"{self.base}/oauth/v2/token", data=form, ok=(200, 400))
        if not isinstance(answer, dict) or not answer.get("access_token"):
            raise KindError(self.address, "authentication failed", auth=True, status=400)
        self._token = str(answer["access_token"])
        self._refresh = answer.get("refresh_token") or None
        self._expires = time.monotonic() + float(answer.get("expires_in") or 3600) - 30

    def _authorize(self, renew: bool = False) -> dict[str, str]:
        if renew or self._token is None or time.monotonic() >= self._expires:
            if self._refresh:
                try:
                    self._grant({"grant_type": "refresh_token", "refresh_token": self._refresh})
                except KindError:
                    self._refresh = None
            if self._refresh is None or self._token is None or time.monotonic() >= self._expires:
                self._grant(
                    {
                        "grant_type": "password",
                        "username": self._creds["username"],
                        "password": self._creds["password"],
                    }
                )
        return {"Authorization": f"Bearer {self._token}"}

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            return self.http.json(method, self.base + path, headers=self._authorize(), **kwargs)
        except KindError as exc:
            if not exc.auth:
                raise
        return self.http.json(
            method, self.base + path, headers=self._authorize(renew=True), **kwargs
        )

    def list_new(self, limit: int) -> list[ServiceItem]:
        """Unread entries, newest first, paging ``perPage`` 30 until ``limit``."""
        items: list[ServiceItem] = []
        page = 1
        while len(items) < limit:
            params = {
                "archive": "0",
                "sort": "created",
                "order": "desc",
                "detail": "full",
                "page": str(page),
                "perPage": str(min(PER_PAGE, max(limit, 1))),
            }
            answer = self._call("GET", "/api/entries.json", params=params)
            entries = (
                (answer.get("_embedded") or {}).get("items") or []
                if isinstance(answer, dict)
                else []
            )
            items.extend(
                _item(e) for e in entries if isinstance(e, dict) and e.get("id") is not None
            )
            if not entries or page >= int(answer.get("pages") or 1):
                break
            page += 1
        return items[:limit]

    def write_back(self, item: ServiceItem, action: str) -> None:
        """Archive the entry (``PATCH archive=1``)."""
        check_action(self, action, self.address)
        self._call("PATCH", f"/api/entries/{item.id}.json", data={"archive": "1"})


def _item(entry: dict[str, Any]) -> ServiceItem:
    authors = [a for a in entry.get("published_by") or [] if isinstance(a, str) and a.strip()]
    return ServiceItem(
        id=str(entry["id"]),
        title=str(entry.get("title") or entry.get("url") or ""),
        url=entry.get("url") or entry.get("given_url") or None,
        author=", ".join(authors) or None,
        published=parse_time(entry.get("published_at")) or parse_time(entry.get("created_at")),
        html=entry.get("content") or None,
    )
