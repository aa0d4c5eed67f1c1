"""``newsaudio voices``: list the voices; ``--available`` lists Piper's catalogue; ``voices
install``/``remove`` manage installed Piper voices; ``voices preview`` speaks a sample."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _catalogue_url() -> str | None:
    from newsaudio.config import load_show

    return load_show().voices_url


@click.group(invoke_without_command=True)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON array of objects with keys name, engine, language, quality, offline, "
    "installed (with --available: name, language, quality, size_bytes, installed).",
)
@click.option(
    "--available",
    is_flag=True,
    help="List the voices Piper's catalogue offers (name, language, quality, size), "
    "marking installed ones. The catalogue's URL is voices_url in newsaudio.toml "
    "(env NEWSAUDIO_VOICES_URL): a mirror or a local folder works offline.",
)
@click.option(
    "--language",
    default=None,
    help="With --available: only voices of this language (en, or exactly en-GB).",
)
@click.pass_context
def voices(ctx: click.Context, as_json: bool, available: bool, language: str | None) -> None:
    """List the voices: name, engine, language, quality, offline or not, installed or not,
    and the engine's measured cost here (CPU-S/MIN: CPU seconds per minute of speech, after
    one use; '-' before).

    Voices are TOML profiles in ./voices/, the voices installed with 'newsaudio voices
    install' and the built-in ones; a Piper model dropped into ./voices/ as NAME.onnx +
    NAME.onnx.json is listed as voice NAME. Pick one with 'newsaudio add --voice NAME'; with
    no --voice, the article's (or show's) language picks one.

    \b
    Example:
      newsaudio voices
      newsaudio voices --available --language en
      newsaudio voices install en_GB-alan-medium
      newsaudio voices preview gtts-en-gb "Good evening." -o sample.mp3
    """
    if ctx.invoked_subcommand is not None:
        return
    if available:
        _available(as_json, language)
        return
    if language is not None:
        raise click.UsageError("--language works with --available")
    from newsaudio.tts.base import DEFAULT_VOICE, available_voices, is_installed
    from newsaudio.tts.costs import per_minute

    costs = per_minute()

    voices_by_name = available_voices()
    rows = [
        {
            "name": v.name,
            "engine": v.engine,
            "language": v.language,
            "quality": v.quality,
            "offline": v.offline,
            "installed": is_installed(v),
        }
        for v in sorted(voices_by_name.values(), key=lambda v: v.name)
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    _table(
        ("NAME", "ENGINE", "LANGUAGE", "QUALITY", "OFFLINE", "INSTALLED", "CPU-S/MIN"),
        [
            (
                str(r["name"]) + (" (default)" if r["name"] == DEFAULT_VOICE else ""),
                str(r["engine"]),
                str(r["language"]),
                str(r["quality"] or "-"),
                "yes" if r["offline"] else "no",
                _installed_word(voices_by_name[str(r["name"])], bool(r["installed"])),
                f"{costs[str(r['engine'])]:.0f}" if str(r["engine"]) in costs else "-",
            )
            for r in rows
        ],
    )


def _installed_word(voice: Any, installed: bool) -> str:
    """The INSTALLED cell: ``bundled`` (a voice shipped as a Python package, such as joe),
    ``online`` (gTTS: nothing is installed, the voice is Google's), else yes or no."""
    if not installed:
        return "no"
    if voice.engine == "gtts":
        return "online"
    if voice.engine == "piper" and (voice.model is None or voice.model.startswith("package:")):
        return "bundled"
    return "yes"


def _not_removable(name: str) -> str | None:
    """Why the known voice ``name`` cannot be removed with ``voices remove`` (bundled,
    online, a profile of the user's own), or None when it is not such a voice."""
    from newsaudio.tts.base import available_voices

    voice = available_voices().get(name)
    if voice is None:
        return None
    if voice.engine == "gtts":
        return f"{name} is an online voice (gTTS): nothing is installed, so nothing to remove"
    if voice.engine == "piper" and (voice.model is None or voice.model.startswith("package:")):
        return f"{name} is bundled with newsaudio (a Python package), not removable"
    where = f" ({voice.profile_path})" if voice.profile_path else ""
    return f"{name} is a voice profile of your own{where}: delete that file to remove it"


def _available(as_json: bool, language: str | None) -> None:
    from newsaudio.tts.base import available_voices
    from newsaudio.tts.catalogue import load_catalogue

    offered = sorted(load_catalogue(_catalogue_url()).values(), key=lambda v: v.name)
    if language:
        wanted = language.replace("_", "-").lower()
        offered = [
            v
            for v in offered
            if v.language.lower() == wanted
            or ("-" not in wanted and v.language.split("-")[0].lower() == wanted)
        ]
    installed = set(available_voices())
    rows = [
        {
            "name": v.name,
            "language": v.language,
            "quality": v.quality,
            "size_bytes": v.size_bytes,
            "installed": v.name in installed,
        }
        for v in offered
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    _table(
        ("NAME", "LANGUAGE", "QUALITY", "SIZE", "INSTALLED"),
        [
            (
                str(r["name"]),
                str(r["language"]),
                str(r["quality"]),
                f"{int(str(r['size_bytes'])) / 1e6:.0f} MB",
                "*" if r["installed"] else "",
            )
            for r in rows
        ],
    )


@voices.command()
@click.argument("source", metavar="NAME|URL|PATH")
@click.option(
    "--model",
    "models",
    multiple=True,
    metavar="PATH|URL",
    help="With 'kokoro': the ONNX model file (default: the upstream release); give it "
    "several times to join parts in order.",
)
@click.option(
    "--voices",
    "voices_source",
    metavar="PATH|URL",
    default=None,
    help="With 'kokoro': voices-v1.0.bin, or the kokoro-js npm tarball or its voices/ folder "
    "(default: the upstream release).",
)
@click.option(
    "--precision",
    type=click.Choice(["int8", "fp32"]),
    default="int8",
    show_default=True,
    help="With 'kokoro': which model (int8: 92 MB; fp32: 326 MB, not faster here).",
)
def install(
    source: str, models: tuple[str, ...], voices_source: str | None, precision: str
) -> None:
    """Install a Piper voice: a NAME from the catalogue (e.g. en_GB-alan-medium), the URL
    of an .onnx model, or a local .onnx PATH (its .onnx.json beside it); or 'kokoro':
    the Kokoro-82M model and its 54 voices (af_heart, bf_emma, am_michael, bm_george...).

    Files are checked against the catalogue's MD5 sums (Kokoro: pinned SHA-256 of the
    upstream files); a mismatch is refused with exit 4 and nothing is kept. Files go to the
    user data folder, so the voices are listed by 'newsaudio voices' and picked for their
    language. Kokoro also needs: pip install 'newsaudio[kokoro]'.

    \b
    Example:
      newsaudio voices install kokoro
      newsaudio voices install kokoro --voices kokoro-js-1.2.1.tgz
    """
    from newsaudio.tts.catalogue import install as install_voice

    if source == "kokoro":
        from newsaudio.tts.kokoro_install import install as install_kokoro

        kokoro = install_kokoro(None, precision, list(models) or None, voices_source)
        click.echo(
            f"Installed Kokoro-82M ({kokoro.precision}; SHA-256 checked) in {kokoro.folder}\n"
            "  use it: newsaudio add --voice af_heart ARTICLE (en-GB: bf_emma)"
        )
        return
    if models or voices_source or precision != "int8":
        raise click.UsageError("--model, --voices and --precision work with 'kokoro'")

    done = install_voice(source, _catalogue_url())
    checked = done.check_note
    click.echo(
        f"Installed voice {done.name} ({done.language}, {done.quality}; {checked})\n"
        f"  profile: {done.profile}\n  use it: newsaudio add --voice {done.name} ARTICLE"
    )


@voices.command()
@click.argument("name")
def remove(name: str) -> None:
    """Remove a voice installed with 'newsaudio voices install' (profile and model)."""
    from newsaudio.errors import VoiceError
    from newsaudio.tts.catalogue import installed_dir
    from newsaudio.tts.catalogue import remove as remove_voice

    folder = installed_dir()
    mine = [folder / f"{name}{suffix}" for suffix in (".toml", ".onnx", ".onnx.json")]
    if not any(p.exists() for p in mine) and (why := _not_removable(name)) is not None:
        raise VoiceError(why)
    removed = remove_voice(name)
    click.echo(f"Removed voice {name} ({len(removed)} files)")


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
@click.option(
    "--speed",
    type=click.FloatRange(0.5, 2.0),
    default=1.0,
    show_default=True,
    help="Speaking speed, 0.5-2.0 (speech and pauses; 1.25 = 25 % faster).",
)
def preview(
    name: str, text: str | None, output: Path, cache_dir: Path | None, speed: float
) -> None:
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
    segment = previews.preview(name, text, SegmentCache(cache_dir), speed)
    previews.save(segment, output)
    click.echo(f"{output} ({segment.duration_ms / 1000:.1f} s, voice {name})")
