"""``newsaudio pronounce``: the phonemes a voice gives words, which layer gave them, and a
sample to listen to."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--voice", default=None, help="Voice whose engine is asked [default: the show's, else joe]."
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print a JSON array of {"word", "phonemes", "source"}; source is user, '
    "newsaudio-names, cmudict or engine.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also speak the words into this .wav or .mp3 file, to listen to them.",
)
def pronounce(
    words: tuple[str, ...], voice: str | None, as_json: bool, output: Path | None
) -> None:
    """Show how WORDS are pronounced: the phonemes and the layer that gave them.

    Layers, first match wins: your lexicon (voices/lexicon.toml; add with 'newsaudio
    lexicon add'), the packaged names (newsaudio-names, then CMUdict for capitalized
    words), then the engine's own rules. Case matters (Nice, nice); possessives and
    plurals of listed names are found (Zelensky's).

    \b
    Example:
      newsaudio pronounce Zelensky\'s Nice nice --voice af_heart
      newsaudio pronounce Starmer --json
      newsaudio pronounce Kyiv -o kyiv.wav
    """
    from newsaudio.config import load_show
    from newsaudio.tts.pronunciation import pronouncer_for, spoken_text
    from newsaudio.tts.voices import DEFAULT_VOICE, get_voice

    chosen = get_voice(voice or load_show().voice or DEFAULT_VOICE)
    pronouncer = pronouncer_for(chosen)
    found = [pronouncer.lookup(word) for word in words]
    if as_json:
        click.echo(json.dumps([f.as_json() for f in found], ensure_ascii=False))
    else:
        width = max(len(f.word) for f in found)
        for f in found:
            click.echo(f"{f.word:<{width}}  {f.phonemes}  ({f.source})")
    if output is not None:
        from newsaudio.tts import preview as previews

        segment = previews.preview(chosen.name, spoken_text(found, pronouncer))
        previews.save(segment, output)
        click.echo(f"{output} ({segment.duration_ms / 1000:.1f} s, voice {chosen.name})",
                   err=as_json)  # fmt: skip
