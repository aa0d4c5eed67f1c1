"""``--cluster``: renders as Dask tasks on real worker processes, published here once each.

A real ``distributed.LocalCluster`` (processes, 2 workers, 1 thread each) and real ``dask
scheduler`` / ``dask worker`` processes on 127.0.0.1; the fake voice, which the workers find in
``voices/`` of their current folder, as an operator's workers would.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from newsaudio.cli import cli
from newsaudio.errors import ExitStatus
from tests.support import cli_runner, run_cli
from tests.support.cluster import articles as _articles
from tests.support.cluster import check_show as _check_show
from tests.support.cluster import local_cluster as _local_cluster
from tests.support.cluster import needs_distributed
from tests.support.cluster import run_killing_a_worker as _run_killing_a_worker
from tests.support.cluster import voices as _voices

_run = partial(run_cli, "add")

pytestmark = needs_distributed

WORKER_OPTIONS = ("--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _records(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_six_articles_on_two_workers(workdir: Path, cluster: Any) -> None:
    sources = [str(p) for p in _articles(workdir, 6)]
    address = cluster.scheduler_info()["address"]
    code, out, err = _run(
        *sources, "--voice", "fake", "--out", "show", "--json", "--cluster", address
    )
    assert code == 0, err
    records = _records(out)
    assert len(records) == 6
    workers = set(cluster.scheduler_info()["workers"])
    assert {r["worker"] for r in records} <= workers
    assert sorted(r["title"] for r in records) == [f"Story number {n}" for n in range(6)]
    for record in records:
        assert Path(record["path"]).stat().st_size == record["bytes"] > 0
    _check_show(workdir / "show", {r["guid"] for r in records})
    from newsaudio.publish.check import check_target

    report = check_target(str(workdir / "show" / "feed.xml"))
    assert report.items == 6 and report.errors == []


def test_worker_killed_mid_render_each_episode_once(workdir: Path) -> None:
    with _local_cluster(workdir) as cluster:
        _kill_a_worker_mid_render(workdir, cluster)


def _kill_a_worker_mid_render(workdir: Path, cluster: Any) -> None:
    sources = [str(p) for p in _articles(workdir, 6, sentences=12)]  # about 30 s of audio each
    address = cluster.scheduler_info()["address"]
    args = ["--voice", "fake", "--out", "show", "--json", "--cluster", address]
    proc, out, err, killed = _run_killing_a_worker(
        cluster, ["add", *sources, *args], "newsaudio-render-"
    )
    assert killed is not None, "no render was seen running on a worker"
    assert proc.returncode == 0, err
    records = _records(out)
    assert len(records) == 6
    assert len({r["guid"] for r in records}) == 6
    _check_show(workdir / "show", {r["guid"] for r in records})


def test_bad_article_fails_alone(workdir: Path, cluster: Any) -> None:
    sources = [str(p) for p in _articles(workdir, 6)]
    bad = workdir / "story-3.txt"
    bad.write_text("Story number 3\n\nThis one will EXPLODE in the engine.\n", encoding="utf-8")
    _voices(workdir)
    address = cluster.scheduler_info()["address"]
    code, out, err = _run(
        *sources, "--voice", "fakefail", "--out", "show", "--json", "--cluster", address
    )
    assert code == ExitStatus.SYNTHESIS, err
    records = _records(out)
    assert len(records) == 5 and "Story number 3" not in {r["title"] for r in records}
    errors = [line for line in err.splitlines() if line.startswith("newsaudio: error: ")]
    assert len(errors) == 1 and "EXPLODE" in errors[0], err
    assert "Traceback" not in err
    _check_show(workdir / "show", {r["guid"] for r in records})


def test_unreachable_scheduler_publishes_nothing(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSAUDIO_CLUSTER_TIMEOUT", "2")
    source = str(_articles(workdir, 1)[0])
    address = f"tcp://127.0.0.1:{_free_port()}"
    code, out, err = _run(source, "--voice", "fake", "--out", "show", "--cluster", address)
    assert code == ExitStatus.CLUSTER == 9
    assert err.startswith(f"newsaudio: error: scheduler {address}: cannot connect")
    assert len(err.strip().splitlines()) == 1 and out == ""
    assert not (workdir / "show").exists()
    # the same from the environment
    monkeypatch.setenv("NEWSAUDIO_CLUSTER", address)
    code, _, err = _run(source, "--voice", "fake", "--out", "show")
    assert code == ExitStatus.CLUSTER, err
    assert not (workdir / "show").exists()


@pytest.mark.parametrize("address", ["local:0", "8786", "tcp://", "http://host:8786"])
def test_malformed_address(workdir: Path, address: str) -> None:
    source = str(_articles(workdir, 1)[0])
    code, _, err = _run(source, "--voice", "fake", "--out", "show", "--cluster", address)
    assert code == ExitStatus.CLUSTER
    assert err.startswith("newsaudio: error: --cluster ") and len(err.splitlines()) == 1
    assert not (workdir / "show").exists()


def test_local_cluster_for_the_run(workdir: Path) -> None:
    sources = [str(p) for p in _articles(workdir, 2)]
    code, out, err = _run(*sources, "--voice", "fake", "--out", "show", "--json")
    assert code == 0, err
    plain = _records(out)
    assert all("worker" not in r for r in plain)  # without --cluster nothing changes
    code, out, err = _run(
        *sources, "--voice", "fake", "--out", "show", "--json", "--cluster", "local:2"
    )
    assert code == 0, err
    records = _records(out)
    assert len(records) == 2 and all(r["worker"].startswith("tcp://127.0.0.1:") for r in records)
    assert {r["guid"] for r in records} == {r["guid"] for r in plain}  # updated in place
    _check_show(workdir / "show", {r["guid"] for r in records})


def test_dask_scheduler_and_worker_processes(workdir: Path) -> None:
    """The way an operator runs it: `dask scheduler` and `dask worker` as their own
    processes, the worker started in a folder with the voices."""
    dask_cli = Path(sys.executable).with_name("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = workdir / "logs"
    logs.mkdir()
    scheduler = subprocess.Popen(
        [str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=(logs / "scheduler.log").open("w"),
    )
    worker = subprocess.Popen(
        [str(dask_cli), "worker", address, *WORKER_OPTIONS],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=(logs / "worker.log").open("w"),
    )
    try:
        sources = [str(p) for p in _articles(workdir, 3)]
        args = ["--voice", "fake", "--out", "show", "--json"]
        env = {**os.environ, "NEWSAUDIO_CLUSTER": address, "NEWSAUDIO_CLUSTER_TIMEOUT": "60"}
        proc = subprocess.run(
            [sys.executable, "-m", "newsaudio", "add", *sources, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=240,
        )
        assert proc.returncode == 0, proc.stderr + (logs / "worker.log").read_text()
        records = _records(proc.stdout)
        assert len(records) == 3
        assert len({r["worker"] for r in records}) == 1
        assert records[0]["worker"].startswith("tcp://127.0.0.1:")
        _check_show(workdir / "show", {r["guid"] for r in records})
    finally:
        for p in (worker, scheduler):
            p.send_signal(signal.SIGINT)
        for p in (worker, scheduler):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def test_update_renders_on_the_cluster_from_settings(
    workdir: Path, cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`update` with `[cluster] address` in newsaudio.toml: feed items rendered on workers."""
    from tests.support.feed_server import feed_server
    from tests.support.sources_fixtures import long_text, rss

    monkeypatch.setenv("NEWSAUDIO_HOST_INTERVAL", "0")
    address = cluster.scheduler_info()["address"]
    (workdir / "newsaudio.toml").write_text(
        f'voice = "fake"\njingles = false\n\n[cluster]\naddress = "{address}"\n',
        encoding="utf-8",
    )
    items = [
        {
            "title": f"Item {i}",
            "guid": f"urn:item:{i}",
            "link": f"http://example.invalid/item/{i}",
            "date": f"Mon, 0{i + 1} Dec 2026 08:00:00 GMT",
            "body": long_text(170, f"Item {i}"),
        }
        for i in range(3)
    ]
    with feed_server() as server:
        server.put("/rss.xml", rss(items))
        runner = cli_runner()
        followed = runner.invoke(cli, ["follow", server.url("/rss.xml"), "--out", "show"])
        assert followed.exit_code == 0, followed.stderr
        result = runner.invoke(cli, ["update", "--json", "--out", "show"])
    assert result.exit_code == 0, result.stderr
    assert "unknown setting" not in result.stderr
    episodes = json.loads(result.stdout)["episodes"]
    assert len(episodes) == 3
    assert {e["worker"] for e in episodes} <= set(cluster.scheduler_info()["workers"])
    _check_show(workdir / "show", {e["guid"] for e in episodes})


def test_digest_renders_on_a_worker(workdir: Path, cluster: Any) -> None:
    sources = [str(p) for p in _articles(workdir, 3)]
    address = cluster.scheduler_info()["address"]
    result = cli_runner().invoke(
        cli,
        ["digest", *sources, "--voice", "fake", "--out", "show", "--json", "--cluster", address],
    )
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout.strip().splitlines()[-1])
    assert record["worker"] in set(cluster.scheduler_info()["workers"])
    assert record["stories"] == [f"Story number {n}" for n in range(3)]
    assert len(record["chapters"]) >= 3
    assert Path(record["path"]).stat().st_size == record["bytes"] > 0
    _check_show(workdir / "show", {record["guid"]})
