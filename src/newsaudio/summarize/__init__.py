"""Summarizers: a story told as a brief for a digest (``digest --brief``), one file each.

A :class:`Summarizer` turns one cleaned :class:`~newsaudio.models.Article` and a time budget
(seconds) into a :class:`Brief`: the article with only the brief's text as its blocks (so
:func:`newsaudio.text.prepare.prepare` makes its utterances as for any story), which
summarizer's text it is (``"lead"`` or ``"llm"``), its sentences, its estimated or measured
seconds, and a one-line ``note`` when a summary was refused or the endpoint failed and the
lead was read instead.

* ``lead`` (:mod:`newsaudio.summarize.lead`, default): whole sentences from the start of the
  body (offline, deterministic); they are exactly sentences of the full story's script.
* ``llm`` (:mod:`newsaudio.summarize.llm`): a summary from an OpenAI-compatible
  chat-completions endpoint, cleaned and checked against the article (every number and name
  found in it), cached; any failure falls back to the lead brief.

Registry: :data:`SUMMARIZERS` (name -> module with ``create(settings) -> Summarizer``);
adding one is one file and one line there. This package sits beside the stages (floor 1):
it imports the ground floor, ``text/`` and ``tts.http`` (the HTTP client's retry rules).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from newsaudio.errors import ConfigError
from newsaudio.models import Article

BriefKind = Literal["lead", "llm"]

DEFAULT_STORY_SECONDS = 60.0
"""A brief's budget when ``--brief`` is given without a value, in seconds."""

SUMMARIZERS: dict[str, str] = {
    "lead": "newsaudio.summarize.lead",
    "llm": "newsaudio.summarize.llm",
}
"""Summarizer name -> module defining ``create(settings: SummarizerSettings) -> Summarizer``."""


@dataclass(frozen=True)
class Brief:
    """One story's brief: ``article`` (the story with the brief's text as its paragraphs),
    ``kind`` (whose text is read: ``"lead"`` or ``"llm"``), ``sentences`` (as read),
    ``seconds`` (estimated from words per minute, or measured through the segment cache) and
    ``note`` (why an LLM summary was not read, one line; None when nothing to say)."""

    article: Article
    kind: BriefKind
    sentences: tuple[str, ...]
    seconds: float
    note: str | None = None


@dataclass(frozen=True)
class SummarizerSettings:
    """How briefs are made: ``name`` (a key of :data:`SUMMARIZERS`); for ``llm`` the API's
    ``base_url`` (as OpenAI clients take it: ``http://127.0.0.1:11434/v1``), ``model``, and
    ``api_key_env`` (the name of the environment variable holding the key; the key itself is
    never stored); ``words_per_minute`` for estimates; ``cache_dir`` (the segment cache's
    folder; summaries are kept in its ``summaries/``; None: the default cache dir)."""

    name: str = "lead"
    base_url: str | None = None
    model: str | None = None
    api_key_env: str | None = None
    words_per_minute: float = 160.0
    cache_dir: Path | None = None


class Summarizer(Protocol):
    """Makes briefs. ``name`` is its registry name. :meth:`brief` never raises for a cleaned
    article: a summarizer that cannot summarize falls back to the lead brief with a note.
    ``seconds_for(sentence)`` gives a sentence's measured seconds when known (segment cache),
    else None."""

    name: str

    def brief(
        self,
        article: Article,
        budget_s: float,
        seconds_for: Callable[[str], float | None] | None = None,
    ) -> Brief:
        """The brief of ``article`` within about ``budget_s`` seconds."""
        ...


def create(settings: SummarizerSettings) -> Summarizer:
    """The summarizer named by ``settings.name``. Raises ConfigError for an unknown name or
    missing settings (``llm`` without ``base_url`` or ``model``)."""
    module_name = SUMMARIZERS.get(settings.name)
    if module_name is None:
        raise ConfigError(
            f"summarizer: unknown summarizer {settings.name!r} (known: {', '.join(SUMMARIZERS)})"
        )
    factory: Callable[[SummarizerSettings], Summarizer] = importlib.import_module(
        module_name
    ).create
    return factory(settings)


__all__ = [
    "DEFAULT_STORY_SECONDS",
    "SUMMARIZERS",
    "Brief",
    "BriefKind",
    "Summarizer",
    "SummarizerSettings",
    "create",
]
