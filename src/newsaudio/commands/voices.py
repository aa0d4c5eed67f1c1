"""``newsaudio voices``: list the voices, and ``voices preview`` to hear one."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group(invoke_without_command=True)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON array of objects with keys name, engine, language, offline, installed.",
)
@click.pass_context
def voices(ctx: click.Context, as_json: bool) -> None:
    """List the voices: name, engine, language, offline or not, installed or not.

    Voices are TOML profiles in ./voices/ and the built-in ones; a Piper model dropped into
    ./voices/ as NAME.onnx + NAME.onnx.json is listed as voice NAME. Pick one with
    'newsaudio add --voice NAME'.

    \b
    Example:
      newsaudio voices
      newsaudio voices preview gtts-en-gb "Good evening." -o sample.mp3
    """
    if ctx.invoked_subcommand is not None:
        return
    from newsaudio.tts.base import DEFAULT_VOICE, available_voices, is_installed

    rows = [
        {
            "name": v.name,
            "engine": v.engine,
            "language": v.language,
            "offline": v.offline,
            "installed": is_installed(v),
        }
        for v in sorted(available_voices().values(), key=lambda v: v.name)
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    header = ("NAME", "ENGINE", "LANGUAGE", "OFFLINE", "INSTALLED")
    table = [header] + [
        (
            str(r["name"]) + (" (default)" if r["name"] == DEFAULT_VOICE else ""),
            str(r["engine"]),
            str(r["language"]),
            "yes" if r["offline"] else "no",
            "yes" if r["installed"] else "no",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@voices.command()
@click.argument("name")
@click.argument("text", required=False)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Audio file to write: .wav or .mp3.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="NEWSAUDIO_CACHE_DIR",
    help="Segment cache folder [default: the user cache dir; env NEWSAUDIO_CACHE_DIR].",
)
def preview(name: str, text: str | None, output: Path, cache_dir: Path | None) -> None:
    """Speak TEXT (default: a short sample) with voice NAME into a WAV or MP3 file.

    TEXT - reads the text from standard input. Text that starts with '-' goes after '--'
    (options first).

    \b
    Example:
      newsaudio voices preview joe -o joe.wav -- "- a list item"
      echo "Good evening." | newsaudio voices preview joe - -o joe.mp3
    """
    from newsaudio.errors import InputError
    from newsaudio.tts import preview as previews
    from newsaudio.tts.cache import SegmentCache

    if output.suffix.lower() not in (".wav", ".mp3"):
        raise click.BadParameter("use a .wav or .mp3 file name", param_hint="-o")
    if text == "-":
        text = click.get_text_stream("stdin").read()
        if not text.strip():
            raise InputError("<stdin>", "is empty: no text to speak")
    segment = previews.preview(name, text, SegmentCache(cache_dir))
    previews.save(segment, output)
    click.echo(f"{output} ({segment.duration_ms / 1000:.1f} s, voice {name})")
