"""Google Reader API servers (FreshRSS, Miniflux's, The Old Reader...): starred items not
yet read; marked read once the episode is published.

API (FreshRSS ``p/api/greader.php`` and its documentation
``docs/en/developers/06_GoogleReader_API.md``), base ``https://HOST/api/greader.php``:

* ``POST /accounts/ClientLogin`` form ``Email, Passwd`` (the *API password*) -> text lines
  ``SID=…``, ``LSID=…``, ``Auth=<user>/<hash>``; 401 ``Unauthorized!`` for a bad one.
  Then every call sends ``Authorization: GoogleLogin auth=<Auth>``.
* ``GET /reader/api/0/stream/contents/user/-/state/com.google/starred
  ?xt=user/-/state/com.google/read&n=N&r=n[&c=CONT]&output=json`` -> ``{"items": [{id
  ("tag:google.com,2005:reader/item/<16 hex>"), title, published (Unix s), canonical
  [{href}], alternate [{href}], author, content {content} (summary {content} in compat
  mode)}], "continuation"?}``.
* Writes need the action token: ``GET /reader/api/0/token`` -> 57 characters, sent as form
  field ``T``: ``POST /reader/api/0/edit-tag`` form ``i=<id>, a=user/-/state/com.google/read,
  T=<token>`` -> ``OK``. A stale token is 401 with ``Google-Bad-Token: true``: a new one is
  fetched once.
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
STARRED = "user/-/state/com.google/starred"
READ = "user/-/state/com.google/read"


class GReaderKind:
    """A Google Reader API account at ``greader+https://HOST/api/greader.php``."""

    name: ClassVar[str] = "greader"
    credential_keys: ClassVar[tuple[str, ...]] = ("username", "password")
    write_backs: ClassVar[tuple[str, ...]] = ("read",)
    default_write_back: ClassVar[str] = "read"

    def __init__(self, address: str, credentials: Mapping[str, str], **options: Any) -> None:
        self.address = address
        self.base = service_base(address, "greader")
        self._creds = require(credentials, self.credential_keys, address)
        self.http = HttpClient(address, verify=options.get("verify", True))
        self._auth: str | None = None
        self._action: str | None = None

    def _headers(self) -> dict[str, str]:
        if self._auth is None:
            response = self.http.request(
                "POST",
                f"{self.base}/accounts/ClientLogin",
                data={"Email": self._creds["username"], "Passwd": self._creds["password"]},
            )
            fields = dict(line.split("=", 1) for line in response.text.splitlines() if "=" in line)
            if not fields.get("Auth"):
                raise KindError(
                    self.address, "authentication failed (no Auth in the answer)", auth=True
                )
            self._auth = fields["Auth"].strip()
        return {"Authorization": f"GoogleLogin auth={self._auth}"}

    def list_new(self, limit: int) -> list[ServiceItem]:
        """Starred items not read, newest first, following ``continuation``."""
        items: list[ServiceItem] = []
        cont: str | None = None
        while len(items) < limit:
            params = {"xt": READ, "n": str(min(PAGE, max(limit, 1))), "r": "n", "output": "json"}
            if cont:
                params["c"] = cont
            answer = self.http.json(
                "GET",
                f"{self.base}/reader/api/0/stream/contents/{STARRED}",
                headers=self._headers(),
                params=params,
            )
            if not isinstance(answer, dict):
                raise KindError(self.address, "stream answer is not a JSON object")
            rows = [i for i in answer.get("items") or [] if isinstance(i, dict) and i.get("id")]
            items.extend(_item(i) for i in rows)
            cont = answer.get("continuation") or None
            if not rows or cont is None:
                break
        return items[:limit]

    def _token(self, renew: bool = False) -> str:
        if renew or self._action is None:
            response = self.http.request(
                "GET", f"{self.base}/reader/api/0/token", headers=self._headers()
            )
            self._action = response.text.strip()
        return self._action

    def write_back(self, item: ServiceItem, action: str) -> None:
        """Mark the item read (``edit-tag`` ``a=user/-/state/com.google/read``)."""
        check_action(self, action, self.address)
        for renew in (False, True):
            form = {"i": item.id, "a": READ, "T": self._token(renew)}
            try:
                self.http.request(
                    "POST", f"{self.base}/reader/api/0/edit-tag", headers=self._headers(), data=form
                )
                return
            except KindError as exc:
                if not exc.auth or renew:
                    raise


def _link(item: dict[str, Any]) -> str | None:
    for key in ("canonical", "alternate"):
        for link in item.get(key) or []:
            if isinstance(link, dict) and link.get("href"):
                return str(link["href"])
    return None


def _item(item: dict[str, Any]) -> ServiceItem:
    body = item.get("content") or item.get("summary") or {}
    return ServiceItem(
        id=str(item["id"]),
        title=str(item.get("title") or _link(item) or ""),
        url=_link(item),
        author=item.get("author") or None,
        published=parse_time(item.get("published")),
        html=(body.get("content") if isinstance(body, dict) else None) or None,
    )
