"""The ``openai`` engine against a local OpenAI-compatible speech server on 127.0.0.1
(tests/support/openai_endpoint.py): success in every reply format, 401, 429 with Retry-After, 500,
slow replies, long text cut to the server's limit, the key never shown; and ``newsaudio add
--voice NAME`` end to end through it. Backoff delays are made tiny with NEWSAUDIO_OPENAI_*."""

from __future__ import annotations

import json
import logging
import socket
import time
from pathlib import Path

import numpy as np
import pytest

from newsaudio.cli import cli
from newsaudio.errors import SynthesisError, VoiceError
from newsaudio.tts.base import create_engine, get_voice
from newsaudio.tts.openai import OpenaiEngine
from tests.support import cli_runner
from tests.support.openai_endpoint import Reply, SpeechServer

KEY = "sk-test-0123456789abcdef"

FAST = {
    "NEWSAUDIO_OPENAI_BACKOFF_BASE_S": "0.01",
    "NEWSAUDIO_OPENAI_BACKOFF_MAX_S": "0.05",
    "NEWSAUDIO_OPENAI_RETRY_AFTER_MAX_S": "0.3",
    "NEWSAUDIO_OPENAI_ATTEMPTS": "4",
    "NEWSAUDIO_OPENAI_TIMEOUT_S": "2",
    "NEWSAUDIO_OPENAI_RATE_PER_S": "0",
}


@pytest.fixture(autouse=True)
def _fast(monkeypatch: pytest.MonkeyPatch, workdir: Path) -> None:
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TEST_SPEECH_KEY", KEY)


def _profile(
    workdir: Path, server: SpeechServer | str, name: str = "local", **extra: object
) -> str:
    base_url = server if isinstance(server, str) else server.base_url
    values: dict[str, object] = {
        "engine": "openai",
        "language": "en-US",
        "base_url": base_url,
        "model": "tts-1",
        "api_voice": "alloy",
        "api_key_env": "TEST_SPEECH_KEY",
        **extra,
    }
    text = "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items())
    (workdir / "voices" / f"{name}.toml").write_text(text, encoding="utf-8")
    return name


def _engine(name: str) -> OpenaiEngine:
    engine = create_engine(get_voice(name))
    assert isinstance(engine, OpenaiEngine)
    return engine


@pytest.mark.parametrize(("fmt", "rate_hz"), [("wav", 24000), ("pcm", 24000), ("mp3", 24000)])
def test_success_in_each_format_sends_the_api_body(
    workdir: Path, fmt: str, rate_hz: int, caplog: pytest.LogCaptureFixture
) -> None:
    with SpeechServer(key=KEY) as server, caplog.at_level(logging.DEBUG):
        name = _profile(workdir, server, response_format=fmt, speed=1.25)
        engine = _engine(name)
        segment = engine.synthesize("Good evening, here is the news.")
    assert segment.sample_rate_hz == rate_hz and segment.channels == 1
    expected_s = len("Good evening, here is the news.") * 0.04 / 1.25
    assert segment.duration_ms / 1000 == pytest.approx(expected_s, abs=0.08)
    assert np.abs(segment.samples).max() > 1000
    (request,) = server.requests
    assert request.body == {
        "model": "tts-1",
        "voice": "alloy",
        "input": "Good evening, here is the news.",
        "response_format": fmt,
        "speed": 1.25,
    }
    assert request.authorization == f"Bearer {KEY}"
    assert KEY not in engine.identity() and KEY not in caplog.text


def test_401_is_not_retried_and_never_shows_the_key(workdir: Path) -> None:
    with SpeechServer(key="sk-the-right-one") as server:
        engine = _engine(_profile(workdir, server))
        with pytest.raises(SynthesisError) as err:
            engine.synthesize("Hello there.")
    message = str(err.value)
    assert "HTTP 401" in message and "$TEST_SPEECH_KEY" in message and KEY not in message
    assert len(server.requests) == 1


def test_429_with_retry_after_then_success(workdir: Path) -> None:
    def script(number: int, body: dict[str, object]) -> Reply:
        return Reply(429, {"Retry-After": "1"}) if number == 1 else Reply()

    with SpeechServer(script) as server:
        engine = _engine(_profile(workdir, server))
        started = time.monotonic()
        segment = engine.synthesize("Markets rose on Tuesday.")
    assert segment.duration_ms > 0
    assert [r.status for r in server.requests] == [429, 200]
    assert engine.stats.retry_after_s == [1.0]
    assert time.monotonic() - started >= 0.3  # waited, capped by RETRY_AFTER_MAX_S


def test_500_retried_then_gives_up(workdir: Path) -> None:
    with SpeechServer(lambda n, b: Reply(500)) as server:
        engine = _engine(_profile(workdir, server))
        with pytest.raises(SynthesisError, match=r"openai: HTTP 500 .* gave up after 4 attempts"):
            engine.synthesize("Hello.")
    assert len(server.requests) == 4


def test_slow_reply_times_out_and_is_retried(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSAUDIO_OPENAI_TIMEOUT_S", "0.3")

    def script(number: int, body: dict[str, object]) -> Reply:
        return Reply(delay_s=1.0) if number == 1 else Reply()

    with SpeechServer(script) as server:
        segment = _engine(_profile(workdir, server)).synthesize("A slow start.")
    assert segment.duration_ms > 0 and len(server.requests) == 2


def test_long_text_is_cut_to_the_server_limit(workdir: Path) -> None:
    text = (
        "The council met on Tuesday, and after a long debate about the budget, the parking "
        "rules and the new cycle lanes, it voted to approve the plan by a wide margin."
    )
    with SpeechServer(max_input=60) as server:
        engine = _engine(_profile(workdir, server, max_chars=60))
        assert engine.max_chars == 60
        segment = engine.synthesize(text)
    inputs = [str(r.body["input"]) for r in server.requests]
    assert len(inputs) >= 3 and all(len(i) <= 60 for i in inputs)
    assert " ".join(inputs) == text
    assert all(r.status == 200 for r in server.requests)
    assert segment.duration_ms / 1000 == pytest.approx(
        sum(max(0.2, len(i) * 0.04) for i in inputs), abs=0.1
    )


def test_profile_problems_are_voice_errors(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_SPEECH_KEY")
    with pytest.raises(VoiceError, match="TEST_SPEECH_KEY"):
        _engine(_profile(workdir, "http://127.0.0.1:9/v1"))
    (workdir / "voices" / "bare.toml").write_text(
        'engine = "openai"\nlanguage = "en-US"\n', encoding="utf-8"
    )
    with pytest.raises(VoiceError, match="needs base_url, model, api_voice"):
        _engine("bare")


def test_unreachable_server_fails_fast(workdir: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    engine = _engine(_profile(workdir, f"http://127.0.0.1:{port}/v1"))
    started = time.monotonic()
    with pytest.raises(SynthesisError, match=r"cannot reach its server .* is the server running"):
        engine.synthesize("Hello.")
    assert time.monotonic() - started < 2
    assert get_voice("local").offline  # a server on this machine


def test_add_voice_end_to_end_through_the_server(workdir: Path, article_file: Path) -> None:
    with SpeechServer(key=KEY) as server:
        name = _profile(workdir, server)
        result = cli_runner().invoke(
            cli, ["add", str(article_file), "--voice", name, "--speed", "1.25", "--json"]
        )
        assert result.exit_code == 0, result.stderr
        record = json.loads(result.stdout)
        assert record["voice"] == name and record["synthesized"] == record["utterances"]
        assert len(server.requests) == record["utterances"]
        assert all(r.body["speed"] == 1.25 for r in server.requests)
        again = cli_runner().invoke(
            cli, ["add", str(article_file), "--voice", name, "--speed", "1.25", "--json"]
        )
        assert again.exit_code == 0 and len(server.requests) == record["utterances"]  # cached
    assert KEY not in result.stdout + result.stderr


def test_add_falls_back_per_chunk_when_the_server_fails(
    workdir: Path, article_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def script(number: int, body: dict[str, object]) -> Reply:
        return Reply(500) if "cycle" in str(body["input"]) else Reply()

    with SpeechServer(script) as server:
        name = _profile(workdir, server, fallback="fake")
        result = cli_runner().invoke(cli, ["add", str(article_file), "--voice", name, "--json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert len(record["fallback_chunks"]) >= 1
    assert "speaking it with the fallback voice 'fake'" in caplog.text


def test_add_without_fallback_exits_5(workdir: Path, article_file: Path) -> None:
    with SpeechServer(lambda n, b: Reply(503)) as server:
        name = _profile(workdir, server)
        result = cli_runner().invoke(cli, ["add", str(article_file), "--voice", name])
    assert result.exit_code == 5
    assert "openai: HTTP 503" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (workdir / "output" / "episodes").exists() or not any(
        (workdir / "output" / "episodes").iterdir()
    )


@pytest.mark.slow
def test_add_end_to_end_with_real_speech_from_the_server(
    workdir: Path, article_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server speaks with the bundled Piper voice: a real spoken episode comes back."""
    monkeypatch.setenv("NEWSAUDIO_OPENAI_TIMEOUT_S", "120")  # real synthesis on a busy machine
    with SpeechServer(key=KEY, piper=True) as server:
        name = _profile(workdir, server)
        result = cli_runner().invoke(cli, ["add", str(article_file), "--voice", name, "--json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["voice"] == name and 8 < record["duration_s"] < 40
    assert len(server.requests) == record["utterances"]
