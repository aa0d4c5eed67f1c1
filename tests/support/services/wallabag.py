"""Stand-in for Wallabag, written from wallabag/wallabag (``doc/content/developer/api/``,
``src/Controller/Api/EntryRestController.php``); see NOTES.md."""

from __future__ import annotations

import math
import secrets
from typing import Any

from tests.support.services.base import Answer, Recorded, StandIn, bearer, first, json_answer


class WallabagStandIn(StandIn):
    """``POST /oauth/v2/token`` (password and refresh_token grants, tokens live
    ``expires_in`` s), ``GET /api/entries.json`` (archive, sort, order, page, perPage;
    HATEOAS ``_embedded.items``, ``page``, ``pages``, ``total``), ``PATCH
    /api/entries/{id}.json`` (``archive=1``). A wrong or expired token is 401 with
    ``{"error": "invalid_grant", ...}``; a wrong password at the token endpoint is 400
    ``invalid_grant`` (FOSOAuthServerBundle)."""

    def __init__(
        self,
        entries: list[dict[str, Any]],
        *,
        client_id: str = "1_client",
        client_secret: str = "secret",
        username: str = "wallabag",
        password: str = "wallabag",
    ) -> None:
        super().__init__()
        self.entries = entries
        self.client = (client_id, client_secret)
        self.login = (username, password)
        self.access: set[str] = set()
        self.refresh: set[str] = set()

    def expire_tokens(self) -> None:
        """Every access token issued so far expires (refresh tokens stay valid)."""
        self.access.clear()

    def _issue(self) -> Answer:
        access, refresh = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.access.add(access)
        self.refresh.add(refresh)
        return json_answer(
            {
                "access_token": access,
                "expires_in": 3600,
                "refresh_token": refresh,
                "scope": None,
                "token_type": "bearer",
            }
        )

    def answer(self, request: Recorded) -> Answer:
        if request.path == "/oauth/v2/token" and request.method == "POST":
            form = request.form
            if (first(form, "client_id"), first(form, "client_secret")) != self.client:
                return json_answer(
                    {
                        "error": "invalid_client",
                        "error_description": "The client credentials are invalid",
                    },
                    400,
                )
            grant = first(form, "grant_type")
            if (
                grant == "password"
                and (first(form, "username"), first(form, "password")) == self.login
            ):
                return self._issue()
            if grant == "refresh_token" and first(form, "refresh_token") in self.refresh:
                self.refresh.discard(first(form, "refresh_token"))
                return self._issue()
            return json_answer(
                {
                    "error": "invalid_grant",
                    "error_description": "Invalid username and password combination",
                },
                400,
            )
        if bearer(request.headers) not in self.access:
            return json_answer(
                {
                    "error": "invalid_grant",
                    "error_description": "The access token provided has expired.",
                },
                401,
            )
        if request.path == "/api/entries.json" and request.method == "GET":
            q = request.query
            rows = self.entries
            if first(q, "archive"):
                rows = [e for e in rows if e["is_archived"] == int(first(q, "archive"))]
            rows = sorted(
                rows, key=lambda e: e["created_at"], reverse=first(q, "order", "desc") == "desc"
            )
            per_page, page = int(first(q, "perPage", "30")), int(first(q, "page", "1"))
            pages = max(1, math.ceil(len(rows) / per_page))
            if page > pages:
                return json_answer({"code": 404, "message": "Page not found"}, 404)
            chunk = rows[(page - 1) * per_page : page * per_page]
            return json_answer(
                {
                    "page": page,
                    "limit": per_page,
                    "pages": pages,
                    "total": len(rows),
                    "_links": {
                        "self": {"href": f"{self.url}/api/entries?page={page}&perPage={per_page}"}
                    },
                    "_embedded": {"items": chunk},
                }
            )
        if request.path.startswith("/api/entries/") and request.method == "PATCH":
            entry_id = int(request.path.rsplit("/", 1)[1].split(".")[0])
            for entry in self.entries:
                if entry["id"] == entry_id:
                    if "archive" in request.form:
                        entry["is_archived"] = int(first(request.form, "archive"))
                    return json_answer(entry)
            return json_answer({"code": 404, "message": "Entry not found"}, 404)
        return json_answer({"code": 404, "message": "No route found"}, 404)


def wallabag_entry(n: int, *, content: str | None = None, archived: bool = False) -> dict[str, Any]:
    """An entry as ``GET /api/entries.json`` serializes it (JMS, snake_case)."""
    return {
        "id": n,
        "title": f"Article {n}",
        "url": f"https://news.example/articles/{n}",
        "given_url": f"https://news.example/articles/{n}?utm_source=x",
        "is_archived": int(archived),
        "is_starred": 0,
        "content": content if content is not None else f"<p>{f'Body of article {n}. ' * 40}</p>",
        "created_at": f"2026-12-01T{n // 60:02d}:{n % 60:02d}:00+0000",
        "updated_at": f"2026-12-01T{n // 60:02d}:{n % 60:02d}:00+0000",
        "published_at": f"2026-11-30T06:{n % 60:02d}:00+0100",
        "published_by": ["Ada Writer"],
        "mimetype": "text/html",
        "language": "en",
        "reading_time": 2,
        "domain_name": "news.example",
        "tags": [],
        "user_name": "wallabag",
        "user_id": 1,
    }
