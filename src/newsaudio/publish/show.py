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
import hashlib
import logging
import re
import unicodedata
import uuid
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slugify import slugify

from newsaudio.cover import draw_cover, prepare_cover
from newsaudio.errors import InputError, NewsaudioError
from newsaudio.fsutil import atomic_write_bytes, atomic_write_text, commit_file, locked
from newsaudio.models import Episode
from newsaudio.publish.catalog import Catalog
from newsaudio.publish.feed import build_feed
from newsaudio.publish.site import build_page
from newsaudio.show import Show

_LOG = logging.getLogger(__name__)

MAX_SLUG_CHARS = 80
SIDECAR_SUFFIXES = (".vtt", ".srt", ".chapters.json", ".txt")
"""Files published beside each episode's MP3 (same slug)."""


def guid_for(source_key: str) -> str:
    """The episode guid for a source: UUIDv5 of its stable key, so re-adding keeps it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "newsaudio:" + source_key))


_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


def _is_symbol(char: str) -> bool:
    """Currency, math, degree and other symbols (Unicode S*), percent signs, ``#``."""
    return unicodedata.category(char).startswith("S") or char in "%‰‱#"


def _said(token: str, language: str) -> str:
    """``token`` (one word of a title holding a digit and a symbol) as it is said, with its
    number kept in digits: ``£1.2bn`` -> ``1.2 billion pounds``, ``44°C`` -> ``44 degrees
    Celsius``, ``50%`` -> ``50 percent``. The speech normalizer says it; the number's own
    spoken words are swapped back for its digits when they appear in what is said."""
    from newsaudio.text.normalize import normalize

    spoken = normalize(token, language=language)
    for number in _NUMBER.findall(token):
        # the whole number ("1.2" said "one point two"), else its parts ("3.50" said as
        # "three euros and fifty cents")
        for part in (number, *re.split(r"[.,]", number)):
            words = normalize(part, language=language)
            found = re.search(rf"(?<![\w-]){re.escape(words)}(?![\w-])", spoken, re.I)
            if found is not None and words != part:
                spoken = spoken[: found.start()] + part + spoken[found.end() :]
                if part == number:
                    break
    return spoken


def slug_for(title: str, language: str = "en") -> str:
    """An ASCII file-name slug for ``title`` (transliterated, lower case, hyphens, <= 80 chars).

    Symbols are never transliterated into noise (python-slugify alone turns ``£1.2bn`` into
    ``ps1-2bn`` and ``44°C`` into ``44degc``): a word holding a number and a symbol becomes
    what is said (``1-2-billion-pounds``, ``44-degrees-celsius``, ``50-percent``; see
    :func:`_said`, English rules of :mod:`newsaudio.text.normalize`), and any other symbol is
    dropped. Letters are transliterated (``Café`` -> ``cafe``). Titles in other languages
    keep the slugs they always had (symbols dropped: ``44°C`` -> ``44-c``), so an episode's
    URL does not move when its language gains speech rules.
    """
    english = language.lower().split("-")[0] == "en"
    words = []
    for token in title.split():
        if (
            english
            and any(c.isdigit() for c in token)
            and any(_is_symbol(c) for c in token)
        ):
            token = _said(token.strip(".,;:!?()[]{}\"'“”‘’"), language)
        words.append("".join(" " if _is_symbol(c) else c for c in token))
    slug = slugify(" ".join(words), max_length=MAX_SLUG_CHARS, word_boundary=True, save_order=True)
    return slug or "episode"


def ensure_cover(show: Show) -> Path:
    """The show's ``cover.jpg``: the user's ``cover_image`` checked and converted
    (:func:`~newsaudio.cover.prepare_cover`, ConfigError if unusable), or drawn from the
    show title. Rewritten only when its source (image bytes or title) changed."""
    path = show.out_dir / "cover.jpg"
    if show.cover_image is not None:
        try:
            source = show.cover_image.read_bytes()
        except OSError as exc:
            from newsaudio.errors import ConfigError

            raise ConfigError(f"{show.cover_image}: cannot read the cover image") from exc
        key = "image:" + hashlib.sha256(source).hexdigest()
    else:
        key = "drawn:" + hashlib.sha256(show.title.encode("utf-8")).hexdigest()
    key_file = show.state_dir / "cover.key"
    with contextlib.suppress(OSError):
        if path.is_file() and key_file.read_text(encoding="utf-8") == key:
            return path
    if show.cover_image is not None:
        data = prepare_cover(show.cover_image)
    elif path.is_file() and not key_file.exists():
        data = b""  # a cover.jpg put there by hand, before newsaudio kept a key: leave it
    else:
        data = draw_cover(show.title)
    if data:
        atomic_write_bytes(path, data)
    atomic_write_text(key_file, key)
    return path


def _delete_files(show: Show, episode: Episode) -> None:
    suffixes = (".mp3", *SIDECAR_SUFFIXES)
    names = {episode.file_name, *(f"{episode.slug}{suffix}" for suffix in suffixes)}
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            (show.episodes_dir / name).unlink()


def retention(
    show: Show, episodes: list[Episode], now: datetime, protect: Collection[str] = ()
) -> tuple[list[Episode], list[Episode]]:
    """Split ``episodes`` (newest first) into (kept, removed) by the show's retention:
    ``keep`` (> 0) keeps the newest N, ``keep_days`` (> 0) those first published in the last
    D days. Guids in ``protect`` (the episodes a command just made) are always kept, and
    count among the N."""
    kept = [e for e in episodes if e.guid in protect]
    cutoff = now - timedelta(days=show.keep_days) if show.keep_days else None
    for episode in episodes:
        if episode.guid in protect:
            continue
        if show.keep and len(kept) >= show.keep:
            continue
        if cutoff is not None and episode.published < cutoff:
            continue
        kept.append(episode)
    chosen = {e.guid for e in kept}
    return [e for e in episodes if e.guid in chosen], [e for e in episodes if e.guid not in chosen]


def _why(show: Show, episode: Episode, now: datetime) -> str:
    if show.keep_days and episode.published < now - timedelta(days=show.keep_days):
        return f"older than {show.keep_days} days"
    return f"older than the newest {show.keep}"


def rebuild(
    show: Show, catalog: Catalog, now: datetime | None = None, protect: Collection[str] = ()
) -> list[Episode]:
    """Rewrite feed.xml and index.html from the catalog (call under the publish lock).

    Retention (:func:`retention`: ``show.keep``, ``show.keep_days``; never an episode in
    ``protect``) removes old episodes from the catalog, then from the feed and page, then
    deletes their files (in that order, so the feed never points at a missing file).
    Returns the episodes removed that way (each logged with the reason).
    """
    now = now or datetime.now(UTC)
    episodes, pruned = retention(show, catalog.episodes(), now, protect)
    if pruned:
        with catalog.transaction():
            for old in pruned:
                catalog.remove(old.guid)
    ensure_cover(show)
    atomic_write_bytes(show.out_dir / "feed.xml", build_feed(show, episodes, now))
    atomic_write_text(show.out_dir / "index.html", build_page(show, episodes))
    for old in pruned:
        _LOG.info("removed %s (%s): %s", old.guid, old.title, _why(show, old, now))
        _delete_files(show, old)
    return pruned


def removal_reason(show: Show, episode: Episode, now: datetime | None = None) -> str:
    """Why retention removed ``episode`` (``older than 30 days``, ``older than the newest 5``)."""
    return _why(show, episode, now or datetime.now(UTC))


def rebuild_show(show: Show, now: datetime | None = None) -> list[Episode]:
    """Take the publish lock, open the catalog and :func:`rebuild`; returns pruned episodes."""
    with publish_lock(show), Catalog(show.catalog_path) as catalog:
        return rebuild(show, catalog, now)


def list_episodes(show: Show) -> list[Episode]:
    """The catalogued episodes of ``show``, newest first ([] for a show with no catalog)."""
    if not show.catalog_path.is_file():
        return []
    with Catalog(show.catalog_path, read_only=True) as catalog:  # a read-only show works
        return catalog.episodes()


def remove_episode(
    show: Show,
    ref: str,
    now: datetime | None = None,
    on_remove: Callable[[Episode, datetime], None] | None = None,
) -> Episode:
    """Remove the episode whose guid (or slug) is ``ref``: its catalog row, then feed and
    page are rebuilt, then its MP3 and sidecars are deleted. ``on_remove(episode, now)`` runs
    first, under the publish lock (the remove path records the source's tombstone there, so
    that ``update`` never makes it again); if it raises, nothing was removed. Raises
    InputError if unknown."""
    if not show.catalog_path.is_file():
        raise InputError(ref, f"no episode with this guid: {show.out_dir} has no catalog")
    with publish_lock(show), Catalog(show.catalog_path) as catalog:
        episode = catalog.by_guid(ref) or next(
            (e for e in catalog.episodes() if e.slug == ref), None
        )
        if episode is None:
            raise InputError(ref, f"no episode with this guid in {show.out_dir} (newsaudio list)")
        if on_remove is not None:  # first: if it fails, nothing was removed yet
            on_remove(episode, now or datetime.now(UTC))
        with catalog.transaction():
            catalog.remove(episode.guid)
        rebuild(show, catalog, now)
        _delete_files(show, episode)
        return episode


def publish_lock(show: Show) -> contextlib.AbstractContextManager[None]:
    """The show's publish lock."""
    return locked(show.state_dir / "publish.lock")


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_name(existing: Episode | None, slug: str, mp3: Path, episodes_dir: Path) -> str:
    """The MP3 file name: ``<slug>.mp3``, or for a re-render whose audio changed a new name
    (``<slug>-<8 hex of its SHA-256>.mp3``), so that media can be cached as immutable."""
    if existing is None or existing.slug != slug:
        return f"{slug}.mp3"
    old = episodes_dir / existing.file_name
    try:
        same = old.stat().st_size == mp3.stat().st_size and _file_hash(old) == _file_hash(mp3)
    except OSError:
        same = False
    return existing.file_name if same else f"{slug}-{_file_hash(mp3)[:8]}.mp3"


def part_of_day(moment: datetime, timezone: str) -> str:
    """``morning`` (05-12 h), ``afternoon`` (12-17 h), ``evening`` (17-22 h) or ``night``,
    of ``moment`` in the show's ``timezone`` (IANA name)."""
    from zoneinfo import ZoneInfo

    hour = moment.astimezone(ZoneInfo(timezone)).hour
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    return "evening" if 17 <= hour < 22 else "night"


def _distinct_title(
    catalog: Catalog, draft: Episode, existing: Episode | None, now: datetime, timezone: str
) -> str:
    """The title a digest is published under: ``draft.title``, unless another episode has
    it (a second digest of the day, whose default title is the show and the date): then
    the part of the day is added (``..., evening``), and a number if that is taken too
    (``..., evening (2)``). Chosen once: a digest made again keeps the title it was given.
    Other episodes keep their own title."""
    if draft.extra.get("kind") != "digest":
        return draft.title
    if existing is not None and (
        existing.title == draft.title or existing.title.startswith(f"{draft.title}, ")
    ):
        return existing.title
    taken = {e.title for e in catalog.episodes() if e.guid != draft.guid}
    if draft.title not in taken:
        return draft.title
    base = f"{draft.title}, {part_of_day(now, timezone)}"
    title, n = base, 2
    while title in taken:
        title, n = f"{base} ({n})", n + 1
    return title


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None


def _roll_back(
    show: Show,
    catalog: Catalog,
    episode: Episode,
    existing: Episode | None,
    sidecars: dict[str, str | None],
) -> None:
    """Undo a :func:`publish` whose feed or page could not be written: the catalog row as it
    was (``existing``, or none), the new MP3 deleted unless it is the existing one's file, the
    sidecars as they were. Best effort: a failure here is logged, the first error stands."""
    try:
        with catalog.transaction():
            catalog.remove(episode.guid)
            if existing is not None:
                catalog.upsert(existing)
        if existing is None or existing.file_name != episode.file_name:
            with contextlib.suppress(FileNotFoundError):
                (show.episodes_dir / episode.file_name).unlink()
        for suffix, text in sidecars.items():
            path = show.episodes_dir / f"{episode.slug}{suffix}"
            if text is None:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            else:
                atomic_write_text(path, text)
    except (NewsaudioError, OSError) as exc:
        _LOG.warning("%s: could not undo episode %s (%s)", show.out_dir, episode.guid, exc)


def publish(
    show: Show, draft: Episode, mp3_tmp: Path, sidecars: dict[str, str], now: datetime | None = None
) -> tuple[Episode, list[Episode]]:
    """Publish ``mp3_tmp`` (final, tagged) as ``draft``; return the episode as catalogued and
    the episodes retention removed (never this one).

    ``draft.slug`` is a wish: an existing episode from the same source keeps its slug, and
    a slug taken by another episode gets the guid's first 8 characters appended. The
    episode's ``published`` (its pubDate) is the moment it first entered the feed: ``now``
    for a new episode, kept for a re-render (so apps see a new episode as new whatever the
    article's own date, kept in ``extra["article_date"]``). A re-render whose audio changed
    gets a new MP3 file name; the old file is deleted after the feed no longer names it.
    ``sidecars`` maps a suffix (``.vtt``) to text written beside the MP3.
    """
    now = now or datetime.now(UTC)
    with publish_lock(show), Catalog(show.catalog_path) as catalog:
        existing = catalog.by_guid(draft.guid) or catalog.by_source(draft.source_key)
        slug = existing.slug if existing else draft.slug
        if catalog.slug_taken(slug, draft.guid):
            slug = f"{slug[: MAX_SLUG_CHARS - 9]}-{draft.guid[:8]}"
        published = existing.published if existing else now
        title = _distinct_title(catalog, draft, existing, now, show.timezone)
        file_name = _media_name(existing, slug, mp3_tmp, show.episodes_dir)
        extra = dict(draft.extra)
        if file_name != f"{slug}.mp3":
            extra["file_name"] = file_name
        episode = Episode(
            **{
                **draft.__dict__,
                "slug": slug,
                "title": title,
                "published": published,
                "bytes": mp3_tmp.stat().st_size,
                "updated": now,
                "extra": extra,
            }
        )
        before = {suffix: _read(show.episodes_dir / f"{slug}{suffix}") for suffix in sidecars}
        # The write lock is taken before any file moves, so a locked catalog fails the run
        # with the show untouched.
        with catalog.transaction():
            show.episodes_dir.mkdir(parents=True, exist_ok=True)
            for suffix, text in sidecars.items():
                atomic_write_text(show.episodes_dir / f"{slug}{suffix}", text)
            commit_file(mp3_tmp, show.episodes_dir / episode.file_name)
            catalog.upsert(episode)
        try:
            pruned = rebuild(show, catalog, now, protect={episode.guid})
        except BaseException:  # feed or page not written: the catalog must not name it
            _roll_back(show, catalog, episode, existing, before)
            raise
        if existing is not None and existing.file_name != episode.file_name:
            with contextlib.suppress(FileNotFoundError):
                (show.episodes_dir / existing.file_name).unlink()
        return episode, pruned
