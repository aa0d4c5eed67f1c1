"""What every engine that speaks over HTTP shares (gTTS, OpenAI-compatible servers).

:class:`HttpClient` sends one request with the project's network rules: a timeout per
request; HTTP 429, 5xx, timeouts and connection errors retried with exponential backoff and
jitter, honouring ``Retry-After`` (RFC 9110 §10.2.3, seconds or HTTP date); a token bucket
pacing requests across threads (a 429 pauses it for everyone); at most ``concurrency``
requests in flight; and a fast failure when the server cannot be reached at all before
anything succeeded (the engine says how: its ``offline_error``). :func:`decode_audio`
decodes a reply (WAV, FLAC, MP3, Ogg) once, in process with libsndfile, else with ffmpeg
through pipes.

Settings come from :class:`HttpSettings` subclasses, one per engine, read from the
environment with the engine's prefix (``NEWSAUDIO_GTTS_*``, ``NEWSAUDIO_OPENAI_*``).
"""

from __future__ import annotations

import email.utils
import io
import logging
import os
import random
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

import numpy as np

from newsaudio.errors import ConfigError, SynthesisError
from newsaudio.models import Segment

_LOGGER = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses retried: too many requests and the server-side errors that pass."""


@dataclass(frozen=True)
class HttpSettings:
    """Network behaviour of an HTTP engine. Times in seconds.

    ``attempts`` bounds the tries per request (first try included). The backoff before retry
    ``n`` (1-based) is ``min(backoff_max_s, backoff_base_s * 2**(n-1))``, jittered to 50-100 %;
    a ``Retry-After`` header raises it to the server's wish, capped at ``retry_after_max_s``.
    ``rate_per_s``/``burst`` are the token bucket (requests per second, bucket size; rate 0 =
    unpaced); ``concurrency`` is the number of requests in flight.
    """

    ENV_PREFIX: ClassVar[str] = "NEWSAUDIO_HTTP_"

    timeout_s: float = 15.0
    attempts: int = 6
    backoff_base_s: float = 1.0
    backoff_max_s: float = 30.0
    retry_after_max_s: float = 120.0
    rate_per_s: float = 30.0
    burst: int = 4
    concurrency: int = 4

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Any:
        """Defaults overridden by ``<ENV_PREFIX><FIELD>`` (e.g. ``NEWSAUDIO_GTTS_ATTEMPTS``).

        Returns an instance of ``cls``. Raises ConfigError for a value that is not a
        positive number.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = f"{cls.ENV_PREFIX}{f.name.upper()}"
            raw = env.get(name)
            if raw is None:
                continue
            try:
                value = int(raw) if f.type == "int" else float(raw)
            except ValueError:
                raise ConfigError(f"{name}={raw!r}: not a number") from None
            if value < 0 or (value == 0 and f.name in {"attempts", "concurrency", "burst"}):
                raise ConfigError(f"{name}={raw!r}: must be positive")
            values[f.name] = value
        return cls(**values)


class TokenBucket:
    """Thread-safe token bucket: ``rate_per_s`` tokens a second, at most ``burst`` saved.

    :meth:`pause_until` stops all takers until a monotonic time (used after HTTP 429).
    """

    def __init__(self, rate_per_s: float, burst: int) -> None:
        self.rate_per_s = rate_per_s
        self.burst = max(1, burst)
        self._tokens = float(self.burst)
        self._last = time.monotonic()
        self._not_before = 0.0
        self._lock = threading.Lock()

    def pause_until(self, deadline: float) -> None:
        """No token is handed out before ``deadline`` (``time.monotonic()`` seconds)."""
        with self._lock:
            self._not_before = max(self._not_before, deadline)

    def acquire(self) -> float:
        """Take one token, sleeping as needed; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = time.monotonic()
                if self.rate_per_s > 0:
                    self._tokens = min(
                        self.burst, self._tokens + (now - self._last) * self.rate_per_s
                    )
                else:
                    self._tokens = float(self.burst)
                self._last = now
                if now >= self._not_before and self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return waited
                if now < self._not_before:
                    delay = self._not_before - now
                else:
                    delay = (1.0 - self._tokens) / self.rate_per_s
            time.sleep(delay)
            waited += delay


def retry_after_s(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delay-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def decode_audio(data: bytes, rate_hz: int, label: str = "reply") -> Segment:
    """Decode an audio reply (WAV, FLAC, MP3, Ogg...) to mono int16 PCM.

    In process with libsndfile (the ``soundfile`` wheel bundles it, MP3 included), keeping
    the audio's own rate; if libsndfile cannot read it, ffmpeg decodes it through pipes at
    ``rate_hz``. Raises SynthesisError (naming ``label``) if neither can.
    """
    try:
        import soundfile

        samples, native_hz = soundfile.read(io.BytesIO(data), dtype="int16", always_2d=True)
        if samples.size:
            mono = samples if samples.shape[1] == 1 else samples.mean(axis=1, keepdims=True)
            return Segment(np.ascontiguousarray(mono, dtype=np.int16), int(native_hz))
    except (ImportError, OSError, RuntimeError, ValueError):
        pass  # soundfile.LibsndfileError is a RuntimeError
    return _decode_ffmpeg(data, rate_hz, label)


def _decode_ffmpeg(data: bytes, rate_hz: int, label: str) -> Segment:
    from newsaudio.audio.ffmpeg import find_ffmpeg

    cmd = [
        find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-i", "pipe:0",
        "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(rate_hz), "pipe:1",
    ]  # fmt: skip
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=120, process_group=0)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SynthesisError(f"{label}: cannot decode the audio with ffmpeg ({exc})") from exc
    if proc.returncode != 0 or not proc.stdout:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SynthesisError(
            f"{label}: the reply is not decodable audio ({reason[-1] if reason else 'no audio'})"
        )
    samples = np.frombuffer(proc.stdout, dtype="<i2").astype(np.int16)
    return Segment(samples.reshape(-1, 1), rate_hz)


@dataclass
class HttpStats:
    """What a client did (for logs and tests): requests sent, retries, waits asked for."""

    requests: int = 0
    retries: int = 0
    retry_after_s: list[float] = field(default_factory=list)


class HttpStatusError(SynthesisError):
    """A reply with an HTTP status that is not retried (or still failing after the
    retries); ``status`` is the code."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class HttpClient:
    """Sends requests under the rules of the module docstring; thread-safe.

    ``label`` starts every error message (``gtts``, ``openai``); ``where`` names the server
    in them (default ``HOST:PORT`` of the URL); ``offline_error(reason)`` builds the error
    raised when the server was never reached.
    """

    def __init__(
        self,
        settings: HttpSettings,
        label: str,
        offline_error: Callable[[str], SynthesisError],
        where: str | None = None,
    ) -> None:
        self.settings = settings
        self.label = label
        self.where = where
        self.offline_error = offline_error
        self.bucket = TokenBucket(settings.rate_per_s, settings.burst)
        self.stats = HttpStats()
        self.succeeded = False
        self._lock = threading.Lock()
        self._session: Any = None
        self._in_flight = threading.BoundedSemaphore(settings.concurrency)

    def session(self) -> Any:
        """The shared ``requests.Session`` (created on first use; connections reused)."""
        with self._lock:
            if self._session is None:
                import requests
                from requests.adapters import HTTPAdapter

                session = requests.Session()
                adapter = HTTPAdapter(pool_maxsize=max(4, self.settings.concurrency))
                session.mount("https://", adapter)
                session.mount("http://", adapter)
                self._session = session
            return self._session

    def _backoff(self, attempt: int) -> float:
        s = self.settings
        delay = min(s.backoff_max_s, s.backoff_base_s * 2.0 ** (attempt - 1))
        return delay * random.uniform(0.5, 1.0)

    def post(self, url: str, **kwargs: Any) -> Any:
        """POST to ``url`` (``kwargs`` go to ``requests``: ``data``, ``json``, ``headers``)
        with retries; returns the HTTP 200 ``requests.Response``.

        Raises HttpStatusError for a status that is not retried or still fails after the
        attempts, SynthesisError for timeouts and connection errors after the attempts, and
        the ``offline_error`` when the server was never reached.
        """
        import requests

        from newsaudio.net import describe_request_error, host_port

        session = self.session()
        s = self.settings
        where = self.where or host_port(url)
        last = ""
        status = 0
        connection_only = True
        for attempt in range(1, s.attempts + 1):
            self.bucket.acquire()
            with self._lock:
                self.stats.requests += 1
            wait: float | None = None
            try:
                with self._in_flight:
                    reply = session.post(url, timeout=s.timeout_s, **kwargs)
            except requests.Timeout:
                last, connection_only = f"no reply within {s.timeout_s:g} s", False
            except requests.RequestException as exc:
                last = f"connection failed: {describe_request_error(exc, url)}"
                if connection_only and not self.succeeded and attempt >= 2:
                    raise self.offline_error(last) from exc  # fail fast when offline
            else:
                if reply.status_code == 200:
                    self.succeeded = True
                    return reply
                connection_only = False
                status = reply.status_code
                last = f"HTTP {reply.status_code} ({reply.reason}) from {where}"
                if reply.status_code not in RETRY_STATUSES:
                    raise HttpStatusError(f"{self.label}: {last}", status)
                wait = retry_after_s(reply.headers.get("Retry-After"))
            if attempt == s.attempts:
                break
            delay = self._backoff(attempt)
            if wait is not None:
                with self._lock:
                    self.stats.retry_after_s.append(wait)
                delay = max(delay, min(wait, s.retry_after_max_s))
                self.bucket.pause_until(time.monotonic() + delay)
            with self._lock:
                self.stats.retries += 1
            _LOGGER.info(
                "%s: %s%s; retry %d of %d in %.2f s",
                self.label, last, "" if wait is None else f" (Retry-After {wait:g} s)",
                attempt, s.attempts - 1, delay,
            )  # fmt: skip
            time.sleep(delay)
        if connection_only and not self.succeeded:
            raise self.offline_error(last)
        message = f"{self.label}: {last}, gave up after {s.attempts} attempts"
        raise HttpStatusError(message, status) if status else SynthesisError(message)
