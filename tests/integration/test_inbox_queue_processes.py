"""The inbox queue shared by three processes (spawned): every link one item, each published
once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from newsaudio.inbox.queue import InboxQueue


def _proc_submit(path: str, start: int) -> None:
    q = InboxQueue(Path(path))
    for i in range(start, start + 30):
        q.submit(f"https://news.example/{i % 40}")
    while (item := q.claim()) is not None:
        q.finish(item.id, f"g-{item.id}", None)


def test_processes_share_the_queue(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    InboxQueue(path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_proc_submit, args=(str(path), s)) for s in (0, 10, 20)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    q = InboxQueue(path)
    items = q.items(limit=1000)
    assert len(items) == 40 and all(i.status == "published" for i in items)
