"""Compose: several cleaned :class:`Article` in, one :class:`Script` out, a chapter per story.

::

    opening   "Harbour News for Wednesday the second of December. Five stories: ..."
              (kind ``title``; chapter "Headlines", which also holds the intro sting)
    per story transition (a short sting, or a pause without jingles), then
              "From Harbour Gazette: Library reopens after two-year refit." (kind ``heading``;
              chapter: the headline, the article's URL and image), then the article's own
              utterances exactly as :func:`~newsaudio.text.prepare.prepare` makes them for a
              single episode, without its headline

Because a story's utterances are the single episode's (same text, same normalization, same
lexicon and limit), their segments come from the segment cache when the article was already
made into its own episode: a digest of rendered articles synthesizes only its linking lines.
Everything after compose (speak, assemble, master, tag, publish) is the single-article code.

All wording comes from :mod:`newsaudio.text.wording`. Also here: the digest's stable
identity (:func:`digest_key`), duplicate detection (:func:`dedupe`), the choice of whole
stories that fit a time budget (:func:`fit`) and the ``[digest]`` settings ``update`` applies
(:class:`DigestConfig`, read by :func:`newsaudio.config.read_digest_config`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from newsaudio.errors import ConfigError
from newsaudio.models import Article, Block, ChapterMark, Script, Utterance
from newsaudio.sources.identity import canonical_link
from newsaudio.text import wording
from newsaudio.text.lexicon import Lexicon
from newsaudio.text.prepare import Pauses, line, prepare


@dataclass(frozen=True)
class Composed:
    """A digest's script and where each part starts: ``stories[i]`` is the index in
    ``script.utterances`` of story ``i``'s attribution line (``opening`` is 0)."""

    script: Script
    stories: tuple[int, ...]


def digest_key(show_title: str, title: str, day: date, articles: Sequence[Article]) -> str:
    """The digest's ``source_key``: the show, the title, the day and the *set* of stories
    (their source keys, order ignored). The same digest made again the same day keeps its
    guid (updated in place); another day's, or another set of stories, is a new episode."""
    h = hashlib.sha256()
    for part in (show_title, title, day.isoformat(), *sorted(a.source_key for a in articles)):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return f"digest:{h.hexdigest()[:32]}"


def _fingerprint(article: Article) -> str:
    h = hashlib.sha256(" ".join(article.title.split()).casefold().encode("utf-8"))
    for block in article.blocks:
        h.update(b"\x00" + " ".join(block.text.split()).encode("utf-8"))
    return h.hexdigest()


def dedupe(articles: Sequence[Article]) -> tuple[list[Article], list[tuple[Article, Article]]]:
    """Articles without repeats, in order, and the ``(duplicate, first)`` pairs left out.

    Two sources are the same article when they share a source key (the same file or final
    URL), a canonical URL, or the same headline and text.
    """
    kept: list[Article] = []
    dropped: list[tuple[Article, Article]] = []
    seen: dict[str, Article] = {}
    for article in articles:
        keys = [f"key:{article.source_key}", f"text:{_fingerprint(article)}"]
        if article.source_url:
            keys.append(f"url:{article.source_url}")
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            dropped.append((article, first))
            continue
        kept.append(article)
        for k in keys:
            seen[k] = article
    return kept, dropped


def story_lines(
    article: Article,
    index: int,
    *,
    language: str,
    max_chars: int = 400,
    lexicon: Lexicon | None = None,
    pauses: Pauses | None = None,
) -> tuple[Block, tuple[Utterance, ...]]:
    """Story ``index`` of a digest in ``language`` (the first story's), as :func:`compose`
    places it: the attribution heading Block, and the story's utterances with block indices
    relative to the story (0: the attribution line, which carries the chapter mark; the
    article's own blocks from 1). A cluster renders each story's segments from these, apart
    from the rest of the digest.

    A story in another language than the digest's (primary subtags compared) is introduced
    in its own language ("Laut tagesschau.de: ...") and every one of its utterances carries
    its language (:attr:`Utterance.language`), so that a voice of that language reads it."""
    pauses = pauses or Pauses()
    own = _primary(article.language) != _primary(language)
    story_language = article.language if own else language
    text = wording.attribution(article.site_name, article.title, index, story_language)
    mark = ChapterMark(
        wording.headline(article.title) or article.title,
        url=article.full_story_url  # the show's own episode (page anchor), else the article
        or (canonical_link(article.source_url) if article.source_url else None),
        image_url=article.image_url,
        transition=True,
    )
    attribution = line(
        "heading",
        text,
        pauses.title_ms,
        0,
        max_chars=max_chars,
        lexicon=lexicon,
        language=story_language,
        chapter=mark,
    )  # never empty: "From ...:" / "Next:" always have words
    story = prepare(article, max_chars=max_chars, lexicon=lexicon, pauses=pauses)
    tag = article.language if own else None
    body = (
        Utterance(u.kind, u.display, u.spoken, u.pause_after_ms, u.block + 1, language=tag)
        for u in story.utterances
        if u.kind != "title"
    )
    if own:
        attribution = [dataclasses.replace(u, language=tag) for u in attribution]
    return Block("heading", text, 2), (*attribution, *body)


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-", 1)[0].strip().lower()


def story_languages(script: Script) -> frozenset[str]:
    """The languages of a script's utterances read in another language than the script's
    (:attr:`Utterance.language`), e.g. ``{"de"}`` for a French digest with a German story."""
    return frozenset(u.language for u in script.utterances if u.language is not None)


def compose(
    articles: Sequence[Article],
    *,
    title: str,
    show_title: str,
    day: date,
    source_key: str,
    max_chars: int = 400,
    lexicon: Lexicon | None = None,
    pauses: Pauses | None = None,
) -> Composed:
    """The digest script of ``articles`` (at least one), in their order, in the first
    story's language (its wording: opening, attributions); a story in another language is
    introduced and read in its own (:func:`story_lines`).

    The composite Article holds the linking lines as blocks (the opening a paragraph, each
    attribution a heading, :func:`story_lines`) followed by each story's blocks, so every
    utterance's ``block`` indexes it and transcripts keep their paragraphs. Raises
    ValueError for no articles.
    """
    if not articles:
        raise ValueError("a digest needs at least one article")
    pauses = pauses or Pauses()
    language = articles[0].language
    opening = wording.opening(show_title, day, [a.title for a in articles], language)
    blocks: list[Block] = [Block("paragraph", opening, 0)]
    utterances: list[Utterance] = line(
        "title",
        opening,
        pauses.title_ms,
        0,
        max_chars=max_chars,
        lexicon=lexicon,
        language=language,
        chapter=ChapterMark(wording.opening_chapter(language)),
    )  # never empty: the opening always has words
    starts: list[int] = []
    for i, article in enumerate(articles):
        heading, lines = story_lines(
            article, i, language=language, max_chars=max_chars, lexicon=lexicon, pauses=pauses
        )
        offset = len(blocks)
        starts.append(len(utterances))
        blocks.extend((heading, *article.blocks))
        utterances.extend(dataclasses.replace(u, block=u.block + offset) for u in lines)
    composite = Article(
        title=title,
        blocks=tuple(blocks),
        source="digest",
        source_key=source_key,
        language=language,
    )
    return Composed(Script(composite, tuple(utterances)), (0, *starts))


def fit(
    count: int,
    story_ms: Callable[[int], int],
    opening_ms: Callable[[int], int],
    fixed_ms: int,
    budget_ms: int,
) -> int:
    """How many whole stories, from the first, fit in ``budget_ms`` (at least 1).

    ``story_ms(i)`` is story ``i``'s length (transition, attribution, text and pauses);
    ``opening_ms(k)`` the opening line's for ``k`` stories; ``fixed_ms`` the jingles and
    their gaps. Stories are measured in order and only until the budget is spent (at most
    one story past it); the opening is measured for the candidate count and the count
    lowered while the total exceeds the budget. Never cuts a story: the first is kept whole
    even when it alone is longer than the budget.
    """
    if count <= 1:
        return count
    lengths: list[int] = []
    spent = fixed_ms + opening_ms(1)
    while len(lengths) < count:
        length = story_ms(len(lengths))
        if lengths and spent + length > budget_ms:
            break
        lengths.append(length)
        spent += length
    k = len(lengths)
    while k > 1 and fixed_ms + opening_ms(k) + sum(lengths[:k]) > budget_ms:
        k -= 1
    return k


# -- [digest] settings (newsaudio.toml), for ``update`` -----------------------------------


@dataclass(frozen=True)
class DigestSettings:
    """How ``update`` makes digests: ``enabled`` (the run's new items become one digest
    instead of one episode each), ``title`` (a pattern with ``{date:...}`` strftime fields
    and ``{show}``; None: the default title), ``max_articles`` (the rest wait for the next
    run), ``max_minutes`` (whole stories dropped from the end wait too) and ``brief`` (each
    story told as a brief, see below)."""

    enabled: bool = False
    title: str | None = None
    max_articles: int | None = None
    max_minutes: float | None = None
    brief: bool = False
    """Each story read as a brief (``digest --brief``) of ``story_seconds``."""
    story_seconds: float = 60.0
    summarizer: str | None = None
    """The brief's summarizer (``lead``, ``llm``); None: the ``[summarizer]`` table's, else
    ``lead``."""

    def title_for(self, show_title: str, moment: datetime) -> str | None:
        """The title for a digest made at ``moment`` (local time of the show), or None for
        the default. Raises ConfigError for a pattern that cannot be filled."""
        if self.title is None:
            return None
        return fill_title(self.title, show_title, moment, "[digest] title")


@dataclass(frozen=True)
class DigestConfig:
    """The show's ``[digest]`` settings and each source's overrides (``[digest.sources]``,
    by source name or feed URL)."""

    show: DigestSettings = DigestSettings()
    sources: Mapping[str, DigestSettings] = field(default_factory=dict)

    def for_source(self, name: str, url: str) -> DigestSettings:
        """The settings that apply to the source ``name`` at ``url``."""
        return self.sources.get(name) or self.sources.get(url) or self.show

    def forced(self, enabled: bool) -> DigestConfig:
        """Every source on (``update --digest``) or off (``--no-digest``)."""
        return DigestConfig(
            dataclasses.replace(self.show, enabled=enabled),
            {k: dataclasses.replace(v, enabled=enabled) for k, v in self.sources.items()},
        )


def fill_title(pattern: str, show_title: str, moment: datetime, where: str) -> str:
    """``pattern`` with ``{date:%A %-d %B}`` (strftime of ``moment``) and ``{show}`` filled.
    Raises ConfigError naming ``where`` for unknown fields or a malformed pattern."""

    try:
        return pattern.format(date=moment, show=show_title).strip()
    except (KeyError, IndexError) as exc:
        raise ConfigError(
            f"{where}: {pattern!r} cannot be filled (unknown field {{{exc.args[0]}}}); "
            "use {date:%A %-d %B} and {show}"
        ) from None
    except (ValueError, AttributeError) as exc:
        raise ConfigError(
            f"{where}: {pattern!r} cannot be filled ({' '.join(str(exc).split())}); "
            "use {date:%A %-d %B} and {show}"
        ) from None
