"""A minimal Chrome DevTools Protocol client (stdlib WebSocket) and a headless Chromium
with remote debugging, enough to evaluate JavaScript in a page the test opens."""

from __future__ import annotations

import json
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.support.chromium import CHROMIUM


class Cdp:
    """A minimal Chrome DevTools Protocol client over a stdlib WebSocket (RFC 6455: masked
    client text frames, unfragmented server frames), enough for Runtime.evaluate."""

    def __init__(self, ws_url: str) -> None:
        import base64
        import os
        import socket
        from urllib.parse import urlsplit

        parts = urlsplit(ws_url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
             "Sec-WebSocket-Version: 13\r\n\r\n").encode()
        )  # fmt: skip
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert b" 101 " in head.split(b"\r\n", 1)[0]
        self.ids = 0

    def _recv_exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            assert chunk
            data += chunk
        return data

    def _frame(self) -> bytes:
        _fin_opcode, b2 = self._recv_exact(2)
        length = b2 & 0x7F
        if length == 126:
            length = int.from_bytes(self._recv_exact(2), "big")
        elif length == 127:
            length = int.from_bytes(self._recv_exact(8), "big")
        return self._recv_exact(length)

    def call(self, method: str, **params: Any) -> Any:
        import os

        self.ids += 1
        payload = json.dumps({"id": self.ids, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        n = len(payload)
        header = bytes([0x81]) + (
            bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + n.to_bytes(2, "big")
        )
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        while True:
            message = json.loads(self._frame())
            if message.get("id") == self.ids:
                return message.get("result")


@contextmanager
def debugged_page(url: str, profile: Path) -> Iterator[Cdp]:
    """Headless Chromium (a fresh ``profile``) with ``url`` open in a new tab; its CDP."""
    assert CHROMIUM is not None
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", "about:blank"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        port = None
        for line in proc.stderr:
            m = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = m.group(1)
                break
        assert port is not None
        request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?{url}", method="PUT")
        with urllib.request.urlopen(request, timeout=30) as reply:
            target = json.loads(reply.read())
        yield Cdp(target["webSocketDebuggerUrl"])
    finally:
        proc.terminate()
        proc.wait(10)
