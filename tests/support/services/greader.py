"""Stand-in for a Google Reader API server, written from FreshRSS
(``p/api/greader.php``, ``app/Models/Entry.php::toGReader``); see NOTES.md."""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from tests.support.services.base import Answer, Recorded, StandIn, first, json_answer, text_answer


class GReaderStandIn(StandIn):
    """Served under ``/api/greader.php``: ``POST /accounts/ClientLogin`` (Email, Passwd ->
    ``SID=…\\nLSID=null\\nAuth=…``), ``GET /reader/api/0/token`` (57-character action
    token), ``GET /reader/api/0/stream/contents/user/-/state/com.google/starred`` (n, xt,
    c, r; ``{"items", "continuation"}``), ``POST /reader/api/0/edit-tag`` (i, a, T -> OK).
    ``Authorization: GoogleLogin auth=<Auth>``; 401 ``Unauthorized!`` with
    ``Google-Bad-Token: true`` otherwise."""

    PREFIX = "/api/greader.php"

    def __init__(
        self, items: list[dict[str, Any]], *, username: str = "alice", password: str = "api-pass"
    ) -> None:
        super().__init__()
        self.items = items
        self.login = (username, password)
        self.auth = f"{username}/{secrets.token_hex(20)}"
        self.action_token = secrets.token_hex(20).ljust(57, "Z")

    def rotate_action_token(self) -> None:
        """The current ``T`` token stops working (as after a password change)."""
        self.action_token = secrets.token_hex(20).ljust(57, "Z")

    def answer(self, request: Recorded) -> Answer:
        if not request.path.startswith(self.PREFIX):
            return text_answer("Not found", 404)
        path = request.path[len(self.PREFIX) :]
        unauthorized = Answer(
            401,
            b"Unauthorized!",
            {"Content-Type": "text/plain; charset=UTF-8", "Google-Bad-Token": "true"},
        )
        if path == "/accounts/ClientLogin":
            fields = {**request.query, **request.form}
            if (first(fields, "Email"), first(fields, "Passwd")) == self.login:
                return text_answer(f"SID={self.auth}\nLSID=null\nAuth={self.auth}\n")
            return unauthorized
        if request.headers.get("authorization") != f"GoogleLogin auth={self.auth}":
            return unauthorized
        if path == "/reader/api/0/token":
            return text_answer(self.action_token + "\n")
        if path == "/reader/api/0/stream/contents/user/-/state/com.google/starred":
            q = request.query
            rows = [i for i in self.items if "user/-/state/com.google/starred" in i["categories"]]
            if first(q, "xt") == "user/-/state/com.google/read":
                rows = [i for i in rows if "user/-/state/com.google/read" not in i["categories"]]
            rows = sorted(rows, key=lambda i: i["_num"], reverse=first(q, "r", "d") != "o")
            count = int(first(q, "n", "20"))
            cont = first(q, "c")
            if cont.isdigit():
                rows = list(itertools.dropwhile(lambda i: i["_num"] != int(cont), rows))[1:]
            chunk = rows[:count]
            body: dict[str, Any] = {
                "id": "user/-/state/com.google/reading-list",
                "updated": 1764576000,
                "items": [{k: v for k, v in i.items() if k != "_num"} for i in chunk],
            }
            if len(rows) > count:
                body["continuation"] = str(chunk[-1]["_num"])
            return json_answer(body)
        if path == "/reader/api/0/edit-tag" and request.method == "POST":
            form = request.form
            if first(form, "T") != self.action_token:
                return unauthorized
            ids = form.get("i", [])
            for item in self.items:
                short = str(item["_num"])
                tag = first(form, "a")
                if (item["id"] in ids or short in ids) and tag and tag not in item["categories"]:
                    item["categories"].append(tag)
            return text_answer("OK")
        return Answer(400, b"Bad Request!", {"Content-Type": "text/plain; charset=UTF-8"})


def greader_item(n: int, *, starred: bool = True, read: bool = False) -> dict[str, Any]:
    """An item as FreshRSS's ``stream/contents`` serializes it (``Entry::toGReader``)."""
    categories = ["user/-/state/com.google/reading-list", "user/-/label/News"]
    categories.append("user/-/state/com.google/read" if read else "user/-/state/com.google/unread")
    if starred:
        categories.append("user/-/state/com.google/starred")
    return {
        "_num": 1700000000000000 + n,
        "id": f"tag:google.com,2005:reader/item/{1700000000000000 + n:016x}",
        "crawlTimeMsec": str(1764576000000 + n),
        "timestampUsec": str(1764576000000000 + n),
        "published": 1764576000 + n * 3600,
        "title": f"Starred {n}",
        "canonical": [{"href": f"https://news.example/articles/{n}"}],
        "alternate": [{"href": f"https://news.example/articles/{n}", "type": "text/html"}],
        "categories": categories,
        "origin": {
            "streamId": "feed/3",
            "htmlUrl": "https://news.example/",
            "title": "News Example",
        },
        "content": {"content": f"<p>{f'FreshRSS body {n}. ' * 40}</p>"},
        "author": "Flo Author",
    }
