"""The command line: parse options, call the pipeline, print results, map errors to exit codes.

No audio, tag or feed work happens here; see :mod:`newsaudio.pipeline`. Results go to
stdout (``--json`` for scripts), progress and errors to stderr. Every
:class:`~newsaudio.errors.NewsaudioError` becomes one line on stderr and its exit code;
anything else is reported as an internal error in one line (exit 1). ``--traceback`` prints
the Python traceback before that line and keeps the exit code.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import sys
from typing import Any

import click

from newsaudio import __version__
from newsaudio.errors import ExitStatus, NewsaudioError

COMMANDS: tuple[str, ...] = (
    "add", "normalize", "init", "list", "remove", "feed", "serve", "inspect", "voices", "cache",
    "follow", "unfollow", "sources", "update",
    "digest", "publish", "inbox", "pronounce", "lexicon",
)  # fmt: skip
"""Command modules in :mod:`newsaudio.commands`; each defines a click command of that name
(heavy imports happen inside the command functions, so ``--help`` stays instant)."""

_TRACEBACK = False


def _print_traceback(exc: BaseException) -> None:
    """Write ``exc``'s traceback (with its causes) to stderr, for ``--traceback``."""
    import traceback

    sys.stderr.write("".join(traceback.format_exception(exc)))
    sys.stderr.flush()


class _Group(click.Group):
    """Maps NewsaudioError and unexpected exceptions to one stderr line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsaudioError as exc:
            if _TRACEBACK:  # the traceback for the bug report, and still the documented code
                _print_traceback(exc)
            click.echo(f"newsaudio: error: {exc}", err=True)
            ctx.exit(int(exc.exit_status))
        except KeyboardInterrupt:
            click.echo("newsaudio: interrupted; finished segments are kept in the cache", err=True)
            ctx.exit(int(ExitStatus.INTERRUPTED))
        except BrokenPipeError:
            # the reader of stdout went away (`newsaudio list | head -1`): stop quietly, as
            # command-line tools killed by SIGPIPE do, and keep Python from complaining at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(int(ExitStatus.BROKEN_PIPE))
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if _TRACEBACK:
                _print_traceback(exc)
            click.echo(
                f"newsaudio: internal error: {type(exc).__name__}: "
                f"{' '.join(str(exc).split())} (rerun with --traceback and report it)",
                err=True,
            )
            ctx.exit(int(ExitStatus.ERROR))


def _version_asked(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``: remembered here, printed by :func:`_verbosity` (which always runs after
    it, eager options first), so that ``--version -v`` can say more."""
    if value and not ctx.resilient_parsing:
        ctx.meta["newsaudio.version"] = True


def _verbosity(ctx: click.Context, param: click.Parameter, value: int) -> int:
    """``-v``'s value; after ``--version``, print the version (with ``-v``: the ffmpeg used,
    its version and why it was chosen) and exit."""
    if not ctx.meta.get("newsaudio.version"):
        return value
    click.echo(f"newsaudio, version {__version__}")
    if value:
        from newsaudio.audio.ffmpeg import ffmpeg_info

        click.echo(f"python {sys.version.split()[0]} at {sys.executable}")
        try:
            info = ffmpeg_info()
        except NewsaudioError as exc:
            click.echo(f"ffmpeg: none ({exc})")
        else:
            click.echo(
                f"ffmpeg {info.version or '(version unknown)'} at {info.path} "
                f"(chosen by {info.chosen_by}; set NEWSAUDIO_FFMPEG to choose another)"
            )
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_version_asked,
    help="Show the version and exit (with -v: also which ffmpeg is used).",
)
@click.option("--traceback", is_flag=True, help="Show Python tracebacks (for bug reports).")
@click.option(
    "-v",
    "--verbose",
    count=True,
    callback=_verbosity,
    help="Log each stage on stderr (-vv for debug).",
)
def cli(traceback: bool, verbose: int) -> None:
    """Turn news articles into a podcast.

    Each article becomes a tagged, loudness-normalized MP3 episode in a podcast feed
    (feed.xml) that any podcast app can subscribe to. The default voice (Piper, offline)
    needs no network.

    \b
    Example:
      newsaudio add article.txt            # publish into ./output
      newsaudio add a.txt b.txt --json     # many articles, JSON lines for scripts
    """
    global _TRACEBACK
    _TRACEBACK = traceback
    from newsaudio.tts.base import new_run

    new_run()
    if verbose:
        logging.basicConfig(
            level=logging.DEBUG if verbose > 1 else logging.INFO,
            format="newsaudio: %(message)s",
            stream=sys.stderr,
        )


for _name in COMMANDS:
    cli.add_command(getattr(importlib.import_module(f"newsaudio.commands.{_name}"), _name))


def main() -> None:
    """Console-script entry point.

    Usage errors (an unknown option, a value out of range) are one line on stderr, like every
    other error, with a pointer to ``--help``; exit code 2.
    """
    try:
        code = cli.main(prog_name="newsaudio", standalone_mode=False)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "newsaudio"
        message = " ".join(exc.format_message().split())
        message = re.sub(r"(\w) (Did you mean )", r"\1. \2", message)  # click joins without a stop
        if isinstance(exc, click.NoSuchOption) and not re.match(r"--?\w", exc.option_name):
            # text that starts with '-' ("- the list item"), not a misspelt option
            message += f"; put text that starts with '-' after '--' ({where} [OPTIONS] -- TEXT)"
        click.echo(f"newsaudio: error: {message} (see '{where} --help')", err=True)
        sys.exit(int(ExitStatus.USAGE))
    except click.ClickException as exc:
        click.echo(f"newsaudio: error: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("newsaudio: aborted", err=True)
        sys.exit(int(ExitStatus.INTERRUPTED))
    sys.exit(code if isinstance(code, int) else 0)
