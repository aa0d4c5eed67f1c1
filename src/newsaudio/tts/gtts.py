"""The gTTS engine: Google Translate's text-to-speech voices (online).

gTTS builds the requests (its text pre-processors, its tokenizer that cuts text into pieces of
at most 100 characters, its ``batchexecute`` RPC body); newsaudio sends them itself, because
gTTS has no retry, no timeout by default and opens a new connection per request. Each request
gets a timeout; HTTP 429, 5xx, timeouts and connection errors are retried with exponential
backoff and jitter, honouring ``Retry-After`` (RFC 9110 §10.2.3, seconds or HTTP date); a
token bucket paces requests across threads, and a 429 pauses the bucket for everyone. The
replies (MP3, 24 kHz mono) of one chunk are joined and decoded once to int16 PCM in process by
libsndfile (soundfile), or by ffmpeg through pipes (never pydub, whose decoder needs ffprobe).

Settings come from :class:`GttsSettings` (environment ``NEWSAUDIO_GTTS_*``). Requests honour
the usual proxy variables (``HTTPS_PROXY``) and ``REQUESTS_CA_BUNDLE``; TLS is verified (gTTS
itself turns verification off). Profile example (``voices/gtts-en-gb.toml``)::

    name = "gtts-en-gb"
    engine = "gtts"
    language = "en-GB"
    lang = "en"
    tld = "co.uk"
    fallback = "joe"
"""

from __future__ import annotations

import base64
import email.utils
import io
import logging
import os
import random
import re
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from newsaudio.errors import ConfigError, SynthesisError
from newsaudio.models import Segment
from newsaudio.tts.base import DEFAULT_VOICE, Voice

_LOGGER = logging.getLogger(__name__)

SAMPLE_RATE_HZ = 24000
"""gTTS replies are 24 kHz mono MP3; they are decoded to PCM at this rate."""

SLOW_SPEED = 0.75
"""Speeds at or below this use gTTS's slow mode."""

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_AUDIO_RE = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')


@dataclass(frozen=True)
class GttsSettings:
    """Network behaviour of the gTTS engine. Times in seconds.

    ``attempts`` bounds the tries per request (first try included). The backoff before retry
    ``n`` (1-based) is ``min(backoff_max_s, backoff_base_s * 2**(n-1))``, jittered to 50-100 %;
    a ``Retry-After`` header raises it to the server's wish, capped at ``retry_after_max_s``.
    ``rate_per_s``/``burst`` are the token bucket (requests per second, bucket size);
    ``concurrency`` is the number of requests in flight.
    """

    timeout_s: float = 15.0
    attempts: int = 6
    backoff_base_s: float = 1.0
    backoff_max_s: float = 30.0
    retry_after_max_s: float = 120.0
    rate_per_s: float = 30.0
    burst: int = 4
    concurrency: int = 4

    @classmethod
    def from_env(cls) -> GttsSettings:
        """Defaults overridden by ``NEWSAUDIO_GTTS_<FIELD>`` (e.g. ``NEWSAUDIO_GTTS_ATTEMPTS``).

        Raises ConfigError for a value that is not a positive number.
        """
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = f"NEWSAUDIO_GTTS_{f.name.upper()}"
            raw = os.environ.get(name)
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


def decode_mp3(data: bytes, rate_hz: int = SAMPLE_RATE_HZ) -> Segment:
    """Decode MP3 bytes to mono int16 PCM.

    In process with libsndfile (the ``soundfile`` wheel bundles it with MP3 support), which
    saves starting a process per chunk; the audio keeps its own rate (24 kHz for gTTS;
    assembly resamples). If libsndfile cannot read the reply, ffmpeg decodes it through
    pipes at ``rate_hz``. Raises SynthesisError if neither can.
    """
    try:
        import soundfile

        samples, native_hz = soundfile.read(io.BytesIO(data), dtype="int16", always_2d=True)
        if samples.size:
            mono = samples if samples.shape[1] == 1 else samples.mean(axis=1, keepdims=True)
            return Segment(np.ascontiguousarray(mono, dtype=np.int16), int(native_hz))
    except (ImportError, OSError, RuntimeError, ValueError):
        pass  # soundfile.LibsndfileError is a RuntimeError
    return _decode_mp3_ffmpeg(data, rate_hz)


def _decode_mp3_ffmpeg(data: bytes, rate_hz: int) -> Segment:
    from newsaudio.audio.ffmpeg import find_ffmpeg

    cmd = [
        find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-f", "mp3", "-i", "pipe:0",
        "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(rate_hz), "pipe:1",
    ]  # fmt: skip
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=120, process_group=0)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SynthesisError(f"gtts: cannot decode the MP3 reply with ffmpeg ({exc})") from exc
    if proc.returncode != 0 or not proc.stdout:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SynthesisError(
            f"gtts: the reply is not decodable MP3 ({reason[-1] if reason else 'no audio'})"
        )
    samples = np.frombuffer(proc.stdout, dtype="<i2").astype(np.int16)
    return Segment(samples.reshape(-1, 1), rate_hz)


@dataclass
class GttsStats:
    """What the engine did (for logs and tests): requests sent, retries, waits asked for."""

    requests: int = 0
    retries: int = 0
    retry_after_s: list[float] = field(default_factory=list)


class GttsEngine:
    """gTTS synthesis for one voice; see :class:`newsaudio.tts.base.Engine`.

    :meth:`synthesize` is thread-safe; ``concurrency`` tells the speak stage how many chunks
    to have in flight.
    """

    name = "gtts"
    needs_network = True
    max_chars = 100  # one chunk = one request: gTTS cuts longer text at 100 characters

    def __init__(self, voice: Voice, settings: GttsSettings | None = None) -> None:
        self.voice = voice
        self.settings = settings or GttsSettings.from_env()
        self.lang = voice.lang or voice.language.split("-", 1)[0].lower()
        self.tld = voice.tld or "com"
        self.host = f"translate.google.{self.tld}"
        self.url = f"https://{self.host}/_/TranslateWebserverUi/data/batchexecute"
        self.bucket = TokenBucket(self.settings.rate_per_s, self.settings.burst)
        self.stats = GttsStats()
        self._lock = threading.Lock()
        self._session: Any = None
        self._in_flight = threading.BoundedSemaphore(self.settings.concurrency)
        self._reachable: bool | None = None
        self._succeeded = False

    @property
    def slow(self) -> bool:
        """gTTS's slow mode: the profile's ``slow``, or a speed of at most
        :data:`SLOW_SPEED` (gTTS has no other rate control; faster speeds shorten only the
        pauses)."""
        return self.voice.slow or self.voice.speed <= SLOW_SPEED

    @property
    def concurrency(self) -> int:
        """Chunks the speak stage keeps in flight: twice the HTTP bound, so that decoding one
        chunk's MP3 never holds back a request slot (HTTP in flight stays <= the bound)."""
        return 2 * self.settings.concurrency

    def identity(self) -> str:
        """Engine, gTTS version, language, accent (tld), slow mode and speed."""
        from importlib.metadata import version

        return (
            f"gtts/{version('gTTS')}/lang={self.lang}/tld={self.tld}/slow={self.slow}"
            f"/speed={self.voice.speed:g}"
        )

    def _offline_error(self, reason: str) -> SynthesisError:
        return SynthesisError(
            f"gtts: voice {self.voice.name!r} needs internet access and cannot reach "
            f"{self.host} ({reason}); use the offline voice {DEFAULT_VOICE!r} "
            f"(--voice {DEFAULT_VOICE})"
        )

    def _preflight(self) -> None:
        """Fail fast when offline: without a proxy, the host name must resolve within 5 s."""
        with self._lock:
            if self._reachable is not None:
                return
            proxies = urllib.request.getproxies()
            if proxies.get("https") or proxies.get("all"):
                self._reachable = True  # the proxy resolves names; errors surface per request
                return
            result: list[BaseException | None] = []

            def resolve() -> None:
                try:
                    socket.getaddrinfo(self.host, 443, type=socket.SOCK_STREAM)
                    result.append(None)
                except OSError as exc:
                    result.append(exc)

            thread = threading.Thread(target=resolve, daemon=True)
            thread.start()
            thread.join(5.0)
            error = result[0] if result else TimeoutError("name lookup timed out")
            if error is not None:
                raise self._offline_error(f"{type(error).__name__}: {error}")
            self._reachable = True

    def _session_get(self) -> Any:
        with self._lock:
            if self._session is None:
                import requests
                from requests.adapters import HTTPAdapter

                session = requests.Session()
                adapter = HTTPAdapter(pool_maxsize=max(4, self.settings.concurrency))
                session.mount("https://", adapter)
                self._session = session
            return self._session

    def _bodies(self, text: str) -> list[str]:
        from gtts import gTTS

        try:
            tts = gTTS(text, tld=self.tld, lang=self.lang, slow=self.slow, lang_check=False)
            bodies: list[str] = tts.get_bodies()
        except AssertionError:
            return []  # nothing speakable (punctuation only): silence
        return bodies

    def _backoff(self, attempt: int) -> float:
        s = self.settings
        delay = min(s.backoff_max_s, s.backoff_base_s * 2.0 ** (attempt - 1))
        return delay * random.uniform(0.5, 1.0)

    def _request(self, body: str) -> bytes:
        """Send one RPC, with retries; return the MP3 bytes. Raises SynthesisError."""
        import requests
        from gtts import gTTS

        session = self._session_get()
        s = self.settings
        last = ""
        connection_only = True
        for attempt in range(1, s.attempts + 1):
            self.bucket.acquire()
            with self._lock:
                self.stats.requests += 1
            wait: float | None = None
            try:
                with self._in_flight:
                    reply = session.post(
                        self.url, data=body, headers=gTTS.GOOGLE_TTS_HEADERS, timeout=s.timeout_s
                    )
            except requests.Timeout:
                last, connection_only = f"no reply within {s.timeout_s:g} s", False
            except requests.RequestException as exc:
                from newsaudio.net import describe_request_error

                last = f"connection failed: {describe_request_error(exc, self.url)}"
                if connection_only and not self._succeeded and attempt >= 2:
                    raise self._offline_error(last) from exc  # fail fast when offline
            else:
                if reply.status_code == 200:
                    self._succeeded = True
                    match = _AUDIO_RE.search(reply.text)
                    if match is None:
                        raise SynthesisError(
                            f"gtts: HTTP 200 from {self.host} without audio (language "
                            f"{self.lang!r} unsupported or the API changed)"
                        )
                    return base64.b64decode(match.group(1))
                connection_only = False
                last = f"HTTP {reply.status_code} ({reply.reason}) from {self.host}"
                if reply.status_code not in RETRY_STATUSES:
                    raise SynthesisError(f"gtts: {last}")
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
                "gtts: %s%s; retry %d of %d in %.2f s",
                last, "" if wait is None else f" (Retry-After {wait:g} s)",
                attempt, s.attempts - 1, delay,
            )  # fmt: skip
            time.sleep(delay)
        if connection_only and not self._succeeded:
            raise self._offline_error(last)
        raise SynthesisError(f"gtts: {last}, gave up after {s.attempts} attempts")

    def synthesize(self, text: str) -> Segment:
        """Speak ``text`` (any length; requests of at most 100 characters) as 24 kHz mono PCM.

        Raises SynthesisError naming the HTTP status or network problem after the retries.
        """
        self._preflight()
        bodies = self._bodies(text)
        if not bodies:
            return Segment(np.zeros((0, 1), dtype=np.int16), SAMPLE_RATE_HZ)
        mp3 = b"".join(self._request(body) for body in bodies)
        return decode_mp3(mp3)


def create(voice: Voice) -> GttsEngine:
    """Factory registered as engine ``gtts``."""
    return GttsEngine(voice)
