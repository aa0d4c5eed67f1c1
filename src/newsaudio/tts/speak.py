"""Speak: a :class:`Script` in, one :class:`Segment` per utterance out, through the cache.

Segments are yielded in script order as soon as each is ready, so assembly can stream them.
Every synthesized segment is stored in the cache before it is yielded: a run killed at any
moment resumes with only the missing chunks. An engine with a ``concurrency`` attribute
above 1 (gTTS: requests in flight; Piper with worker processes) gets that many chunks in
flight at once, with at most twice that many finished segments waiting in memory, except
at the end of the script, whose last few chunks are dispatched at once, longest first (see
:func:`dispatch_order`).

A chunk the engine fails on for good is spoken by the ``fallback`` engine when there is one
(logged, and listed in :attr:`SpeakStats.fallback_chunks`); otherwise speaking stops with a
SynthesisError naming the chunk index.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from newsaudio.errors import NewsaudioError, SynthesisError, VoiceError
from newsaudio.models import Script, Segment, Utterance
from newsaudio.tts.base import Engine
from newsaudio.tts.cache import SegmentCache
from newsaudio.tts.turns import RENDER_PRIORITY, speaking

_LOGGER = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after every utterance."""


@dataclass
class SpeakStats:
    """What speaking a script took: chunks synthesized now, chunks served from the cache,
    and the 1-based indices of chunks spoken by the fallback voice."""

    synthesized: int = 0
    cached: int = 0
    fallback_chunks: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, what: str, index: int = 0) -> None:
        """Record one chunk: ``what`` is ``synthesized``, ``cached`` or ``fallback``."""
        with self._lock:
            if what == "fallback":
                self.fallback_chunks.append(index)
                self.fallback_chunks.sort()
            else:
                setattr(self, what, getattr(self, what) + 1)


def _voice_name(engine: Engine) -> str:
    voice = getattr(engine, "voice", None)
    return str(getattr(voice, "name", engine.name))


def _through_cache(engine: Engine, identity: str, cache: SegmentCache, text: str) -> Segment:
    key = cache.key(identity, text)
    segment = cache.get(key)
    if segment is None:
        segment = engine.synthesize(text)
        cache.put(key, segment)
    return segment


TAIL_CHUNKS_PER_WORKER = 3
"""The last ``TAIL_CHUNKS_PER_WORKER * workers`` chunks of a script are dispatched longest
first (all at once, reassembled in order): the last chunk to finish is then a short one, so
no worker runs alone for long at the end of a script."""


def dispatch_order(texts: list[str], workers: int) -> list[int]:
    """Indices of ``texts`` in the order they are given to ``workers`` workers: script order,
    then the tail (see :data:`TAIL_CHUNKS_PER_WORKER`) longest text first. With one worker,
    script order."""
    total = len(texts)
    if workers <= 1:
        return list(range(total))
    tail_from = total - min(total, TAIL_CHUNKS_PER_WORKER * workers)
    tail = sorted(range(tail_from, total), key=lambda i: (-len(texts[i]), i))
    return [*range(tail_from), *tail]


def speak(
    script: Script,
    engine: Engine,
    cache: SegmentCache,
    progress: ProgressCallback | None = None,
    *,
    fallback: Engine | None = None,
    stats: SpeakStats | None = None,
    workers: int | None = None,
    engines: Mapping[str, Engine] | None = None,
) -> Iterator[tuple[Utterance, Segment]]:
    """Yield ``(utterance, segment)`` for every utterance of ``script``, in order.

    ``workers`` (default: the engine's ``concurrency``, else 1) chunks are synthesized at
    once. ``engines`` (by BCP 47 tag) speak the utterances whose :attr:`Utterance.language`
    is one of their keys (a digest's story in another language); every other utterance is
    spoken by ``engine``. Raises SynthesisError naming the chunk index (1-based) when the
    engine fails and there is no fallback (or the fallback fails too).
    """
    voices = {
        tag: (other, other.identity())
        for tag, other in (engines or {}).items()
        if other is not engine
    }
    main = (engine, engine.identity())
    utterances = script.utterances
    total = len(utterances)
    stats = stats if stats is not None else SpeakStats()
    workers = max(1, workers or int(getattr(engine, "concurrency", 1)))

    # the first chunk that failed for good stops the chunks after it (those before it are
    # still spoken and cached, whatever order they were dispatched in)
    failed: list[tuple[int, SynthesisError]] = []

    def produce(index: int) -> Segment:
        if failed and index > failed[0][0]:
            raise failed[0][1]
        text = utterances[index].spoken
        language = utterances[index].language
        speaker, identity = voices.get(language, main) if language is not None else main
        key = cache.key(identity, text)
        segment = cache.get(key)
        if segment is not None:
            stats.count("cached")
            return segment
        try:
            segment = speaker.synthesize(text)
        except NewsaudioError as exc:
            if fallback is None and isinstance(exc, VoiceError):
                raise  # a model that cannot load is the voice's fault, not the chunk's
            if fallback is None:
                error = SynthesisError(f"chunk {index + 1} of {total}: {exc}")
                failed.append((index, error))
                raise error from exc
            _LOGGER.warning(
                "chunk %d of %d: %s; speaking it with the fallback voice %r",
                index + 1, total, exc, _voice_name(fallback),
            )  # fmt: skip
            try:
                segment = _through_cache(fallback, fallback.identity(), cache, text)
            except NewsaudioError as exc2:
                error = SynthesisError(
                    f"chunk {index + 1} of {total}: {exc}; the fallback voice failed too: {exc2}"
                )
                failed.append((index, error))
                raise error from exc2
            stats.count("fallback", index + 1)
            return segment
        cache.put(key, segment)
        stats.count("synthesized")
        return segment

    with speaking(RENDER_PRIORITY.get()) as dispatched:
        if workers == 1 or total <= 1:
            for index, utterance in enumerate(utterances):
                segment = produce(index)
                if index == total - 1:
                    dispatched()
                if progress is not None:
                    progress(index + 1, total)
                yield utterance, segment
            return

        order = dispatch_order([u.spoken for u in utterances], workers)
        tail_from = total - min(total, TAIL_CHUNKS_PER_WORKER * workers)
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="speak")
        pending: dict[int, Future[Segment]] = {}  # submitted, not yet yielded
        window = 2 * workers
        submitted = 0
        finished = False
        try:
            for index, utterance in enumerate(utterances):
                while submitted < total and (len(pending) < window or submitted >= tail_from):
                    # each chunk runs in a copy of this context (the render's priority)
                    run = contextvars.copy_context().run
                    pending[order[submitted]] = pool.submit(run, produce, order[submitted])
                    submitted += 1
                if submitted == total:
                    dispatched()  # the next render may start speaking
                segment = pending.pop(index).result()
                if progress is not None:
                    progress(index + 1, total)
                yield utterance, segment
            finished = True
        finally:
            for future in pending.values():
                future.cancel()
            # On an error or an interrupt, do not wait for chunks in flight: the run is
            # ending, and closing the engine (Runtime.close) stops them.
            pool.shutdown(wait=finished, cancel_futures=True)
