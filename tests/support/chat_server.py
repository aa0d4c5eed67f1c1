"""A local stand-in for an OpenAI-compatible chat-completions server, for tests: it answers
as the OpenAI API reference documents ``POST /v1/chat/completions`` (and llama.cpp's server,
Ollama's ``/v1`` and vLLM answer alike), on 127.0.0.1 only.

* 200: ``{"id": "chatcmpl-…", "object": "chat.completion", "created", "model", "choices":
  [{"index": 0, "message": {"role": "assistant", "content", "refusal": null}, "logprobs":
  null, "finish_reason": "stop"|"length"}], "usage": {"prompt_tokens", "completion_tokens",
  "total_tokens"}, "system_fingerprint": null}``;
* ``"stream": true``: ``text/event-stream`` of ``chat.completion.chunk`` objects
  (``choices[0].delta``), then ``data: [DONE]``;
* errors as ``{"error": {"message", "type", "param", "code"}}``: 400 for a body that is
  not JSON or lacks ``model``/``messages``, 401 for a wrong API key (when one is set), 404
  for other paths, and any status a scripted reply asks for (429 with ``Retry-After``, 500,
  503...).
* ``GET /v1/models``: ``{"object": "list", "data": [{"id", "object": "model", ...}]}``.

Replies are scripted per request: :meth:`ChatServer.script` queues :class:`Scripted` answers
used in order; when the queue is empty, ``default(request_json) -> str`` gives the content.
Every request is logged (:attr:`ChatServer.requests`: path, headers without the API key's
value, parsed JSON body). Tokens are counted as whitespace-separated words.

Run alone: ``python chat_server.py --port 8089 --reply "A summary."``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    """One scripted answer: ``content`` with ``finish_reason``; or, with ``status`` other
    than 200, an error object (``message``, ``type``, ``code``) and extra ``headers``
    (e.g. ``{"Retry-After": "1"}``); ``delay_s`` before answering (timeouts); ``raw`` a body
    sent as it is (broken JSON)."""

    content: str = ""
    finish_reason: str = "stop"
    status: int = 200
    message: str = ""
    type: str = "server_error"
    code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    raw: bytes | None = None


def rate_limited(retry_after_s: int = 1) -> Scripted:
    """A 429 as OpenAI sends it."""
    return Scripted(
        status=429,
        message="Rate limit reached for requests. Please try again later.",
        type="requests",
        code="rate_limit_exceeded",
        headers={"Retry-After": str(retry_after_s)},
    )


def server_error(status: int = 500) -> Scripted:
    """A 5xx error object."""
    return Scripted(status=status, message="The server had an error while processing your request.")


def _error(
    message: str, type_: str, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


class ChatServer:
    """The stand-in server (a context manager: started on enter, stopped on exit)."""

    def __init__(
        self,
        default: Callable[[dict[str, Any]], str] | None = None,
        api_key: str | None = None,
        model: str = "stand-in",
        port: int = 0,
    ) -> None:
        self.default = default or (lambda _req: "A short spoken summary.")
        self.api_key = api_key
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self._scripted: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The API's base URL as OpenAI clients take it (``http://127.0.0.1:PORT/v1``)."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def script(self, *answers: Scripted | str) -> None:
        """Queue answers for the next requests (a string is a 200 with that content)."""
        with self._lock:
            for a in answers:
                self._scripted.append(Scripted(content=a) if isinstance(a, str) else a)

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next(self) -> Scripted | None:
        with self._lock:
            return self._scripted.popleft() if self._scripted else None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: dict[str, Any] | bytes,
                      headers: dict[str, str] | None = None) -> None:  # fmt: skip
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/") in ("/v1/models", "/models"):
                    self._send(
                        200,
                        {
                            "object": "list",
                            "data": [
                                {
                                    "id": server.model,
                                    "object": "model",
                                    "created": 0,
                                    "owned_by": "local",
                                }
                            ],
                        },
                    )
                else:
                    self._send(
                        404,
                        _error(f"Unknown request URL: GET {self.path}", "invalid_request_error"),
                    )

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                headers = {k: ("***" if k.lower() == "authorization" else v)
                           for k, v in self.headers.items()}  # fmt: skip
                try:
                    body: Any = json.loads(raw or b"null")
                except ValueError:
                    body = None
                with server._lock:
                    server.requests.append({"path": self.path, "headers": headers, "json": body})
                if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
                    self._send(
                        404,
                        _error(f"Unknown request URL: POST {self.path}", "invalid_request_error"),
                    )
                    return
                expected = f"Bearer {server.api_key}"
                if server.api_key is not None and self.headers.get("Authorization") != expected:
                    self._send(
                        401,
                        _error(
                            "Incorrect API key provided.",
                            "invalid_request_error",
                            "invalid_api_key",
                        ),
                    )
                    return
                if not isinstance(body, dict):
                    self._send(
                        400,
                        _error(
                            "We could not parse the JSON body of your request.",
                            "invalid_request_error",
                        ),
                    )
                    return
                for name in ("model", "messages"):
                    if name not in body:
                        self._send(
                            400,
                            _error(
                                f"Missing required parameter: '{name}'.",
                                "invalid_request_error",
                                "missing_required_parameter",
                                name,
                            ),
                        )
                        return
                msgs = body["messages"]
                if not isinstance(msgs, list) or not all(
                    isinstance(m, dict) and "role" in m for m in msgs
                ):
                    self._send(
                        400,
                        _error("Invalid 'messages'.", "invalid_request_error", None, "messages"),
                    )
                    return
                answer = server._next() or Scripted(content=server.default(body))
                if answer.delay_s:
                    time.sleep(answer.delay_s)
                if answer.raw is not None:
                    self._send(answer.status, answer.raw, answer.headers)
                    return
                if answer.status != 200:
                    self._send(
                        answer.status,
                        _error(answer.message or "error", answer.type, answer.code),
                        answer.headers,
                    )
                    return
                prompt = sum(len(str(m.get("content", "")).split()) for m in msgs)
                completion = len(answer.content.split())
                ident = f"chatcmpl-{next(server._ids):06d}"
                created = int(time.time())
                if body.get("stream"):
                    self._stream(ident, created, body["model"], answer)
                    return
                message = {"role": "assistant", "content": answer.content, "refusal": None}
                choice = {"index": 0, "message": message, "logprobs": None,
                          "finish_reason": answer.finish_reason}  # fmt: skip
                usage = {"prompt_tokens": prompt, "completion_tokens": completion,
                         "total_tokens": prompt + completion}  # fmt: skip
                self._send(200, {
                    "id": ident, "object": "chat.completion", "created": created,
                    "model": body["model"], "choices": [choice], "usage": usage,
                    "system_fingerprint": None,
                })  # fmt: skip

            def _stream(self, ident: str, created: int, model: str, answer: Scripted) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                base = {
                    "id": ident,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                }
                pieces = [{"role": "assistant", "content": ""}] + [
                    {"content": w + " "} for w in answer.content.split()
                ]
                for delta in pieces:
                    chunk = {
                        **base,
                        "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                end = {
                    **base,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": answer.finish_reason}],
                }
                self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
                self.close_connection = True

        return Handler


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="A local OpenAI-compatible chat stand-in.")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--reply", default="A short spoken summary.")
    parser.add_argument("--api-key")
    args = parser.parse_args()
    with ChatServer(lambda _r: args.reply, api_key=args.api_key, port=args.port) as server:
        print(f"Serving chat completions at {server.base_url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
