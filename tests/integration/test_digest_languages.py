"""A digest with stories in two languages (the fake voice: no synthesis cost): the German story
is introduced in German and read by a German voice, the opening stays in the digest's (first
story's) language, and a language without an installed voice is one line naming ``voices
install`` with exit code 4, as for a single article."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newsaudio.models import Article, Block
from newsaudio.pipeline.compose import compose, story_languages
from newsaudio.tts.base import create_engine, get_voice
from newsaudio.tts.cache import SegmentCache
from tests.support.cli import run_cli

GERMAN = "---\nlang: de\n---\n# Bahn bestellt Züge\n\nAm 3. März kostete ein Ticket 12,50 €.\n"
ENGLISH = "# Library reopens\n\nThe library reopened on Monday after 2 years.\n"


def _article(title: str, text: str, language: str, site: str | None = None) -> Article:
    return Article(
        title=title,
        blocks=(Block("paragraph", text, 0),),
        source=title,
        source_key=title,
        language=language,
        site_name=site,
    )


def test_compose_reads_each_story_in_its_language() -> None:
    stories = [
        _article("Library reopens", "It cost $5.", "en-GB", "Harbour Gazette"),
        _article("Bahn bestellt Züge", "Ein Ticket kostet 12,50 €.", "de-DE", "tagesschau.de"),
    ]
    made = compose(stories, title="T", show_title="Harbour News", day=date(2026, 12, 2),
                   source_key="k")  # fmt: skip
    utterances = made.script.utterances
    assert utterances[0].spoken.startswith("Harbour News for Wednesday the second of December.")
    assert utterances[0].language is None
    german = utterances[made.stories[2] :]
    assert german[0].spoken == "Laut tagesschau Punkt de: Bahn bestellt Züge."
    assert german[1].spoken == "Ein Ticket kostet zwölf Euro fünfzig."
    assert {u.language for u in german} == {"de-DE"}
    english = utterances[made.stories[1] : made.stories[2]]
    assert english[0].spoken == "From Harbour Gazette: Library reopens."
    assert {u.language for u in english} == {None}
    assert story_languages(made.script) == {"de-DE"}


def test_german_digest_wording() -> None:
    stories = [_article("Bahn bestellt Züge", "Ein Ticket kostet 3 €.", "de", None)]
    made = compose(stories, title="T", show_title="Nachrichten", day=date(2026, 12, 2),
                   source_key="k")  # fmt: skip
    first, attribution = made.script.utterances[0], made.script.utterances[1]
    assert first.spoken == (
        "Nachrichten für Mittwoch, den zweiten Dezember. Eine Meldung heute: Bahn bestellt Züge."
    )
    assert first.chapter is not None and first.chapter.title == "Schlagzeilen"
    assert attribution.spoken == "Zuerst: Bahn bestellt Züge."


def test_digest_story_without_a_voice_exits_4(workdir: Path) -> None:
    (workdir / "en.md").write_text(ENGLISH, encoding="utf-8")
    (workdir / "de.md").write_text(GERMAN, encoding="utf-8")
    code, _, err = run_cli("digest", "en.md", "de.md", "--voice", "fake")
    assert code == 4, err
    assert "newsaudio voices install" in err and "'de'" in err
    assert len(err.strip().splitlines()) == 1


def test_digest_with_a_voice_per_language(workdir: Path, cache_dir: Path) -> None:
    (workdir / "voices" / "fakede.toml").write_text(
        'name = "fakede"\nengine = "fake"\nlanguage = "de-DE"\nspeed = 1.25\n', encoding="utf-8"
    )
    (workdir / "en.md").write_text(ENGLISH, encoding="utf-8")
    (workdir / "de.md").write_text(GERMAN, encoding="utf-8")
    code, _, err = run_cli("digest", "en.md", "de.md", "--voice", "fake", "--json")
    assert code == 0, err
    cache = SegmentCache(cache_dir)
    german = create_engine(get_voice("fakede")).identity()  # its speed tells it apart
    english = create_engine(get_voice("fake")).identity()
    assert german != english
    spoken = "Am dritten März kostete ein Ticket zwölf Euro fünfzig."
    assert cache.path(SegmentCache.key(german, spoken)).is_file()
    assert not cache.path(SegmentCache.key(english, spoken)).is_file()
