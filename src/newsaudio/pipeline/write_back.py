"""Write-back: archive (or mark read) in the service what became an episode, once the
episode is in the published feed.

``update`` runs :func:`write_back_due` after the run and after publishing the show to its
target (if it has one), so a service never hears "archived" about an episode a listener
cannot get yet. The due items are those the state marks ``pending`` (set in the same
transaction as ``published``, :meth:`newsaudio.pipeline.update._Run.set_state`) or
``failed`` (tried again at every update until it works). An update killed between
publishing and writing back leaves them ``pending``: the next update writes them back and,
the item being ``published`` already, never makes a second episode. An item written back
is ``done`` and never sent again, also after its episode is removed.

Takes the show's update lock (without waiting), so two updates never write the same item
back twice.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from newsaudio.errors import ConfigError, SourceError
from newsaudio.show import Show
from newsaudio.sources.service import (
    ServiceOptions,
    is_service,
    open_service,
    service_item,
    write_back_action,
)
from newsaudio.sources.state import ItemRecord, StateStore

_LOG = logging.getLogger(__name__)


@dataclass
class WriteBackReport:
    """What :func:`write_back_due` did: per source name, how many items were written back
    and how many failed; ``problems`` one line each (source, item, error)."""

    done: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    busy: bool = False


def has_due(show: Show) -> bool:
    """True when some item of a followed service waits for its write-back."""
    if not (show.state_dir / "sources.sqlite").is_file():
        return False
    with StateStore.of(show.state_dir, read_only=True) as store:
        return any(store.write_backs_due(s.id) for s in store.sources() if is_service(s.url))


def write_back_due(
    show: Show,
    skip_sources: Iterable[str] = (),
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> WriteBackReport:
    """Write back every due item of the show's followed services (see the module
    docstring), except those of the sources named in ``skip_sources`` (their check failed
    in this run: they wait for the next). Returns the report; never raises for one
    source or item."""
    from newsaudio.pipeline.update import update_lock

    report = WriteBackReport()
    if not (show.state_dir / "sources.sqlite").is_file():
        return report
    skipped = set(skip_sources)
    with contextlib.ExitStack() as stack:
        if not stack.enter_context(update_lock(show)):
            report.busy = True
            return report
        store = stack.enter_context(StateStore.of(show.state_dir))
        for source in store.sources():
            if not is_service(source.url) or source.name in skipped or source.gone:
                continue
            due = store.write_backs_due(source.id)
            if not due:
                continue
            options = ServiceOptions.from_json(source.options)
            try:
                kind = open_service(source.url, options)
                action = write_back_action(kind, options)
            except (SourceError, ConfigError) as exc:
                _fail_all(store, due, str(exc), now())
                report.failed[source.name] = len(due)
                report.problems.append(f"{source.name}: write-back: {exc}")
                continue
            for record in due:
                if action == "none" or not record.service_id:
                    with store.transaction():
                        store.put_item(replace(record, write_back=None), now())
                    continue
                item = service_item(record.key, record.service_id, record.title, record.link)
                try:
                    kind.write_back(item, action)
                except SourceError as exc:
                    with store.transaction():
                        store.put_item(
                            replace(record, write_back="failed", write_back_error=str(exc)),
                            now(),
                        )
                    report.failed[source.name] = report.failed.get(source.name, 0) + 1
                    report.problems.append(
                        f"{source.name}: {record.title}: write-back ({action}) failed: {exc}; "
                        "will retry at the next update"
                    )
                    continue
                with store.transaction():
                    store.put_item(replace(record, write_back="done", write_back_error=None), now())
                report.done[source.name] = report.done.get(source.name, 0) + 1
                _LOG.info("%s: %s: written back (%s)", source.name, record.title, action)
    return report


def _fail_all(store: StateStore, records: list[ItemRecord], error: str, when: datetime) -> None:
    with store.transaction():
        for record in records:
            store.put_item(replace(record, write_back="failed", write_back_error=error), when)


__all__ = ["WriteBackReport", "has_due", "write_back_due"]
