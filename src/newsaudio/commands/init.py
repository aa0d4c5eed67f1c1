"""``newsaudio init``: write the show settings file ``newsaudio.toml``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from newsaudio.config import APPLE_CATEGORIES, CONFIG_FILE, SETTINGS, Show, load_show

F = TypeVar("F", bound=Callable[..., Any])


def _bool_flag(name: str, help_text: str) -> Callable[[F], F]:
    return click.option(f"--{name}/--no-{name}", default=None, help=help_text)


@click.command()
@click.option("--title", help=SETTINGS["title"] + ".")
@click.option("--description", help=SETTINGS["description"] + ".")
@click.option("--author", help=SETTINGS["author"] + ".")
@click.option("--owner-name", help=SETTINGS["owner_name"] + ".")
@click.option("--owner-email", help=SETTINGS["owner_email"] + ".")
@click.option("--language", help=SETTINGS["language"] + ".")
@click.option(
    "--category",
    type=click.Choice(list(APPLE_CATEGORIES)),
    help=SETTINGS["category"] + ".",
)
@click.option("--subcategory", help=SETTINGS["subcategory"] + ".")
@_bool_flag("explicit", SETTINGS["explicit"] + ".")
@click.option("--base-url", help=SETTINGS["base_url"] + ".")
@click.option("--out", "out_dir", help=SETTINGS["out_dir"] + ".")
@click.option("--cover", "cover_image", help=SETTINGS["cover_image"] + ".")
@click.option("--copyright", help=SETTINGS["copyright"] + ".")
@click.option("--timezone", help=SETTINGS["timezone"] + ".")
@click.option("--voice", help=SETTINGS["voice"] + ".")
@_bool_flag("jingles", SETTINGS["jingles"] + ".")
@click.option("--loudness", "loudness_lufs", type=float, help=SETTINGS["loudness_lufs"] + ".")
@click.option(
    "--bitrate", "bitrate_kbps", type=click.IntRange(32, 320), help=SETTINGS["bitrate_kbps"]
)
@click.option("--keep", type=click.IntRange(0), help=SETTINGS["keep"] + ".")
@click.option("--keep-days", type=click.IntRange(0), help=SETTINGS["keep_days"] + ".")
@_bool_flag("private", SETTINGS["private"] + " (128-bit token path, not listed).")
@click.option("--publish-to", help=SETTINGS["publish_to"] + ".")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(CONFIG_FILE),
    show_default=True,
    help="Where to write the settings.",
)
@click.option(
    "--show-type",
    type=click.Choice(["episodic", "serial"]),
    help=SETTINGS["show_type"] + " (itunes:type).",
)
@click.option(
    "--advanced",
    is_flag=True,
    help="Ask every setting, not only title, author, e-mail, language, category and base URL.",
)
@click.option("-y", "--yes", is_flag=True, help="Ask nothing: defaults for what no flag sets.")
@click.option("--force", is_flag=True, help="Overwrite an existing settings file.")
def init(config_file: Path, yes: bool, force: bool, advanced: bool, **values: Any) -> None:
    """Write the show settings file (newsaudio.toml) and the show's cover.

    Asks what matters and no flag gives (title, author, owner e-mail, language, category,
    base URL), offering a default (Enter keeps it); everything else gets its default (the
    owner name is the author). --advanced asks every setting; --yes asks nothing. Every
    command reads the file from the current folder (or --config FILE); NEWSAUDIO_<KEY>
    environment variables override it, flags override both. The
    cover is your image (checked: square JPEG/PNG, 1400-3000 px; converted if needed) or
    one drawn with the show title.

    \b
    Example:
      newsaudio init --title "Morning Read" --owner-email me@example.org \\
                     --base-url https://pod.example.org/ --yes
    """
    from newsaudio.config import to_toml
    from newsaudio.errors import UsageError
    from newsaudio.publish import ensure_cover

    if config_file.exists() and not force:  # the command needs --force: exit 2, not 8
        raise UsageError(f"{config_file}: already exists (use --force to overwrite it)")
    given = {k: v for k, v in values.items() if v is not None}
    # start from defaults and NEWSAUDIO_* variables, not from the file being replaced
    defaults = load_show(overrides=_fit_subcategory(given), use_file=False)
    if not yes:
        answers: dict[str, Any] = {}
        for key, help_text in SETTINGS.items():
            if key in given or not (advanced or key in BASIC_SETTINGS):
                continue
            current = getattr(defaults, key)
            if key == "owner_name" and current == Show.owner_name:
                current = answers.get("author", defaults.author)  # the author just typed
            if key in ("category", "show_type"):
                choices = list(APPLE_CATEGORIES) if key == "category" else ["episodic", "serial"]
                answers[key] = click.prompt(
                    help_text,
                    default=current,
                    type=click.Choice(choices),
                    show_choices=key == "category",  # show_type's help names its two
                )
                continue
            if key == "subcategory":
                category = answers.get("category", defaults.category)
                subs = APPLE_CATEGORIES[category]
                if not subs:
                    answers[key] = ""
                    continue
                default_sub = current if current in subs else subs[0]
                choice = click.prompt(
                    f"{help_text.split(' (')[0]} ({', '.join(subs)}; or none)",
                    default=default_sub,
                    type=click.Choice([*subs, "none"], case_sensitive=False),
                    show_choices=False,
                )
                answers[key] = "" if choice.lower() == "none" else choice
                continue
            if isinstance(current, bool):
                answers[key] = click.confirm(help_text, default=current)
                continue
            blank = "0" if key in ("keep", "keep_days") else ""
            shown = blank if current is None else str(current)
            answers[key] = click.prompt(help_text, default=shown, show_default=True)
        given = {**given, **answers}
        if "voice" not in given:
            kokoro = _ask_engine(str(given.get("language") or defaults.language))
            if kokoro:
                given["voice"] = kokoro
        defaults = load_show(overrides=_fit_subcategory(given), use_file=False)
    defaults = _derived_defaults(defaults, given)
    base = config_file.resolve().parent
    show = defaults
    cover = ensure_cover(show)  # checks a user image before anything is written
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(to_toml(_absolute(show), base), encoding="utf-8")
    click.echo(f"Wrote {config_file}")
    click.echo(f"  show: {show.title} ({show.category}, {show.language})")
    click.echo(f"  cover: {cover}")
    click.echo(f"  feed: {show.feed_url} (after the first newsaudio add)")
    if show.publish_to:
        click.echo(f"  publish to: {show.publish_to} (after each add, update and remove)")


KOKORO_BY_LANGUAGE = {"en-gb": "bf_emma", "en": "af_heart", "es": "ef_dora", "fr": "ff_siwis",
                      "hi": "hf_alpha", "it": "if_sara", "pt": "pf_dora"}  # fmt: skip
"""The Kokoro voice ``init`` sets for a show's language (exact tag first, then primary)."""


def _ask_engine(language: str) -> str | None:
    """Ask "faster (Piper) or more natural (Kokoro)" for a language Kokoro speaks; the
    Kokoro voice chosen, or None (Piper: the default voice for the language)."""
    tag = language.replace("_", "-").lower()
    kokoro = KOKORO_BY_LANGUAGE.get(tag) or KOKORO_BY_LANGUAGE.get(tag.split("-")[0])
    if kokoro is None:
        return None
    choice = click.prompt(
        "Voice: faster (Piper, about 0.1 CPU-s per second of speech) or natural (Kokoro, "
        "about 7x the CPU time)",
        default="faster",
        type=click.Choice(["faster", "natural"]),
    )
    if choice == "faster":
        return None
    from newsaudio.tts.kokoro_files import installed

    if installed() is None:
        click.echo(
            f"  voice {kokoro} needs Kokoro: pip install 'newsaudio[kokoro]' && "
            "newsaudio voices install kokoro"
        )
    return kokoro


BASIC_SETTINGS = ("title", "author", "owner_email", "language", "category", "base_url")
"""What ``init`` asks without ``--advanced`` (in SETTINGS order); the rest keep defaults."""


def _derived_defaults(show: Show, given: dict[str, Any]) -> Show:
    """The owner name is the author unless set (flag, answer or NEWSAUDIO_OWNER_NAME)."""
    from dataclasses import replace

    if "owner_name" not in given and show.owner_name == Show.owner_name:
        show = replace(show, owner_name=show.author)
    return show


def _fit_subcategory(given: dict[str, Any]) -> dict[str, Any]:
    """``given`` with subcategory none when a category was chosen (flag or answer) that
    the default subcategory does not belong to, and no subcategory was set anywhere."""
    import os

    category = given.get("category")
    if (
        category in APPLE_CATEGORIES
        and "subcategory" not in given
        and "NEWSAUDIO_SUBCATEGORY" not in os.environ
        and Show.subcategory not in APPLE_CATEGORIES[category]
    ):
        return {**given, "subcategory": ""}
    return given


def _absolute(show: Show) -> Show:
    from dataclasses import replace

    cover = show.cover_image.resolve() if show.cover_image else None
    return replace(show, out_dir=show.out_dir.resolve(), cover_image=cover)
