"""Docs are tested: every command has help and is named in README.md."""

from __future__ import annotations

from pathlib import Path

import click

from newsaudio.cli import cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        out.append((full, command))
        if isinstance(command, click.Group):
            out += _commands(command, full + " ")
    return out


def test_every_command_has_help_and_is_in_readme() -> None:
    commands = _commands(cli)
    assert {"add", "normalize", "list", "feed", "serve"} <= {name for name, _ in commands}
    for name, command in commands:
        assert (command.help or "").strip(), f"{name} has no help"
        assert f"newsaudio {name}" in README, f"README.md does not mention `newsaudio {name}`"


def test_readme_quick_start_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    blocks = [b.split("```", 1)[0].strip() for b in quick.split("```sh")[1:]]
    assert blocks[0].endswith("newsaudio add examples/harbour-library.txt")
    assert blocks[1] == (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    )
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci


def test_readme_exit_table_lists_every_exit_status() -> None:
    """Every ExitStatus has a row in README's exit-code table, and every row is a status."""
    import re

    from newsaudio.errors import ExitStatus

    table = README.split("## Exit codes", 1)[1].split("\n\n", 2)[1]
    rows = {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)}
    assert rows == {int(status) for status in ExitStatus}
