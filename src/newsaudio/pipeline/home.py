"""What ``serve`` runs besides serving files: the inbox worker and the scheduled updates.

:class:`Home` is the show's always-on process state, shared by the HTTP app (which only
reads it and queues links) and two background threads:

* the **inbox worker** (:meth:`Home.run_inbox`): claims the oldest queued link of the inbox
  (:class:`~newsaudio.inbox.queue.InboxQueue`, in ``.newsaudio/inbox.sqlite``), renders and
  publishes it through the same path as ``add``
  (:func:`~newsaudio.pipeline.jobs.render_and_publish`: the show's executor settings and
  ``--cluster`` honoured, published to the local show),
  then to the show's ``[publish] to`` target if it has one (feed last), and records the
  episode (``published``) or the failed attempt (retried after 1 and 4 minutes; ``failed``
  with its reason after 3 attempts). A link killed mid-render stays ``rendering`` and is
  queued again at the next start (:meth:`~newsaudio.inbox.queue.InboxQueue.recover`): the
  episode's guid derives from the link, so the redo publishes it once, from the caches.
* the **scheduler** (:meth:`Home.run_schedule`): runs ``update`` every ``update_every_s``
  seconds or at the ``update_at`` times of the show's time zone, under the same lock as the
  command (``.newsaudio/update.lock``): a run that falls due while one is going is skipped
  with a log line.

The two take turns (one render at a time in this process: memory stays that of one render).
After each item, memory the allocator holds but no longer uses is given back
(``malloc_trim``), so a process that runs for weeks keeps a flat resident size.

Stopping (:meth:`Home.stop`): no new item is claimed and no update started; the item
rendering is finished and published if it completes within the grace period, else left for
the next start (nothing half-published: publishing holds the show's publish lock, which
:meth:`Home.wait_idle` takes before the process exits).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from newsaudio.errors import NewsaudioError, plain_reason
from newsaudio.inbox.queue import InboxQueue, Known
from newsaudio.inbox.tokens import TokenStore
from newsaudio.pipeline.context import AddOptions, RenderJob, Result, Runtime
from newsaudio.pipeline.jobs import render_and_publish
from newsaudio.publish.catalog import Catalog
from newsaudio.show import Show

_LOG = logging.getLogger("newsaudio.serve")

INBOX_DB = "inbox.sqlite"
"""The inbox's database inside the show's state folder (queue and device tokens)."""


def inbox_path(show: Show) -> Path:
    """``.newsaudio/inbox.sqlite`` of ``show``."""
    return show.state_dir / INBOX_DB


def open_tokens(show: Show) -> TokenStore:
    """The show's device tokens. Raises NewsaudioError (PublishError) with one line when the
    state folder cannot hold them (read-only, full)."""
    from newsaudio.errors import PublishError

    try:
        show.state_dir.mkdir(parents=True, exist_ok=True)
        return TokenStore(inbox_path(show))
    except (OSError, Exception) as exc:  # sqlite3.Error and OSError
        raise PublishError(
            f"{inbox_path(show)}: cannot open the inbox's tokens ({plain_reason(exc)})"
        ) from exc


def release_memory() -> None:
    """Give the C allocator's free memory back to the system (glibc ``malloc_trim``; a
    no-op elsewhere). Called after each item: freed render buffers of several threads'
    arenas would otherwise keep the resident size at its highest mark."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def limit_arenas(count: int = 2) -> None:
    """At most ``count`` glibc malloc arenas (``mallopt(M_ARENA_MAX)``; no-op elsewhere):
    threads share arenas instead of each fragmenting its own."""
    if _LIBC is not None:
        _LIBC.mallopt(-8, count)  # M_ARENA_MAX


def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)
        _ = lib.malloc_trim, lib.mallopt
    except (OSError, AttributeError):
        return None
    return lib


_LIBC = _libc()


@dataclass(frozen=True)
class Schedule:
    """When ``serve`` runs ``update``: every ``every_s`` seconds, or at the ``at`` times
    (``(hour, minute)``) of time zone ``zone``; neither: never."""

    every_s: float | None = None
    at: tuple[tuple[int, int], ...] = ()
    zone: str = "UTC"

    @property
    def active(self) -> bool:
        return bool(self.every_s or self.at)

    def next_after(self, moment: datetime) -> datetime | None:
        """The first run time after ``moment`` (aware, UTC), or None."""
        if self.every_s:
            return moment + timedelta(seconds=self.every_s)
        if not self.at:
            return None
        local = moment.astimezone(ZoneInfo(self.zone))
        for days in range(0, 3):
            day = (local + timedelta(days=days)).date()
            for hour, minute in self.at:
                when = datetime(day.year, day.month, day.day, hour, minute, tzinfo=local.tzinfo)
                if when > local:
                    return when.astimezone(UTC)
        return None  # pragma: no cover - at least one time is always within two days


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Home:
    """The state ``serve`` shares between its HTTP app and its threads (module docstring).

    ``options`` are ``add``'s render options for the show; ``cluster`` the executor address
    (None: in this process). ``inbox`` False: no queue is opened, only the schedule runs.
    Raises PublishError when the inbox's database cannot be opened (read-only or full state
    folder)."""

    def __init__(
        self,
        show: Show,
        options: AddOptions,
        *,
        cluster: str | None = None,
        cache_dir: Path | None = None,
        inbox: bool = True,
        schedule: Schedule | None = None,
        retry_delay_s: float | None = None,
    ) -> None:
        from newsaudio.errors import PublishError

        self.show = show
        self.options = options
        self.cluster = cluster
        self.cache_dir = cache_dir
        self.schedule = schedule or Schedule()
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self.turn = threading.Lock()  # one render at a time: inbox item or update
        self.rendering: str | None = None
        self.last_update: datetime | None = None
        self.next_update: datetime | None = None
        self.queue: InboxQueue | None = None
        self.tokens: TokenStore | None = None
        self._threads: list[threading.Thread] = []
        if inbox:
            try:
                show.state_dir.mkdir(parents=True, exist_ok=True)
                kwargs: dict[str, Any] = {"episode_for": self.episode_for}
                if retry_delay_s is not None:
                    kwargs["retry_delay_s"] = lambda _attempts: retry_delay_s
                self.queue = InboxQueue(inbox_path(show), **kwargs)
                self.tokens = TokenStore(inbox_path(show))
                again = self.queue.recover()
            except Exception as exc:  # sqlite3.Error, OSError: a read-only or full folder
                raise PublishError(
                    f"{inbox_path(show)}: cannot open the inbox queue ({plain_reason(exc)}); "
                    "the show's state folder must be writable"
                ) from exc
            for item_id in again:
                _LOG.info("inbox: %s was interrupted; it is queued again", item_id)

    # -- the catalog -----------------------------------------------------------------------

    def episode_for(self, canonical: str) -> Known | None:
        """The show's episode for canonical link ``canonical`` (made by ``add`` from that
        URL, or by ``update`` from a feed item linking it), or None."""
        if not self.show.catalog_path.is_file():
            return None
        keys = (canonical, "item:" + canonical, "link:" + canonical)
        with Catalog(self.show.catalog_path, read_only=True) as catalog:
            for key in keys:
                ep = catalog.by_source(key)
                if ep is not None:
                    url = self.show.base_url + "episodes/" + ep.file_name
                    return Known(ep.guid, url, ep.title)
        return None

    # -- health ----------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """``/healthz``: ``{"status", "queue", "rendering", "last_update", "next_update"}``
        (``status`` is ``ok``, or ``stopping`` once a stop began)."""
        queued = 0
        if self.queue is not None:
            counts = self.queue.counts()
            queued = counts["queued"] + counts["rendering"]
        return {
            "status": "stopping" if self.stopping.is_set() else "ok",
            "queue": queued,
            "rendering": self.rendering,
            "last_update": _iso(self.last_update),
            "next_update": _iso(self.next_update),
        }

    # -- threads ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the inbox worker (if the inbox is on) and the scheduler (if scheduled)."""
        if self.queue is not None:
            self._spawn("newsaudio-inbox", self.run_inbox)
        if self.schedule.active:
            self.next_update = self.schedule.next_after(datetime.now(UTC))
            self._spawn("newsaudio-schedule", self.run_schedule)

    def _spawn(self, name: str, target: Any) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        """Take nothing new: the worker claims no item, the scheduler starts no update."""
        self.stopping.set()
        self.wake.set()

    def wait_idle(self, timeout_s: float) -> bool:
        """After :meth:`stop`: wait up to ``timeout_s`` for the render in progress to end,
        then hold the show's publish lock for good (no publish can start or be cut short).
        True when nothing was rendering any more."""
        from newsaudio.publish.show import publish_lock

        deadline = time.monotonic() + timeout_s
        idle = self.turn.acquire(timeout=max(0.0, timeout_s))
        if not idle:
            _LOG.info("stop: the render in progress is left for the next start")
        remaining = max(0.5, deadline - time.monotonic() + 2.0)
        holder = threading.Thread(target=lambda: publish_lock(self.show).__enter__(), daemon=True)
        holder.start()  # a publish in progress finishes first (it holds the lock)
        holder.join(remaining)
        return idle

    def run_inbox(self) -> None:
        """The worker loop (a thread): one queued link after another until stopped."""
        assert self.queue is not None
        runtime = Runtime(cache_dir=self.cache_dir)
        while not self.stopping.is_set():
            with self.turn:
                if self.stopping.is_set():
                    break
                try:
                    item = self.queue.claim()
                except Exception as exc:  # the state folder went read-only or full
                    _LOG.error("inbox: cannot read the queue (%s)", plain_reason(exc))
                    item = None
                if item is not None:
                    self.rendering = item.id
                    try:
                        self._render_item(item.id, item.url, runtime)
                    finally:
                        self.rendering = None
                        release_memory()
                    continue
            try:
                due = self.queue.due_in_s()
            except Exception:  # the database went away: look again later
                due = None
            self.wake.wait(5.0 if due is None else min(5.0, due + 0.05))
            self.wake.clear()

    def _render_item(self, item_id: str, url: str, runtime: Runtime) -> None:
        assert self.queue is not None
        _LOG.info("inbox: rendering %s %s", item_id, url)
        failures: list[NewsaudioError] = []
        results: list[Result] = []
        try:
            render_and_publish(
                [RenderJob(url, url)],
                self.show,
                self.options,
                runtime,
                self.cluster,
                on_published=lambda _job, result: results.append(result),
                on_failed=lambda _job, exc: failures.append(exc),
            )
            if results and self.show.publish_to:
                from newsaudio.publish.remote import publish_show

                publish_show(self.show)
        except NewsaudioError as exc:
            failures.append(exc)
        except Exception as exc:  # never let one link stop the worker
            _LOG.exception("inbox: %s failed unexpectedly", item_id)
            failures.append(NewsaudioError(f"unexpected error: {plain_reason(exc)}"))
        if failures or not results:
            reason = str(failures[0]) if failures else "nothing was made"
            if results:
                reason = (
                    f"the episode is in the show, but publishing to its target failed: {reason}"
                )
            item = self._record(lambda q: q.fail(item_id, reason))
            if item is not None:
                _LOG.info(
                    "inbox: %s %s (attempt %d): %s", item_id, item.status, item.attempts, reason
                )
            return
        ep = results[0].episode
        self._record(lambda q: q.finish(item_id, ep.guid, results[0].url, ep.title))
        _LOG.info("inbox: published %s as %s", item_id, ep.guid)

    def _record(self, change: Any) -> Any:
        assert self.queue is not None
        for wait in (0.5, 2.0, 5.0, None):
            try:
                return change(self.queue)
            except Exception as exc:  # a locked, read-only or full database: try again
                if wait is None or self.stopping.is_set():
                    _LOG.error("inbox: cannot record the outcome (%s)", plain_reason(exc))
                    return None
                time.sleep(wait)
        return None

    def run_schedule(self) -> None:
        """The scheduler loop (a thread): ``update`` when due, skipped when one is running."""
        while not self.stopping.is_set():
            due = self.next_update
            if due is None:
                return
            wait = (due - datetime.now(UTC)).total_seconds()
            if wait > 0:
                self.stopping.wait(min(wait, 30.0))
                continue
            self.next_update = self.schedule.next_after(datetime.now(UTC))
            with self.turn:
                if self.stopping.is_set():
                    return
                self.run_update_now()
                release_memory()

    def run_update_now(self) -> None:
        """One scheduled ``update`` (and publish to the target when it made episodes);
        problems are logged, never raised."""
        from newsaudio.executors import LazyExecutor
        from newsaudio.pipeline.update import run_update

        started = datetime.now(UTC)
        try:
            with (
                contextlib.closing(LazyExecutor(self.cluster)) as executor,
                _runtime(self.cache_dir) as runtime,
            ):
                report = run_update(self.show, self.options, runtime, executor=executor)
            if report.busy:
                _LOG.info("update: skipped, another update of the show is running")
                return
            self.last_update = started
            for problem in report.problems:
                _LOG.info("update: %s", problem)
            made = len(report.episodes) + len(report.digests)
            _LOG.info("update: %d new episodes", made)
            if made and self.show.publish_to:
                from newsaudio.publish.remote import publish_show

                publish_show(self.show)
        except NewsaudioError as exc:
            self.last_update = started
            _LOG.error("update: %s", exc)


@contextlib.contextmanager
def _runtime(cache_dir: Path | None) -> Iterator[Runtime]:
    yield Runtime(cache_dir=cache_dir)  # engines are shared: not closed after each update
