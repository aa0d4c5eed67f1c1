"""``newsaudio lexicon add``: add or change an entry of the user's lexicon."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def lexicon() -> None:
    """Your pronunciation lexicon, voices/lexicon.toml (used before every engine)."""


@lexicon.command()
@click.argument("word")
@click.argument("pronunciation")
def add(word: str, pronunciation: str) -> None:
    """Say WORD as PRONUNCIATION from now on: a respelling ("keev") or phonemes in
    espeak-ng IPA inside [[ ]] ("[[kˈiːv]]"). A WORD with a capital matches that spelling
    only; an all-lowercase one any case. Check it with 'newsaudio pronounce WORD'.

    \b
    Example:
      newsaudio lexicon add Kyiv keev
      newsaudio lexicon add Starmer "[[stˈɑːɹmɚ]]"
    """
    from newsaudio.text.lexicon import add_entry

    path = Path("voices/lexicon.toml")
    changed = add_entry(path, word, pronunciation)
    click.echo(f"{'Changed' if changed else 'Added'} {word!r} = {pronunciation!r} in {path}")
