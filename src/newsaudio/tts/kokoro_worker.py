"""A Kokoro worker process: loads Kokoro-82M once, then speaks phonemes read from stdin.

Started by :mod:`newsaudio.tts.piper_pool` (the same pool and protocol as Piper's workers) as
``python -m newsaudio.tts.kokoro_worker MODEL VOICES THREADS [OPTIONS]``; it imports nothing
of newsaudio, only the standard library, numpy and onnxruntime. A request is Piper's JSON
line with ``text`` = Kokoro phonemes (misaki's alphabet), ``length_scale`` = the speed
multiplier (0.5-2.0) and ``voice`` = a voice name in the archive (``af_heart``); the reply is
mono int16 little-endian PCM at 24,000 Hz (:data:`SAMPLE_RATE`). See
:mod:`newsaudio.tts.piper_worker` for the framing.

Shapes: model ``kokoro-v1.0.*.onnx``: inputs ``tokens`` int64 ``[1, n + 2]`` (ids with a 0 pad
at each end, n <= 510), ``style`` float32 ``[1, 256]``, ``speed`` float32 ``[1]``; output
``audio`` float32 ``[samples]``. Voices: ``voices-v1.0.bin``, a NumPy ``.npz`` of float32
``(510, 1, 256)`` tables; the style for n phonemes is row ``n - 1`` (as hexgrad's KPipeline
and kokoro-onnx do).
"""

from __future__ import annotations

import json
import re
import signal
import struct
import sys
import time
import unicodedata
from collections.abc import Iterator
from typing import Any

import numpy as np

HEADER = struct.Struct("<BI")
CPU = struct.Struct("<d")
PCM, FAILED, VOICE_ERROR = 0, 1, 2
SAMPLE_RATE = 24_000
"""Hz; Kokoro's output rate."""
MAX_PHONEMES = 510
"""Phoneme ids per model call (the context is 512 with the two pads)."""
PAUSE_S = 0.05
"""Silence put between two model calls of one chunk (seconds)."""

VOCAB: dict[str, int] = json.loads(
    '{";":1,":":2,",":3,".":4,"!":5,"?":6,"\u2014":9,"\u2026":10,"\\"":11,"(":12,")":13,'
    '"\u201c":14,"\u201d":15," ":16,"\u0303":17,"\u02a3":18,"\u02a5":19,"\u02a6":20,'
    '"\u02a8":21,"\u1d5d":22,"\uab67":23,"A":24,"I":25,"O":31,"Q":33,"S":35,"T":36,"W":39,'
    '"Y":41,"\u1d4a":42,"a":43,"b":44,"c":45,"d":46,"e":47,"f":48,"h":50,"i":51,"j":52,'
    '"k":53,"l":54,"m":55,"n":56,"o":57,"p":58,"q":59,"r":60,"s":61,"t":62,"u":63,"v":64,'
    '"w":65,"x":66,"y":67,"z":68,"\u0251":69,"\u0250":70,"\u0252":71,"\u00e6":72,'
    '"\u03b2":75,"\u0254":76,"\u0255":77,"\u00e7":78,"\u0256":80,"\u00f0":81,"\u02a4":82,'
    '"\u0259":83,"\u025a":85,"\u025b":86,"\u025c":87,"\u025f":90,"\u0261":92,"\u0265":99,'
    '"\u0268":101,"\u026a":102,"\u029d":103,"\u026f":110,"\u0270":111,"\u014b":112,'
    '"\u0273":113,"\u0272":114,"\u0274":115,"\u00f8":116,"\u0278":118,"\u03b8":119,'
    '"\u0153":120,"\u0279":123,"\u027e":125,"\u027b":126,"\u0281":128,"\u027d":129,'
    '"\u0282":130,"\u0283":131,"\u0288":132,"\u02a7":133,"\u028a":135,"\u028b":136,'
    '"\u028c":138,"\u0263":139,"\u0264":140,"\u03c7":142,"\u028e":143,"\u0292":147,'
    '"\u0294":148,"\u02c8":156,"\u02cc":157,"\u02d0":158,"\u02b0":162,"\u02b2":164,'
    '"\u2193":169,"\u2192":171,"\u2197":172,"\u2198":173,"\u1d7b":177}'
)
"""Kokoro v1.0 phoneme vocabulary (114 symbols), as in hexgrad/Kokoro-82M ``config.json``
and kokoro-onnx's ``config.json``."""


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:—])\s+")
_SPACE = re.compile(r"\s+")


def _atoms(phonemes: str, limit: int, level: int = 0) -> Iterator[str]:
    """Pieces of ``phonemes`` no longer than ``limit``, cut at the least disruptive
    boundary: sentence end, then clause end, then word, then (a run with no space longer
    than the limit) anywhere."""
    if len(phonemes) <= limit:
        if phonemes:
            yield phonemes
        return
    for index, boundary in enumerate((_SENTENCE_END, _CLAUSE_END, _SPACE)[level:], level):
        pieces = boundary.split(phonemes)
        if len(pieces) > 1:
            for piece in pieces:
                yield from _atoms(piece.strip(), limit, index + 1)
            return
    for start in range(0, len(phonemes), limit):
        yield phonemes[start : start + limit]


def _pack(atoms: list[str], limit: int) -> list[str]:
    """``atoms`` joined greedily with spaces into chunks of at most ``limit`` symbols."""
    chunks: list[str] = []
    for atom in atoms:
        if chunks and len(chunks[-1]) + 1 + len(atom) <= limit:
            chunks[-1] = f"{chunks[-1]} {atom}"
        else:
            chunks.append(atom)
    return chunks


def chunk_phonemes(phonemes: str, limit: int = MAX_PHONEMES) -> list[str]:
    """Split a phoneme string into chunks of at most ``limit`` symbols.

    Cuts only where needed, preferring sentence, then clause, then word boundaries;
    punctuation stays with the text before it. The chunks are balanced: as few as greedy
    packing gives, with the smallest limit that needs no more (a short last chunk is spoken
    at another pace and loudness, and costs as much attention per symbol: kokoro-onnx does
    the same). Joining the chunks with single spaces gives back the input with its
    whitespace runs collapsed (unless a word longer than ``limit`` had to be sliced: then a
    space marks the cut).
    """
    atoms = list(_atoms(" ".join(phonemes.split()), limit))
    if not atoms:
        return []
    fewest = len(_pack(atoms, limit))
    low, high = max(len(a) for a in atoms), limit
    while low < high:
        middle = (low + high) // 2
        if len(_pack(atoms, middle)) <= fewest:
            high = middle
        else:
            low = middle + 1
    return _pack(atoms, low)


def tokenize(phonemes: str) -> list[int]:
    """Vocabulary ids of ``phonemes`` (NFC); symbols outside the vocabulary are dropped."""
    return [i for i in map(VOCAB.get, unicodedata.normalize("NFC", phonemes)) if i is not None]


def session_options(threads: int = 1) -> Any:
    """onnxruntime options: ``threads`` intra-op threads, no spinning (measured in issue 26:
    a second thread costs 7-24 % more CPU for little wall time)."""
    import onnxruntime as ort  # type: ignore[import-untyped]

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return options


class KokoroModel:
    """Kokoro-82M loaded once: phonemes to float32 samples in [-1, 1] at 24,000 Hz.

    Raises ValueError (one line) for an unknown voice, a speed outside 0.5-2.0 or phonemes
    with no symbol of the vocabulary; OSError or onnxruntime's errors for a bad model file.
    """

    def __init__(self, model: str, voices: str, threads: int = 1) -> None:
        import onnxruntime as ort

        self.session = ort.InferenceSession(
            model, sess_options=session_options(threads), providers=["CPUExecutionProvider"]
        )
        self.archive = np.load(voices)
        self.styles: dict[str, np.ndarray] = {}

    def style(self, voice: str) -> np.ndarray:
        """The ``(510, 1, 256)`` style table of ``voice``."""
        if voice not in self.styles:
            if voice not in self.archive.files:
                raise ValueError(f"unknown Kokoro voice {voice!r}")
            self.styles[voice] = np.asarray(self.archive[voice], dtype=np.float32)
        return self.styles[voice]

    def _run(self, tokens: list[int], style: np.ndarray, speed: float) -> np.ndarray:
        ids = np.array([[0, *tokens, 0]], dtype=np.int64)
        row = style[len(tokens) - 1].reshape(1, 256)
        audio = self.session.run(
            None, {"tokens": ids, "style": row, "speed": np.array([speed], dtype=np.float32)}
        )[0]
        return np.asarray(audio, dtype=np.float32).ravel()

    def speak(self, phonemes: str, voice: str, speed: float = 1.0) -> np.ndarray:
        """float32 samples of ``phonemes``: chunks of at most 510 symbols
        (:func:`chunk_phonemes`) joined with :data:`PAUSE_S` of silence."""
        if not 0.5 <= speed <= 2.0:
            raise ValueError(f"speed must be between 0.5 and 2.0, got {speed}")
        style = self.style(voice)
        pieces: list[np.ndarray] = []
        gap = np.zeros(int(PAUSE_S * SAMPLE_RATE), dtype=np.float32)
        for chunk in chunk_phonemes(phonemes):
            tokens = tokenize(chunk)
            if not tokens:
                continue
            if pieces:
                pieces.append(gap)
            pieces.append(self._run(tokens, style, speed))
        if not pieces:
            raise ValueError(f"no phonemes to speak in {phonemes[:60]!r}")
        return np.asarray(np.clip(np.concatenate(pieces), -1.0, 1.0), dtype=np.float32)


def to_pcm(samples: np.ndarray) -> bytes:
    """float32 samples in [-1, 1] as int16 little-endian PCM bytes."""
    return bytes((np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes())


def main(argv: list[str]) -> int:
    """Serve requests until stdin ends. Returns the exit status."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    model_path, voices_path, threads = argv[0], argv[1], int(argv[2])
    out = sys.stdout.buffer
    model: KokoroModel | None = None
    load_failure = ""
    try:
        model = KokoroModel(model_path, voices_path, threads)
    except Exception as exc:  # a corrupt or foreign file: said in every reply
        detail = " ".join(str(exc).split()).rsplit(" : ", 1)[-1]
        load_failure = f"cannot load Kokoro model {model_path}: {detail}"
    for line in sys.stdin.buffer:
        request = json.loads(line)
        if model is None:
            kind, payload = VOICE_ERROR, load_failure.encode("utf-8", "replace")
        else:
            try:
                kind = PCM
                started = time.process_time()
                samples = model.speak(
                    request["text"], str(request.get("voice") or "af_heart"),
                    float(request.get("length_scale") or 1.0),
                )  # fmt: skip
                payload = to_pcm(samples)
                if request.get("cpu"):  # the CPU seconds this chunk took, after the PCM
                    payload += CPU.pack(time.process_time() - started)
            except Exception as exc:
                reason = " ".join(str(exc).split()) or "the engine stopped without a reason"
                kind, payload = FAILED, reason.encode("utf-8", "replace")
        try:
            out.write(HEADER.pack(kind, len(payload)))
            out.write(payload)
            out.flush()
        except BrokenPipeError:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
