"""The speak stage: order, concurrency, cache counts, failures and fallback voices."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from newsaudio.cli import cli
from newsaudio.errors import SynthesisError
from newsaudio.models import Article, Script, Utterance
from newsaudio.tts.base import Voice, create_engine, get_voice
from newsaudio.tts.cache import SegmentCache
from newsaudio.tts.fake import FakeEngine
from newsaudio.tts.speak import SpeakStats, dispatch_order, speak
from tests.support import cli_runner

TEXTS = [
    f"Sentence {w} of the test." for w in ["one", "two", "three", "four", "five", "six", "seven"]
]


def _script(*texts: str) -> Script:
    article = Article(title=texts[0], blocks=(), source="t", source_key="t")
    return Script(article, tuple(Utterance("sentence", t, t, 300) for t in texts))


@pytest.mark.parametrize("workers", [1, 3])
def test_order_progress_and_counts(tmp_path: Path, workers: int) -> None:
    engine = FakeEngine(Voice("fake", "fake", "en-US"))
    cache = SegmentCache(tmp_path)
    progress: list[tuple[int, int]] = []
    stats = SpeakStats()
    out = list(
        speak(_script(*TEXTS), engine, cache, lambda d, t: progress.append((d, t)),
              stats=stats, workers=workers)
    )  # fmt: skip
    assert [u.spoken for u, _ in out] == TEXTS
    assert progress == [(i, 7) for i in range(1, 8)]
    assert (stats.synthesized, stats.cached) == (7, 0)
    again = SpeakStats()
    out2 = list(speak(_script(*TEXTS), engine, cache, stats=again, workers=workers))
    assert (again.synthesized, again.cached) == (0, 7)
    assert all(
        np.array_equal(a.samples, b.samples) for (_, a), (_, b) in zip(out, out2, strict=True)
    )


@pytest.mark.parametrize("workers", [1, 4])
def test_failure_names_the_chunk_and_keeps_finished_ones(tmp_path: Path, workers: int) -> None:
    engine = FakeEngine(Voice("f", "fake", "en-US", model="fail-on:five"))
    cache = SegmentCache(tmp_path)
    with pytest.raises(SynthesisError) as err:
        list(speak(_script(*TEXTS), engine, cache, workers=workers))
    assert str(err.value) == "chunk 5 of 7: fake: refuses text containing 'five'"
    cached = {t for t in TEXTS if cache.path(cache.key(engine.identity(), t)).exists()}
    assert set(TEXTS[:4]) <= cached and TEXTS[4] not in cached


def test_fallback_voice_per_chunk_in_add_json(
    workdir: Path, article_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    voices = workdir / "voices"
    (voices / "flaky.toml").write_text(
        'engine = "fake"\nlanguage = "en-US"\nmodel = "fail-on:overdue"\nfallback = "fake"\n',
        encoding="utf-8",
    )
    result = cli_runner().invoke(
        cli, ["add", str(article_file), "--voice", "flaky", "--no-jingle", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.splitlines()[-1])
    assert data["voice"] == "flaky"
    assert data["fallback_chunks"] == [data["utterances"]]  # the last sentence
    assert "speaking it with the fallback voice 'fake'" in caplog.text
    assert (data["synthesized"], data["cached"]) == (data["utterances"] - 1, 0)


def test_fallback_that_fails_too(tmp_path: Path) -> None:
    engine = FakeEngine(Voice("a", "fake", "en-US", model="fail-on:three"))
    fallback = FakeEngine(Voice("b", "fake", "en-US", model="fail-on:three", speed=2))
    with pytest.raises(SynthesisError, match=r"^chunk 3 of 7: .*; the fallback voice failed too"):
        list(speak(_script(*TEXTS), engine, SegmentCache(tmp_path), fallback=fallback))


@pytest.mark.slow
def test_piper_worker_processes_keep_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSAUDIO_PIPER_WORKERS", "2")
    monkeypatch.setenv("NEWSAUDIO_PIPER_THREADS", "1")
    engine = create_engine(get_voice("joe"))
    assert getattr(engine, "concurrency", 1) == 2
    texts = ["Short one.", "A much longer second sentence, with a clause or two in it.", "Three."]
    out = list(speak(_script(*texts), engine, SegmentCache(tmp_path)))
    assert [u.spoken for u, _ in out] == texts
    frames = [s.frames for _, s in out]
    assert frames[1] > frames[0] > 0 and frames[1] > frames[2] > 0
    assert os.environ["NEWSAUDIO_PIPER_WORKERS"] == "2"


def test_dispatch_order_tail_longest_first() -> None:
    texts = [f"{'x' * n}" for n in (5, 9, 1, 7, 3, 8, 2, 6, 4, 10)]
    assert dispatch_order(texts, 1) == list(range(10))
    order = dispatch_order(texts, 2)  # the last 6 chunks, longest first
    assert order == [0, 1, 2, 3, 9, 5, 7, 8, 4, 6]
    assert sorted(dispatch_order(texts[:3], 2)) == [0, 1, 2]
