"""The command line in process: one click CliRunner helper for every test that runs
``newsaudio`` without a subprocess (stderr kept apart from stdout)."""

from __future__ import annotations

from typing import Any


def cli_runner() -> Any:
    """A click CliRunner with stderr captured apart from stdout (click 8.1 and 8.2+)."""
    from click.testing import CliRunner

    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always separates them
        return CliRunner()


def invoke_cli(*args: str, out: str | None = None, catch_exceptions: bool = True) -> Any:
    """``newsaudio ARGS [--out OUT]`` in process; the click Result (exit_code, stdout,
    stderr, exception). ``catch_exceptions=False`` lets a traceback fail the test as itself."""
    from newsaudio.cli import cli

    argv = [*args, "--out", out] if out is not None else list(args)
    return cli_runner().invoke(cli, argv, catch_exceptions=catch_exceptions)


def run_cli(*args: str, out: str | None = None) -> tuple[int, str, str]:
    """``newsaudio ARGS [--out OUT]`` in process: (exit code, stdout, stderr)."""
    result = invoke_cli(*args, out=out)
    return result.exit_code, result.stdout, result.stderr
