"""Options shared by ``digest`` and ``update`` for briefs (``--brief``, ``--summarizer``,
``--llm-url``, ``--llm-model``) and what they print about them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from newsaudio.pipeline.digest import BriefOptions, DigestResult
    from newsaudio.summarize import Brief

F = TypeVar("F", bound=Callable[..., Any])


def brief_options(func: F) -> F:
    """``--brief [SECONDS]``, ``--summarizer``, ``--llm-url``, ``--llm-model``."""
    for option in reversed(
        (
            click.option(
                "--brief",
                "brief_seconds",
                type=click.FloatRange(min=5, max=600),
                is_flag=False,
                flag_value=60.0,
                default=None,
                metavar="[SECONDS]",
                help="Read each story as a brief of about SECONDS (default 60): its lead "
                "sentences, or a checked LLM summary (--summarizer llm) "
                "[default: [digest] brief / story_seconds of newsaudio.toml].",
            ),
            click.option(
                "--summarizer",
                type=click.Choice(["lead", "llm"]),
                default=None,
                help="Who writes briefs: lead (whole sentences from the story's start, "
                "offline) or llm (an OpenAI-compatible chat-completions endpoint; a summary "
                "with a number or name not in the article is not read: the lead is) "
                "[default: [summarizer] name, else lead]. On digest it implies --brief.",
            ),
            click.option(
                "--llm-url",
                default=None,
                metavar="URL",
                help="The LLM API's base URL as OpenAI clients take it, e.g. "
                "http://127.0.0.1:11434/v1 (Ollama), http://127.0.0.1:8080/v1 (llama.cpp) "
                "[default: [summarizer] base_url]. The key comes from the variable named by "
                "[summarizer] api_key_env.",
            ),
            click.option(
                "--llm-model",
                default=None,
                metavar="NAME",
                help="The model to ask [default: [summarizer] model].",
            ),
        )
    ):
        func = option(func)
    return func


def make_brief_options(
    config_file: Path | None,
    *,
    seconds: float | None,
    enabled: bool,
    summarizer: str | None,
    llm_url: str | None,
    llm_model: str | None,
    cache_dir: Path | None,
    measure: bool = True,
) -> BriefOptions | None:
    """The run's :class:`BriefOptions`, or None when briefs are off (``enabled`` false and no
    ``seconds``). Raises ConfigError for bad settings (an llm without URL or model...)."""
    if seconds is None and not enabled:
        return None
    from newsaudio.config import find_config, read_summarizer_config
    from newsaudio.pipeline.digest import BriefOptions
    from newsaudio.summarize import DEFAULT_STORY_SECONDS, create

    settings = read_summarizer_config(
        find_config(config_file),
        name=summarizer,
        base_url=llm_url,
        model=llm_model,
        cache_dir=cache_dir,
    )
    return BriefOptions(seconds or DEFAULT_STORY_SECONDS, create(settings), measure)


def story_records(made: DigestResult, seconds: Sequence[float]) -> list[dict[str, Any]]:
    """``stories`` of ``--json`` with briefs: ``{"title", "brief", "seconds", "sentences",
    "summarizer"}`` per story; ``seconds`` are the stories' chapter lengths (measured)."""
    records: list[dict[str, Any]] = []
    for story, brief, length in zip(made.stories, made.briefs, seconds, strict=False):
        records.append(
            {
                "title": story.title,
                "brief": brief.kind,
                "seconds": round(length, 1),
                "sentences": len(brief.sentences),
                "summarizer": summarizer_text(brief),
            }
        )
    return records


def summarizer_text(brief: Brief) -> str:
    """``"llm"``, ``"lead"`` or ``"lead (llm summary refused: '3.4 million' not in the
    article)"``."""
    return brief.kind if brief.note is None else f"{brief.kind} ({brief.note})"


def story_seconds(made: DigestResult, duration_ms: int) -> list[float]:
    """Each story's chapter length in seconds (chapter 0 is the opening), in story order."""
    starts = [c.start_ms for c in made.chapters[1:]]
    ends = [*starts[1:], duration_ms]
    return [(end - start) / 1000 for start, end in zip(starts, ends, strict=True)]


def echo_brief_notes(made: DigestResult) -> None:
    """One line per refused summary, and one line for an endpoint that failed."""
    said: set[str] = set()
    for story, brief in zip(made.stories, made.briefs, strict=False):
        if brief.note is None:
            continue
        if brief.note.startswith("llm unavailable"):
            if brief.note not in said:
                said.add(brief.note)
                click.echo(f"newsaudio: note: {brief.note}; leads are read instead", err=True)
            continue
        click.echo(f"newsaudio: note: {story.title}: {brief.note}; its lead is read", err=True)
