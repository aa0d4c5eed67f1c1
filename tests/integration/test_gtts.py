"""The gTTS engine against a local HTTPS endpoint that answers like Google
(tests/support/gtts_endpoint.py).

Real requests, real TLS (a throw-away CA), real ffmpeg decoding; only Google is replaced, at
the network edge. Backoff delays are made tiny through NEWSAUDIO_GTTS_* settings.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from newsaudio.cli import cli
from newsaudio.errors import SynthesisError
from newsaudio.models import Article, Script, Utterance
from newsaudio.tts.base import create_engine, get_voice
from newsaudio.tts.cache import SegmentCache
from newsaudio.tts.gtts import GttsEngine, GttsSettings, TokenBucket, retry_after_s
from newsaudio.tts.speak import SpeakStats, speak
from tests.support import case_json, cli_runner
from tests.support.gtts_endpoint import FakeGoogle, Reply, always_ok

pytestmark = pytest.mark.network

FAST = {
    "NEWSAUDIO_GTTS_BACKOFF_BASE_S": "0.01",
    "NEWSAUDIO_GTTS_BACKOFF_MAX_S": "0.05",
    "NEWSAUDIO_GTTS_RETRY_AFTER_MAX_S": "0.05",
    "NEWSAUDIO_GTTS_ATTEMPTS": "4",
    "NEWSAUDIO_GTTS_TIMEOUT_S": "2",
    "NEWSAUDIO_GTTS_RATE_PER_S": "0",
}


def _env(monkeypatch: pytest.MonkeyPatch, google: FakeGoogle | None, **extra: str) -> None:
    for name, value in {**FAST, **(google.env() if google else {}), **extra}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def gtts_voice(workdir: Path) -> str:
    """voices/gt.toml: a gTTS voice (British accent) without fallback."""
    (workdir / "voices" / "gt.toml").write_text(
        'engine = "gtts"\nlanguage = "en-GB"\nlang = "en"\ntld = "co.uk"\n', encoding="utf-8"
    )
    return "gt"


def _google(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script=always_ok, **kw):  # type: ignore[no-untyped-def]
    google = FakeGoogle(tmp_path, script, **kw)
    _env(monkeypatch, google)
    return google


def _engine(name: str) -> GttsEngine:
    engine = create_engine(get_voice(name))
    assert isinstance(engine, GttsEngine)
    return engine


def test_success_decodes_mp3_to_pcm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gtts_voice: str
) -> None:
    with _google(tmp_path, monkeypatch) as google:
        segment = _engine(gtts_voice).synthesize("Good evening, here is the news.")
    assert segment.sample_rate_hz == 24000 and segment.channels == 1
    assert 0.25 < segment.duration_ms / 1000 < 0.45  # the endpoint's 0.3 s tone
    assert np.abs(segment.samples).max() > 1000
    assert [(r.host, r.text) for r in google.requests] == [
        ("translate.google.co.uk", "Good evening, here is the news.")
    ]


def test_429_then_success_honours_retry_after(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    gtts_voice: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def script(n: int, text: str) -> Reply:
        return Reply(429, {"Retry-After": "7"}) if n == 1 else Reply()

    with _google(tmp_path, monkeypatch, script) as google, caplog.at_level(logging.INFO):
        engine = _engine(gtts_voice)
        started = time.monotonic()
        engine.synthesize("Hello.")
        elapsed = time.monotonic() - started
    assert [r.status for r in google.requests] == [429, 200]
    assert engine.stats.retry_after_s == [7.0]  # the server's wish was read...
    assert elapsed >= 0.05  # ...and waited for, capped by NEWSAUDIO_GTTS_RETRY_AFTER_MAX_S
    assert "HTTP 429" in caplog.text and "Retry-After 7 s" in caplog.text


def test_500_for_good_gives_up_after_bounded_attempts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gtts_voice: str
) -> None:
    with (
        _google(tmp_path, monkeypatch, lambda n, t: Reply(500)) as google,
        pytest.raises(SynthesisError) as err,
    ):
        _engine(gtts_voice).synthesize("Hello.")
    assert len(google.requests) == 4
    assert str(err.value) == (
        "gtts: HTTP 500 (Internal Server Error) from translate.google.co.uk, "
        "gave up after 4 attempts"
    )


def test_403_is_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gtts_voice: str
) -> None:
    with (
        _google(tmp_path, monkeypatch, lambda n, t: Reply(403)) as google,
        pytest.raises(SynthesisError, match=r"gtts: HTTP 403"),
    ):
        _engine(gtts_voice).synthesize("Hello.")
    assert len(google.requests) == 1


def test_connection_refused_fails_fast_naming_the_offline_voice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gtts_voice: str
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _env(monkeypatch, None, HTTPS_PROXY=f"http://127.0.0.1:{port}", NO_PROXY="", no_proxy="")
    monkeypatch.delenv("https_proxy", raising=False)
    started = time.monotonic()
    with pytest.raises(SynthesisError) as err:
        _engine(gtts_voice).synthesize("Hello.")
    assert time.monotonic() - started < 2
    message = str(err.value)
    assert "needs internet access" in message and "--voice joe" in message
    assert "\n" not in message


def test_slow_reply_times_out_then_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gtts_voice: str
) -> None:
    def slow_first(n: int, text: str) -> Reply:
        return Reply(delay_s=1.5) if n == 1 else Reply()

    with _google(tmp_path, monkeypatch, slow_first) as google:
        monkeypatch.setenv("NEWSAUDIO_GTTS_TIMEOUT_S", "0.3")
        segment = _engine(gtts_voice).synthesize("Hello.")
    assert segment.frames > 0 and len(google.requests) == 2

    with _google(tmp_path, monkeypatch, lambda n, t: Reply(delay_s=1.0)) as google:
        monkeypatch.setenv("NEWSAUDIO_GTTS_TIMEOUT_S", "0.2")
        monkeypatch.setenv("NEWSAUDIO_GTTS_ATTEMPTS", "2")
        with pytest.raises(SynthesisError, match=r"gtts: no reply within 0.2 s, gave up after 2"):
            _engine(gtts_voice).synthesize("Hello.")


def _script(*texts: str) -> Script:
    article = Article(title=texts[0], blocks=(), source="t", source_key="t")
    return Script(article, tuple(Utterance("sentence", t, t, 300) for t in texts))


def test_concurrency_is_bounded_and_order_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gtts_voice: str
) -> None:
    texts = [
        f"Sentence number {w}."
        for w in ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    ]
    with _google(tmp_path, monkeypatch, latency_s=0.2) as google:
        engine = _engine(gtts_voice)
        started = time.monotonic()
        stats = SpeakStats()
        out = [
            u.spoken
            for u, _ in speak(_script(*texts), engine, SegmentCache(tmp_path / "c"), stats=stats)
        ]
        elapsed = time.monotonic() - started
    assert out == texts
    assert google.max_in_flight == 4
    assert elapsed < 10 * 0.2 * 0.8  # under the 2 s that one request at a time takes
    assert stats.synthesized == 10


def test_fallback_voice_speaks_failed_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workdir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (workdir / "voices" / "gtfb.toml").write_text(
        'engine = "gtts"\nlanguage = "en-US"\nfallback = "fake"\n', encoding="utf-8"
    )

    def script(n: int, text: str) -> Reply:
        return Reply(503) if text.startswith("Second") else Reply()

    with _google(tmp_path, monkeypatch, script), caplog.at_level(logging.WARNING):
        engine = _engine("gtfb")
        fallback = create_engine(get_voice("fake"))
        stats = SpeakStats()
        segments = list(
            speak(_script("First one.", "Second one.", "Third one."), engine,
                  SegmentCache(tmp_path / "c"), fallback=fallback, stats=stats)
        )  # fmt: skip
    assert stats.fallback_chunks == [2] and stats.synthesized == 2
    assert [s.sample_rate_hz for _, s in segments] == [24000, 22050, 24000]
    assert "chunk 2 of 3" in caplog.text and "fallback" in caplog.text


def test_retry_after_http_date_and_token_bucket() -> None:
    assert retry_after_s("120") == 120.0
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412460.0) == 20.0
    assert retry_after_s("soon") is None and retry_after_s(None) is None
    bucket = TokenBucket(rate_per_s=20.0, burst=1)
    started = time.monotonic()
    for _ in range(6):
        bucket.acquire()
    assert time.monotonic() - started >= 5 / 20 * 0.9
    bucket.pause_until(time.monotonic() + 0.1)
    assert bucket.acquire() >= 0.09


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSAUDIO_GTTS_CONCURRENCY", "2")
    monkeypatch.setenv("NEWSAUDIO_GTTS_TIMEOUT_S", "3.5")
    assert GttsSettings.from_env() == GttsSettings(concurrency=2, timeout_s=3.5)
    monkeypatch.setenv("NEWSAUDIO_GTTS_ATTEMPTS", "0")
    with pytest.raises(Exception, match="NEWSAUDIO_GTTS_ATTEMPTS"):
        GttsSettings.from_env()


# --- TTS-04: a long article against a scripted endpoint --------------------------------------

WORDS = [
    "harbour",
    "council",
    "library",
    "river",
    "market",
    "bridge",
    "station",
    "garden",
    "museum",
    "school",
    "festival",
    "tram",
    "ferry",
    "bakery",
    "square",
    "tower",
    "park",
    "theatre",
    "clinic",
    "stadium",
]


def _long_article(path: Path, sentences: int = 120) -> list[str]:
    """An article of ``sentences`` distinct sentences of about 90 characters (one request each)."""
    body = []
    for i in range(sentences):
        a, b, c = WORDS[i % 20], WORDS[(i // 20) % 20], WORDS[(i * 7 + 3) % 20]
        body.append(
            f"The {a} by the old {b} opened again this week, and the {c} crowd came in numbers."
        )
    paragraphs = [" ".join(body[i : i + 6]) for i in range(0, sentences, 6)]
    path.write_text("Long day in town\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return body


def _tts04_script(n: int, text: str) -> Reply:
    if 40 <= n <= 45:
        return Reply(429, {"Retry-After": "2"})
    if n == 80:
        return Reply(500)
    return Reply()


@pytest.mark.slow
def test_tts04_scenario1_throttled_long_article_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workdir: Path, gtts_voice: str
) -> None:
    case_json("TTS-04")
    sentences = _long_article(workdir / "long.txt")
    with _google(tmp_path, monkeypatch, _tts04_script) as google:
        monkeypatch.setenv("NEWSAUDIO_GTTS_RETRY_AFTER_MAX_S", "120")  # honour the real 2 s
        result = cli_runner().invoke(
            cli, ["add", "long.txt", "--voice", gtts_voice, "--no-jingle", "--json"]
        )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.splitlines()[-1])
    assert data["synthesized"] == data["utterances"] == 121 and data["cached"] == 0
    ok = Counter(r.text for r in google.successes())
    assert all(ok[s] == 1 for s in sentences) and len(ok) == 121  # each chunk exactly once
    statuses = [r.status for r in google.requests]
    assert statuses[39:45] == [429] * 6 and statuses[79] == 500
    times = [r.at for r in google.requests]
    assert max(b - a for a, b in itertools.pairwise(times)) >= 1.9  # Retry-After: 2


def _add_cmd(voice: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "newsaudio", "add", "long.txt", "--voice", voice,
            "--no-jingle", "--json", *extra]  # fmt: skip


@pytest.mark.slow
def test_tts04_scenario2_rerun_after_kill_requests_only_missing_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workdir: Path, gtts_voice: str, cache_dir: Path
) -> None:
    case_json("TTS-04")
    _long_article(workdir / "long.txt")
    stall_after = 100

    def first_run(n: int, text: str) -> Reply:  # after 100 successes, stall until killed
        return Reply(delay_s=60) if n > stall_after else Reply()

    google = _google(tmp_path, monkeypatch, first_run)
    with google:
        proc = subprocess.Popen(_add_cmd(gtts_voice), env=os.environ.copy(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        deadline = time.monotonic() + 60
        while len(list(cache_dir.glob("segments/??/[0-9a-f]*.wav"))) < stall_after:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        first = {r.text for r in google.requests if r.number <= stall_after}  # answered
    assert len(first) == stall_after

    with _google(tmp_path, monkeypatch) as google2:
        done = subprocess.run(_add_cmd(gtts_voice), env=os.environ.copy(), capture_output=True,
                              text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    second = [r.text for r in google2.requests]
    assert not first & set(second)  # no request for any cached chunk
    assert len(second) == 121 - stall_after
    data = json.loads(done.stdout.splitlines()[-1])
    assert (data["cached"], data["synthesized"]) == (stall_after, 121 - stall_after)


def test_tts04_scenario3_429_forever_fails_in_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workdir: Path, gtts_voice: str
) -> None:
    case_json("TTS-04")
    _long_article(workdir / "long.txt", sentences=12)
    with _google(tmp_path, monkeypatch, lambda n, t: Reply(429, {"Retry-After": "30"})) as google:
        done = subprocess.run(_add_cmd(gtts_voice, "--out", "output"), env=os.environ.copy(),
                              capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 5
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("newsaudio: error: chunk 1 of 13: gtts: HTTP 429")
    assert "gave up after 4 attempts" in lines[0]
    # bounded: no chunk is tried more than 4 times, and chunks not yet started when the run
    # gave up are never requested (4 in flight, plus those the scheduler had queued)
    per_chunk = Counter(r.text for r in google.requests)
    assert max(per_chunk.values()) <= 4
    assert len(per_chunk) < 13
    out = workdir / "output"
    assert not list(out.rglob("*.mp3")) and not (out / "feed.xml").exists()


def test_voices_preview_gtts_writes_mp3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gtts_voice: str, workdir: Path
) -> None:
    with _google(tmp_path, monkeypatch):
        result = cli_runner().invoke(
            cli, ["voices", "preview", gtts_voice, "Hi there.", "-o", "p.mp3"]
        )
    assert result.exit_code == 0, result.output
    assert (workdir / "p.mp3").read_bytes()[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3")


@pytest.fixture(autouse=True)
def _no_stray_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests set their own proxy; never inherit one that could reach the internet."""
    for name in (
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    yield
