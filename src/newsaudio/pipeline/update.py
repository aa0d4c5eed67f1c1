"""``update``: check every followed source, make an episode of each new item, publish it.

:func:`run_update` is the library entry point (the command only prints its
:class:`UpdateReport`); digests, cluster runs and auto-publishing plug in here.

Order of a run:

1. Take the show-wide update lock without waiting (``.newsaudio/update.lock``, flock): if
   another update holds it, return at once with ``busy`` set (cron must not pile up).
2. Check each followed source: a conditional request (ETag / Last-Modified), so an
   unchanged feed costs one 304. A 301/308 updates the stored URL; 410 stops following;
   429/503 wait for Retry-After (the source is skipped until then). New items are
   remembered as ``new`` with the feed's data; the first check of a source takes only the
   newest ``limit`` (3) items and remembers the rest as skipped ("archive").
3. Pick this run's items: new ones and failed ones with attempts left (even when the feed
   answered 304), newest first, at most ``--limit`` per source.
4. For each item, choose its text (:func:`choose_text`): the feed's full text when it has
   at least :data:`FULL_TEXT_WORDS` words, else the linked page fetched (politely) and
   extracted by the HTML loader; ``--full-text always|never`` force one side. Only http(s)
   links are fetched. Items linking to audio or video only, or with no text, are skipped
   with a reason; a tombstoned episode is never made again; the same article already made
   from another feed (same canonical link) is skipped.
5. Sources whose ``[digest]`` settings are on (or all, with ``update --digest``): their
   items become one digest episode (:func:`make_digests`), a chapter per item.
6. Render the rest through the executor (:mod:`newsaudio.executors`; in process by default:
   one Runtime, each voice's model loaded once) while one background thread fetches the
   linked pages ahead (:func:`_prefetched`), and publish each rendition as it completes;
   an item that fails fails alone (attempts counted, given up after
   :data:`~newsaudio.sources.state.MAX_ATTEMPTS`).

Crash safety: an item becomes ``published`` only after its episode is in the catalog, and
the episode's guid derives from the item (canonical link), so an update killed at any point
and run again publishes each episode once (the rendition cache makes the redo cheap).
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import logging
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from newsaudio.errors import ConfigError, InputError, NewsaudioError, SourceError
from newsaudio.executors import Executor, create_executor
from newsaudio.fsutil import open_lock_file
from newsaudio.models import Article, Block
from newsaudio.pipeline.context import (
    AddOptions,
    RenderJob,
    Result,
    RunAssets,
    Runtime,
    check_run,
)
from newsaudio.pipeline.digest import BriefOptions, DigestResult, digest
from newsaudio.pipeline.render import publish_rendition
from newsaudio.publish import guid_for
from newsaudio.publish.catalog import Catalog
from newsaudio.show import Show
from newsaudio.sources import fetch, parse
from newsaudio.sources.identity import canonical_link, episode_source_key, item_key
from newsaudio.sources.items import (
    FULL_TEXT_WORDS,
    Skip,
    TextSource,
    choose_text,
    cleaned,
    display_title,
    feed_article,
    feed_blocks,
    filter_reason,
    item_from_json,
    item_to_json,
    page_article,
    page_gone,
)
from newsaudio.sources.model import FeedItem, ParsedFeed, Validators
from newsaudio.sources.service import (
    LIST_LIMIT,
    ServiceOptions,
    is_service,
    open_service,
    service_feed,
    write_back_action,
)
from newsaudio.sources.state import (
    MAX_ATTEMPTS,
    ItemRecord,
    ItemState,
    SourceRecord,
    StateStore,
    advance,
)
from newsaudio.summarize import Summarizer
from newsaudio.text import wording

if TYPE_CHECKING:  # the pipeline is imported by run_update only (``--help`` stays instant)
    from newsaudio.pipeline.compose import DigestConfig, DigestSettings

_LOG = logging.getLogger(__name__)

_SAME_ARTICLE = "the same article was already made from another feed"

SourceStatus = Literal["ok", "not_modified", "failed", "gone", "waiting"]


@dataclass(frozen=True)
class UpdateOptions:
    """Per-run settings of ``update``: ``dry_run`` fetches feeds only and changes nothing;
    ``limit`` caps the items made per source in this run (None: every new item);
    ``digest`` (see below)."""

    dry_run: bool = False
    limit: int | None = None
    digest: DigestConfig | None = None
    """``[digest]`` settings: sources they enable get one digest of this run's new items
    instead of an episode each (:func:`make_digest`). None: no digests."""
    summarizers: Mapping[str, Summarizer] = field(default_factory=dict)
    """For digests with ``brief``: the summarizers by name (one per run, so a summary cache
    and a dead endpoint are shared by the run's digests); ``"default"`` names the one used
    when a ``[digest]`` table names none."""
    measure_briefs: bool = True
    """Brief sentences already in the segment cache count with their measured length."""


@dataclass
class SourceReport:
    """What one source did in this run (``update --json``'s ``sources`` objects)."""

    name: str
    url: str
    status: SourceStatus = "ok"
    new: int = 0
    published: int = 0
    failed: int = 0
    skipped: int = 0
    error: str | None = None
    service: bool = False
    written_back: int = 0
    write_back_failed: int = 0

    def as_json(self) -> dict[str, Any]:
        """The object ``update --json`` prints for this source (a service's also has
        ``written_back`` and ``write_back_failed``)."""
        out: dict[str, Any] = {
            "name": self.name,
            "url": self.url,
            "status": self.status,
            "new": self.new,
            "published": self.published,
            "failed": self.failed,
            "skipped": self.skipped,
        }
        if self.service:
            out.update(written_back=self.written_back, write_back_failed=self.write_back_failed)
        return out


@dataclass(frozen=True)
class PublishedItem:
    """An episode this run made: the pipeline's Result, the source's name, where its text
    came from (``feed`` or ``page``) and the item's link."""

    result: Result
    source: str
    text_source: TextSource
    link: str | None = None


@dataclass(frozen=True)
class PlannedItem:
    """An item ``--dry-run`` looked at: source name, title, link, whether its page would be
    fetched (``page``) or the feed's text read (``feed``), or why it would be skipped."""

    source: str
    title: str
    link: str | None
    text_source: TextSource | None
    skipped: str | None = None
    digest: str | None = None
    """The title of the digest the item would go into (``--digest``), or None."""


@dataclass(frozen=True)
class PublishedDigest:
    """A digest episode this run made (:class:`newsaudio.pipeline.DigestResult`) and the
    names of the sources its stories came from."""

    made: DigestResult
    sources: tuple[str, ...]


@dataclass
class UpdateReport:
    """The outcome of :func:`run_update`.

    ``problems`` are one-line messages (a source or item and what went wrong), in the order
    met; ``busy`` is True when another update held the lock (nothing was done).
    """

    sources: list[SourceReport] = field(default_factory=list)
    episodes: list[PublishedItem] = field(default_factory=list)
    planned: list[PlannedItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    busy: bool = False
    notes: list[str] = field(default_factory=list)
    """One-line notes (an item read from the feed's text because its page is gone)."""
    digests: list[PublishedDigest] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True if some source, item or write-back failed in this run."""
        return any(
            s.status in ("failed", "gone") or s.failed or s.write_back_failed for s in self.sources
        )


# -- the lock ------------------------------------------------------------------------------


@contextlib.contextmanager
def update_lock(show: Show) -> Iterator[bool]:
    """Try the show-wide update lock (flock on ``.newsaudio/update.lock``, released by the
    kernel if the process dies); yields True if this process holds it, False if another
    update does."""
    with open_lock_file(show.state_dir / "update.lock") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


# -- the run -------------------------------------------------------------------------------


@dataclass
class _Work:
    """An item picked for this run."""

    source: SourceRecord
    report: SourceReport
    record: ItemRecord
    item: FeedItem
    language: str | None
    text_source: TextSource = "feed"


def _newest_first(pairs: list[tuple[int, FeedItem]]) -> list[tuple[int, FeedItem]]:
    far = datetime.min.replace(tzinfo=UTC)
    return sorted(pairs, key=lambda p: (-(p[1].published or far).timestamp(), p[0]))


class _Run:
    def __init__(
        self,
        show: Show,
        store: StateStore,
        options: UpdateOptions,
        now: Callable[[], datetime],
    ) -> None:
        self.show = show
        self.store = store
        self.options = options
        self.now = now
        self.report = UpdateReport()
        self.write_backs: dict[int, str] = {}
        """Source id -> the write-back its published items get (services only)."""

    def problem(self, report: SourceReport | None, message: str) -> None:
        self.report.problems.append(message)
        _LOG.info("%s", message)  # the command prints report.problems
        if report is not None and report.error is None:
            report.error = message

    # step 2: check a source
    def check(self, source: SourceRecord) -> tuple[SourceReport, ParsedFeed | None]:
        report = SourceReport(source.name, source.url)
        self.report.sources.append(report)
        now = self.now()
        if source.next_retry is not None and source.next_retry > now and not self.options.dry_run:
            report.status = "waiting"
            _LOG.info("%s: waiting until %s (Retry-After)", source.name, source.next_retry)
            return report, None
        validators = None
        if not self.options.dry_run:
            validators = Validators(source.etag, source.last_modified)
        changes: dict[str, Any] = {"last_checked": now}
        feed: ParsedFeed | None = None
        if is_service(source.url):
            report.service = True
            try:
                options = ServiceOptions.from_json(source.options)
                kind = open_service(source.url, options)
                feed = service_feed(kind, source.url, max(LIST_LIMIT, source.limit))
                _LOG.info("%s: %d items waiting in %s", source.name, len(feed.items), kind.name)
                action = write_back_action(kind, options)
                if action != "none":
                    self.write_backs[source.id] = action
                changes.update(error=None, next_retry=None, last_status=None)
            except (SourceError, ConfigError) as exc:
                report.status = "failed"
                changes.update(error=str(exc), last_status=getattr(exc, "status", None))
                retry_after = getattr(exc, "retry_after_s", None)
                if retry_after is not None:
                    changes["next_retry"] = now + timedelta(seconds=retry_after)
                self.problem(report, f"{source.name}: {exc}")
            if not self.options.dry_run:
                with self.store.transaction():
                    self.store.update_source(source.id, **changes)
            return report, feed
        try:
            response = fetch(source.url, validators)
            changes["last_status"] = response.status
            if response.moved_to:
                _LOG.info("%s: moved permanently to %s", source.name, response.moved_to)
                changes["url"] = response.moved_to
                report.url = response.moved_to
            if response.not_modified:
                report.status = "not_modified"
                _LOG.info("%s: not modified", source.name)
            else:
                feed = parse(response)
                changes.update(
                    etag=response.validators.etag,
                    last_modified=response.validators.last_modified,
                )
            changes.update(error=None, next_retry=None)
        except SourceError as exc:
            report.status = "gone" if exc.gone else "failed"
            changes.update(error=str(exc), last_status=exc.status)
            if exc.gone:
                changes["gone"] = True
            if exc.retry_after_s is not None:
                changes["next_retry"] = now + timedelta(seconds=exc.retry_after_s)
            self.problem(report, f"{source.name}: {exc}")
        if not self.options.dry_run:
            if "url" in changes and self.store.source_by_url(changes["url"]) is not None:
                del changes["url"]  # already following the new address as another source
            with self.store.transaction():
                self.store.update_source(source.id, **changes)
        return report, feed

    # step 2b/3: remember new items, pick this run's
    def pick(
        self, source: SourceRecord, report: SourceReport, feed: ParsedFeed | None
    ) -> list[_Work]:
        now = self.now()
        language = feed.language if feed else None
        seen: dict[str, tuple[int, FeedItem]] = {}
        if feed is not None:
            for index, item in enumerate(feed.items):
                seen.setdefault(item_key(item), (index, item))
        known = {r.key: r for r in self.store.items(source.id)}
        fresh = [(i, it) for k, (i, it) in seen.items() if k not in known]
        first = not source.checked and feed is not None
        chosen: list[tuple[ItemRecord, FeedItem]] = []
        writes: list[ItemRecord] = []
        limit = source.limit
        for rank, (_index, item) in enumerate(_newest_first(fresh)):
            key = item_key(item)
            record = ItemRecord(
                source_id=source.id,
                key=key,
                title=display_title(item),
                link=canonical_link(item.link) if item.link else None,
                published=item.published,
                episode_guid=guid_for(episode_source_key(source.url, item)),
                data=item_to_json(item),
                service_id=feed.service_ids.get(key) if feed is not None else None,
            )
            if first and rank >= limit:
                writes.append(
                    advance(record, ItemState.SKIPPED, f"archive: older than the newest {limit}")
                )
                continue
            reason = filter_reason(item, source) or (feed.skips.get(key) if feed else None)
            if reason:
                writes.append(advance(record, ItemState.SKIPPED, reason))
                report.skipped += 1
                continue
            writes.append(record)
            chosen.append((record, item))
        # retries: failed items with attempts left (and new ones a killed run left behind)
        for key, record in known.items():
            if record.retryable:
                item = seen[key][1] if key in seen else item_from_json(record.data, record.title)
                if key in seen:
                    record = replace(record, data=item_to_json(item))
                chosen.append((record, item))
        chosen_sorted = sorted(
            chosen,
            key=lambda p: -(p[1].published or datetime.min.replace(tzinfo=UTC)).timestamp(),
        )
        if self.options.limit is not None:
            chosen_sorted = chosen_sorted[: self.options.limit]
        if not self.options.dry_run:
            with self.store.transaction():
                for record in writes:
                    self.store.put_item(record, now)
                if feed is not None and not source.checked:
                    self.store.update_source(source.id, checked=True)
        report.new = len(chosen_sorted)
        return [_Work(source, report, r, it, language) for r, it in chosen_sorted]

    def set_state(
        self, work: _Work, to: ItemState, reason: str | None = None, **extra: Any
    ) -> None:
        """Move ``work``'s item to ``to`` (one transaction). A service's item published, or
        skipped as an article already made, gets its write-back ``pending`` in the same
        transaction: done after the feed is published (:mod:`.write_back`)."""
        due = to is ItemState.PUBLISHED or (to is ItemState.SKIPPED and reason == _SAME_ARTICLE)
        if due and work.source.id in self.write_backs and work.record.write_back is None:
            extra.setdefault("write_back", "pending")
        work.record = replace(advance(work.record, to, reason), **extra)
        with self.store.transaction():
            self.store.put_item(work.record, self.now())

    def fail(self, work: _Work, message: str) -> None:
        self.set_state(work, ItemState.FAILED, message)
        work.report.failed += 1
        attempts = work.record.attempts
        tail = "; given up" if attempts >= MAX_ATTEMPTS else "; will retry"
        self.problem(
            work.report,
            f"{work.source.name}: {display_title(work.item)}: {message} "
            f"(attempt {attempts} of {MAX_ATTEMPTS}{tail})",
        )

    def skip(self, work: _Work, reason: str) -> None:
        _LOG.info("%s: %s: skipped (%s)", work.source.name, work.item.title, reason)
        self.set_state(work, ItemState.SKIPPED, reason)
        work.report.skipped += 1

    # step 4: what an item's text will be, decided here (state is only touched in this
    # thread); pages are fetched by the prefetch thread
    def would_skip(self, work: _Work, planned: set[str]) -> str | None:
        """Why ``work`` is not made, from the state alone (read only): removed by the user,
        or the same article as one made from another feed or already ``planned``."""
        guid = work.record.episode_guid or ""
        if self.store.is_tombstoned(guid):
            return "removed by the user"
        other = self.store.same_article(work.record.link, guid)
        if guid in planned or (
            other is not None
            and (other.source_id, other.key) != (work.record.source_id, work.record.key)
        ):
            return _SAME_ARTICLE
        if work.record.link and self.made_by_add(work.record.link, guid):
            return _SAME_ARTICLE
        return None

    def made_by_add(self, link: str, guid: str) -> bool:
        """True when the show already has an episode of ``link`` (canonical) that is not
        ``guid``: made by ``add`` (or the inbox) from the article's URL, whose source key is
        the URL it was fetched from."""
        if not self.show.catalog_path.is_file():
            return False
        canonical = canonical_link(link)
        with Catalog(self.show.catalog_path, read_only=True) as catalog:
            for key in dict.fromkeys((link, canonical, "link:" + canonical)):
                episode = catalog.by_source(key)
                if episode is not None and episode.guid != guid:
                    return True
        return False

    def decide(self, work: _Work, planned: set[str]) -> tuple[TextSource, list[Block]] | None:
        """The text source of ``work``, or None when it is removed, skipped or a duplicate
        (recorded). ``planned`` holds the episode guids already picked in this run."""
        reason = self.would_skip(work, planned)
        if reason == "removed by the user":
            _LOG.info("%s: %s: removed by the user earlier", work.source.name, work.item.title)
            self.set_state(work, ItemState.REMOVED, reason)
            return None
        if reason is not None:
            self.skip(work, reason)
            return None
        try:
            text_source, blocks = choose_text(work.item, work.source.full_text)
        except Skip as exc:
            self.skip(work, str(exc))
            return None
        planned.add(work.record.episode_guid or "")
        work.text_source = text_source
        return text_source, blocks

    def article(self, work: _Work, planned: set[str] | None = None) -> Article | None:
        """The cleaned article of ``work``, its page fetched here and now, or None when it
        is removed, skipped or fails (recorded). Used for digests; single episodes go
        through :func:`_prefetched`."""
        decision = self.decide(work, planned if planned is not None else set())
        if decision is None:
            return None
        text_source, blocks = decision
        source_key = episode_source_key(work.source.url, work.item)
        try:
            if text_source == "page":
                try:
                    return cleaned(page_article(work.item, source_key))
                except NewsaudioError as exc:
                    return self.instead_of_page(work, exc, source_key)
            return cleaned(feed_article(work.item, blocks, source_key, work.language))
        except NewsaudioError as exc:
            self.fail(work, str(exc))
            return None

    def instead_of_page(self, work: _Work, error: NewsaudioError, source_key: str) -> Article:
        """The article from the feed's own text when ``work``'s page is gone for good (404,
        410: :func:`page_gone`) and the feed has words, with a note; else raises ``error``."""
        if not page_gone(error, work.item):
            raise error
        article = cleaned(
            feed_article(work.item, feed_blocks(work.item), source_key, work.language)
        )
        work.text_source = "feed"
        self.report.notes.append(
            f"{work.source.name}: {display_title(work.item)}: the page {work.item.link} is gone "
            f"({error.problem if isinstance(error, InputError) else error}); read from the "
            "feed's own text"
        )
        return article


def _page_or_error(item: FeedItem, source_key: str) -> Article | NewsaudioError:
    """The cleaned article of ``item``'s page, or the error that failed it (runs in the
    prefetch thread: network and parsing only, no state)."""
    try:
        return cleaned(page_article(item, source_key))
    except NewsaudioError as exc:
        return exc


FETCH_AHEAD = 3
"""Linked pages fetched ahead of the render in progress (bounded: memory stays flat)."""


def _prefetched(run: _Run, group: list[_Work], pending: dict[str, _Work]) -> Iterator[RenderJob]:
    """The render jobs of ``group``, in order. Linked pages are fetched by one background
    thread (so one request at a time, per host and overall) while earlier items render.
    Consume it in the thread that runs the update: it records skips and failures in the
    state store, whose connection belongs to that thread."""

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsaudio-fetch")
    try:
        planned: set[str] = set()
        ahead: collections.deque[tuple[_Work, Future[Article | NewsaudioError] | list[Block]]] = (
            collections.deque()
        )
        todo = iter(group)

        def fill() -> None:
            # at most FETCH_AHEAD pages fetched ahead: the pages (and their Articles) of a
            # long run are not all held at once, only those about to be rendered
            while len(ahead) < FETCH_AHEAD:
                work = next(todo, None)
                if work is None:
                    return
                decision = run.decide(work, planned)
                if decision is None:
                    continue
                text_source, blocks = decision
                source_key = episode_source_key(work.source.url, work.item)
                if text_source == "page":
                    ahead.append((work, pool.submit(_page_or_error, work.item, source_key)))
                else:
                    ahead.append((work, blocks))

        fill()
        while ahead:
            work, pending_text = ahead.popleft()
            fill()
            source_key = episode_source_key(work.source.url, work.item)
            try:
                if isinstance(pending_text, list):
                    article = cleaned(
                        feed_article(work.item, pending_text, source_key, work.language)
                    )
                else:
                    got = pending_text.result()
                    article = (
                        run.instead_of_page(work, got, source_key)
                        if isinstance(got, NewsaudioError)
                        else got
                    )
            except NewsaudioError as exc:
                run.fail(work, str(exc))
                continue
            del pending_text
            key = f"{work.source.id}\x00{work.record.key}"
            pending[key] = work
            yield RenderJob(key, article)
            del article
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _source_name(work: _Work) -> str:
    """The source named in an episode: a newsletter's sender (its display name), else the
    followed source's name."""
    if work.item.author and work.source.url.lower().startswith(("imap://", "imaps://")):
        return work.item.author
    return work.source.name


def _with_source(rendition: Any, source_name: str, text_source: TextSource) -> Any:
    """``rendition`` with the source's name in its description and extra fields."""
    draft = rendition.draft
    description = f"From {source_name}: {draft.description}"
    extra = {**draft.extra, "source": source_name, "text_source": text_source}
    return replace(rendition, draft=replace(draft, description=description, extra=extra))


def make_digests(
    run: _Run,
    works: list[_Work],
    config: DigestConfig,
    add_options: AddOptions,
    runtime: Runtime,
    assets: RunAssets,
    render: Callable[..., Any] | None = None,
    summarizers: Mapping[str, Summarizer] | None = None,
    measure_briefs: bool = True,
) -> list[_Work]:
    """Make one digest episode of the picked items of every source whose ``[digest]``
    settings are enabled (sources with the same settings share one digest; stories in the
    order picked: sources in order, each newest first) and return the works left for
    episodes of their own.

    An item in the digest becomes ``published`` with the digest's guid (so removing the
    digest tombstones its items). Items past ``max_articles`` and stories ``max_minutes``
    left out stay ``new`` for the next run; an item whose text fails fails alone; a digest
    that fails to render or publish fails each of its items (retried next run). ``render``
    renders each digest (an executor's ``render_digest``; default: in this process); a
    story that fails alone on a cluster fails its item alone. A group whose settings have
    ``brief`` reads each story as its brief, by the summarizer its settings name (from
    ``summarizers``; ``"default"`` when they name none).
    """
    summarizers = summarizers or {}
    groups: dict[DigestSettings, list[_Work]] = {}
    rest: list[_Work] = []
    for work in works:
        settings = config.for_source(work.source.name, work.source.url)
        if settings.enabled:
            groups.setdefault(settings, []).append(work)
        else:
            rest.append(work)
    for settings, group in groups.items():
        brief = None
        if settings.brief:
            chosen = summarizers.get(settings.summarizer or "default") or summarizers.get("default")
            if chosen is not None:
                brief = BriefOptions(settings.story_seconds, chosen, measure_briefs)
        _digest_group(run, group, settings, add_options, runtime, assets, render, brief)
    return rest


def _digest_group(
    run: _Run,
    group: list[_Work],
    settings: DigestSettings,
    add_options: AddOptions,
    runtime: Runtime,
    assets: RunAssets,
    render: Callable[..., Any] | None = None,
    brief: BriefOptions | None = None,
) -> None:

    articles: list[Article] = []
    by_key: dict[int, _Work] = {}  # by id() of the Article: digest() hands the same objects back
    for work in group:
        if settings.max_articles is not None and len(articles) >= settings.max_articles:
            break  # the rest stay new: the next run's digest
        article = run.article(work)
        if article is None:
            continue
        article = replace(article, site_name=article.site_name or work.source.name)
        articles.append(article)
        by_key[id(article)] = work
    if not articles:
        return
    moment = runtime.now().astimezone(ZoneInfo(run.show.timezone))
    try:
        made = digest(
            articles,
            run.show,
            add_options,
            runtime,
            title=settings.title_for(run.show.title, moment),
            max_minutes=settings.max_minutes,
            assets=assets,
            render=render,
            brief=brief,
        )
    except NewsaudioError as exc:
        for work in by_key.values():
            run.fail(work, f"digest: {exc}")
        return
    guid = made.result.episode.guid
    names: list[str] = []
    for story in made.stories:
        work = by_key[id(story)]
        run.set_state(work, ItemState.PUBLISHED, None, episode_guid=guid)
        work.report.published += 1
        if work.source.name not in names:
            names.append(work.source.name)
    for story, error in made.failed_stories:  # failed alone on a cluster: retried next run
        run.fail(by_key[id(story)], str(error))
    for duplicate, _first in made.duplicates:
        run.skip(by_key[id(duplicate)], "the same article as another story of the digest")
    for story in made.left_out:
        _LOG.info("%s: left out of the digest (--max-minutes); next run", story.title)
    run.report.digests.append(PublishedDigest(made, tuple(names)))


def _planned_digest(
    show: Show, config: DigestConfig | None, work: _Work, now: datetime
) -> str | None:
    """The title of the digest ``work`` would go into, or None (its own episode)."""
    if config is None:
        return None
    settings = config.for_source(work.source.name, work.source.url)
    if not settings.enabled:
        return None
    moment = now.astimezone(ZoneInfo(show.timezone))
    return settings.title_for(show.title, moment) or wording.default_title(
        show.title, moment.date()
    )


def run_update(
    show: Show,
    add_options: AddOptions,
    runtime: Runtime,
    options: UpdateOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_published: Callable[[PublishedItem], None] | None = None,
    executor: Executor | None = None,
) -> UpdateReport:
    """Check every followed source of ``show`` and make and publish an episode of each new
    item (see the module docstring). ``on_published`` is called as each episode is
    published. ``executor`` is where renders run (default: in this process, in order; see
    :mod:`newsaudio.executors`). Returns the report; problems of single sources or items are
    in it, not raised. Raises NewsaudioError only for what stops the whole run (ffmpeg
    missing, an unknown voice, an unwritable show, a cluster that cannot be reached)."""

    options = options or UpdateOptions()
    if not (show.state_dir / "sources.sqlite").is_file():
        return UpdateReport()
    with contextlib.ExitStack() as stack:
        if not options.dry_run and not stack.enter_context(update_lock(show)):
            return UpdateReport(busy=True)
        store = stack.enter_context(StateStore.of(show.state_dir))
        run = _Run(show, store, options, runtime.now)
        works: list[_Work] = []
        for source in store.sources():
            if source.gone:
                continue
            report, feed = run.check(source)
            if report.status in ("failed", "gone", "waiting"):
                continue
            works.extend(run.pick(store.source_by_url(report.url) or source, report, feed))
        if options.dry_run:
            planned: set[str] = set()
            for work in works:
                title = display_title(work.item)
                try:
                    if reason := run.would_skip(work, planned):
                        raise Skip(reason)
                    text_source, _ = choose_text(work.item, work.source.full_text)
                except Skip as exc:
                    run.report.planned.append(
                        PlannedItem(work.source.name, title, work.item.link, None, str(exc))
                    )
                    continue
                planned.add(work.record.episode_guid or "")
                run.report.planned.append(
                    PlannedItem(
                        work.source.name,
                        title,
                        work.item.link,
                        text_source,
                        digest=_planned_digest(show, options.digest, work, runtime.now()),
                    )
                )
            return run.report
        if not works:
            return run.report
        assets = check_run(show, add_options)
        if executor is None:
            executor = stack.enter_context(contextlib.closing(create_executor(None)))
        if options.digest is not None:
            works = make_digests(
                run,
                works,
                options.digest,
                add_options,
                runtime,
                assets,
                executor.render_digest,
                options.summarizers,
                options.measure_briefs,
            )
        by_voice: dict[str | None, list[_Work]] = {}
        for work in works:
            by_voice.setdefault(work.source.voice or add_options.voice, []).append(work)
        for voice, group in by_voice.items():
            opts = replace(add_options, voice=voice)
            pending: dict[str, _Work] = {}

            jobs = _prefetched(run, group, pending)
            for job, outcome in executor.map(jobs, show, opts, runtime, assets, progress):
                work = pending.pop(job.key)
                if isinstance(outcome, NewsaudioError):
                    run.fail(work, str(outcome))
                    continue
                try:
                    result = publish_rendition(
                        show, _with_source(outcome, _source_name(work), work.text_source), runtime
                    )
                except NewsaudioError as exc:
                    run.fail(work, str(exc))
                    continue
                run.set_state(work, ItemState.PUBLISHED, None, episode_guid=result.episode.guid)
                work.report.published += 1
                done = PublishedItem(result, _source_name(work), work.text_source, work.item.link)
                run.report.episodes.append(done)
                if on_published is not None:
                    on_published(done)
        return run.report


__all__ = [
    "FULL_TEXT_WORDS",
    "PlannedItem",
    "PublishedDigest",
    "PublishedItem",
    "SourceReport",
    "UpdateOptions",
    "UpdateReport",
    "make_digests",
    "run_update",
    "update_lock",
]
