"""Digests on a cluster: a Dask task per story (spoken in parallel on the workers), then one
task that assembles, masters and tags the digest; published here once.

A real ``distributed.LocalCluster`` (processes, 2 workers, 1 thread each) and the fake voice,
which the workers find in ``voices/`` of their current folder (see tests/e2e/test_cluster.py).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from newsaudio.cli import cli
from newsaudio.config import Show
from newsaudio.errors import ExitStatus
from newsaudio.publish.catalog import Catalog
from tests.support import cli_runner
from tests.support.cluster import articles as _articles
from tests.support.cluster import check_show as _check_show
from tests.support.cluster import local_cluster as _local_cluster
from tests.support.cluster import needs_distributed
from tests.support.cluster import run_killing_a_worker as _run_killing_a_worker
from tests.support.cluster import voices as _voices

pytestmark = needs_distributed


def _digest(*args: str) -> tuple[int, dict[str, Any] | None, str]:
    result = cli_runner().invoke(cli, ["digest", *args])
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return result.exit_code, json.loads(lines[-1]) if lines else None, result.stderr


def _audio_md5(path: Path) -> str:
    """MD5 of the MP3's audio frames (after the ID3 tag, whose date is the render time)."""
    from mutagen.id3 import ID3

    data = path.read_bytes()
    return hashlib.md5(data[ID3(path).size :]).hexdigest()


def test_digest_stories_spoken_on_both_workers_same_as_local(workdir: Path, cluster: Any) -> None:
    """4 stories: one task each, on both workers (``workers`` in the JSON, one address per
    story); one digest with a chapter per story, whose audio, chapters and transcript are
    those of the same digest made without --cluster."""
    sources = [str(p) for p in _articles(workdir, 4, sentences=8)]
    address = cluster.scheduler_info()["address"]
    common = ["--voice", "fake", "--json", "--title", "Morning news"]
    code, local, err = _digest(*sources, *common, "--out", "here", "--cache-dir", "c1")
    assert code == 0 and local is not None, err
    assert "workers" not in local and "worker" not in local  # without --cluster: unchanged
    code, record, err = _digest(
        *sources, *common, "--out", "show", "--cache-dir", "c2", "--cluster", address
    )
    assert code == 0 and record is not None, err
    stories = [f"Story number {n}" for n in range(4)]
    assert record["stories"] == stories
    assert [c["title"] for c in record["chapters"]] == ["Headlines", *stories]
    workers = set(cluster.scheduler_info()["workers"])
    assert len(record["workers"]) == 4 and set(record["workers"]) <= workers
    assert len(set(record["workers"])) == 2, record["workers"]  # spoken in parallel
    assert record["worker"] in workers  # where it was assembled
    # a sentence shared by two stories may be synthesized by both workers at once
    assert record["synthesized"] >= local["synthesized"] > 0
    for key in ("chapters", "duration_s", "bytes", "loudness_lufs", "utterances", "guid"):
        assert record[key] == local[key], key
    assert _audio_md5(Path(record["path"])) == _audio_md5(Path(local["path"]))
    for suffix in (".vtt", ".chapters.json"):
        ours = Path(record["path"]).with_suffix(suffix).read_text(encoding="utf-8")
        theirs = Path(local["path"]).with_suffix(suffix).read_text(encoding="utf-8")
        assert ours == theirs, suffix
    _check_show(workdir / "show", {record["guid"]})


def test_digest_story_that_fails_is_left_out(workdir: Path, cluster: Any) -> None:
    """A story the engine refuses fails alone on its worker: left out with its one line
    (as a source that cannot be read is), the exit code its error's; --strict: nothing."""
    sources = [str(p) for p in _articles(workdir, 4)]
    bad = workdir / "story-2.txt"
    bad.write_text("Story number 2\n\nThis one will EXPLODE in the engine.\n", encoding="utf-8")
    _voices(workdir)
    address = cluster.scheduler_info()["address"]
    args = ["--voice", "fakefail", "--out", "show", "--cluster", address]
    code, record, err = _digest(*sources, *args, "--json")
    assert code == ExitStatus.SYNTHESIS, err
    assert record is not None
    kept = ["Story number 0", "Story number 1", "Story number 3"]
    assert record["stories"] == kept
    assert [c["title"] for c in record["chapters"]] == ["Headlines", *kept]
    assert len(record["workers"]) == 3
    assert [f["source"] for f in record["failed"]] == [str(bad)]
    lines = [line for line in err.splitlines() if line]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"newsaudio: error: {bad}: ") and "EXPLODE" in lines[0]
    assert lines[0].endswith(" (left out of the digest)")
    _check_show(workdir / "show", {record["guid"]})

    code, _, err = _digest(*sources, *args, "--out", "strict", "--strict")
    assert code == ExitStatus.SYNTHESIS and "EXPLODE" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (workdir / "strict" / "episodes").exists() or not any(
        (workdir / "strict" / "episodes").iterdir()
    )


def test_digest_story_worker_killed_published_once(workdir: Path) -> None:
    """A worker killed (SIGKILL, by its PID) while it speaks a story: the story runs again
    on another worker and the digest is published once, with every story."""
    with _local_cluster(workdir) as cluster:
        sources = [str(p) for p in _articles(workdir, 4, sentences=12)]
        address = cluster.scheduler_info()["address"]
        args = ["--voice", "fake", "--out", "show", "--json", "--cluster", address]
        proc, out, err, killed = _run_killing_a_worker(
            cluster, ["digest", *sources, *args], "newsaudio-story-"
        )
    assert killed is not None, "no story was seen being spoken on a worker"
    assert proc.returncode == 0, err
    record = json.loads(out.strip().splitlines()[-1])
    stories = [f"Story number {n}" for n in range(4)]
    assert record["stories"] == stories and record["failed"] == []
    assert [c["title"] for c in record["chapters"]] == ["Headlines", *stories]
    assert killed not in record["workers"]
    _check_show(workdir / "show", {record["guid"]})


def _update_digest(
    workdir: Path, cluster: Any, monkeypatch: pytest.MonkeyPatch, voice: str, bad: int | None
) -> tuple[int, dict[str, Any], str, list[dict[str, Any]]]:
    """`update --json` of 3 new feed items (item ``bad``'s text makes the engine fail) with
    ``[digest] enabled`` and ``[cluster] address`` in newsaudio.toml: exit code, the run's
    JSON object, stderr and `sources --json`."""
    from tests.support.feed_server import feed_server
    from tests.support.sources_fixtures import long_text, rss

    monkeypatch.setenv("NEWSAUDIO_HOST_INTERVAL", "0")
    _voices(workdir)
    address = cluster.scheduler_info()["address"]
    (workdir / "newsaudio.toml").write_text(
        f'voice = "{voice}"\njingles = false\n\n[digest]\nenabled = true\n\n'
        f'[cluster]\naddress = "{address}"\n',
        encoding="utf-8",
    )
    items = [
        {
            "title": f"Item {i}",
            "guid": f"urn:item:{i}",
            "link": f"http://example.invalid/item/{i}",
            "date": f"Mon, 0{i + 1} Dec 2026 08:00:00 GMT",
            "body": long_text(170, f"Item {i}")
            + ("\n\nThis one will EXPLODE in the engine." if i == bad else ""),
        }
        for i in range(3)
    ]
    with feed_server() as server:
        server.put("/rss.xml", rss(items))
        runner = cli_runner()
        followed = runner.invoke(cli, ["follow", server.url("/rss.xml"), "--out", "show"])
        assert followed.exit_code == 0, followed.stderr
        result = runner.invoke(cli, ["update", "--json", "--out", "show"])
    sources = runner.invoke(cli, ["sources", "--json", "--out", "show"])
    assert sources.exit_code == 0, sources.stderr
    return result.exit_code, json.loads(result.stdout), result.stderr, json.loads(sources.stdout)


def test_update_digest_stories_on_the_cluster(
    workdir: Path, cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`update` with a [digest] setting and [cluster] address: the digest's stories are
    spoken on the workers (``workers`` of its JSON object) and its items published."""
    code, report, err, sources = _update_digest(workdir, cluster, monkeypatch, "fake", None)
    assert code == 0, err
    episodes = report["episodes"]
    assert len(episodes) == 1 and episodes[0]["kind"] == "digest"
    digest = episodes[0]
    assert sorted(digest["stories"]) == [f"Item {i}" for i in range(3)]
    assert len(digest["chapters"]) == 4
    workers = set(cluster.scheduler_info()["workers"])
    assert len(digest["workers"]) == 3 and set(digest["workers"]) <= workers
    assert digest["worker"] in workers
    _check_show(workdir / "show", {digest["guid"]})
    with Catalog(Show(out_dir=workdir / "show").catalog_path) as catalog:
        assert [e.extra.get("kind") for e in catalog.episodes()] == ["digest"]
    assert [(s["published"], s["failed"]) for s in sources] == [(3, 0)]


def test_update_digest_story_that_fails_fails_its_item_alone(
    workdir: Path, cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A digest's story the engine refuses on its worker: its item fails alone (one error
    line, exit 10, retried by the next run), the digest of the others is published."""
    code, report, err, sources = _update_digest(workdir, cluster, monkeypatch, "fakefail", 1)
    assert code == ExitStatus.PARTIAL, err
    (digest,) = report["episodes"]
    assert sorted(digest["stories"]) == ["Item 0", "Item 2"] and len(digest["workers"]) == 2
    errors = [line for line in err.splitlines() if line.startswith("newsaudio: error: ")]
    assert len(errors) == 1 and "EXPLODE" in errors[0], err
    assert "Traceback" not in err
    _check_show(workdir / "show", {digest["guid"]})
    assert [(s["published"], s["failed"]) for s in sources] == [(2, 1)]
