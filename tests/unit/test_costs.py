"""Engine costs measured on use (newsaudio.tts.costs): totals per engine, per minute."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsaudio.tts import costs


def test_totals_and_cost_per_minute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSAUDIO_CACHE_DIR", str(tmp_path))
    assert costs.per_minute() == {}
    costs.record("kokoro", 7.0, 10.0)
    costs.record("kokoro", 7.0, 10.0)
    costs.record("piper", 1.3, 10.0)
    costs.record("piper", 0.0, 5.0)  # nothing measured: ignored
    assert costs.per_minute() == pytest.approx({"kokoro": 42.0, "piper": 7.8})
    (tmp_path / costs.FILE).write_text("not json", encoding="utf-8")
    assert costs.per_minute() == {}
    costs.record("piper", 1.0, 60.0)  # a damaged file starts again
    assert costs.per_minute() == pytest.approx({"piper": 1.0})
