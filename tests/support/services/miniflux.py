"""Stand-in for Miniflux, written from miniflux/v2: internal/api; see NOTES.md."""

from __future__ import annotations

from typing import Any

from tests.support.services.base import Answer, Recorded, StandIn, first, json_answer, truthy


class MinifluxStandIn(StandIn):
    """``GET /v1/entries`` (status, starred, order, direction, limit, offset; ``{"total",
    "entries"}``), ``PUT /v1/entries`` (JSON ``{"entry_ids": [...], "status": "read"}`` ->
    204). ``X-Auth-Token``; 401 ``{"error_message": "access unauthorized"}`` otherwise."""

    def __init__(self, entries: list[dict[str, Any]], *, token: str = "mf-token") -> None:
        super().__init__()
        self.entries = entries
        self.token = token

    def answer(self, request: Recorded) -> Answer:
        if request.headers.get("x-auth-token") != self.token:
            return json_answer({"error_message": "access unauthorized"}, 401)
        if request.path == "/v1/entries" and request.method == "GET":
            q = request.query
            rows = self.entries
            if q.get("status"):
                rows = [e for e in rows if e["status"] in q["status"]]
            if first(q, "starred"):
                rows = [e for e in rows if e["starred"] == truthy(first(q, "starred"))]
            rows = sorted(
                rows,
                key=lambda e: e["published_at"],
                reverse=first(q, "direction", "asc") == "desc",
            )
            limit, offset = int(first(q, "limit", "100")), int(first(q, "offset", "0"))
            return json_answer({"total": len(rows), "entries": rows[offset : offset + limit]})
        if request.path == "/v1/entries" and request.method == "PUT":
            body = request.json or {}
            if body.get("status") not in ("read", "unread", "removed") or not body.get("entry_ids"):
                return json_answer({"error_message": "invalid request"}, 400)
            for e in self.entries:
                if e["id"] in body["entry_ids"]:
                    e["status"] = body["status"]
            return Answer(204)
        return json_answer({"error_message": "resource not found"}, 404)


def miniflux_entry(n: int, *, starred: bool = True, status: str = "unread") -> dict[str, Any]:
    """An entry as ``GET /v1/entries`` returns it."""
    return {
        "id": n,
        "user_id": 1,
        "feed_id": 3,
        "status": status,
        "hash": f"h{n}",
        "title": f"Entry {n}",
        "url": f"https://news.example/articles/{n}",
        "comments_url": "",
        "published_at": f"2026-12-{n:02d}T09:00:00+01:00",
        "created_at": f"2026-12-{n:02d}T09:00:00Z",
        "changed_at": f"2026-12-{n:02d}T09:00:00Z",
        "content": f"<p>{f'Miniflux body {n}. ' * 40}</p>",
        "author": "Eve Author",
        "share_code": "",
        "starred": starred,
        "reading_time": 2,
        "enclosures": [],
        "tags": [],
        "feed": {"id": 3, "title": "News Example"},
    }
