"""The seed article's spoken text is a golden file: it changes only where a rule changes.

Regenerate after a deliberate rule change with ``NEWSAUDIO_REGOLD=1 pytest
tests/unit/test_seed_spoken.py`` and review the diff: every changed line must come from that rule.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsaudio.cli import cli
from tests.support import SEED, cli_runner

GOLDEN = Path(__file__).parents[1] / "golden" / "seed_spoken.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="../shared (seed article) is absent")
def test_seed_spoken_text_matches_golden() -> None:
    result = cli_runner().invoke(cli, ["normalize", "--json", str(SEED)])
    assert result.exit_code == 0, result.output
    lines = [f"{u['kind']}\t{u['spoken']}" for u in json.loads(result.stdout)]
    text = "\n".join(lines) + "\n"
    if os.environ.get("NEWSAUDIO_REGOLD"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
