"""Piper worker processes: N processes, each with the model loaded once, one chunk each.

A :class:`PiperPool` starts its processes as soon as it is created (so they load the model
while the parent loads and prepares the article) and hands each :meth:`PiperPool.speak` call
to an idle worker. The workers (:mod:`newsaudio.tts.piper_worker`) run in their own process
group with SIGINT ignored: a Ctrl-C reaches only newsaudio, which stops them
(:meth:`PiperPool.close`, also run at exit). A worker reads its requests from a pipe, so a
parent killed with SIGKILL leaves no worker behind: the pipe ends and so does the worker.
"""

from __future__ import annotations

import atexit
import contextlib
import heapq
import itertools
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from typing import IO, Any

import numpy as np

from newsaudio.errors import plain_reason
from newsaudio.tts.piper_worker import CPU, FAILED, HEADER, PCM
from newsaudio.tts.turns import RENDER_PRIORITY

_LOGGER = logging.getLogger(__name__)


class PoolClosed(Exception):
    """The pool was closed (the run is ending or was interrupted): not a synthesis failure."""


class PoolBroken(Exception):
    """A worker process died or could not start; the message says how."""


class WorkerFailed(Exception):
    """The worker could not speak this text (Piper's own error, as a message)."""


class WorkerVoiceError(Exception):
    """The worker cannot load the model (the message says why)."""


class _Worker:
    def __init__(self, argv: list[str]) -> None:
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            process_group=0,  # not in the terminal's group: Ctrl-C is the parent's to handle
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin: IO[bytes] = self.proc.stdin
        self.stdout: IO[bytes] = self.proc.stdout
        self.in_use = threading.Lock()  # held while a request uses the pipes
        self.cpu_s = 0.0  # CPU seconds of the chunks spoken (model load not included)

    def request(
        self, text: str, speaker: int | None, length_scale: float | None, voice: str | None = None
    ) -> bytes:
        """Send one request and wait for its reply; raises OSError/EOFError if the worker is
        gone, WorkerFailed or WorkerVoiceError if it could not speak. ``voice``: the voice
        name, for workers whose model holds several (Kokoro); Piper's ignore it."""
        request: dict[str, object] = {
            "cpu": True,
            "text": text,
            "speaker": speaker,
            "length_scale": length_scale,
        }
        if voice is not None:
            request["voice"] = voice
        line = json.dumps(request)
        with self.in_use:
            self.stdin.write(line.encode("utf-8") + b"\n")
            self.stdin.flush()
            kind, size = HEADER.unpack(self._read(HEADER.size))
            payload = self._read(size)
        if kind == PCM:
            (cpu_s,) = CPU.unpack(payload[-CPU.size :])
            self.cpu_s += cpu_s
            return payload[: -CPU.size]
        message = payload.decode("utf-8", "replace")
        raise WorkerFailed(message) if kind == FAILED else WorkerVoiceError(message)

    def _read(self, size: int) -> bytes:
        data = self.stdout.read(size)
        if len(data) != size:
            raise EOFError("the worker process ended")
        return data

    def why(self) -> str:
        """How the worker ended: exit status and the last line it wrote on stderr."""
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        self.stderr.seek(0)
        lines = [ln.strip() for ln in self.stderr.read().decode("utf-8", "replace").splitlines()]
        last = next((ln for ln in reversed(lines) if ln), "")
        return f"exit {code}" + (f": {last}" if last else "")

    def close(self) -> float:
        """Kill the process, then close the pipes unless a request is using them (that
        thread gets EOF and ends; the pipes close with their objects). Returns the CPU
        seconds the process used (0.0 if it was reaped elsewhere)."""
        cpu_s = 0.0
        if self.proc.poll() is None:
            self.proc.kill()
            with contextlib.suppress(ChildProcessError):
                _, status, usage = os.wait4(self.proc.pid, 0)
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                cpu_s = usage.ru_utime + usage.ru_stime
        self.proc.wait()
        if self.in_use.acquire(blocking=False):  # never close a pipe another thread is using
            try:
                for stream in (self.stdin, self.stdout):
                    with contextlib.suppress(OSError):
                        stream.close()
            finally:
                self.in_use.release()
        self.stderr.close()
        return cpu_s


class PiperPool:
    """``workers`` Piper processes for one model; thread-safe :meth:`speak`.

    ``threads`` is each worker's onnxruntime intra-op thread count; ``options`` its other
    session settings (see :func:`newsaudio.tts.piper_worker.session_options`). ``module`` is
    the module the processes run: Piper's, or :mod:`newsaudio.tts.kokoro_worker` (same
    protocol; ``config`` is then the voices archive).
    """

    def __init__(
        self,
        model: str,
        config: str,
        workers: int,
        threads: int = 1,
        options: dict[str, Any] | None = None,
        module: str = "newsaudio.tts.piper_worker",
    ) -> None:
        argv = [
            sys.executable,
            "-m",
            module,
            model,
            config,
            str(threads),
            json.dumps(options or {}),
        ]
        self.module, self.config = module, config
        self._lock = threading.Lock()
        self.frames = 0  # samples spoken by all workers
        self._closed = False
        self._broken = ""
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._waiting: list[tuple[int, int]] = []  # heap of (priority, arrival) tickets
        self._arrivals = itertools.count()
        self._workers: list[_Worker] = []
        try:
            for _ in range(workers):
                worker = _Worker(argv)
                self._workers.append(worker)
                self._idle.append(worker)
        except OSError as exc:
            self.close()
            raise PoolBroken(f"cannot start a worker process ({plain_reason(exc)})") from exc
        _LOGGER.debug("piper: %d worker processes started (pids %s)", workers,
                      ", ".join(str(w.proc.pid) for w in self._workers))  # fmt: skip

    @property
    def chunk_cpu_s(self) -> float:
        """CPU seconds the workers spent on the chunks spoken so far (model load excluded)."""
        return sum(w.cpu_s for w in self._workers)

    @property
    def pids(self) -> list[int]:
        """Process ids of the workers."""
        return [w.proc.pid for w in self._workers]

    def speak(
        self, text: str, speaker: int | None, length_scale: float | None, voice: str | None = None
    ) -> np.ndarray:
        """int16 samples of ``text``, spoken by the next idle worker (waits for one).

        Raises PoolClosed after :meth:`close`, PoolBroken if a worker died, WorkerFailed if
        Piper failed on the text, WorkerVoiceError if the model cannot be loaded.
        """
        worker = self._take()
        if worker is None:  # closed or broken
            if self._broken and not self._closed:
                raise PoolBroken(self._broken)
            raise PoolClosed("the piper worker pool is closed")
        try:
            pcm = worker.request(text, speaker, length_scale, voice)
        except (WorkerFailed, WorkerVoiceError):
            self._give(worker)
            raise
        except (OSError, EOFError, ValueError) as exc:  # ValueError: a pipe closed by close()
            if self._closed:
                raise PoolClosed("the piper worker pool is closed") from exc
            with self._lock:
                self._broken = self._broken or f"worker process {worker.proc.pid}: {worker.why()}"
            self._give(None)
            raise PoolBroken(self._broken) from exc
        self._give(worker)
        with self._lock:
            self.frames += len(pcm) // 2
        return np.frombuffer(pcm, dtype="<i2").astype(np.int16)

    def _take(self) -> _Worker | None:
        """An idle worker, to the waiting request of the lowest :data:`RENDER_PRIORITY`
        first (then in arrival order); None once the pool is closed or broken."""
        priority = RENDER_PRIORITY.get()
        ticket = (0 if priority is None else priority, next(self._arrivals))
        with self._cond:
            heapq.heappush(self._waiting, ticket)
            try:
                while not (self._closed or self._broken):
                    if self._idle and self._waiting[0] == ticket:
                        self._cond.notify_all()  # the next ticket may take another worker
                        return self._idle.pop()
                    self._cond.wait()
                return None
            finally:  # served, closed, or interrupted: the ticket leaves the queue
                self._waiting.remove(ticket)
                heapq.heapify(self._waiting)

    def _give(self, worker: _Worker | None) -> None:
        """Return ``worker`` to the idle list (None: the pool is broken; wake everyone)."""
        with self._cond:
            if worker is not None:
                self._idle.append(worker)
            self._cond.notify_all()

    def close(self) -> None:
        """Stop every worker now (a chunk in progress is dropped). Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        with self._cond:
            self._cond.notify_all()
        cpu_s = sum(worker.close() for worker in self._workers)
        _LOGGER.debug("piper: %d worker processes stopped (%.2f CPU-s)", len(self._workers), cpu_s)
        self._record_cost()

    def _record_cost(self) -> None:
        """Add this pool's chunks to the engine's measured cost (:mod:`newsaudio.tts.costs`)."""
        if not self.frames:
            return
        from newsaudio.tts.costs import record

        if self.module.endswith("kokoro_worker"):
            engine, rate_hz = "kokoro", 24_000
        else:
            engine, rate_hz = "piper", 22_050
            with (
                contextlib.suppress(OSError, ValueError, TypeError, KeyError),
                open(self.config, encoding="utf-8") as f,
            ):
                rate_hz = int(json.load(f)["audio"]["sample_rate"])
        record(engine, self.chunk_cpu_s, self.frames / rate_hz)


_POOLS: dict[tuple[str, str, int, int, str, str], PiperPool] = {}
_POOLS_LOCK = threading.Lock()
_GENERATION = 0  # bumped by close_all(): engines of an earlier run get no new pool


def generation() -> int:
    """The current pool generation: an engine created now passes it to :func:`shared_pool`,
    which refuses it (PoolClosed) once :func:`close_all` has ended that run."""
    return _GENERATION


def shared_pool(
    model: str,
    config: str,
    workers: int,
    threads: int,
    options: dict[str, Any] | None = None,
    for_generation: int | None = None,
    module: str = "newsaudio.tts.piper_worker",
) -> PiperPool:
    """The process-wide pool for these settings, started on first request. Raises PoolClosed
    if ``for_generation`` (see :func:`generation`) is no longer current: the run that asks
    has been stopped (a render thread still finishing must not start new workers)."""
    key = (model, config, workers, threads, json.dumps(options or {}, sort_keys=True), module)
    with _POOLS_LOCK:
        if for_generation is not None and for_generation != _GENERATION:
            raise PoolClosed("the piper worker pools of this run are closed")
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = PiperPool(model, config, workers, threads, options, module)
        return pool


def forget(pool: PiperPool) -> None:
    """Close ``pool`` and drop it from the shared pools (a later request starts a new one)."""
    with _POOLS_LOCK:
        for key, value in list(_POOLS.items()):
            if value is pool:
                del _POOLS[key]
    pool.close()


def close_all() -> None:
    """Stop every worker process of this process (registered to run at exit); engines
    created before get no new pool."""
    global _GENERATION
    with _POOLS_LOCK:
        _GENERATION += 1
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()


atexit.register(close_all)
