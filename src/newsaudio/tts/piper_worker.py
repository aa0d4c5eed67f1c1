"""A Piper worker process: loads one model once, then speaks requests read from stdin.

Started by :mod:`newsaudio.tts.piper_pool` as ``python piper_worker.py MODEL CONFIG THREADS
[OPTIONS]`` (run as a file, so it imports nothing of newsaudio: only the standard library,
numpy, onnxruntime and piper). It runs in its own process group with SIGINT ignored: a
terminal's Ctrl-C reaches only the parent, which stops its workers itself.

Protocol (binary, over the pipes):

- request, parent -> worker: one line of JSON ``{"text": str, "speaker": int | null,
  "length_scale": float | null, "cpu": bool (optional), "voice": str (optional, Kokoro)}``;
- reply, worker -> parent: a header ``struct.pack("<BI", kind, size)`` then ``size`` bytes:
  kind 0 = mono int16 little-endian PCM at the model's rate (followed, when the request has
  ``"cpu": true``, by the CPU seconds the chunk took, a little-endian double), 1 = synthesis
  failed (UTF-8 message), 2 = the model cannot be loaded (UTF-8 message, repeated for each
  request).

End of stdin (the parent closed it, or died) ends the worker.

``OPTIONS`` is a JSON object of onnxruntime session settings (see :func:`session_options`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import struct
import sys
import time
from typing import Any

HEADER = struct.Struct("<BI")
CPU = struct.Struct("<d")
PCM, FAILED, VOICE_ERROR = 0, 1, 2


def session_options(threads: int, options: dict[str, Any]) -> Any:
    """onnxruntime SessionOptions: ``threads`` intra-op threads (0: onnxruntime's default, one
    per core), inter-op 1, and ``options``, each left at onnxruntime's default when absent:
    ``spinning`` (0/1: idle intra-op threads spin), ``optimization`` (a
    GraphOptimizationLevel name, e.g. ``ORT_ENABLE_ALL``), ``mem_pattern`` and ``cpu_arena``
    (booleans)."""
    import onnxruntime  # type: ignore[import-untyped]

    so = onnxruntime.SessionOptions()
    so.intra_op_num_threads = max(0, threads)
    so.inter_op_num_threads = 1
    if "spinning" in options:
        so.add_session_config_entry(
            "session.intra_op.allow_spinning", str(int(options["spinning"]))
        )
    if "optimization" in options:
        so.graph_optimization_level = getattr(
            onnxruntime.GraphOptimizationLevel, str(options["optimization"])
        )
    if "mem_pattern" in options:
        so.enable_mem_pattern = bool(options["mem_pattern"])
    if "cpu_arena" in options:
        so.enable_cpu_mem_arena = bool(options["cpu_arena"])
    return so


def load_error(model: str, config: str, exc: BaseException) -> str:
    """The one-line message for a model that cannot be loaded: which file is wrong and how,
    in plain words (never an exception class)."""
    text = " ".join(str(exc).split())
    if isinstance(exc, KeyError):
        return f"cannot load Piper model {model}: its config {config} has no {exc.args[0]!r}"
    if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
        return f"cannot load Piper model {model}: its config {config} is not valid JSON"
    if isinstance(exc, OSError) and exc.strerror:
        where = exc.filename or model
        return f"cannot load Piper model {model}: {where}: {exc.strerror}"
    if text.startswith("[ONNXRuntimeError]"):  # "[ONNXRuntimeError] : 7 : INVALID_PROTOBUF : ..."
        detail = text.rsplit(" : ", 1)[-1]
        detail = detail.rsplit("failed:", 1)[-1].strip() or detail
        return f"cannot load Piper model {model}: not a valid ONNX model ({detail})"
    return f"cannot load Piper model {model}: " + (text or "the model or its config is invalid")


def load(model: str, config: str, threads: int, options: dict[str, Any]) -> Any:
    """A PiperVoice with one onnxruntime session built with :func:`session_options`.

    ``options["optimized"]`` (optional) is where onnxruntime's optimized graph of this model
    is kept for this machine and onnxruntime version: loaded as it is when present (no graph
    optimization at load: about a third of the CPU time of optimizing the original), else
    written there (atomically, by one process at a time) while the original is loaded. The
    graph is the same either way, so is the audio.
    """
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    with open(config, encoding="utf-8") as f:
        piper_config = PiperConfig.from_dict(json.load(f))
    optimized = str(options.get("optimized") or "")
    session = None
    if optimized and os.path.isfile(optimized):
        so = session_options(threads, options)
        so.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        try:
            session = onnxruntime.InferenceSession(
                optimized, sess_options=so, providers=["CPUExecutionProvider"]
            )
        except Exception:  # damaged: optimize the original again
            with contextlib.suppress(OSError):
                os.unlink(optimized)
    if session is None:
        so = session_options(threads, options)
        part = _claim(optimized) if optimized else ""
        if part:
            so.optimized_model_filepath = part
        try:
            session = onnxruntime.InferenceSession(
                model, sess_options=so, providers=["CPUExecutionProvider"]
            )
            if part and os.path.isfile(part):
                os.replace(part, optimized)
        finally:
            if part:
                for leftover in (part, optimized + ".lock"):
                    with contextlib.suppress(OSError):
                        os.unlink(leftover)
    return PiperVoice(session=session, config=piper_config)


def _claim(optimized: str) -> str:
    """A temporary path to write the optimized graph to, if no other process is writing it
    (a lock file, taken over after a minute); "" otherwise."""
    lock = optimized + ".lock"
    try:
        os.makedirs(os.path.dirname(optimized), exist_ok=True)
        with contextlib.suppress(OSError):
            if time.time() - os.stat(lock).st_mtime > 60:
                os.unlink(lock)  # left by a killed writer
        os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except OSError:
        return ""
    return f"{optimized}.{os.getpid()}.part"


def speak(voice: Any, text: str, speaker: int | None, length_scale: float | None) -> bytes:
    """int16 little-endian PCM of ``text`` (all of Piper's sentences, concatenated)."""
    from piper import SynthesisConfig

    config = SynthesisConfig(speaker_id=speaker, length_scale=length_scale)
    return b"".join(
        chunk.audio_int16_array.astype("<i2").tobytes()
        for chunk in voice.synthesize(text, syn_config=config)
    )


def main(argv: list[str]) -> int:
    """Serve requests until stdin ends. Returns the exit status."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    model, config, threads = argv[0], argv[1], int(argv[2])
    options: dict[str, Any] = json.loads(argv[3]) if len(argv) > 3 else {}
    out = sys.stdout.buffer
    voice: Any = None
    load_failure = ""
    try:
        voice = load(model, config, threads, options)
    except Exception as exc:  # a corrupt or foreign model: said in every reply
        load_failure = load_error(model, config, exc)
    for line in sys.stdin.buffer:
        request = json.loads(line)
        if voice is None:
            kind, payload = VOICE_ERROR, load_failure.encode("utf-8", "replace")
        else:
            try:
                kind = PCM
                started = time.process_time()
                payload = speak(voice, request["text"], request["speaker"], request["length_scale"])
                if request.get("cpu"):  # the CPU seconds this chunk took, after the PCM
                    payload += CPU.pack(time.process_time() - started)
            except Exception as exc:
                reason = " ".join(str(exc).split()) or "the engine stopped without a reason"
                kind, payload = FAILED, reason.encode("utf-8", "replace")
        try:
            out.write(HEADER.pack(kind, len(payload)))
            out.write(payload)
            out.flush()
        except BrokenPipeError:  # the parent is gone
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
