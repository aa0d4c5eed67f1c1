"""A digest: several sources composed into one Script (:mod:`newsaudio.pipeline.compose`, a
chapter per story), rendered with the same :func:`~newsaudio.pipeline.render.render_script`
as a single article, and published by the single writer.

With a :class:`BriefOptions` (``digest --brief``) each story is first told as a brief by a
summarizer (:mod:`newsaudio.summarize`): the story keeps its attribution line and chapter,
and only its brief is read; the chapter links to the show's own episode of the article when
it has one (page anchor), else to the article.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsaudio.audio.assemble import (
    GAP_AFTER_INTRO_MS,
    GAP_AFTER_STING_MS,
    GAP_BEFORE_OUTRO_MS,
    TRANSITION_PAUSE_MS,
    trim,
)
from newsaudio.cover import chapter_image
from newsaudio.errors import InputError, NewsaudioError, plain_reason
from newsaudio.loaders.url import fetch_image
from newsaudio.models import Article, Chapter, Script, Segment, Utterance
from newsaudio.pipeline.compose import Composed, compose, dedupe, digest_key, fit
from newsaudio.pipeline.context import (
    AddOptions,
    EpisodeMeta,
    RenderContext,
    Rendition,
    Result,
    RunAssets,
    Runtime,
    check_run,
    reading_language,
    story_voices,
    work_folder,
)
from newsaudio.pipeline.render import load_article, publish_rendition, render_script
from newsaudio.publish import list_episodes
from newsaudio.show import Show
from newsaudio.sources.identity import canonical_link
from newsaudio.summarize import Brief, Summarizer
from newsaudio.text import wording
from newsaudio.text.prepare import Pauses, line
from newsaudio.tts.base import (
    voice_for_language,
)
from newsaudio.tts.speak import ProgressCallback, SpeakStats, speak

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestRendition:
    """A rendered digest: the :class:`Rendition` and the stories it holds or left out
    (``left_out``: dropped from the end by the time budget; ``over_budget``: the first
    story alone is longer than the budget and was kept whole). Rendered on a cluster, a
    digest also says which worker spoke each story (``workers``, in story order) and which
    stories failed there alone and were left out (``failed``: article and one-line error)."""

    rendition: Rendition
    stories: tuple[Article, ...]
    left_out: tuple[Article, ...]
    over_budget: bool = False
    workers: tuple[str, ...] = ()
    failed: tuple[tuple[Article, NewsaudioError], ...] = ()


def _sound_ms(utterances: Iterable[tuple[Utterance, Segment]]) -> int:
    """Programme time of ``utterances``: each segment's sound (trimmed as assembly trims it)
    plus its pause, in ms."""
    total = 0.0
    for utterance, segment in utterances:
        cut = trim(segment.samples, segment.sample_rate_hz)
        total += 1000 * (cut.end - cut.onset) / segment.sample_rate_hz + utterance.pause_after_ms
    return round(total)


def _chapter_images(articles: Iterable[Article]) -> dict[str, bytes]:
    """JPEG bytes of each article's image, by its URL; an image that cannot be fetched or
    read is logged and left out (a chapter without its image is still a chapter)."""

    images: dict[str, bytes] = {}
    for article in articles:
        url = article.image_url
        if not url or url in images:
            continue
        try:
            images[url] = chapter_image(fetch_image(url))
        except (NewsaudioError, OSError, ValueError) as exc:
            _LOG.warning("%s: chapter image left out (%s)", url, plain_reason(exc))
    return images


def _link(url: str | None) -> str | None:
    """The link listeners see: the canonical one (tracking parameters removed)."""
    return canonical_link(url) if url else None


def render_digest(
    articles: Sequence[Article],
    context: RenderContext,
    work: Path,
    *,
    title: str | None = None,
    max_minutes: float | None = None,
) -> DigestRendition:
    """Render one digest episode of ``articles`` (at least one, in order, duplicates
    already removed) inside ``work``: compose (:mod:`newsaudio.pipeline.compose`), then the same
    :func:`render_script` as a single article, with a transition sting before each story.

    ``title`` defaults to the show's title and today's date (the show's time zone).
    ``max_minutes``: whole stories are dropped from the end until the programme fits; story
    lengths are measured from their segments (synthesized through the cache, so the work is
    not lost), in order and only as far as needed. Raises ValueError for no articles, and
    what :func:`render_script` raises.
    """
    show, options, runtime, assets = context.show, context.options, context.runtime, context.assets
    progress = context.progress
    from zoneinfo import ZoneInfo

    if not articles:
        raise ValueError("a digest needs at least one article")
    day = runtime.now().astimezone(ZoneInfo(show.timezone)).date()
    language = articles[0].language
    title = title or wording.default_title(show.title, day, language)
    voice_name = voice_for_language(reading_language(articles[0], show), options.voice).name
    engine = runtime.engine(voice_name, options.speed)
    fallback = runtime.fallback_engine(voice_name, options.speed)
    voices = story_voices(articles, show, options.voice)  # stories in other languages
    engines = {tag: runtime.engine(name, options.speed) for tag, name in voices.items()}
    max_chars = min([engine.max_chars, *(e.max_chars for e in engines.values())])

    def composed(chosen: Sequence[Article]) -> Composed:
        return compose(
            chosen,
            title=title,
            show_title=show.title,
            day=day,
            source_key=digest_key(show.title, title, day, chosen),
            max_chars=max_chars,
            lexicon=options.lexicon,
            pauses=Pauses().scaled(options.speed),
        )

    kept = list(articles)
    measured_synthesized = 0
    kept_synthesized = 0
    over_budget = False
    if max_minutes is not None and len(articles) > 1:
        whole = composed(articles)
        bounds = (*whole.stories, len(whole.script.utterances))
        story_synth: dict[int, int] = {}
        opening_synth: dict[int, int] = {}

        def measure(utterances: Sequence[Utterance]) -> tuple[int, int]:
            part = Script(whole.script.article, tuple(utterances))
            stats = SpeakStats()
            spoken = speak(
                part, engine, runtime.cache, fallback=fallback, stats=stats, engines=engines
            )
            ms = _sound_ms(spoken)
            return ms, stats.synthesized

        story_len: dict[int, int] = {}
        opening_len: dict[int, int] = {}

        def story_ms(i: int) -> int:
            if i not in story_len:
                ms, story_synth[i] = measure(whole.script.utterances[bounds[i + 1] : bounds[i + 2]])
                story_len[i] = ms + transition_ms
            return story_len[i]

        def opening_ms(k: int) -> int:
            if k not in opening_len:
                some = composed(articles[:k])
                opening_len[k], opening_synth[k] = measure(
                    some.script.utterances[: some.stories[1]]
                )
            return opening_len[k]

        speed = options.speed
        if options.jingles:  # the jingles, their gaps and a sting before each story
            intro = assets.user_jingles.get("intro") or runtime.jingle("intro")
            outro = assets.user_jingles.get("outro") or runtime.jingle("outro")
            fixed_ms = round(
                intro.duration_ms + outro.duration_ms
                + (GAP_AFTER_INTRO_MS + GAP_BEFORE_OUTRO_MS) / speed
            )  # fmt: skip
            transition_ms = round(runtime.jingle("sting").duration_ms + GAP_AFTER_STING_MS / speed)
        else:
            fixed_ms = round(GAP_BEFORE_OUTRO_MS / speed)
            transition_ms = round(TRANSITION_PAUSE_MS / speed)
        budget_ms = round(max_minutes * 60_000)
        k = fit(len(articles), story_ms, opening_ms, fixed_ms, budget_ms)
        kept = list(articles[:k])
        over_budget = k == 1 and fixed_ms + opening_ms(1) + story_ms(0) > budget_ms
        measured_synthesized = sum(story_synth.values()) + sum(opening_synth.values())
        kept_synthesized = sum(story_synth.get(i, 0) for i in range(k)) + opening_synth.get(k, 0)
        _LOG.info("stage fit: %d of %d stories within %g minutes", k, len(articles), max_minutes)

    final = composed(kept)
    text, markup = wording.description(
        [wording.Listed(a.title, _link(a.source_url), a.site_name) for a in kept], language=language
    )
    meta = EpisodeMeta(
        source_key=final.script.article.source_key,
        title=title,
        description=text,
        author=show.author,
        link=None,
        published=None,
        language=final.script.article.language,
        extra={
            "published_from": "added",
            "kind": "digest",
            "stories": str(len(kept)),
            "description_html": markup,
        },
    )
    stats = SpeakStats()
    rendition = render_script(
        final.script,
        meta,
        voice_name,
        show,
        options,
        runtime,
        assets,
        work,
        progress,
        sting=True,
        chapter_images=_chapter_images(kept),
        stats=stats,
        voices={tag: name for tag, name in voices.items() if any(a.language == tag for a in kept)},
    )
    if measured_synthesized:  # chunks synthesized while measuring count as synthesized
        rendition = dataclasses.replace(
            rendition,
            synthesized=rendition.synthesized + measured_synthesized,
            cached=max(0, rendition.cached - kept_synthesized),
        )
    return DigestRendition(rendition, tuple(kept), tuple(articles[len(kept) :]), over_budget)


@dataclass(frozen=True)
class BriefOptions:
    """``digest --brief``: each story told in about ``seconds`` (a budget per story, > 0) by
    ``summarizer``; ``measure``: sentences already in the segment cache count with their
    synthesized length (loads the voice in this process; off for cluster runs)."""

    seconds: float
    summarizer: Summarizer
    measure: bool = True


def _full_story_urls(show: Show) -> dict[str, str]:
    """The page anchor of each single episode of ``show``, by its source key."""
    from urllib.parse import quote

    return {
        ep.source_key: f"{show.public_url}#{quote(ep.guid, safe='-._~:')}"
        for ep in list_episodes(show)
        if not ep.source_key.startswith("digest:")
    }


def _measured_seconds(
    show: Show, options: AddOptions, runtime: Runtime, article: Article
) -> Callable[[str], float | None]:
    """``seconds_for(sentence)``: the sentence's synthesized length in seconds when all its
    chunks are in the segment cache (as a full story made them), else None."""
    voice_name = voice_for_language(reading_language(article, show), options.voice).name
    engine = runtime.engine(voice_name, options.speed)
    identity = engine.identity()

    def seconds_for(sentence: str) -> float | None:
        total = 0.0
        for utterance in line(
            "sentence",
            sentence,
            0,
            0,
            max_chars=engine.max_chars,
            lexicon=options.lexicon,
            language=article.language,
        ):
            segment = runtime.cache.get(runtime.cache.key(identity, utterance.spoken))
            if segment is None:
                return None
            cut = trim(segment.samples, segment.sample_rate_hz)
            total += (cut.end - cut.onset) / segment.sample_rate_hz
        return total

    return seconds_for


STORY_OVERHEAD_S = 2.8
"""A story's time besides its attribution line's words and its brief: the transition (a sting
and its gap, or a pause without jingles, about 1.5-2 s) and the pause after the attribution
line (0.8 s), in seconds."""


def brief_budget(story_seconds: float, attribution: str) -> float:
    """Seconds left for a story's brief when the whole story (transition, attribution line,
    brief) should last ``story_seconds``: the attribution's estimated length and
    :data:`STORY_OVERHEAD_S` taken off, and at least half of ``story_seconds``."""
    from newsaudio.summarize.lead import estimate_seconds

    spent = estimate_seconds(attribution) + STORY_OVERHEAD_S
    return max(story_seconds / 2, story_seconds - spent)


def make_briefs(
    articles: Sequence[Article],
    brief: BriefOptions,
    show: Show,
    seconds_for: Callable[[Article], Callable[[str], float | None] | None] | None = None,
) -> list[Brief]:
    """Each article's :class:`Brief` (in order), within :func:`brief_budget` so that the
    whole story lasts about ``brief.seconds``; each brief's Article links its chapter to
    the show's own episode of that article when there is one. Never raises for a loaded
    article (summarizers fall back to the lead)."""
    urls = _full_story_urls(show)
    briefs: list[Brief] = []
    for i, article in enumerate(articles):
        budget = brief_budget(
            brief.seconds, wording.attribution(article.site_name, article.title, i)
        )
        _LOG.info("stage brief: %s (%s, %.1f s)", article.title, brief.summarizer.name, budget)
        made = brief.summarizer.brief(
            article, budget, seconds_for(article) if seconds_for else None
        )
        full = urls.get(article.source_key)
        if full is not None:
            made = dataclasses.replace(
                made, article=dataclasses.replace(made.article, full_story_url=full)
            )
        briefs.append(made)
    return briefs


@dataclass(frozen=True)
class DigestResult:
    """What ``digest`` produced: the published episode (:class:`Result`), its chapters, the
    stories read, those left out by the time budget, duplicates read once
    (``(duplicate, first)``) and the sources that failed (``(source, error)``: those that
    could not be loaded, then stories that failed alone on a cluster, also listed with their
    Article in ``failed_stories``). ``workers``: on a cluster, the worker that spoke each
    story, in story order (empty otherwise)."""

    result: Result
    chapters: tuple[Chapter, ...]
    stories: tuple[Article, ...]
    left_out: tuple[Article, ...] = ()
    over_budget: bool = False
    duplicates: tuple[tuple[Article, Article], ...] = ()
    failed: tuple[tuple[str, NewsaudioError], ...] = ()
    workers: tuple[str, ...] = ()
    failed_stories: tuple[tuple[Article, NewsaudioError], ...] = ()
    briefs: tuple[Brief, ...] = ()
    """With ``--brief``: each read story's brief, in story order (empty otherwise)."""


def digest(
    sources: Sequence[str | Article],
    show: Show,
    options: AddOptions,
    runtime: Runtime,
    *,
    title: str | None = None,
    max_minutes: float | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
    assets: RunAssets | None = None,
    render: Callable[..., DigestRendition] | None = None,
    brief: BriefOptions | None = None,
) -> DigestResult:
    """Make and publish one digest episode from ``sources`` (paths, URLs, ``-`` or Articles
    already loaded), in order: :func:`check_run`, load each, drop duplicates,
    :func:`render_digest`, :func:`publish_rendition`.

    A source that fails to load is left out and listed in ``failed``; with ``strict`` its
    error is raised instead. Raises InputError when no source is usable (nothing is
    published), and what :func:`render_digest` and :func:`publish_rendition` raise.
    ``render`` replaces :func:`render_digest` (same arguments; a cluster executor's
    ``render_digest`` speaks the stories on its workers, and a story that fails there is
    left out like a source that cannot be loaded, or raised with ``strict``). ``brief``:
    each story is read as its brief (:func:`make_briefs`; measured through the segment cache
    when rendered here); the result's stories are the loaded Articles, ``briefs`` theirs.
    """

    assets = assets or check_run(show, options)
    loaded: list[Article] = []
    failed: list[tuple[str, NewsaudioError]] = []
    for source in sources:
        if isinstance(source, Article):
            loaded.append(source)
            continue
        _LOG.info("stage load: %s", source)
        try:
            loaded.append(load_article(source))
        except NewsaudioError as exc:
            if strict:
                raise
            failed.append((source, exc))
    if not loaded:
        reasons = "; ".join(str(exc) for _, exc in failed)
        raise InputError("digest", f"no usable source ({reasons})")
    articles, duplicates = dedupe(loaded)
    briefs: dict[int, Brief] = {}
    original: dict[int, Article] = {}
    if brief is not None:
        measure = None
        if brief.measure:  # sentences already spoken count with their measured length

            def measure(article: Article) -> Callable[[str], float | None] | None:
                try:
                    return _measured_seconds(show, options, runtime, article)
                except NewsaudioError as exc:  # no voice here: estimates only
                    _LOG.info("briefs estimated, not measured (%s)", plain_reason(exc))
                    return None

        made_briefs = make_briefs(articles, brief, show, measure)
        told = [b.article for b in made_briefs]
        for article, made_brief in zip(articles, made_briefs, strict=True):
            briefs[id(made_brief.article)] = made_brief
            original[id(made_brief.article)] = article
        articles = told

    def back(story: Article) -> Article:
        return original.get(id(story), story)

    with work_folder(show) as work:
        context = RenderContext(show, options, runtime, assets, progress)
        made = (render or render_digest)(
            articles, context, work, title=title, max_minutes=max_minutes
        )
        if strict and made.failed:
            raise made.failed[0][1]
        result = publish_rendition(show, made.rendition, runtime)
    return DigestResult(
        result,
        made.rendition.timeline.chapters,
        tuple(back(a) for a in made.stories),
        tuple(back(a) for a in made.left_out),
        made.over_budget,
        tuple(duplicates),
        (*failed, *((story.source, exc) for story, exc in made.failed)),
        made.workers,
        tuple((back(a), exc) for a, exc in made.failed),
        tuple(briefs[id(a)] for a in made.stories if id(a) in briefs),
    )
