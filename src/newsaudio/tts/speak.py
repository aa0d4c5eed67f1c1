"""Speak: a :class:`Script` in, one :class:`Segment` per utterance out, through the cache.

Segments are yielded in script order as soon as each is ready, so assembly can stream them.
Every synthesized segment is stored in the cache before it is yielded: a run killed at any
moment resumes with only the missing chunks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from newsaudio.errors import NewsaudioError, SynthesisError
from newsaudio.models import Script, Segment, Utterance
from newsaudio.tts.base import Engine
from newsaudio.tts.cache import SegmentCache

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after every utterance."""


def speak(
    script: Script,
    engine: Engine,
    cache: SegmentCache,
    progress: ProgressCallback | None = None,
) -> Iterator[tuple[Utterance, Segment]]:
    """Yield ``(utterance, segment)`` for every utterance of ``script``, in order.

    Raises SynthesisError naming the chunk index when the engine fails.
    """
    identity = engine.identity()
    total = len(script.utterances)
    for index, utterance in enumerate(script.utterances):
        key = cache.key(identity, utterance.spoken)
        segment = cache.get(key)
        if segment is None:
            try:
                segment = engine.synthesize(utterance.spoken)
            except NewsaudioError as exc:
                raise SynthesisError(f"chunk {index + 1} of {total}: {exc}") from exc
            cache.put(key, segment)
        if progress is not None:
            progress(index + 1, total)
        yield utterance, segment
