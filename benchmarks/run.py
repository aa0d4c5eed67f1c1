"""Run every benchmark (benchmarks/bench_*.py) in turn and print a summary of their ratios.

Each benchmark measures newsaudio against a baseline in the same run (Piper's own CLI,
gtts-cli, a naive pydub loop, or the text-to-speech time) and prints its figures and a last
JSON line; this runner collects those lines.

Run: python benchmarks/run.py [--only NAME ...]
(NAME: spine, frontend, tts, assembly, update, publish, brief)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["spine", "frontend", "assembly", "tts", "update", "publish", "brief"]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=ORDER, default=ORDER)
    args = parser.parse_args()
    summary: dict[str, object] = {}
    for name in [n for n in ORDER if n in args.only]:
        script = HERE / f"bench_{name}.py"
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        extra = ["--json"] if name == "assembly" else []
        proc = subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parent,
                              text=True, stdout=subprocess.PIPE)  # fmt: skip
        print(proc.stdout, end="", flush=True)
        last = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        summary[name] = json.loads(last[-1]) if last else {"exit": proc.returncode}
        print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)
    print("== summary")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
