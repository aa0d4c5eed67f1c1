"""Plain-text articles: the first non-empty line is the headline, blank lines separate paragraphs.

Hard-wrapped lines inside a paragraph are joined with a space. Lines of a paragraph are not
otherwise interpreted.
"""

from __future__ import annotations

import re

from newsaudio.errors import InputError
from newsaudio.models import Article, Block

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0\u202f]*\n")


class TextLoader:
    """Loader for ``.txt`` files and unformatted stdin."""

    name = "text"
    suffixes: tuple[str, ...] = (".txt", ".text", "")

    def sniff(self, text: str) -> bool:
        """Plain text is the fallback: it accepts anything."""
        return True

    def load(self, text: str, *, source: str, source_key: str) -> Article:
        """Split ``text`` into headline and paragraph blocks.

        Raises InputError if there is no line with a letter or digit.
        """
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        chunks = [c.strip() for c in _PARAGRAPH_BREAK.split(text)]
        chunks = [c for c in chunks if c]
        if not chunks or not any(ch.isalnum() for ch in text):
            raise InputError(source, "has no words to read")
        first, _, rest = chunks[0].partition("\n")
        title = first.strip()
        paragraphs = ([rest] if rest.strip() else []) + chunks[1:]
        blocks = tuple(Block("paragraph", " ".join(p.split())) for p in paragraphs)
        return Article(title=title, blocks=blocks, source=source, source_key=source_key)


LOADER = TextLoader()
