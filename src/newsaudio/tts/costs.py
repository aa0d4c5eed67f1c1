"""What each engine costs on this machine, measured on real use: CPU seconds per minute of
speech, shown by ``newsaudio voices``.

The worker pools (Piper, Kokoro) add, when they stop, the CPU seconds their workers spent on
the chunks (model loading excluded) and the seconds of speech produced to
``<cache dir>/engine-costs.json``: ``{"piper": {"cpu_s": float, "speech_s": float}, ...}``
(totals; written atomically, best effort: a cost that cannot be saved is only logged).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path

from newsaudio.tts.cache import default_cache_dir

_LOGGER = logging.getLogger(__name__)
_LOCK = threading.Lock()
FILE = "engine-costs.json"


def _path() -> Path:
    return default_cache_dir() / FILE


def _read(path: Path) -> dict[str, dict[str, float]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(engine: str, cpu_s: float, speech_s: float) -> None:
    """Add one run's ``cpu_s`` and ``speech_s`` (seconds) to ``engine``'s totals."""
    if cpu_s <= 0 or speech_s <= 0:
        return
    path = _path()
    with _LOCK:
        data = _read(path)
        entry = data.get(engine) if isinstance(data.get(engine), dict) else None
        totals = entry or {"cpu_s": 0.0, "speech_s": 0.0}
        totals = {"cpu_s": float(totals.get("cpu_s", 0)) + cpu_s,
                  "speech_s": float(totals.get("speech_s", 0)) + speech_s}  # fmt: skip
        data[engine] = totals
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".costs-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(tmp, path)
        except OSError as exc:
            _LOGGER.debug("engine cost not saved (%s)", exc)
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)


def per_minute() -> dict[str, float]:
    """Measured CPU seconds per minute of speech, by engine (only engines used here)."""
    costs = {}
    for engine, totals in _read(_path()).items():
        try:
            cpu_s, speech_s = float(totals["cpu_s"]), float(totals["speech_s"])
        except (KeyError, TypeError, ValueError):
            continue
        if speech_s > 0:
            costs[engine] = 60.0 * cpu_s / speech_s
    return costs
