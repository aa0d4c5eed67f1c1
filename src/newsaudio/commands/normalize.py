"""``newsaudio normalize``: show what will be read aloud, display text beside spoken text."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import click


@click.command()
@click.argument("source", metavar="SOURCE")
@click.option(
    "--max-chars",
    type=click.IntRange(20, 5000),
    default=400,
    show_default=True,
    help="Longest utterance the engine takes (Piper 400, gTTS 100); longer sentences are "
    "cut at clause boundaries.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print a JSON array of utterances in reading order, each {"kind": "title|heading|'
    'list_item|sentence", "display": ..., "spoken": ..., "pause_after_ms": ..., "language": '
    "...} (language: the BCP 47 tag whose rules and voice read it).",
)
def normalize(source: str, max_chars: int, as_json: bool) -> None:
    """Show how SOURCE will be read: each utterance's display text beside its spoken text.

    SOURCE is anything `newsaudio add` takes: a .txt, .md or .html file, an http(s) URL or
    - for standard input. Nothing is synthesized and nothing is published.
    """
    from newsaudio.pipeline.render import load_article
    from newsaudio.text.lexicon import load_lexicon
    from newsaudio.text.prepare import prepare
    from newsaudio.tts.base import builtin_voices_dir

    lexicon = load_lexicon(builtin_voices_dir() / "lexicon.toml", Path("voices/lexicon.toml"))
    script = prepare(load_article(source), max_chars=max_chars, lexicon=lexicon)
    if as_json:
        rows = [
            {
                "kind": u.kind,
                "display": u.display,
                "spoken": u.spoken,
                "pause_after_ms": u.pause_after_ms,
                "language": u.language or script.article.language,
            }
            for u in script.utterances
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))
    column = (width - 14) // 2
    article = script.article
    meta = [
        f"{label}: {value}"
        for label, value in (
            ("byline", article.byline),
            ("published", article.published.isoformat() if article.published else None),
            ("link", article.source_url),
            ("language", article.language),
        )
        if value
    ]
    if meta:
        click.echo(" | ".join(meta))
    click.echo(f"{'kind':<11} {'display':<{column}} | spoken")
    click.echo("-" * width)
    for u in script.utterances:
        left = textwrap.wrap(u.display, column) or [""]
        right = textwrap.wrap(u.spoken, column) or [""]
        for i in range(max(len(left), len(right))):
            kind = u.kind if i == 0 else ""
            shown = left[i] if i < len(left) else ""
            said = right[i] if i < len(right) else ""
            click.echo(f"{kind:<11} {shown:<{column}} | {said}".rstrip())
