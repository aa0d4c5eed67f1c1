"""The gTTS engine: Google Translate's text-to-speech voices (online).

gTTS builds the requests (its text pre-processors, its tokenizer that cuts text into pieces of
at most 100 characters, its ``batchexecute`` RPC body); newsaudio sends them itself, because
gTTS has no retry, no timeout by default and opens a new connection per request. Each request
gets a timeout; HTTP 429, 5xx, timeouts and connection errors are retried with exponential
backoff and jitter, honouring ``Retry-After`` (RFC 9110 §10.2.3, seconds or HTTP date); a
token bucket paces requests across threads, and a 429 pauses the bucket for everyone. The
replies (MP3, 24 kHz mono) of one chunk are joined and decoded once to int16 PCM in process by
libsndfile (soundfile), or by ffmpeg through pipes (never pydub, whose decoder needs ffprobe).

The network rules (retries, backoff, ``Retry-After``, token bucket, bounded concurrency,
fast failure offline) and the decoding are :mod:`newsaudio.tts.http`'s, shared with the
``openai`` engine. Settings come from :class:`GttsSettings` (environment
``NEWSAUDIO_GTTS_*``). Requests honour
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
import logging
import re
import socket
import threading
import urllib.request

import numpy as np

from newsaudio.errors import SynthesisError, plain_reason
from newsaudio.models import Segment
from newsaudio.tts.http import (  # noqa: F401  (re-exported: gTTS's public names)
    RETRY_STATUSES,
    HttpClient,
    HttpSettings,
    HttpStats,
    TokenBucket,
    decode_audio,
    retry_after_s,
)
from newsaudio.tts.voices import DEFAULT_VOICE, Voice

_LOGGER = logging.getLogger(__name__)

SAMPLE_RATE_HZ = 24000
"""gTTS replies are 24 kHz mono MP3; they are decoded to PCM at this rate."""

SLOW_SPEED = 0.75
"""Speeds at or below this use gTTS's slow mode."""

_AUDIO_RE = re.compile(r'jQ1olc","\[\\"(.*?)\\"]')


class GttsSettings(HttpSettings):
    """Network behaviour of the gTTS engine (:class:`~newsaudio.tts.http.HttpSettings`),
    from ``NEWSAUDIO_GTTS_<FIELD>`` (e.g. ``NEWSAUDIO_GTTS_ATTEMPTS``)."""

    ENV_PREFIX = "NEWSAUDIO_GTTS_"


def decode_mp3(data: bytes, rate_hz: int = SAMPLE_RATE_HZ) -> Segment:
    """Decode a gTTS reply (MP3, 24 kHz mono) to mono int16 PCM; see
    :func:`~newsaudio.tts.http.decode_audio`. Raises SynthesisError."""
    return decode_audio(data, rate_hz, "gtts")


GttsStats = HttpStats


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
        self.http = HttpClient(self.settings, "gtts", self._offline_error, where=self.host)
        self.bucket = self.http.bucket
        self.stats = self.http.stats
        self._lock = threading.Lock()
        self._reachable: bool | None = None

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
            if not result:
                raise self._offline_error("the DNS lookup of its name took more than 5 s")
            error = result[0]
            if isinstance(error, socket.gaierror):
                raise self._offline_error(f"DNS lookup failed: {error.strerror or error}")
            if error is not None:
                raise self._offline_error(plain_reason(error))
            self._reachable = True

    def _bodies(self, text: str) -> list[str]:
        from gtts import gTTS

        try:
            tts = gTTS(text, tld=self.tld, lang=self.lang, slow=self.slow, lang_check=False)
            bodies: list[str] = tts.get_bodies()
        except AssertionError:
            return []  # nothing speakable (punctuation only): silence
        return bodies

    def _request(self, body: str) -> bytes:
        """Send one RPC, with the retries of :class:`HttpClient`; return the MP3 bytes.
        Raises SynthesisError."""
        from gtts import gTTS

        reply = self.http.post(self.url, data=body, headers=gTTS.GOOGLE_TTS_HEADERS)
        match = _AUDIO_RE.search(reply.text)
        if match is None:
            raise SynthesisError(
                f"gtts: HTTP 200 from {self.host} without audio (language "
                f"{self.lang!r} unsupported or the API changed)"
            )
        return base64.b64decode(match.group(1))

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
