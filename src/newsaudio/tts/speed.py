"""Speaking speed for engines whose rate control is not proportional (Piper's length scale).

Piper's ``length_scale`` multiplies each phoneme's predicted duration, but durations are
rounded *up* to whole frames (256 samples, about 11.6 ms) and the many very short tokens
(the blanks Piper puts between phonemes) stay one frame whatever the scale. So dividing the
length scale by 1.25 shortens speech only about 1.14 times, and by 2.0 only about 1.56 times
(measured on en_US-joe-medium, November 2026). :func:`calibrated_scale` finds the length
scale that really shortens speech ``speed`` times: it speaks :data:`CALIBRATION_TEXT`
sentence by sentence at the model's own scale and at trial scales, measuring the sound of
each (leading and trailing silence trimmed, as assembly does), and solves by the secant
method. The result is kept per model, speaker and speed in ``<cache dir>/speed/`` (JSON),
so each voice and speed is calibrated once per machine (a few seconds of CPU).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from newsaudio.errors import plain_reason

_LOGGER = logging.getLogger(__name__)

CALIBRATION_TEXT: tuple[str, ...] = (
    "The city council approved twelve kilometres of new cycle lanes on Tuesday evening.",
    "Work on the first section starts in May and should be finished before the winter.",
    "Residents who spoke at the meeting said the lanes were long overdue, and safer streets "
    "would bring more families into the centre.",
    "Shop owners were less certain, warning that fewer parking spaces could cost them "
    "customers during the busy weeks before Christmas.",
    "The mayor promised a review after one year, with figures on traffic, accidents and trade.",
    "Meanwhile, the regional government announced a budget of three million euros for "
    "repairs to bridges and tunnels across the province.",
)
"""News-like sentences spoken to calibrate a voice's rate (each one as its own chunk)."""

TOLERANCE = 0.01
"""Calibration stops when the measured shortening is within this fraction of ``speed``."""

MAX_TRIALS = 4

FIRST_GUESS_EXPONENT = 1.6
"""The first trial scale is ``base / speed ** 1.6``: on en_US-joe-medium the scales found were
0.72 for 1.25 and 0.27 for 2.0 (plain ``base / speed`` gives 0.8 and 0.5), so the secant
search starts close and usually needs two or three trials."""

Measure = Callable[[Sequence[str], float], int]
"""``measure(sentences, length_scale)`` -> frames of sound spoken in all of them."""

_LOCK = threading.Lock()


def _store(cache_dir: Path | None) -> Path:
    from newsaudio.tts.cache import default_cache_dir

    return (cache_dir or default_cache_dir()) / "speed"


def calibrated_scale(
    identity: str,
    base_scale: float,
    speed: float,
    measure: Measure,
    cache_dir: Path | None = None,
) -> float:
    """The length scale that makes speech ``speed`` times shorter than at ``base_scale``.

    ``identity`` names the model and speaker (the key of the stored result); ``measure``
    speaks sentences at a length scale. Returns ``base_scale`` for speed 1. The result is
    clamped to ``[base_scale / (2 * speed), base_scale]`` for speeds above 1 (and the mirror
    range below 1). Never raises for a failed store (logged); errors of ``measure`` propagate.
    """
    if speed == 1.0:
        return base_scale
    key = hashlib.sha256(f"{identity}/{base_scale!r}/{speed!r}".encode()).hexdigest()[:32]
    path = _store(cache_dir) / f"{key}.json"
    with _LOCK:
        try:
            return float(json.loads(path.read_text(encoding="utf-8"))["length_scale"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        scale = _solve(base_scale, speed, measure)
        _save(path, {"identity": identity, "speed": speed, "length_scale": scale})
    return scale


def _solve(base_scale: float, speed: float, measure: Measure) -> float:
    """Secant search for the scale whose measured duration is ``1 / speed`` of the base's."""
    sentences = CALIBRATION_TEXT
    base = measure(sentences, base_scale)
    target = base / speed
    lo, hi = sorted((base_scale / speed / 2.0, base_scale / speed * 2.0))
    lo, hi = (lo, min(hi, base_scale)) if speed > 1 else (max(lo, base_scale), hi)
    points = [(base_scale, float(base))]
    scale = min(hi, max(lo, base_scale / speed**FIRST_GUESS_EXPONENT))
    for _ in range(MAX_TRIALS):
        got = float(measure(sentences, scale))
        points.append((scale, got))
        _LOGGER.info(
            "speed %.2f: length scale %.4f shortens speech %.3f times", speed, scale, base / got
        )
        if abs(got / target - 1.0) <= TOLERANCE:
            break
        (s0, d0), (s1, d1) = points[-2], points[-1]
        if d1 == d0:
            break
        scale = min(hi, max(lo, s1 + (target - d1) * (s1 - s0) / (d1 - d0)))
    best = min(points[1:], key=lambda p: abs(p[1] / target - 1.0))
    return best[0]


def _save(path: Path, data: dict[str, object]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except OSError as exc:
        _LOGGER.warning(
            "cannot store the speed calibration in %s (%s)", path.parent, plain_reason(exc)
        )
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
