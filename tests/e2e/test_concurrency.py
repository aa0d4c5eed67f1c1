"""Ten `newsaudio add` processes at once on one show: all ten land, the feed stays valid."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from newsaudio.config import Show
from newsaudio.publish.catalog import Catalog
from newsaudio.publish.check import check_target


@pytest.mark.slow
def test_ten_adds_at_once(workdir: Path) -> None:
    show = Show(out_dir=workdir / "out", base_url="https://pod.example.org/")
    sources = []
    for n in range(10):
        path = workdir / f"story-{n}.txt"
        path.write_text(
            f"Story number {n} & friends\n\nParagraph of story {n}, short and sweet.\n",
            encoding="utf-8",
        )
        sources.append(path)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsaudio",
                "add",
                str(p),
                "--voice",
                "fake",
                "--json",
                "--out",
                str(show.out_dir),
                "--base-url",
                show.base_url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for p in sources
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    guids = {json.loads(out.strip().splitlines()[-1])["guid"] for out, _ in outputs}
    assert len(guids) == 10

    with Catalog(show.catalog_path) as catalog:
        assert {e.guid for e in catalog.episodes()} == guids
    data = (show.out_dir / "feed.xml").read_bytes()
    etree.fromstring(data, etree.XMLParser(recover=False))
    parsed = feedparser.parse(data)
    assert not parsed.bozo
    assert {e.id for e in parsed.entries} == guids
    for entry in parsed.entries:
        name = entry.enclosures[0].href.removeprefix(show.base_url)
        assert (show.out_dir / name).stat().st_size == int(entry.enclosures[0].length)
    report = check_target(str(show.out_dir / "feed.xml"))
    assert report.items == 10 and report.errors == []
    assert len(list(show.episodes_dir.glob("*.mp3"))) == 10
    leftovers = [p.name for p in show.out_dir.rglob(".*.tmp")]
    assert leftovers == []
    assert not (show.state_dir / "work").exists() or not any((show.state_dir / "work").iterdir())
