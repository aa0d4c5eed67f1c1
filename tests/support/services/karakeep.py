"""Stand-in for Karakeep, written from its OpenAPI document
(``packages/open-api/karakeep-openapi-spec.json``); see NOTES.md."""

from __future__ import annotations

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


class KarakeepStandIn(StandIn):
    """``GET /api/v1/bookmarks`` (archived, favourited, sortOrder, limit, cursor,
    includeContent; ``{"bookmarks", "nextCursor"}``), ``PATCH /api/v1/bookmarks/{id}``
    (JSON ``{"archived": true}``). Bearer API key; 401 ``Unauthorized`` otherwise. A 429
    carries no Retry-After (Karakeep's rate-limit middleware puts the wait in the text)."""

    def __init__(self, bookmarks: list[dict[str, Any]], *, token: str = "kk-key") -> None:
        super().__init__()
        self.bookmarks = bookmarks
        self.token = token

    def answer(self, request: Recorded) -> Answer:
        if bearer(request.headers) != self.token:
            return text_answer("Unauthorized", 401)
        if request.path == "/api/v1/bookmarks" and request.method == "GET":
            q = request.query
            rows = self.bookmarks
            if first(q, "archived"):
                rows = [b for b in rows if b["archived"] == truthy(first(q, "archived"))]
            rows = sorted(
                rows, key=lambda b: b["createdAt"], reverse=first(q, "sortOrder", "desc") == "desc"
            )
            limit = int(float(first(q, "limit", "20")))
            start = int(first(q, "cursor", "0") or 0)
            chunk = rows[start : start + limit]
            include = truthy(first(q, "includeContent", "false"))
            out = []
            for b in chunk:
                content = dict(b["content"])
                if not include:
                    content.pop("htmlContent", None)
                out.append({**b, "content": content})
            more = start + limit < len(rows)
            return json_answer(
                {"bookmarks": out, "nextCursor": str(start + limit) if more else None}
            )
        if request.path.startswith("/api/v1/bookmarks/") and request.method == "PATCH":
            bid = request.path.rsplit("/", 1)[1]
            for b in self.bookmarks:
                if b["id"] == bid:
                    b.update(
                        {
                            k: v
                            for k, v in (request.json or {}).items()
                            if k in ("archived", "favourited")
                        }
                    )
                    return json_answer({k: v for k, v in b.items() if k != "content"})
            return json_answer({"code": "NOT_FOUND", "message": "Bookmark not found"}, 404)
        return json_answer({"code": "NOT_FOUND", "message": "Not found"}, 404)


def karakeep_bookmark(
    n: int, *, kind: str = "link", archived: bool = False, html: str | None = "auto"
) -> dict[str, Any]:
    """A bookmark as the Karakeep API serializes it (``content`` by ``type``)."""
    if kind == "link":
        content: dict[str, Any] = {
            "type": "link",
            "url": f"https://news.example/articles/{n}",
            "title": f"Page title {n}",
            "description": "A description.",
            "author": "Cy Author",
            "publisher": "News Example",
            "datePublished": "2026-11-29T10:00:00.000Z",
            "crawlStatus": "success",
            "htmlContent": f"<div><p>{f'Karakeep body {n}. ' * 40}</p></div>"
            if html == "auto"
            else html,
        }
    else:
        content = {"type": "text", "text": "A note to self."}
    return {
        "id": f"kk{n:04d}",
        "createdAt": f"2026-12-{n:02d}T08:00:00.000Z",
        "modifiedAt": None,
        "title": None,
        "archived": archived,
        "favourited": False,
        "taggingStatus": "success",
        "note": None,
        "summary": None,
        "source": "web",
        "userId": "u1",
        "tags": [],
        "content": content,
        "assets": [],
    }
