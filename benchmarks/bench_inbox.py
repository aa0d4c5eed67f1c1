"""Inbox benchmark (issue 21): one ``newsaudio serve --inbox`` process on 127.0.0.1.

1. ``vs_add``: time from ``POST /api/inbox`` to the episode's item in feed.xml, against
   ``newsaudio add`` of an article of the same length in the same run (a cold process, as a
   user or cron runs it). Median of ``--pairs`` pairs. Target: <= 1.10.
2. ``post_p95_ms``: POST latency (p50, p95) while renders run: ``--clients`` clients submit
   links (``--links`` in all) while ``--downloaders`` clients download an episode with byte
   ranges; every 202 must become one episode (checked).
3. ``rss_mb``: peak resident size (``VmHWM``) of the serve process after 10, 50 and 200
   items rendered (links of constant length, so only the count changes), plus the resident
   size of its child processes at that moment. Target: after 200 within 10 % of after 10.

Voice: the fake engine (tones as long as the text would take) by default, so 200 items fit in
a few minutes; ``--voice NAME`` for an installed voice (Piper). Articles: two short
paragraphs each.

Run: ``python benchmarks/bench_inbox.py`` (``--quick``: 5/10/20 items). The last line is
JSON ``{"vs_add": x, "post_p95_ms": y, "rss_mb": {"10": a, "50": b, "200": c}}``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

PARAGRAPHS = (
    "The harbour library reopened on Monday after a refit, with a new reading room.",
    "Entry remains free for everyone, and the trust hopes to double visitor numbers.",
)


def article(n: str) -> bytes:
    title = f"Harbour story {n:>8}"
    body = "".join(f"<p>{p} Story {n:>8}.</p>" for p in PARAGRAPHS)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


class _Site(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = article(self.path.rsplit("/", 1)[-1].removesuffix(".html"))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def make_show(folder: Path, voice: str) -> dict[str, str]:
    (folder / "voices").mkdir(parents=True, exist_ok=True)
    (folder / "voices" / "fake.toml").write_text(
        'name = "fake"\nengine = "fake"\nlanguage = "en-US"\n', encoding="utf-8"
    )
    (folder / "newsaudio.toml").write_text(
        f'voice = "{voice}"\nout_dir = "out"\njingles = false\n', encoding="utf-8"
    )
    return {
        **os.environ,
        "NEWSAUDIO_CACHE_DIR": str(folder / "cache"),
        "NEWSAUDIO_HOST_INTERVAL": "0",
        "PYTHONUNBUFFERED": "1",
    }


def newsaudio(folder: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsaudio", *args],
        cwd=folder, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def feed_count(folder: Path) -> int:
    try:
        return (folder / "out" / "feed.xml").read_text(encoding="utf-8").count("<item>")
    except OSError:
        return 0


def status_kb(pid: int, key: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    m = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else 0


def children_rss_kb(pid: int) -> int:
    total = 0
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            stat = (child / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid:
            total += status_kb(int(child.name), "VmRSS")
    return total


class Serve:
    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log = (folder / "serve.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsaudio", "serve", "--inbox", "--inbox-allow-private",
             "--port", str(self.port), "--base-url", self.base],
            cwd=folder, env=env, stdout=self.log, stderr=self.log,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.base + "healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit("serve did not start; see " + str(folder / "serve.log"))
            time.sleep(0.1)
        self.env = env
        self.headers = self.device("bench")
        self.lock = threading.Lock()
        self.posts = 0
        self.pool: dict[int, dict[str, str]] = {}

    def device(self, name: str) -> dict[str, str]:
        """The Authorization header of a new device token (30 requests a minute each)."""
        done = newsaudio(self.folder, self.env, "inbox", "token", "add", name, "--json")
        return {"Authorization": f"Bearer {json.loads(done.stdout)['token']}"}

    def post(
        self, client: httpx.Client, url: str, headers: dict[str, str] | None = None
    ) -> tuple[int, str, float]:
        if headers is None:  # a fresh device every 25 posts: the fill stays under the limit
            with self.lock:
                batch = self.posts // 25
                self.posts += 1
                if batch not in self.pool:
                    self.pool[batch] = self.device(f"fill-{batch}")
                headers = self.pool[batch]
        start = time.perf_counter()
        got = client.post(self.base + "api/inbox", json={"url": url}, headers=headers)
        elapsed = time.perf_counter() - start
        return got.status_code, got.json().get("id", ""), elapsed

    def wait_done(self, ids: list[str], timeout_s: float) -> dict[str, str]:
        deadline = time.monotonic() + timeout_s
        while True:
            items = httpx.get(self.base + "api/inbox", headers=self.headers, timeout=30).json()
            status = {i["id"]: i["status"] for i in items["items"]}
            if all(status.get(i) in ("published", "failed") for i in ids):
                return {i: status[i] for i in ids}
            if time.monotonic() > deadline:
                raise SystemExit(f"items not done after {timeout_s:.0f} s")
            time.sleep(0.25)

    def rss(self) -> tuple[float, float]:
        pid = self.process.pid
        return status_kb(pid, "VmHWM") / 1024, children_rss_kb(pid) / 1024

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voice", default="fake")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--links", type=int, default=40, help="links of the load phase")
    parser.add_argument("--downloaders", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="5/10/20 items")
    args = parser.parse_args()
    marks = (5, 10, 20) if args.quick else (10, 50, 200)

    site = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    page = f"http://127.0.0.1:{site.server_address[1]}/a/"

    with tempfile.TemporaryDirectory(prefix="bench-inbox-") as tmp:
        root = Path(tmp)
        home = root / "home"
        home.mkdir()
        env = make_show(home, args.voice)
        newsaudio(home, env, "add", page + "warm.html")  # a feed.xml, a warm disk cache
        serve = Serve(home, env)
        client = httpx.Client(timeout=30)
        made = 0

        # 1. POST -> item in feed.xml against add (cold process, its own show)
        ratios, add_times, post_times = [], [], []
        for n in range(args.pairs):
            other = root / f"add-{n}"
            other.mkdir()
            other_env = make_show(other, args.voice)
            start = time.perf_counter()
            done = newsaudio(other, other_env, "add", page + f"add-{n}.html")
            add_s = time.perf_counter() - start
            assert done.returncode == 0, done.stderr
            before = feed_count(home)
            start = time.perf_counter()
            code, _, _ = serve.post(client, page + f"srv-{n}.html")
            assert code == 202
            while feed_count(home) <= before:
                time.sleep(0.02)
            post_s = time.perf_counter() - start
            add_times.append(add_s)
            post_times.append(post_s)
            ratios.append(post_s / add_s)
        made += args.pairs
        vs_add = statistics.median(ratios)
        print(f"add: median {statistics.median(add_times):.2f} s; POST -> feed: median "
              f"{statistics.median(post_times):.2f} s; ratio {vs_add:.2f}")  # fmt: skip

        rss: dict[str, float] = {}

        def fill_to(count: int) -> list[str]:
            ids = []
            for k in range(made, count):
                code, item_id, _ = serve.post(client, page + f"m{k:05d}.html")
                assert code == 202, code
                ids.append(item_id)
            return ids

        def measure(count: int) -> None:
            peak, children = serve.rss()
            rss[str(count)] = round(peak, 1)
            print(f"after {count} items: serve peak {peak:.1f} MB, children {children:.1f} MB")

        ids = fill_to(marks[0])
        serve.wait_done(ids, 600)
        made = marks[0]
        measure(marks[0])

        # 2. POST latency during renders, with ranged downloads
        mp3 = next((home / "out" / "episodes").glob("*.mp3"))
        stop = threading.Event()
        latencies: list[float] = []
        load_ids: list[str] = []
        lock = threading.Lock()
        per_client = max(1, args.links // args.clients)

        devices = [serve.device(f"load-{c}") for c in range(args.clients)]

        def submitter(c: int) -> None:
            with httpx.Client(timeout=30) as own:
                for k in range(per_client):
                    link = page + f"load-{c}-{k}.html"
                    code, item_id, elapsed = serve.post(own, link, devices[c])
                    with lock:
                        assert code == 202, code
                        load_ids.append(item_id)
                        latencies.append(elapsed)
                    time.sleep(0.05)

        def downloader() -> None:
            with httpx.Client(timeout=30) as own:
                while not stop.is_set():
                    got = own.get(
                        serve.base + f"episodes/{mp3.name}", headers={"Range": "bytes=0-65535"}
                    )
                    assert got.status_code == 206

        # one render running first, so every POST is measured during a render
        code, item_id, _ = serve.post(client, page + "load-first.html")
        load_ids.append(item_id)
        while httpx.get(serve.base + "healthz").json()["rendering"] is None:
            time.sleep(0.01)
        threads = [threading.Thread(target=downloader) for _ in range(args.downloaders)]
        subs = [threading.Thread(target=submitter, args=(c,)) for c in range(args.clients)]
        for t in threads + subs:
            t.start()
        for t in subs:
            t.join()
        stop.set()
        for t in threads:
            t.join()
        latencies.sort()
        p50 = latencies[len(latencies) // 2] * 1000
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000
        print(f"POST during renders ({len(latencies)} posts, {args.downloaders} downloaders): "
              f"p50 {p50:.1f} ms, p95 {p95:.1f} ms")  # fmt: skip
        outcome = serve.wait_done(load_ids, 1800)
        made += len(load_ids)
        assert all(s == "published" for s in outcome.values()), outcome
        text = (home / "out" / "feed.xml").read_text(encoding="utf-8")
        guids = re.findall(r"<guid[^>]*>([^<]+)</guid>", text)
        assert len(guids) == len(set(guids)), "duplicate episodes"
        print(f"load: {len(load_ids)} links, every one published once")

        # 3. RSS after the marks
        for mark in marks[1:]:
            ids = fill_to(mark)
            serve.wait_done(ids, 3600)
            made = max(made, mark)
            measure(mark)
        code = serve.stop()
        print(f"serve stopped with exit code {code}")
        client.close()
    site.shutdown()
    print(json.dumps({
        "vs_add": round(vs_add, 3),
        "post_p50_ms": round(p50, 1),
        "post_p95_ms": round(p95, 1),
        "rss_mb": {str(k): rss[str(k)] for k in marks},
    }))  # fmt: skip


if __name__ == "__main__":
    main()
