"""``newsaudio normalize``: display vs spoken, and the --json shape checks rely on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from newsaudio.cli import cli
from newsaudio.errors import ExitStatus
from tests.support.news_pages import NEWS_PAGE

KINDS = {"title", "heading", "list_item", "sentence"}


def check_rows(rows: object) -> list[dict[str, object]]:
    assert isinstance(rows, list) and rows
    for row in rows:
        assert isinstance(row, dict)
        assert {"kind", "display", "spoken"} <= set(row)
        assert row["kind"] in KINDS
        assert isinstance(row["display"], str) and isinstance(row["spoken"], str)
        assert row["spoken"].strip()
    return rows


def test_json_utterances_in_reading_order(workdir: Path) -> None:
    page = workdir / "page.html"
    page.write_text(NEWS_PAGE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["normalize", str(page), "--json"])
    assert result.exit_code == 0, result.output
    rows = check_rows(json.loads(result.output))
    assert rows[0] == {
        "kind": "title",
        "display": "Harbour library reopens after two-year refit",
        "spoken": "Harbour library reopens after two-year refit",
        "pause_after_ms": rows[0]["pause_after_ms"],
        "language": "en-GB",  # the page's <html lang>
    }
    kinds = [r["kind"] for r in rows]
    assert kinds.index("heading") < kinds.index("list_item")
    dr = next(r for r in rows if str(r["display"]).startswith("Dr. Okafor"))
    assert str(dr["spoken"]).startswith("Doctor Okafor")
    assert any("4,000" in str(r["display"]) and "four thousand" in str(r["spoken"]) for r in rows)


def test_side_by_side_text_output(workdir: Path) -> None:
    md = workdir / "a.md"
    md.write_text("# Budget vote\n\n## Numbers\n\nThe council spent $1.2bn in 2019.\n", "utf-8")
    result = CliRunner().invoke(cli, ["normalize", str(md)])
    assert result.exit_code == 0, result.output
    assert "display" in result.output and "spoken" in result.output
    line = next(x for x in result.output.splitlines() if x.startswith("sentence"))
    assert "$1.2bn" in line and "|" in line
    assert "heading" in result.output


def test_max_chars_cuts_long_sentences(workdir: Path) -> None:
    long = "Title\n\n" + ", ".join(f"clause number {i} of a very long sentence" for i in range(12))
    (workdir / "long.txt").write_text(long + ".", "utf-8")
    result = CliRunner().invoke(cli, ["normalize", "long.txt", "--json", "--max-chars", "100"])
    rows = check_rows(json.loads(result.output))
    assert all(len(str(r["spoken"])) <= 100 for r in rows)
    assert len(rows) > 3


def test_missing_source_is_an_input_error(workdir: Path) -> None:
    result = CliRunner().invoke(cli, ["normalize", "nope.txt"])
    assert result.exit_code == ExitStatus.INPUT
    assert "nope.txt: no such file" in result.output


def test_real_subprocess_with_stdin(workdir: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "newsaudio", "normalize", "-", "--json"],
        input="# Storm warning\n\n- Winds of 90 km/h\n\nDr. Lee said it was 0.6 °C at 08:30.\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rows = check_rows(json.loads(proc.stdout))
    assert [r["kind"] for r in rows] == ["title", "list_item", "sentence"]
    assert rows[0]["display"] == "Storm warning"
    assert "zero point six" in str(rows[2]["spoken"]) and "eight thirty" in str(rows[2]["spoken"])
