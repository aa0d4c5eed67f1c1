"""Publish: put a finished, tagged MP3 and its sidecars into the show, update the catalog,
then regenerate feed.xml and index.html from the catalog.

Everything runs under the show's publish lock, so concurrent runs serialize here (and only
here: synthesis runs in parallel). Order, chosen so that a crash at any point leaves a
consistent show: sidecars and the MP3 are renamed into ``episodes/`` (complete files only),
then the catalog row is committed, then feed and page are rewritten from the catalog
(atomically). The feed is never edited in place.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime
from pathlib import Path

from slugify import slugify

from newsaudio.catalog import Catalog
from newsaudio.config import Show
from newsaudio.cover import draw_cover
from newsaudio.feed import build_feed
from newsaudio.fsutil import atomic_write_bytes, atomic_write_text, commit_file, locked
from newsaudio.models import Episode
from newsaudio.site import build_page

MAX_SLUG_CHARS = 80


def guid_for(source_key: str) -> str:
    """The episode guid for a source: UUIDv5 of its stable key, so re-adding keeps it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "newsaudio:" + source_key))


def slug_for(title: str) -> str:
    """An ASCII file-name slug for ``title`` (transliterated, lower case, hyphens, <= 80 chars)."""
    slug = slugify(title, max_length=MAX_SLUG_CHARS, word_boundary=True, save_order=True)
    return slug or "episode"


def ensure_cover(show: Show) -> Path:
    """The show's cover.jpg, drawn from the show title if it does not exist yet."""
    path = show.out_dir / "cover.jpg"
    if not path.exists():
        atomic_write_bytes(path, draw_cover(show.title))
    return path


def rebuild(show: Show, catalog: Catalog, now: datetime | None = None) -> None:
    """Rewrite feed.xml and index.html from the catalog (call under the publish lock)."""
    episodes = catalog.episodes()
    ensure_cover(show)
    atomic_write_bytes(show.out_dir / "feed.xml", build_feed(show, episodes, now))
    atomic_write_text(show.out_dir / "index.html", build_page(show, episodes))


def publish_lock(show: Show) -> contextlib.AbstractContextManager[None]:
    """The show's publish lock."""
    return locked(show.state_dir / "publish.lock")


def publish(
    show: Show, draft: Episode, mp3_tmp: Path, sidecars: dict[str, str], now: datetime | None = None
) -> Episode:
    """Publish ``mp3_tmp`` (final, tagged) as ``draft``; return the episode as catalogued.

    ``draft.slug`` is a wish: an existing episode from the same source keeps its slug, and
    a slug taken by another episode gets the guid's first 8 characters appended.
    ``sidecars`` maps a suffix (``.vtt``) to text written beside the MP3.
    """
    now = now or datetime.now(UTC)
    with publish_lock(show), Catalog(show.catalog_path) as catalog:
        existing = catalog.by_guid(draft.guid) or catalog.by_source(draft.source_key)
        slug = existing.slug if existing else draft.slug
        if catalog.slug_taken(slug, draft.guid):
            slug = f"{slug[: MAX_SLUG_CHARS - 9]}-{draft.guid[:8]}"
        published = draft.published
        if existing and draft.extra.get("published_from") != "article":
            published = existing.published  # a re-added source keeps its place in the feed
        episode = Episode(
            **{
                **draft.__dict__,
                "slug": slug,
                "published": published,
                "bytes": mp3_tmp.stat().st_size,
                "updated": now,
            }
        )
        show.episodes_dir.mkdir(parents=True, exist_ok=True)
        for suffix, text in sidecars.items():
            atomic_write_text(show.episodes_dir / f"{slug}{suffix}", text)
        commit_file(mp3_tmp, show.episodes_dir / episode.file_name)
        with catalog.transaction():
            catalog.upsert(episode)
        rebuild(show, catalog, now)
        return episode
