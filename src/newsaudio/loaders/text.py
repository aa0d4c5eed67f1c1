"""Plain-text articles: the first non-empty line is the headline, blank lines separate paragraphs.

Inside a paragraph:

* hard-wrapped lines are joined with a space;
* lines that start with a list marker (``- ``, ``* ``, ``• ``, ``1. ``, ``1) ``) are list
  items, one block each, the marker left out (never read as "asterisk" or "one."); a line
  without a marker continues the item above it (a wrapped item). A paragraph is a list when
  it starts with a marker line or holds two of them, so a wrapped sentence that happens to
  start with "2." stays prose, and "... on 21 March.\\n2. Next item" keeps "2." a marker;
* a paragraph that is one short line (at most 10 words, 80 characters) starting with a
  letter and without final punctuation, with more text after it, is a heading (a pause and a
  chapter in the episode);
* a "By <name>" line right under the headline is the byline, not body text.

Plain text declares no language: it is detected
(:func:`~newsaudio.loaders._blocks.detect_language`), so a French article is not read by an
English voice; "en" when unsure.
"""

from __future__ import annotations

import re

from newsaudio.errors import InputError
from newsaudio.loaders._blocks import detect_language
from newsaudio.models import Article, Block

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0\u202f]*\n")
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*•‣◦▪–—+]|\(?[0-9]{1,3}[.)]|\(?[a-z][.)])[ \t]+(?=\S)")
_BYLINE = re.compile(
    r"^(?:by|words by|written by|von|par|por)\s+(?P<name>[^\W\d][\w .,'’&-]{1,80})$", re.I
)
_HEADING_MAX_WORDS = 10
_HEADING_MAX_CHARS = 80
_HEADING_END = re.compile(r"[.!?…,;:\"'”’)\]]$")


def _is_marker_line(line: str) -> bool:
    return bool(_LIST_MARKER.match(line))


def _list_blocks(lines: list[str]) -> list[Block] | None:
    """List items (and a lead-in paragraph) of a paragraph written as a list, else None."""
    markers = [i for i, line in enumerate(lines) if _is_marker_line(line)]
    if not markers or (markers[0] != 0 and len(markers) < 2):
        return None
    blocks: list[Block] = []
    lead = " ".join(" ".join(lines[: markers[0]]).split())
    if lead:
        blocks.append(Block("paragraph", lead))
    item: list[str] = []
    for line in lines[markers[0] :]:
        if _is_marker_line(line):
            if item:
                blocks.append(Block("list_item", " ".join(" ".join(item).split())))
            item = [_LIST_MARKER.sub("", line, count=1)]
        else:
            item.append(line)  # a wrapped item continues
    if item:
        blocks.append(Block("list_item", " ".join(" ".join(item).split())))
    return [b for b in blocks if b.text]


def is_heading_line(text: str) -> bool:
    """True for a line that reads as a heading: short, starting with a letter, without final
    punctuation, and not a list marker or a byline."""
    words = text.split()
    return (
        0 < len(words) <= _HEADING_MAX_WORDS
        and len(text) <= _HEADING_MAX_CHARS
        and text[:1].isalpha()
        and not _HEADING_END.search(text)
        and not _is_marker_line(text)
        and not _BYLINE.match(text)
    )


class TextLoader:
    """Loader for ``.txt`` files and unformatted stdin."""

    name = "text"
    suffixes: tuple[str, ...] = (".txt", ".text", "")

    def sniff(self, text: str) -> bool:
        """Plain text is the fallback: it accepts anything."""
        return True

    def load(self, text: str, *, source: str, source_key: str) -> Article:
        """Split ``text`` into headline, byline and heading, paragraph and list-item blocks.

        Raises InputError if there is no line with a letter or digit.
        """
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        chunks = [c.strip("\n") for c in _PARAGRAPH_BREAK.split(text)]
        chunks = [c for c in chunks if c.strip()]
        if not chunks or not any(ch.isalnum() for ch in text):
            raise InputError(source, "has no words to read")
        first, _, rest = chunks[0].strip().partition("\n")
        title = first.strip()
        paragraphs = ([rest] if rest.strip() else []) + chunks[1:]
        byline: str | None = None
        if paragraphs:
            lead, _, after = paragraphs[0].strip().partition("\n")
            found = _BYLINE.match(lead.strip())
            if found:
                byline = found.group("name").strip()
                paragraphs = ([after] if after.strip() else []) + paragraphs[1:]
        blocks: list[Block] = []
        for index, paragraph in enumerate(paragraphs):
            lines = [line for line in paragraph.split("\n") if line.strip()]
            listed = _list_blocks(lines)
            if listed is not None:
                blocks.extend(listed)
                continue
            joined = " ".join(paragraph.split())
            if len(lines) == 1 and index < len(paragraphs) - 1 and is_heading_line(joined):
                blocks.append(Block("heading", joined, 2))
            else:
                blocks.append(Block("paragraph", joined))
        language = detect_language("\n".join([title, *(b.text for b in blocks)])) or "en"
        return Article(
            title=title,
            blocks=tuple(blocks),
            source=source,
            source_key=source_key,
            byline=byline,
            language=language,
        )


LOADER = TextLoader()
