"""Episodes for publishing tests: a small show published quickly with the fake voice (real
pipeline, real ffmpeg), and a catalogued episode with plausible values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsaudio.config import Show
from newsaudio.models import Episode, Loudness
from newsaudio.pipeline import AddOptions, Result, Runtime, add

THREE_TITLES = (
    "Tom & Jerry <b>bold</b> move 🎉 to town\x07 today",
    "Council approves new cycle lanes",
    "Ünïcode & Spaces: Café (Morgen) — Folge 1",
)


def make_episodes(
    workdir: Path,
    show: Show,
    titles: Sequence[str] = THREE_TITLES,
    start: datetime = datetime(2024, 5, 7, 6, 0, tzinfo=UTC),
) -> list[Result]:
    """Publish one short fake-voice episode per title, an hour apart (oldest first)."""
    results = []
    for n, title in enumerate(titles):
        source = workdir / f"article-{n}.txt"
        source.write_text(
            f"{title}\n\nParagraph {n} of the story, with a few words to read.\n",
            encoding="utf-8",
        )
        moment = start + timedelta(hours=n)
        runtime = Runtime(now=lambda m=moment: m, cache_dir=workdir.parent / "cache")
        results.append(add(str(source), show, AddOptions(voice="fake", jingles=False), runtime))
    return results


def episode(**changes: object) -> Episode:
    """A catalogued episode with plausible values."""
    values: dict[str, object] = {
        "guid": "6c1e4a54-8f5e-5d0b-9b51-0e6a8d3f7c21",
        "source_key": "file:///tmp/a.txt",
        "slug": "2024-05-07-harbour-walk",
        "title": "Harbour walk",
        "description": "A walk along the harbour.",
        "published": datetime(2024, 5, 7, 6, 0, tzinfo=UTC),
        "updated": datetime(2024, 5, 7, 6, 0, tzinfo=UTC),
        "duration_ms": 1_231_080,
        "bytes": 5_860_687,
        "loudness": Loudness(-16.0, -1.5, 4.0),
        "voice": "fake",
    }
    values.update(changes)
    return Episode(**values)  # type: ignore[arg-type]


def public_show(out_dir: Path, base_url: str = "https://pod.example.org/") -> Show:
    """A show in ``out_dir`` served at ``base_url``, kept as the show's setting (its
    .newsaudio/settings.json) so that commands run on the folder (``publish --out``) see the
    same base URL as the code that made its feed."""
    from newsaudio.config import remember_base_url

    show = Show(out_dir=out_dir, base_url=base_url)
    remember_base_url(show, cwd=out_dir)
    return show
