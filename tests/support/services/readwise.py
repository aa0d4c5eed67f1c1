"""Stand-in for Readwise Reader, written from readwise.io/reader_api; see NOTES.md."""

from __future__ import annotations

from typing import Any

from tests.support.services.base import Answer, Recorded, StandIn, first, json_answer, truthy


class ReadwiseStandIn(StandIn):
    """``GET /api/v2/auth/`` (204), ``GET /api/v3/list/`` (location, withHtmlContent,
    pageCursor; ``{"count", "nextPageCursor", "results"}``, 100 a page), ``PATCH
    /api/v3/update/{id}/`` (JSON ``{"location": "archive"}``). ``Authorization: Token X``;
    401 otherwise. Limits: list 20 requests a minute (``429`` + ``Retry-After``); set
    ``list_per_minute`` lower to exercise it."""

    PAGE = 100

    def __init__(
        self, documents: list[dict[str, Any]], *, token: str = "rw-token", list_per_minute: int = 20
    ) -> None:
        super().__init__()
        self.documents = documents
        self.token = token
        self.list_per_minute = list_per_minute
        self.list_calls = 0
        self.page_size = self.PAGE

    def answer(self, request: Recorded) -> Answer:
        if request.headers.get("authorization") != f"Token {self.token}":
            return json_answer({"detail": "Invalid token."}, 401)
        if request.path == "/api/v2/auth/":
            return Answer(204)
        if request.path == "/api/v3/list/" and request.method == "GET":
            self.list_calls += 1
            if self.list_calls > self.list_per_minute:
                self.list_calls = 0
                return json_answer(
                    {"detail": "Request was throttled. Expected available in 1 second."},
                    429,
                    **{"Retry-After": "1"},
                )
            q = request.query
            rows = [
                d
                for d in self.documents
                if not first(q, "location") or d["location"] == first(q, "location")
            ]
            start = int(first(q, "pageCursor", "0") or 0)
            chunk = rows[start : start + self.page_size]
            with_html = truthy(first(q, "withHtmlContent", "false"))
            results = [
                {**d, "html_content": d.get("html_content") if with_html else None} for d in chunk
            ]
            for r in results:
                if not with_html:
                    r.pop("html_content")
            more = start + self.page_size < len(rows)
            return json_answer(
                {
                    "count": len(rows),
                    "nextPageCursor": str(start + self.page_size) if more else None,
                    "results": results,
                }
            )
        if request.path.startswith("/api/v3/update/") and request.method == "PATCH":
            doc_id = request.path.rstrip("/").rsplit("/", 1)[1]
            for doc in self.documents:
                if doc["id"] == doc_id:
                    doc.update({k: v for k, v in (request.json or {}).items() if k == "location"})
                    return json_answer(doc)
            return json_answer({"detail": "Not found."}, 404)
        return json_answer({"detail": "Not found."}, 404)


def readwise_document(n: int, location: str = "later", **extra: Any) -> dict[str, Any]:
    """A document as ``GET /api/v3/list/`` returns it."""
    doc = {
        "id": f"01rw{n:022d}",
        "url": f"https://read.readwise.io/read/01rw{n:022d}",
        "source_url": f"https://news.example/articles/{n}",
        "title": f"Document {n}",
        "author": "Bea Author",
        "source": "Reader add from import URL",
        "category": "article",
        "location": location,
        "tags": {},
        "site_name": "news.example",
        "word_count": 400,
        "created_at": "2026-12-01T08:00:00.000000+00:00",
        "updated_at": "2026-12-01T08:00:00.000000+00:00",
        "published_date": "2026-11-30",
        "summary": "A summary.",
        "image_url": None,
        "content": None,
        "notes": "",
        "parent_id": None,
        "reading_progress": 0,
        "html_content": f"<div><p>{f'Readwise body {n}. ' * 40}</p></div>",
    }
    doc.update(extra)
    return doc
