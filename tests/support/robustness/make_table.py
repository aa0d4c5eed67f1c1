"""Run the robustness corpus and write docs/robustness.md.

Usage (from the repository root)::

    python -m tests.support.robustness.make_table [docs/robustness.md]

The same cases run under pytest (``python -m pytest tests/e2e/robustness``); this script runs
them once more outside pytest and writes the table with the counts of inputs, tracebacks
and partial files. It exits 1 if any case does not behave as documented.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.support.robustness.corpus import CASES
from tests.support.robustness.harness import Context, render_table, run_cases
from tests.support.robustness.server import serving

COMMAND = "python -m tests.support.robustness.make_table docs/robustness.md"


def main(argv: list[str]) -> int:
    """Run every case, write the table to ``argv[0]`` (default docs/robustness.md)."""
    target = Path(argv[0] if argv else "docs/robustness.md")
    with tempfile.TemporaryDirectory(prefix="newsaudio-robustness-") as tmp, serving() as url:
        root = Path(tmp)
        results = run_cases(CASES, root / "cases", root / "cache", Context(http=url))
    for result in results.values():
        for problem in result.problems():
            print(f"{result.case.id}: {problem}", file=sys.stderr)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_table(results, COMMAND), encoding="utf-8")
    print(f"wrote {target} ({len(results)} inputs)")
    return 1 if any(r.problems() for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
