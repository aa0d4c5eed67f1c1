"""A Dask cluster for the ``--cluster`` tests: a real ``distributed.LocalCluster`` (2 worker
processes, 1 thread each) whose workers find the fake voices in their current folder, stories
to render, the check of a published show, and a run that SIGKILLs a worker mid-task."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import feedparser
import pytest

from newsaudio.config import Show
from newsaudio.publish.catalog import Catalog
from tests.support.voice import write_fake_voice

# Skips a module without importing distributed at collection (it costs ~0.3 s to import).
needs_distributed = pytest.mark.skipif(
    find_spec("distributed") is None, reason="could not import 'distributed'"
)


def voices(folder: Path) -> None:
    """``folder/voices`` with the fake voice and ``fakefail`` (fails on the word EXPLODE)."""
    write_fake_voice(folder, failing=True)


def articles(folder: Path, count: int, sentences: int = 4) -> list[Path]:
    paths = []
    for n in range(count):
        body = " ".join(
            f"Sentence {k} of story {n} tells what the council decided." for k in range(sentences)
        )
        path = folder / f"story-{n}.txt"
        path.write_text(f"Story number {n}\n\n{body}\n\nResidents agreed.\n", encoding="utf-8")
        paths.append(path)
    return paths


@contextlib.contextmanager
def local_cluster(home: Path) -> Iterator[Any]:
    """A LocalCluster of 2 worker processes (1 thread each) started in ``home``, which holds
    the test voices (workers resolve voices in their current folder; a worker that the nanny
    restarts gets the test process's folder of that moment)."""
    import distributed

    voices(home)
    before = Path.cwd()
    os.chdir(home)
    try:
        local = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    finally:
        os.chdir(before)
    with local, distributed.Client(local, set_as_default=False) as client:
        yield client


def check_show(out_dir: Path, guids: set[str]) -> None:
    """Catalog, feed and episodes/ hold exactly ``guids``, each once; no leftovers."""
    show = Show(out_dir=out_dir)
    with Catalog(show.catalog_path) as catalog:
        assert sorted(e.guid for e in catalog.episodes()) == sorted(guids)
    feed = feedparser.parse((out_dir / "feed.xml").read_bytes())
    assert not feed.bozo
    assert sorted(e.id for e in feed.entries) == sorted(guids)
    assert len(list(show.episodes_dir.glob("*.mp3"))) == len(guids)
    work = show.state_dir / "work"
    assert not work.exists() or not any(work.iterdir())


def run_killing_a_worker(
    cluster: Any, command: list[str], task_prefix: str
) -> tuple[subprocess.Popen[str], str, str, str | None]:
    """Run ``newsaudio COMMAND`` and SIGKILL (by its PID) the first worker seen processing a
    task whose key starts with ``task_prefix``; returns the process, its stdout and stderr,
    and the killed worker's address (None if none was seen)."""
    pids = cluster.run(os.getpid)
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsaudio", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = None
    try:
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and proc.poll() is None:
            for worker, keys in cluster.processing().items():
                if any(str(k).startswith(task_prefix) for k in keys) and worker in pids:
                    os.kill(pids[worker], signal.SIGKILL)
                    killed = worker
                    break
            time.sleep(0.05)
        out, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc, out, err, killed
