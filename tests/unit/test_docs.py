"""Docs are tested: every command has help and is named in README.md."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

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


# Cases the exit-code table names, each run for real: (files to make, arguments, extra
# environment, the status README gives, words of that status's row that cover the case,
# words the one-line message must hold).
EXIT_CASES = [
    ({"empty.xml": ""}, ["feed", "check", "empty.xml"], {}, 3, "`feed check` of a feed", "empty"),
    (
        {"feed.xml": "\x00\x01PK\x03"},
        ["feed", "check", "feed.xml"],
        {},
        3,
        "`feed check` of a feed",
        "not an XML document",
    ),
    (
        {"newsaudio.toml": 'title = "T"\n'},
        ["init", "--yes"],
        {},
        2,
        "`init` over an existing settings file",
        "--force",
    ),
    ({}, ["list", "--out", "missing"], {}, 3, "`list` of a folder with no show", "no show"),
    (
        {"a.txt": "Title\n\nA short story to read.\n"},
        ["add", "a.txt", "--voice", "joe"],
        {"NEWSAUDIO_FFMPEG": "/nowhere/ffmpeg"},
        6,
        "ffmpeg missing",
        "or unset NEWSAUDIO_FFMPEG",
    ),
]


@pytest.mark.parametrize(
    ("files", "args", "env", "status", "row_words", "says"),
    EXIT_CASES,
    ids=[" ".join(case[1]) for case in EXIT_CASES],
)
def test_exit_codes_are_the_readme_table_s(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    args: list[str],
    env: dict[str, str],
    status: int,
    row_words: str,
    says: str,
) -> None:
    """The command exits with the status README's table gives for its case, in one line."""
    import re

    from newsaudio.audio.ffmpeg import find_ffmpeg
    from tests.support import cli_runner

    table = README.split("## Exit codes", 1)[1].split("\n\n", 2)[1]
    row = re.search(rf"^\| {status} \| (.*)$", table, re.MULTILINE)
    assert row is not None and row_words in row.group(1), f"row {status} lacks {row_words!r}"
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    find_ffmpeg.cache_clear()  # the ffmpeg found is kept per process; this case changes it
    try:
        result = cli_runner().invoke(cli, args)
    finally:
        find_ffmpeg.cache_clear()
    assert result.exit_code == status, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert says in result.stderr
