"""The ``openai`` engine: any server speaking OpenAI's ``POST /v1/audio/speech``.

Kokoro and Piper servers, LocalAI, hosted services and OpenAI itself answer the same
request: a JSON body ``{model, voice, input, response_format, speed}`` and the audio as
the reply body. The profile names the server and the model; the API key, when the server
wants one, comes from the environment variable the profile names (it is sent as
``Authorization: Bearer ...`` and never stored, logged or shown)::

    name = "kokoro"
    engine = "openai"
    language = "en-US"
    base_url = "http://127.0.0.1:8880/v1"   # the API root; /audio/speech is added
    model = "kokoro"
    api_voice = "af_bella"                 # the API's "voice"
    api_key_env = "KOKORO_API_KEY"         # optional: the variable holding the key
    response_format = "wav"                # wav (default), mp3, flac or pcm
    max_chars = 4096                       # the server's input limit (OpenAI: 4096)
    fallback = "joe"

The network rules are the gTTS engine's (:mod:`newsaudio.tts.http`: timeout, retries with
backoff and ``Retry-After``, token bucket, bounded concurrency, fast failure when the
server cannot be reached), read from ``NEWSAUDIO_OPENAI_*``. Text longer than ``max_chars``
is cut at clause boundaries; each reply is decoded once (``pcm``: raw 24 kHz 16-bit mono,
as OpenAI sends it). ``speed`` (0.25-4.0 in the API) is the voice's speed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from newsaudio.errors import SynthesisError, VoiceError
from newsaudio.models import Segment
from newsaudio.tts.http import HttpClient, HttpSettings, HttpStatusError, decode_audio
from newsaudio.tts.voices import Voice

DEFAULT_MAX_CHARS = 4096
"""OpenAI's input limit, in characters; a profile's ``max_chars`` overrides it."""

PCM_RATE_HZ = 24000
"""The rate of ``response_format = "pcm"`` replies (OpenAI: 24 kHz, 16-bit LE, mono)."""

FORMATS = ("wav", "mp3", "flac", "pcm", "opus", "aac")


@dataclass(frozen=True)
class OpenaiSettings(HttpSettings):
    """Network behaviour of the openai engine (:class:`~newsaudio.tts.http.HttpSettings`),
    from ``NEWSAUDIO_OPENAI_<FIELD>``; a server synthesizes a long chunk for a while, so the
    timeout is longer than gTTS's and fewer requests are in flight."""

    ENV_PREFIX: ClassVar[str] = "NEWSAUDIO_OPENAI_"

    timeout_s: float = 120.0
    concurrency: int = 2


class OpenaiEngine:
    """Synthesis through an OpenAI-compatible server; see :class:`newsaudio.tts.base.Engine`.

    Thread-safe; ``concurrency`` chunks are in flight at once. Raises VoiceError at creation
    for a profile without ``base_url``/``model``/``api_voice``, an unknown
    ``response_format``, or an ``api_key_env`` variable that is not set.
    """

    name = "openai"

    def __init__(self, voice: Voice, settings: OpenaiSettings | None = None) -> None:
        self.voice = voice
        missing = [k for k in ("base_url", "model", "api_voice") if not getattr(voice, k)]
        if missing:
            raise VoiceError(
                f"voice {voice.name!r} (engine openai) needs {', '.join(missing)} in its profile"
            )
        if voice.response_format not in FORMATS:
            raise VoiceError(
                f"voice {voice.name!r}: response_format {voice.response_format!r} is not one "
                f"of {', '.join(FORMATS)}"
            )
        self._key: str | None = None
        if voice.api_key_env:
            self._key = os.environ.get(voice.api_key_env)
            if not self._key:
                raise VoiceError(
                    f"voice {voice.name!r}: the environment variable {voice.api_key_env} "
                    "(its API key) is not set"
                )
        self.settings = settings or OpenaiSettings.from_env()
        self.url = str(voice.base_url).rstrip("/") + "/audio/speech"
        self.max_chars = voice.max_chars or DEFAULT_MAX_CHARS
        self.needs_network = not voice.offline
        self.http = HttpClient(self.settings, "openai", self._offline_error)
        self.stats = self.http.stats

    @property
    def concurrency(self) -> int:
        """Chunks the speak stage keeps in flight (the HTTP bound)."""
        return self.settings.concurrency

    def identity(self) -> str:
        """Engine, server URL, model, API voice, reply format and speed (never the key)."""
        v = self.voice
        return (
            f"openai/{self.url}/model={v.model}/voice={v.api_voice}"
            f"/format={v.response_format}/speed={v.speed:g}"
        )

    def _offline_error(self, reason: str) -> SynthesisError:
        return SynthesisError(
            f"openai: voice {self.voice.name!r} cannot reach its server {self.voice.base_url} "
            f"({reason}); is the server running?"
        )

    def _request(self, text: str) -> bytes:
        v = self.voice
        body: dict[str, Any] = {
            "model": v.model,
            "voice": v.api_voice,
            "input": text,
            "response_format": v.response_format,
            "speed": min(4.0, max(0.25, v.speed)),
        }
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        try:
            reply = self.http.post(self.url, json=body, headers=headers)
        except HttpStatusError as exc:
            if exc.status in (401, 403):
                where = f"${v.api_key_env}" if v.api_key_env else "api_key_env in the profile"
                message = f"{exc}: the server refused the API key (see {where})"
                raise SynthesisError(message) from exc
            raise
        data: bytes = reply.content
        if not data:
            raise SynthesisError(f"openai: empty reply from {self.url}")
        return data

    def _decode(self, data: bytes) -> Segment:
        if self.voice.response_format == "pcm":
            samples = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.int16)
            return Segment(samples.reshape(-1, 1), PCM_RATE_HZ)
        return decode_audio(data, PCM_RATE_HZ, "openai")

    def synthesize(self, text: str) -> Segment:
        """Speak ``text`` (cut at clause boundaries to ``max_chars`` per request); mono int16
        PCM at the server's rate. Raises SynthesisError naming the HTTP status or network
        problem after the retries."""
        from newsaudio.text.segment import chunk

        pieces = [text] if len(text) <= self.max_chars else chunk(text, self.max_chars)
        segments = [self._decode(self._request(piece)) for piece in pieces if piece.strip()]
        if not segments:
            return Segment(np.zeros((0, 1), dtype=np.int16), PCM_RATE_HZ)
        rates = {s.sample_rate_hz for s in segments}
        if len(rates) > 1:
            raise SynthesisError(f"openai: replies at different sample rates {sorted(rates)}")
        return Segment(np.concatenate([s.samples for s in segments]), segments[0].sample_rate_hz)


def create(voice: Voice) -> OpenaiEngine:
    """Factory registered as engine ``openai``."""
    return OpenaiEngine(voice)
