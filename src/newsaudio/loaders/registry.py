"""The loader registry: which :class:`Loader` reads a source.

Each format is a :class:`Loader` registered by name in :data:`_LOADER_MODULES` (adding a
format is one new module plus one line there); its module is imported on first use. Which
loader runs is decided by the source's suffix, or sniffed from the content for stdin.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from newsaudio.models import Article


class Loader(Protocol):
    """Turns the decoded text of one source into an :class:`Article`."""

    name: str
    suffixes: tuple[str, ...]

    def sniff(self, text: str) -> bool:
        """True if ``text`` (from stdin, no file name) looks like this loader's format."""
        ...

    def load(self, text: str, *, source: str, source_key: str) -> Article:
        """Parse ``text``; raise InputError(source, problem) if it holds no article."""
        ...


_LOADER_MODULES: dict[str, str] = {
    "html": "newsaudio.loaders.html",
    "markdown": "newsaudio.loaders.markdown",
    "text": "newsaudio.loaders.text",
}


def get_loader(name: str) -> Loader:
    """Return the loader registered as ``name`` (its module is imported on first use)."""
    module = importlib.import_module(_LOADER_MODULES[name])
    loader: Loader = module.LOADER
    return loader


def loader_names() -> list[str]:
    """Names of every registered loader, in sniffing order (most specific first)."""
    return list(_LOADER_MODULES)


def choose_loader(source: str, text: str) -> Loader:
    """Pick the loader for ``source``: by known file suffix, else by sniffing the content
    (stdin, no or unknown suffix: HTML if it looks like markup, Markdown if it has ``#``
    headings, lists or links), else plain text."""
    suffix = Path(source).suffix.lower() if source != "-" else ""
    loaders = [get_loader(name) for name in loader_names()]
    if suffix:
        for loader in loaders:
            if suffix in loader.suffixes:
                return loader
    for loader in loaders:
        if loader.name != "text" and loader.sniff(text):
            return loader
    return get_loader("text")
