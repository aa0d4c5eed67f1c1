"""Stand-in for Readeck, written from its source (codeberg.org/readeck/readeck:
``internal/bookmarks/routes``, ``internal/bookmarks/dataset``); see NOTES.md."""

from __future__ import annotations

import math
from typing import Any

from tests.support.services.base import (
    Answer,
    Recorded,
    StandIn,
    bearer,
    first,
    json_answer,
    text_answer,
    truthy,
)


class ReadeckStandIn(StandIn):
    """``GET /api/bookmarks`` (is_archived, read_status, type, limit, offset; a JSON array
    with ``Total-Count``, ``Total-Pages``, ``Current-Page`` and ``Link: <...>; rel="next"``
    headers), ``GET /api/bookmarks/{id}/article`` (text/html), ``PATCH /api/bookmarks/{id}``
    (JSON ``is_archived`` / ``read_progress``). Bearer token; 401 otherwise."""

    def __init__(self, bookmarks: list[dict[str, Any]], *, token: str = "rd-token") -> None:
        super().__init__()
        self.bookmarks = bookmarks
        self.token = token

    def _public(self, b: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in b.items() if k != "_article"}
        out["href"] = f"{self.url}/api/bookmarks/{b['id']}"
        out["resources"] = (
            {"article": {"src": f"{self.url}/api/bookmarks/{b['id']}/article"}}
            if b["has_article"]
            else {}
        )
        return out

    def answer(self, request: Recorded) -> Answer:
        if bearer(request.headers) != self.token:
            return json_answer({"status": 401, "message": "Unauthorized"}, 401)
        path = request.path
        if path == "/api/bookmarks" and request.method == "GET":
            q = request.query
            rows = self.bookmarks
            if first(q, "is_archived"):
                rows = [b for b in rows if b["is_archived"] == truthy(first(q, "is_archived"))]
            statuses = q.get("read_status")
            if statuses:

                def status(b: dict[str, Any]) -> str:
                    p = b["read_progress"]
                    return "unread" if p == 0 else "read" if p == 100 else "reading"

                rows = [b for b in rows if status(b) in statuses]
            rows = sorted(rows, key=lambda b: b["created"], reverse=True)
            limit, offset = int(first(q, "limit", "50")), int(first(q, "offset", "0"))
            chunk = rows[offset : offset + limit]
            headers = {
                "Total-Count": str(len(rows)),
                "Total-Pages": str(max(1, math.ceil(len(rows) / limit))),
                "Current-Page": str(offset // limit + 1),
            }
            if offset + limit < len(rows):
                nxt = f"{self.url}/api/bookmarks?limit={limit}&offset={offset + limit}"
                headers["Link"] = f'<{nxt}>; rel="next"'
            return json_answer([self._public(b) for b in chunk], 200, **headers)
        parts = path.strip("/").split("/")
        if len(parts) >= 3 and parts[:2] == ["api", "bookmarks"]:
            found = next((b for b in self.bookmarks if b["id"] == parts[2]), None)
            if found is None:
                return json_answer({"status": 404, "message": "Not Found"}, 404)
            if len(parts) == 4 and parts[3] == "article" and request.method == "GET":
                return text_answer(found["_article"], 200, "text/html; charset=utf-8")
            if len(parts) == 3 and request.method == "PATCH":
                changes = {
                    k: v
                    for k, v in (request.json or {}).items()
                    if k in ("is_archived", "read_progress")
                }
                found.update(changes)
                return json_answer(
                    {
                        **changes,
                        "id": found["id"],
                        "href": f"{self.url}/api/bookmarks/{found['id']}",
                    }
                )
        return json_answer({"status": 404, "message": "Not Found"}, 404)


def readeck_bookmark(
    n: int, *, archived: bool = False, progress: int = 0, article: bool = True
) -> dict[str, Any]:
    """A bookmark as ``GET /api/bookmarks`` lists it (plus its article HTML, kept apart)."""
    return {
        "id": f"rd{n:020d}",
        "created": f"2026-12-{n:02d}T08:00:00Z",
        "updated": f"2026-12-{n:02d}T08:00:00Z",
        "state": 0,
        "loaded": True,
        "url": f"https://news.example/articles/{n}",
        "title": f"Readeck {n}",
        "site_name": "News Example",
        "site": "news.example",
        "published": "2026-11-28T09:00:00Z",
        "authors": ["Dee Author"],
        "lang": "en",
        "document_type": "article",
        "type": "article",
        "has_article": article,
        "description": "",
        "is_deleted": False,
        "is_marked": False,
        "is_archived": archived,
        "labels": [],
        "read_progress": progress,
        "word_count": 400,
        "_article": f"<section><p>{f'Readeck body {n}. ' * 40}</p></section>",
    }
