"""Benchmark (issue 16): `newsaudio add --cluster` on 8 short articles, real Piper (voice joe),
cold segment cache every run, all measured in the same run:

1. speed-up: a LocalCluster of 1 worker vs one of 2 workers (processes, 1 thread each),
   started beforehand (`--cluster tcp://...`): wall time of `add` with 1 / with 2 (target
   >= 1.6x on 2 cores);
2. overhead: `add --cluster local:2` (starts and stops its own LocalCluster) vs `add` without
   `--cluster` (Piper's worker processes in one process): ratio of wall times (target <= 1.15x);
3. scheduler overhead per task: 400 no-op tasks through the 2-worker cluster, wall time per
   task in ms (submit to result, as `add --cluster` uses them);
4. bytes moved per episode (MP3 + pickled Rendition: Timeline, transcript, sidecars) and render
   time per audio minute, for the scaling model in docs/cluster.md.

CPU-seconds (the CLI and its children, plus the cluster's workers) are printed beside the wall
times: on a shared, loaded machine they are the steadier figure. The load average is printed
too. The last line is a JSON object with `speedup`, `overhead` and `task_overhead_ms`.

Run: python benchmarks/bench_cluster.py [--articles 8] [--words 110] [--voice joe]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

WORDS = [
    "council",
    "harbour",
    "library",
    "budget",
    "ferry",
    "school",
    "bridge",
    "market",
    "festival",
    "river",
    "station",
    "museum",
    "garden",
    "hospital",
    "tram",
    "park",
    "theatre",
    "island",
    "clinic",
    "square",
    "tower",
    "stadium",
    "coast",
]


def article(n: int, words: int) -> str:
    """A short news article of about ``words`` words, different for every ``n``."""
    sentences = []
    k = 0
    while sum(len(s.split()) for s in sentences) < words:
        a, b = WORDS[(n * 7 + k) % len(WORDS)], WORDS[(n * 3 + k * 5) % len(WORDS)]
        sentences.append(
            f"The {a} plan number {n * 10 + k} was discussed on Tuesday, and officials said "
            f"the {b} would reopen within {k + 2} weeks."
        )
        k += 1
    body = "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))
    return f"Story {n}: the {WORDS[n % len(WORDS)]} question\n\n{body}\n"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_add(folder: Path, sources: list[Path], voice: str, *extra: str) -> dict[str, Any]:
    """`newsaudio add` in a fresh show and cache; wall and CPU seconds, the JSON records."""
    show = Path(tempfile.mkdtemp(dir=folder, prefix="show-"))
    env = {**os.environ, "NEWSAUDIO_CACHE_DIR": str(show / "cache")}
    cmd = [sys.executable, "-m", "newsaudio", "add", *map(str, sources), "--voice", voice]
    cmd += ["--out", str(show / "out"), "--json", *extra]
    cpu = children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"bench_cluster: {' '.join(cmd[3:6])}... failed: {proc.stderr.strip()}")
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    return {"wall": wall, "cpu": children_cpu() - cpu, "records": records}


def worker_cpu(client: Any) -> float:
    """CPU seconds of the cluster's worker processes and their children, so far."""

    def cpu() -> float:
        import psutil

        me = psutil.Process()
        total = sum(me.cpu_times()[:2])
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += sum(child.cpu_times()[:2])
        return total

    return float(sum(client.run(cpu).values()))


def on_cluster(folder: Path, sources: list[Path], voice: str, workers: int) -> dict[str, Any]:
    """`add --cluster tcp://...` on a LocalCluster of ``workers`` processes, 1 thread each,
    started in ``folder`` beforehand (not timed)."""
    import distributed

    before = Path.cwd()
    os.chdir(folder)
    try:
        cluster = distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    finally:
        os.chdir(before)
    with cluster, distributed.Client(cluster, set_as_default=False) as client:
        cpu = worker_cpu(client)
        result = run_add(folder, sources, voice, "--cluster", cluster.scheduler_address)
        result["cpu"] += worker_cpu(client) - cpu
        result["worker_rss_mb"] = max(client.run(rss_mb).values())
        if workers == 2:
            result["task_overhead_ms"] = task_overhead_ms(client)
    return result


def rss_mb() -> float:
    """Resident memory of this worker process and its children, in MB."""
    import psutil

    me = psutil.Process()
    total = me.memory_info().rss
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += child.memory_info().rss
    return total / 1e6


def noop(x: int) -> int:
    return x


def task_overhead_ms(client: Any, tasks: int = 400) -> float:
    """Wall ms per no-op task submitted one by one and gathered as they complete (the way
    `add --cluster` submits articles): scheduler, transfers and bookkeeping, no work."""
    from distributed import as_completed

    client.gather([client.submit(noop, -1, pure=False)])  # warm the connections
    start = time.perf_counter()
    futures = [client.submit(noop, i, pure=False) for i in range(tasks)]
    for _ in as_completed(futures, loop=client.loop):
        pass
    return (time.perf_counter() - start) * 1000 / tasks


def payload_and_publish(folder: Path, source: Path, voice: str) -> dict[str, Any]:
    """Bytes a worker sends back for one episode (MP3 and the pickled rest; a render in this
    process is enough: the payload is the same), and the single publisher's cost: CPU ms to
    publish one episode (catalog, files, feed.xml and index.html rebuilt from the catalog)
    when the show holds 10, 100 and 300 episodes."""
    from dataclasses import replace

    from newsaudio.audio.master import MasterSettings
    from newsaudio.config import Show
    from newsaudio.executors.dask import render_task
    from newsaudio.pipeline import (
        AddOptions,
        Runtime,
        check_run,
        load_article,
        publish_rendition,
        work_folder,
    )

    before = Path.cwd()
    os.chdir(folder)
    try:
        show = Show(out_dir=folder / "publish-show")
        options = AddOptions(voice=voice, cache_dir=folder / "bytes-cache", master=MasterSettings())
        payload: Any = render_task(
            load_article(str(source)), show, options, check_run(show, options)
        )
        runtime = Runtime(cache_dir=folder / "bytes-cache")
        publish_ms: dict[int, float] = {}
        window: list[float] = []
        for n in range(1, 301):
            with work_folder(show) as work:
                mp3 = work / "episode.mp3"
                mp3.write_bytes(payload.mp3)
                draft = replace(
                    payload.rendition.draft, guid=f"bench-{n}", source_key=f"bench-{n}",
                    slug=f"bench-episode-{n}",
                )  # fmt: skip
                rendition = replace(payload.rendition, mp3_path=mp3, draft=draft)
                start = time.process_time()  # CPU: steadier than wall time on a busy machine
                publish_rendition(show, rendition, runtime)
                window = [*window[-4:], (time.process_time() - start) * 1000]
            if n in (10, 100, 300):
                publish_ms[n] = sorted(window)[len(window) // 2]  # median of the last 5
    finally:
        os.chdir(before)
    return {
        "mp3": len(payload.mp3),
        "total": len(pickle.dumps(payload)),
        "publish_ms": publish_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--words", type=int, default=110)
    parser.add_argument("--voice", default="joe")
    args = parser.parse_args()
    load = os.getloadavg()
    cores = os.cpu_count()
    print(f"load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {cores} cores")
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        folder = Path(tmp)
        if (Path.cwd() / "voices").is_dir():  # the caller's voice profiles, for workers too
            shutil.copytree(Path.cwd() / "voices", folder / "voices")
        sources = []
        for n in range(args.articles):
            path = folder / f"story-{n}.txt"
            path.write_text(article(n, args.words), encoding="utf-8")
            sources.append(path)
        one = on_cluster(folder, sources, args.voice, 1)
        two = on_cluster(folder, sources, args.voice, 2)
        plain = run_add(folder, sources, args.voice)
        local2 = run_add(folder, sources, args.voice, "--cluster", "local:2")
        moved = payload_and_publish(folder, sources[0], args.voice)
    audio_min = sum(r["duration_s"] for r in plain["records"]) / 60
    speedup = one["wall"] / two["wall"]
    overhead = local2["wall"] / plain["wall"]
    per_audio_min = one["wall"] / audio_min
    rows = [
        ("LocalCluster, 1 worker (--cluster tcp://)", one),
        ("LocalCluster, 2 workers (--cluster tcp://)", two),
        ("without --cluster", plain),
        ("--cluster local:2 (starts its own)", local2),
    ]
    print(f"{args.articles} articles of about {args.words} words, {audio_min:.2f} min of audio")
    for label, result in rows:
        workers = sorted({r.get("worker", "-") for r in result["records"]})
        print(f"  {label:44s} {result['wall']:6.1f} s wall {result['cpu']:6.1f} CPU-s"
              f"  workers: {len(workers) if workers != ['-'] else 0}")  # fmt: skip
    print(f"speed-up 2 vs 1 worker: {speedup:.2f}x wall (target >= 1.6x)")
    print(f"overhead --cluster local:2 vs none: {overhead:.3f}x wall (target <= 1.15x)")
    print(f"scheduler overhead per task: {two['task_overhead_ms']:.2f} ms")
    print(f"bytes moved per episode: {moved['total']:,} (MP3 {moved['mp3']:,})")
    print(f"worker memory after the run: {two['worker_rss_mb']:.0f} MB (largest of 2)")
    print("publish one episode (single publisher, CPU): "
          + ", ".join(f"{ms:.0f} ms at {n}" for n, ms in moved["publish_ms"].items())
          + " episodes in the show")  # fmt: skip
    print(f"render time per audio minute, one worker: {per_audio_min:.1f} s wall, "
          f"{one['cpu'] / audio_min:.1f} CPU-s")  # fmt: skip
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(
        json.dumps(
            {
                "speedup": round(speedup, 3),
                "overhead": round(overhead, 3),
                "task_overhead_ms": round(two["task_overhead_ms"], 3),
                "bytes_per_episode": moved["total"],
                "mp3_bytes_per_episode": moved["mp3"],
                "render_s_per_audio_min": round(per_audio_min, 2),
                "worker_rss_mb": round(two["worker_rss_mb"]),
                "publish_ms": {str(n): round(ms, 1) for n, ms in moved["publish_ms"].items()},
                "cpu_s_per_audio_min": round(one["cpu"] / audio_min, 2),
                "wall_s": {
                    "one_worker": round(one["wall"], 2),
                    "two_workers": round(two["wall"], 2),
                    "no_cluster": round(plain["wall"], 2),
                    "local_2": round(local2["wall"], 2),
                },
                "cpu_s": {
                    "one_worker": round(one["cpu"], 2),
                    "two_workers": round(two["cpu"], 2),
                    "no_cluster": round(plain["cpu"], 2),
                    "local_2": round(local2["cpu"], 2),
                },
                "load_average": [round(x, 1) for x in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
